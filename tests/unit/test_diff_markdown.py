"""The markdown renderer: hostile manifest values stay inert, tables stay whole, sizes hold."""

from __future__ import annotations

import json
import re

import pytest
from test_diff import connector, manifest, zoho

from checker.changes import (
    Change,
    ChangeKind,
    ConnectionDiff,
    Decision,
    Mark,
    Reason,
    Risk,
    ScopeLine,
)
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.findings import Finding, Location, Severity, Span
from checker.policy import DEFAULT_POLICY
from checker.report import FailOn, ManifestReport, Report, build_report
from checker.reporters.markdown import clip, code, escape_text, render, sentence

HOSTILE = "@octocat <img src=x onerror=alert(1)> | [click](https://evil.example) `x` **b** #1\nrow"
OWN_TAGS = re.compile(r"</?(?:details|summary|br|wbr)>|<!-- [^>]* -->")
# wrappable code in tables: GitHub makes no mentions or links inside it either
HTML_CODE = re.compile(r"<code>.*?</code>")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
BACKTICKS = re.compile(r"(?<!`)`+(?!`)")


def _outside_code(text: str) -> str:
    """The text with every code span removed (GitHub makes no mentions or HTML inside one)."""
    text = HTML_CODE.sub("", text)
    kept: list[str] = []
    position = 0
    while True:
        opening = BACKTICKS.search(text, position)
        if opening is None:
            break
        fence = opening.group()
        closing = next(
            (m for m in BACKTICKS.finditer(text, opening.end()) if m.group() == fence), None
        )
        if closing is None:
            break
        kept.append(text[position : opening.start()])
        position = closing.end()
    kept.append(text[position:])
    return "".join(kept)


def _report(base: object, head: object) -> Report:
    def source(value: object) -> ExtensionInput:
        return ExtensionInput("ext/plugin-manifest.json", json.dumps(value, indent=2).encode())

    pair = ManifestPair("ext/plugin-manifest.json", source(base), source(head))
    return analyse([pair], DEFAULT_POLICY, fail_on=FailOn.ERROR)


def _hostile_report() -> Report:
    base = manifest(zohoAuthorisation=zoho("Desk.tickets.READ"))
    head = manifest(
        zohoAuthorisation=zoho("Desk.tickets.READ", HOSTILE),
        connectors=[connector(HOSTILE, HOSTILE, HOSTILE, "a`b``c")],
        whiteListedDomains=["https://api.example.com", f"https://x.example/{HOSTILE}"],
    )
    return _report(base, head)


def test_hostile_values_cannot_mention_inject_html_links_or_break_tables():
    text = render(_hostile_report(), marker="zoho-manifest-guard")
    plain = _outside_code(text)
    assert "@octocat" not in plain
    assert "``@octocat <img src=x onerror=alert(1)> \\| [click]" in text  # inert in code
    without_own_tags = OWN_TAGS.sub("", plain)
    assert "<" not in without_own_tags
    assert ">" not in without_own_tags.replace("&gt;", "")
    assert not re.search(r"(?<!\\)\]\(", plain), "a markdown link survived"
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("| Connection"):
            columns = len(UNESCAPED_PIPE.findall(line))
            row = number + 2
            while row < len(lines) and lines[row].startswith("|"):
                assert len(UNESCAPED_PIPE.findall(lines[row])) == columns, lines[row]
                row += 1
    # the newline inside the value did not start a new markdown line
    assert not any(line.startswith("row") for line in lines)


def test_the_hostile_report_still_says_what_changed():
    text = render(_hostile_report())
    assert "## ❌ Zoho Manifest Guard: fail" in text
    assert "**Escalations**" in text
    assert "| Connection | Scopes |" in text
    assert "Desk.<wbr>tickets.<wbr>READ" not in text  # kept scopes are only counted
    assert "<br>*+1 unchanged*" in text
    assert "**+** <code>@\u200d<wbr>octocat &lt;img" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Desk.tickets.READ", "`Desk.tickets.READ`"),
        ("a`b", "``a`b``"),
        ("`x", "`` `x ``"),
        ("a``b`", "``` a``b` ```"),
        ("x|y", "`x\\|y`"),
        ("line\nbreak", "`line break`"),
        ("", "*(empty)*"),
        ("  ", "*(spaces)*"),
    ],
)
def test_code_spans(value, expected):
    assert code(value) == expected


def test_escape_text():
    assert escape_text("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert escape_text("[a](b) *c* _d_ |e| `f` ~g~ #1 :x:") == (
        "\\[a\\](b) \\*c\\* \\_d\\_ \\|e\\| \\`f\\` \\~g\\~ \\#1 \\:x\\:"
    )
    assert escape_text("@team") == "@\u200dteam"
    assert escape_text("a\r\nb\u2028c") == "a  b c"


def test_sentence_turns_quoted_values_into_code():
    detail = 'scope "Desk.settings.ALL" is new on connection "zoho_desk"'
    assert sentence(detail) == "scope `Desk.settings.ALL` is new on connection `zoho_desk`"
    assert sentence('value "a\\"b" here') == 'value `a\\"b` here'


def test_marker_comes_first_and_is_checked():
    text = render(_hostile_report(), marker="zoho-manifest-guard:summary")
    assert text.splitlines()[0] == "<!-- zoho-manifest-guard:summary -->"
    for bad in ("x --> <script>", "a--b", "x\ny"):
        with pytest.raises(ValueError, match="marker"):
            render(_hostile_report(), marker=bad)


@pytest.mark.parametrize("limit", [600, 1_500, 3_000])
def test_max_chars_truncates_cleanly_with_a_note(limit):
    report = _hostile_report()
    full = render(report, marker="m")
    assert len(full) > limit
    cut = render(report, marker="m", max_chars=limit, full_report="[the run](https://x.example)")
    assert len(cut) <= limit
    assert cut.startswith("<!-- m -->\n")
    assert "**Shortened**" in cut
    assert f"limit of {limit:,} characters" in cut
    assert "The full report: [the run](https://x.example)." in cut
    assert re.search(r"left out: [\d,]+ \w", cut)
    assert cut.count("<details>") == cut.count("</details>")


def test_max_bytes_counts_utf8():
    report = _hostile_report()
    full = render(report)
    limit = len(full) - 10  # characters fit, bytes do not (the report holds emoji)
    assert len(full.encode()) > limit >= len(full) - 10
    cut = render(report, max_bytes=limit)
    assert len(cut.encode()) <= limit
    assert "**Shortened**" in cut


def test_a_report_that_fits_is_not_truncated():
    report = _hostile_report()
    full = render(report)
    assert render(report, max_chars=len(full) + 5) == full


def test_tiny_limits_still_give_something_within_the_limit():
    report = _hostile_report()
    for limit in (0, 1, 40, 120):
        assert len(render(report, max_chars=limit)) <= limit


def test_empty_report():
    text = render(build_report([], FailOn.ERROR))
    assert "## ⚪ Zoho Manifest Guard: nothing to check" in text
    assert "pass" not in text
    assert "No plugin-manifest.json was compared." in text


def test_findings_get_a_table_with_escaped_messages():
    finding = Finding(
        "some-rule",
        Severity.ERROR,
        f'value "{HOSTILE}" is wrong | <b>really</b>',
        Location("m.json", "/x", span=Span(3, 5, 3, 9)),
    )
    report = build_report([ManifestReport("m.json", "DESK", (finding,))], FailOn.ERROR)
    text = render(report)
    lines = text.splitlines()
    header = lines.index("| Severity | Line | Rule | Message |")
    row = lines[header + 2]
    # a table cell's values may wrap, so they are <code> with <wbr>, not code spans
    assert row.startswith("| error | 3:5 | `some-rule` | value <code>@\u200d<wbr>octocat &lt;")
    assert len(UNESCAPED_PIPE.findall(row)) == 5
    assert "&lt;b&gt;really&lt;/b&gt;" in row


# --- clipping never breaks markdown (issue 9, item 19) -------------------------------------------


def _spans_balanced(line: str) -> bool:
    """Whether every backtick run outside a code span is escaped (GitHub's pairing rule:
    a run opens a span that the next run of the same length closes)."""
    position = 0
    while True:
        opening = re.compile(r"`+").search(line, position)
        if opening is None:
            return True
        backslashes = len(line[: opening.start()]) - len(line[: opening.start()].rstrip("\\"))
        if backslashes % 2:
            position = opening.start() + 1
            continue
        fence = opening.group()
        closing = re.compile(rf"(?<!`){fence}(?!`)").search(line, opening.end())
        if closing is None:
            return False
        position = closing.end()


def test_a_clipped_sentence_keeps_a_cut_value_inside_its_code_span():
    value = "Desk.settings." + "x" * 80
    text = sentence(f'scope "{value}" is new on connection "zoho_desk"', limit=40)
    assert len(text.replace("\\", "")) < 80
    assert '"' not in text, text  # no half-quoted value shown as plain text
    assert text.startswith("scope `Desk.settings.")
    assert text.endswith("…`")
    assert _spans_balanced(text)


def test_adjacent_values_stay_separate_code_spans():
    text = sentence('"a`b""c" and "d"')
    assert _spans_balanced(text)
    assert text == "``a`b`` `c` and `d`"


@pytest.mark.parametrize("seed", range(40))
def test_a_clipped_sentence_is_always_balanced_markdown(seed):
    import random

    rng = random.Random(seed)
    pieces = ['"', "`", "\\", "|", "@", "&", "<", "[", "](", "😀", "e\u0301", "a", " ", "x"]
    raw = "".join(rng.choice(pieces) for _ in range(rng.randint(5, 60)))
    for limit in range(2, len(raw) + 2, 3):
        text = sentence(raw, limit=limit)
        assert _spans_balanced(text), (raw, limit, text)
        assert not text.endswith("\\") or text.endswith("\\\\"), (raw, limit, text)


def test_clip_cuts_between_lines_when_it_can():
    text = "".join(f"- line {i} with `code {i}`\n" for i in range(100))
    cut = clip(text, 500, note="\n(cut)\n")
    assert len(cut) <= 500
    body = cut.removesuffix("\n(cut)\n")
    assert body.endswith("`\n")
    assert all(line.startswith("- line") for line in body.splitlines())


@pytest.mark.parametrize("limit", range(30, 400, 7))
def test_clip_never_splits_a_code_span_escape_entity_mention_or_character(limit):
    one_line = " ".join(
        [code("a` b|c"), escape_text("x_y*z [w] <t> & @team"), code("😀é"), "&amp;", "e\u0301"] * 10
    )
    cut = clip(one_line, limit, limit + 20, note=" …")
    assert len(cut) <= limit
    assert len(cut.encode()) <= limit + 20
    body = cut.removesuffix(" …")
    assert _spans_balanced(body), body
    assert not re.search(r"(?<!\\)(\\\\)*\\$", body), "an escape was cut in half"
    assert not re.search(r"&[a-z#0-9]*$", body), "an entity was cut in half"
    assert not body.endswith("@"), "a mention lost its joiner"
    assert one_line[len(body) : len(body) + 1] != "\u0301", "a combining accent was cut off"
    assert one_line.startswith(body)


def test_clip_leaves_text_that_fits_alone():
    assert clip("`a`", 3) == "`a`"
    assert clip("abc", 0) == ""


def test_the_comment_and_the_check_run_are_cut_without_breaking_a_code_span():
    from checker.action.render import MAX_COMMENT_CHARS, comment_body
    from checker.reporters.annotations import MAX_OUTPUT_CHARS, CheckOutput

    one_line = " ".join(code(f"Desk.scope{i}.READ") + " \\_x" for i in range(9000))
    body = comment_body(one_line)
    assert len(body) <= MAX_COMMENT_CHARS
    assert _spans_balanced(body.splitlines()[1])
    summary = CheckOutput.build("t", one_line).summary
    assert len(summary) <= MAX_OUTPUT_CHARS
    assert _spans_balanced(summary.splitlines()[0])


# --- many changes under a size limit (issue 9, item 7) -------------------------------------------


def _escalation(index: int, risk: Risk, reason: Reason = Reason.ESCALATION) -> Change:
    return Change(
        ChangeKind.SCOPE_ADDED,
        "zoho_desk",
        f'scope "Desk.s{index}.READ" is new on connection "zoho_desk"',
        True,
        risk,
        Location("ext/plugin-manifest.json", f"/s/{index}", span=Span(index + 2, 7, index + 2, 30)),
        subject=f"Desk.s{index}.READ",
        decision=Decision(True, reason, "blocks"),
    )


def _many(count: int) -> Report:
    """``count`` medium escalations, then a critical one and a denied one at the end, and a
    connection table whose one row holds every scope."""
    changes = [_escalation(i, Risk.MEDIUM) for i in range(count)]
    changes += [_escalation(count, Risk.CRITICAL), _escalation(count + 1, Risk.LOW, Reason.DENY)]
    before = (ScopeLine("Desk.tickets.READ", Mark.KEPT),)
    after = before + tuple(ScopeLine(f"Desk.s{i}.READ", Mark.ADDED) for i in range(count + 2))
    row = ConnectionDiff(
        "zoho_desk", "zohoAuthorisation", "zlabs", "zlabs", before, after, True, True
    )
    manifest = ManifestReport(
        "ext/plugin-manifest.json", "DESK", (), tuple(changes), connections=(row,)
    )
    notes = (f"{count + 2} escalations block the merge",)
    return build_report(
        [manifest], FailOn.ERROR, escalations=count + 2, blocking=count + 2, notes=notes
    )


@pytest.mark.parametrize(
    ("limit", "kind"), [(65_536, "chars"), (65_535, "chars"), (200_000, "bytes")]
)
def test_many_escalations_keep_the_most_severe_and_say_how_many_more(limit, kind):
    report = _many(3000)
    where = "the job summary of [this run](https://github.example/a/b/actions/runs/1)"
    if kind == "chars":
        text = render(report, max_chars=limit, marker="m", full_report=where)
        assert len(text) <= limit
    else:
        text = render(report, max_bytes=limit, full_report=where)
        assert len(text.encode()) <= limit
    lines = text.splitlines()
    first = lines.index("### Most severe escalations") + 2
    # the denied one first, then the critical one, then the rest in report order
    assert "**blocks (deny)**" in lines[first]
    assert "Desk.s3001.READ" in lines[first]
    assert "🟥 critical" in lines[first + 1]
    assert "`ext/plugin-manifest.json`: scope `Desk.s0.READ`" in lines[first + 2]
    listed = sum(1 for line in lines if line.startswith("- ⛔"))
    assert 100 < listed < 3002
    assert f"- … and {3002 - listed:,} more (in the full report)" in lines
    assert f"the {listed:,} most severe of 3,002 escalations are listed first" in text
    assert f"The full report: {where}." in text
    assert "- 3002 escalations block the merge" in lines  # the notes are kept
    # no table without rows: the one huge row did not fit, so the table is left out whole
    assert "| Connection | Scopes |" not in text
    assert "1 connection table" in text
    assert _spans_balanced(text)


def test_the_job_summarys_mebibyte_keeps_every_escalation():
    report = _many(3000)
    text = render(report, max_bytes=1024 * 1024)
    assert sum(1 for line in text.splitlines() if line.startswith("- ⛔")) == 3002
