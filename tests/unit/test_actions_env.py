"""Runner I/O: inputs, events, outputs, job summary and the escaping of workflow commands."""

from __future__ import annotations

import io
import json
import re

import pytest

from checker.actions_env import (
    STEP_SUMMARY_MAX_BYTES,
    AnnotationsMode,
    EventKind,
    Sink,
    SummaryMode,
    format_outputs,
    input_value,
    link_context,
    parse_event,
    secret_values,
    settings_from_env,
    write_outputs,
    write_step_summary,
)
from checker.errors import UsageError
from checker.findings import Finding, Location, Severity, Span
from checker.reporters import markdown
from checker.reporters.workflow_commands import (
    PER_STEP_LIMIT,
    annotation_commands,
    command,
    escape_data,
    escape_property,
    safe_log_line,
)


def test_escape_data_and_property() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_a_command_cannot_be_smuggled_through_a_value() -> None:
    line = command(
        "error",
        {"file": "x,line=1::y", "title": "t"},
        "msg\n::stop-commands::tok\n::error::owned",
    )
    assert "\n" not in line
    # One line: the runner reads the command up to the first "::" after the properties, and
    # the rest is the message, shown with %0A turned back into line breaks, never re-parsed.
    assert line == (
        "::error file=x%2Cline=1%3A%3Ay,title=t::msg%0A::stop-commands::tok%0A::error::owned"
    )


@pytest.mark.parametrize(
    "text", ["::stop-commands::abc", "  ::error::x", "##[error]x", "::add-mask::secret"]
)
def test_plain_log_lines_never_start_a_command(text: str) -> None:
    assert not safe_log_line(text).lstrip().startswith(("::", "##["))


def test_sink_escapes_every_line_of_plain_text() -> None:
    stream = io.StringIO()
    Sink(stream).log("fine\n::stop-commands::tok\n\x1b[31mred")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "fine"
    assert lines[1] == "\\::stop-commands::tok"
    assert "\x1b" not in lines[2]


def _finding(severity: Severity, n: int) -> Finding:
    return Finding("r", severity, f"m{n}", Location("a.json", "", span=Span(n, 2, n, 5)))


def test_annotation_commands_errors_first_capped_with_a_note() -> None:
    findings = [_finding(Severity.WARNING, n) for n in range(1, 13)]
    findings += [_finding(Severity.ERROR, n) for n in range(1, 4)]
    batch = annotation_commands(findings)
    kinds = [line.split(" ", 1)[0] for line in batch.lines]
    assert kinds == ["::error"] * 3 + ["::warning"] * PER_STEP_LIMIT
    assert batch.note is not None
    assert "2 warnings" in batch.note
    assert "col=2,endColumn=5" in batch.lines[0]


def test_columns_only_on_one_line_spans() -> None:
    finding = Finding("r", Severity.ERROR, "m", Location("a.json", "", span=Span(1, 2, 3, 4)))
    (line,) = annotation_commands([finding]).lines
    assert "col=" not in line
    assert "line=1,endLine=3" in line


def test_outputs_are_multiline_safe_with_a_random_delimiter(tmp_path) -> None:
    text = format_outputs({"a": "x\ny", "b": "ghadelimiter_fake\nEOF"})
    blocks = re.findall(r"^(\w+)<<(ghadelimiter_[0-9a-f]{32})\n(.*?)\n\2$", text, re.M | re.S)
    assert [(name, value) for name, _, value in blocks] == [
        ("a", "x\ny"),
        ("b", "ghadelimiter_fake\nEOF"),
    ]
    assert blocks[0][1] != blocks[1][1]
    target = tmp_path / "out"
    write_outputs(str(target), {"verdict": "pass"})
    write_outputs(str(target), {"findings": "0"})
    assert target.read_text().count("<<") == 2


def test_step_summary_is_capped_at_one_mebibyte(tmp_path) -> None:
    target = tmp_path / "summary.md"
    write_step_summary(str(target), "é" * STEP_SUMMARY_MAX_BYTES)
    data = target.read_bytes()
    assert len(data) <= STEP_SUMMARY_MAX_BYTES
    assert "1 MiB" in data.decode("utf-8")[-200:]


def test_inputs_keep_hyphens_and_defaults() -> None:
    env = {"INPUT_FAIL-ON": " warning ", "INPUT_ANNOTATIONS": "both", "INPUT_SUMMARY": "none"}
    assert input_value(env, "fail-on") == "warning"
    settings = settings_from_env(env)
    assert settings.fail_on.value == "warning"
    assert settings.annotations is AnnotationsMode.BOTH
    assert settings.summary is SummaryMode.NONE
    assert settings.paths == ("**/plugin-manifest.json",)
    assert settings.request_changes is False


@pytest.mark.parametrize(
    ("raw", "attempt"), [("", 1), ("1", 1), ("3", 3), ("0", 2), ("x", 2), ("-1", 2), ("٣", 2)]
)
def test_the_run_attempt_says_whether_this_is_a_re_run(raw: str, attempt: int) -> None:
    # anything unreadable counts as a re-run, whose payload may be out of date
    assert settings_from_env({"GITHUB_RUN_ATTEMPT": raw}).run_attempt == attempt


def test_bad_inputs_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="annotations"):
        settings_from_env({"INPUT_ANNOTATIONS": "everywhere"})
    with pytest.raises(UsageError, match="request-changes"):
        settings_from_env({"INPUT_REQUEST-CHANGES": "maybe"})
    for bad in ("soon", "-1", "inf", "nan"):
        with pytest.raises(UsageError, match="wait-limit"):
            settings_from_env({"INPUT_WAIT-LIMIT": bad})


def test_the_wait_limit_is_three_minutes_unless_set() -> None:
    assert settings_from_env({}).wait_limit == 180.0
    assert settings_from_env({"INPUT_WAIT-LIMIT": " 0 "}).wait_limit == 0.0
    assert settings_from_env({"INPUT_WAIT-LIMIT": "42.5"}).wait_limit == 42.5


def test_token_is_not_in_the_repr() -> None:
    settings = settings_from_env({"INPUT_TOKEN": "ghs_secret_value"})
    assert "ghs_secret_value" not in repr(settings)


def _pull(kind: str) -> dict:
    return {
        "action": "labeled",
        "label": {"name": "scope-escalation-approved"},
        "sender": {"login": "maint"},
        "pull_request": {
            "number": 5,
            "head": {"sha": "h" * 40, "repo": {"full_name": "fork/r"}},
            "base": {"sha": "b" * 40, "ref": "main", "repo": {"full_name": "o/r"}},
        },
    }


@pytest.mark.parametrize("name", ["pull_request", "pull_request_target", "pull_request_review"])
def test_pull_request_events_use_the_head_sha_not_the_merge_commit(name: str) -> None:
    event = parse_event(name, _pull(name), github_sha="m" * 40)
    assert event.head_sha == "h" * 40
    assert event.base_sha == "b" * 40
    assert event.pr_number == 5
    assert event.fork is True
    assert event.label == "scope-escalation-approved"
    assert event.sender == "maint"


def test_push_merge_group_and_other_events() -> None:
    push = parse_event("push", {"before": "0" * 40, "after": "a" * 40})
    assert push.kind is EventKind.PUSH
    assert push.base_sha is None
    assert push.head_sha == "a" * 40
    group = parse_event(
        "merge_group", {"merge_group": {"base_sha": "b" * 40, "head_sha": "c" * 40}}
    )
    assert (group.base_sha, group.head_sha) == ("b" * 40, "c" * 40)
    other = parse_event("schedule", {}, github_sha="d" * 40)
    assert other.kind is EventKind.OTHER
    assert other.base_sha is None
    assert other.head_sha == "d" * 40


@pytest.mark.parametrize(
    ("head_ref", "number"),
    [
        (f"refs/heads/gh-readonly-queue/main/pr-42-{'a' * 40}", 42),
        (f"gh-readonly-queue/release/v1/pr-7-{'b' * 40}", 7),
        ("refs/heads/feature/pr-42", None),
        (f"refs/heads/gh-readonly-queue/main/pr-42-{'a' * 39}", None),
    ],
)
def test_a_merge_group_names_its_pull_request(head_ref: str, number: int | None) -> None:
    group = parse_event(
        "merge_group",
        {"merge_group": {"base_sha": "b" * 40, "head_sha": "c" * 40, "head_ref": head_ref}},
    )
    assert group.pr_number == number
    assert group.is_pull_request is False  # nothing is posted to it from the queue


def test_the_sink_never_prints_a_secret() -> None:
    token = "ghs_" + "x" * 36
    env = {"INPUT_TOKEN": f" {token} ", "GITHUB_TOKEN": "short"}
    assert secret_values(env) == (token,)
    stream = io.StringIO()
    sink = Sink(stream, secret_values(env))
    sink.log(f"a\n{token}")
    sink.command("error", {"title": token}, f"bad {token}")
    sink.group(token)
    sink.once(token)
    assert token not in stream.getvalue()
    assert stream.getvalue().count("***") == 5
    assert sink.redact(f"[{token}]") == "[***]"


def test_the_sink_redacts_a_secret_as_each_writer_escapes_it() -> None:
    token = "ghp_secret_value_" + "y" * 24
    sink = Sink(io.StringIO(), (token,))
    escaped = markdown.sentence(f"error: {token}")  # what the job summary would show
    assert token not in escaped
    assert "ghp\\_secret" in escaped
    for text in (escaped, escape_property(f"a,{token}"), json.dumps({"m": token})):
        assert "secret" not in sink.redact(text), text
    assert sink.redact(escaped) == "error\\: ***"


def test_a_workflow_run_keeps_every_pull_request_it_names_and_picks_none() -> None:
    ours = "https://api.github.com/repos/acme/extensions"
    payload = {
        "workflow_run": {
            "id": 5,
            "head_sha": "a" * 40,
            "head_repository": {"full_name": "fork/extensions"},
            "pull_requests": [
                {"number": 3, "head": {"sha": "a" * 40}, "base": {"repo": {"url": ours}}},
                {"number": True},
                "junk",
                {"number": 4, "base": {"repo": {"url": "https://elsewhere"}}},
            ],
        }
    }
    event = parse_event("workflow_run", payload)
    assert event.pr_number is None  # GitHub decides which one, not the first entry
    assert [(p.number, p.base_repository_url) for p in event.run_pulls] == [
        (3, ours),
        (4, "https://elsewhere"),
    ]
    assert event.head_repository == "fork/extensions"


def test_the_run_url_is_only_made_of_what_the_runner_sets() -> None:
    env = {"GITHUB_REPOSITORY": "acme/ext", "GITHUB_RUN_ID": "77"}
    assert settings_from_env(env).run_url == "https://github.com/acme/ext/actions/runs/77"
    ghes = {**env, "GITHUB_SERVER_URL": "https://git.example.com:8443/"}
    assert (
        settings_from_env(ghes).run_url == "https://git.example.com:8443/acme/ext/actions/runs/77"
    )
    for bad in (
        {**env, "GITHUB_RUN_ID": "7)"},
        {**env, "GITHUB_RUN_ID": "²"},
        {**env, "GITHUB_SERVER_URL": "javascript:alert(1)"},
        {**env, "GITHUB_REPOSITORY": "a/b) [x](y"},
        {"GITHUB_REPOSITORY": "acme/ext"},
    ):
        assert settings_from_env(bad).run_url == ""


def test_summaries_link_lines_at_the_head_commit_on_the_runners_server() -> None:
    head = "c" * 40
    payload = {"pull_request": {"number": 5, "head": {"sha": head}, "base": {"sha": "d" * 40}}}
    event = parse_event("pull_request", payload)
    env = {
        "GITHUB_REPOSITORY": "acme/ext",
        "GITHUB_SERVER_URL": "https://git.example.com/",
        "INPUT_WORKING-DIRECTORY": "extensions",
    }
    links = link_context(settings_from_env(env), event)
    assert links is not None
    at = Location("orders/plugin-manifest.json", "", span=Span(4, 1, 4, 2))
    assert links.url(at) == (
        f"https://git.example.com/acme/ext/blob/{head}/extensions/orders/plugin-manifest.json#L4"
    )
    # the base side is read at the merge base, which the event does not name: no link there
    assert links.base_sha is None
    assert settings_from_env({"GITHUB_REPOSITORY": "acme/ext"}).server_url == "https://github.com"
    for bad in (
        {**env, "GITHUB_SERVER_URL": "javascript:alert(1)"},
        {**env, "GITHUB_REPOSITORY": "a/b) [x](y"},
        {"GITHUB_SERVER_URL": "https://github.com"},
    ):
        assert link_context(settings_from_env(bad), event) is None
    assert link_context(settings_from_env(env), parse_event("other", {})) is None
