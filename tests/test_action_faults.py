"""The Action when GitHub misbehaves: errors that echo the token, malformed answers, long
rate limits, transient failures reading the base policy, a changed-file list cut short."""

from __future__ import annotations

import shutil
import time

import pytest

from tests import test_action_e2e as e2e
from tests.github_server import SECONDARY, Fault
from tests.test_action_e2e import PR, dump, example_manifest, with_scope

pytestmark = pytest.mark.slow

DOCS = "https://docs.github.com/rest"
# the end-to-end fixtures: the stand-in GitHub and a repository with base, head and merge
github = e2e.github
scenario = e2e.scenario


def _unescaped(text: str) -> str:
    """Text as a reader sees it once markdown and workflow-command escapes are undone."""
    return text.replace("\\", "").replace("%5F", "_").replace("%3A", ":").replace("%2C", ",")


def test_an_error_that_echoes_the_token_is_redacted_everywhere(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    echo = {
        "message": f"Validation Failed: body was sent with token {s.state.token} (ok)",
        "errors": [{"resource": "IssueComment", "code": "custom", "field": "body"}],
        "documentation_url": DOCS,
        "status": "422",
    }
    s.state.faults.append(Fault("POST", rf"/issues/{PR}/comments$", 422, echo))
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "posting to GitHub failed" in result.step_summary
    files = [p.read_text(encoding="utf-8") for p in (s.work / ".zoho-manifest-guard").iterdir()]
    sent = [str(r.body) for r in s.state.requests]
    for text in (result.stdout, result.step_summary, result.output_file, *files, *sent):
        assert s.state.token not in _unescaped(text)
        assert "test_token_not" not in _unescaped(text)
    assert "sent with token \\*\\*\\*" in result.step_summary


@pytest.mark.parametrize(
    ("method", "route", "body", "content_type"),
    [
        ("POST", r"/check-runs$", b"<html><body>OK</body></html>", "text/html"),
        ("POST", r"/check-runs$", {"status": "completed"}, "application/json"),
        ("GET", rf"/issues/{PR}/comments$", {"comments": []}, "application/json"),
        ("POST", rf"/issues/{PR}/comments$", {"id": "1", "user": None}, "application/json"),
        ("POST", rf"/issues/{PR}/comments$", b'{"id": 1, "body": ', "application/json"),
    ],
)
def test_a_malformed_answer_while_posting_is_a_failed_post(
    scenario, method, route, body, content_type
) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.faults.append(Fault(method, route, 200, body, times=10, content_type=content_type))
    result = s.run(s.env())
    assert result.code == 1, result.stdout  # the policy's answer, not an internal error
    assert "::warning title=zoho-manifest-guard::posting to GitHub failed" in result.stdout
    assert "not what the API documents" in result.stdout
    assert result.outputs["verdict"] == "fail"
    assert result.outputs["escalations"] == "1"
    assert (s.work / result.outputs["report-json"]).is_file()
    assert "posting to GitHub failed" in result.step_summary


def test_the_run_stops_waiting_for_github_at_the_wait_limit(scenario) -> None:
    # Two secondary-limit retries once took 601 s. Each wait here is 3 s; the run may wait 2 s
    # in all, so it does not wait at all, stops posting and keeps the policy's exit code.
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    limited = {"message": SECONDARY, "documentation_url": DOCS}
    headers = {"Retry-After": "3", "X-RateLimit-Remaining": "4000"}
    s.state.faults.append(Fault("POST", r"/check-runs$", 403, limited, 10, headers))
    started = time.monotonic()
    result = s.run(s.env(wait_limit="2"))
    elapsed = time.monotonic() - started
    assert result.code == 1, result.stdout
    assert elapsed < 3.0, "waited although the wait would pass the run's limit"
    assert s.state.count("POST", r"/check-runs$") == 1
    assert "posting to GitHub failed" in result.stdout
    assert "wait-limit" in result.step_summary
    assert result.outputs["verdict"] == "fail"
    # nothing else was posted after the run stopped waiting
    assert s.state.comments == []


POLICY_PATH = ".github/zoho-manifest-guard.yml"
STRICT = "fail-on-severity: medium\n"


def _with_domain() -> str:
    manifest = example_manifest()
    manifest["whiteListedDomains"].append("https://api.partner.example.com")
    return dump(manifest)


def _new_domain(scenario, clone: str = "shallow", policy: str | None = STRICT):
    """A pull request whose only change, a new domain (medium risk, no finding), blocks under
    the base's policy and not under the defaults."""
    return scenario(dump(example_manifest()), _with_domain(), policy=policy, clone=clone)


@pytest.mark.parametrize(
    ("status", "body", "times"),
    [
        (404, {"message": "No commit found for the ref main", "documentation_url": DOCS}, 1),
        (404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, 1),
        (502, {"message": "Server Error"}, 100),
        (200, b"<html>maintenance</html>", 1),
    ],
)
def test_a_base_policy_that_cannot_be_read_is_exit_2_never_the_defaults(
    scenario, status, body, times
) -> None:
    s = _new_domain(scenario)
    assert s.run(s.env()).code == 1  # the policy blocks the webhook
    content_type = "text/html" if isinstance(body, bytes) else "application/json"
    s.state.faults.append(
        Fault("GET", rf"/contents/{POLICY_PATH}$", status, body, times, content_type=content_type)
    )
    result = s.run(s.env())
    assert result.code == 2, result.stdout
    assert POLICY_PATH in result.step_summary
    assert "input or configuration error" in result.step_summary
    assert "verdict" not in result.outputs


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_a_policy_absent_from_the_base_tree_means_the_defaults(scenario, clone) -> None:
    strict = _new_domain(scenario, clone)
    assert strict.run(strict.env()).code == 1, "the discriminating change must block"
    shutil.rmtree(strict.tmp)
    strict.tmp.mkdir()
    s = _new_domain(scenario, clone, policy=None)
    result = s.run(s.env())
    assert result.code == 0, result.stdout  # the defaults do not block a new domain
    # through the API, the 404 is checked against the base commit's tree
    trees = s.state.count("GET", r"/git/trees/")
    assert trees == (0 if clone == "full" else 1)


@pytest.mark.parametrize("cause", ["count", "moved"])
def test_a_changed_file_list_shorter_than_the_pull_requests_count_is_not_trusted(
    scenario, cause
) -> None:
    # GitHub's list of a pull request's files can come back short of its changed_files
    # count (well below the 3,000 limit); taken at its word it hides the escalation.
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone="files")
    pull = s.state.pulls[PR]
    listed = len(pull.files)
    if cause == "count":
        pull.changed_count = listed
        pull.files = [f for f in pull.files if not f["filename"].endswith("manifest.json")]
    else:
        # the list is of a newer head than the event's: it says nothing of the event's head
        pull.files = [f for f in pull.files if not f["filename"].endswith("manifest.json")]
        pull.head_sha = "1" * 40
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert result.outputs["escalations"] == "1"
    assert "may be incomplete" in result.stdout
    assert s.state.count("GET", rf"/pulls/{PR}$") == 1
    assert s.state.count("GET", "/contents/ext/plugin-manifest.json") == 1
