"""Loading JSON with positions: every defect is a finding with a line and column."""

from __future__ import annotations

import pytest

from checker.findings import Severity
from checker.source import Limits, parse


def _only(data: bytes, **limits: int) -> tuple[str, str, int, int]:
    parsed = parse("m.json", data, Limits(**limits) if limits else None)
    assert len(parsed.findings) == 1, parsed.findings
    finding = parsed.findings[0]
    span = finding.location.span
    assert span is not None
    return finding.rule, finding.message, span.line, span.column


@pytest.mark.parametrize(
    ("data", "rule", "fragment", "line", "column"),
    [
        (b'{"a": 1,}', "json-syntax", "trailing comma", 1, 8),
        (b'{"a": [1,\n 2,\n]}', "json-syntax", "trailing comma", 2, 3),
        (b'{\n  // note\n  "a": 1}', "json-syntax", "comments", 2, 3),
        (b'{"a": /* x */ 1}', "json-syntax", "comments", 1, 7),
        (b"{'a': 1}", "json-syntax", "double quotes", 1, 2),
        (b'{"a": NaN}', "json-syntax", "NaN", 1, 7),
        (b'{"a": -Infinity}', "json-syntax", "NaN", 1, 7),
        (b'{"a": 1e400}', "json-syntax", "too large", 1, 7),
        (b'{"a": 1', "json-syntax", "ends early", 1, 8),
        (b"", "json-syntax", "empty", 1, 1),
        (b'{"a": 1} x', "json-syntax", "Extra data", 1, 10),
        (b"[1, 2]", "json-root-type", "an array", 1, 1),
        (b'"text"', "json-root-type", "a string", 1, 1),
        (b"null", "json-root-type", "null", 1, 1),
        (b'{"a": "\xff"}', "json-encoding", "UTF-8", 1, 8),
        (b'{"a":\n "\x00"}', "json-encoding", "NUL", 2, 3),
        (b"\xff\xfe{\x00}\x00", "json-encoding", "UTF-16", 1, 1),
    ],
)
def test_defects_are_findings_with_positions(data, rule, fragment, line, column):
    got_rule, message, got_line, got_column = _only(data)
    assert (got_rule, got_line, got_column) == (rule, line, column)
    assert fragment in message


def test_bom_is_a_warning_and_the_document_still_loads():
    parsed = parse("m.json", b'\xef\xbb\xbf{"a": 1}')
    assert parsed.document is not None
    assert parsed.document.value == {"a": 1}
    assert [(f.rule, f.severity) for f in parsed.findings] == [
        ("json-byte-order-mark", Severity.WARNING)
    ]


def test_duplicate_keys_report_both_places_and_keep_every_value():
    data = b'{\n "scope": ["A"],\n "x": {"k": 1, "k": 2},\n "scope": ["B"]\n}'
    parsed = parse("m.json", data)
    assert parsed.document is not None
    dups = [
        (f.location.pointer, f.location.span.line, f.related[0].span.line)
        for f in parsed.findings
        if f.location.span and f.related and f.related[0].span
    ]
    assert sorted(dups) == [("/scope", 4, 2), ("/x/k", 3, 3)]
    assert parsed.document.value["scope"] == ["B"]
    assert parsed.document.values_at("/scope") == (["A"], ["B"])


def test_size_and_depth_limits():
    assert _only(b'{"a": "' + b"x" * 100 + b'"}', max_bytes=50)[0] == "file-too-large"
    deep = b'{"a":' * 10 + b"1" + b"}" * 10
    rule, _, line, column = _only(deep, max_depth=5)
    assert (rule, line, column) == ("json-too-deep", 1, 26)
    assert parse("m.json", deep, Limits(max_depth=10)).findings == ()


def test_pathological_depth_does_not_crash():
    data = b"[" * 100_000 + b"]" * 100_000
    assert _only(data)[0] == "json-too-deep"


def test_spans_of_values_keys_and_missing_members():
    text = '{\n  "modules": {\n    "widgets": [\n      {"name": "W", "url": 5}\n    ]\n  }\n}'
    document = parse("m.json", text.encode()).document
    assert document is not None
    url = document.span("/modules/widgets/0/url")
    assert url is not None
    assert (url.line, url.column, url.end_column) == (4, 28, 29)
    key = document.span("/modules/widgets/0/url", key=True)
    assert key is not None
    assert (key.line, key.column) == (4, 21)
    # a member that does not exist falls back to the object that should hold it
    missing = document.span("/modules/widgets/0/logo")
    assert missing is not None
    assert (missing.line, missing.column) == (4, 7)
    # a missing top-level member inside an existing object points at that object's name
    absent = document.span("/modules/location")
    assert absent is not None
    assert (absent.line, absent.column) == (2, 3)


def test_pointer_tokens_are_escaped():
    document = parse("m.json", b'{"a/b": {"c~d": 1}}').document
    assert document is not None
    assert document.span("/a~1b/c~0d") is not None


def test_columns_count_characters_not_bytes():
    document = parse("m.json", '{"n": "\u00e9\u00e9", "x": 1}'.encode()).document
    assert document is not None
    span = document.span("/x")
    assert span is not None
    assert span.column == 18
