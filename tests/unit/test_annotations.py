"""Check-run annotations: batches of 50, the API's size limits, columns on one-line spans."""

from __future__ import annotations

import pytest
from githubkit_schemas.v2026_03_10 import models

from checker.findings import Finding, Location, Severity, Span
from checker.report import FailOn, ManifestReport, build_report
from checker.reporters.annotations import (
    MAX_OUTPUT_CHARS,
    CheckOutput,
    Conclusion,
    annotation,
    batches,
    conclusion,
    to_annotations,
    truncate,
)


def _finding(n: int, message: str = "m", span: Span | None = None) -> Finding:
    span = span or Span(n, 1, n, 4)
    return Finding(
        "rule-id", Severity.ERROR, message, Location("x/plugin-manifest.json", span=span)
    )


@pytest.mark.parametrize(
    ("count", "sizes"), [(0, []), (1, [1]), (50, [50]), (51, [50, 1]), (120, [50, 50, 20])]
)
def test_batches_of_at_most_fifty(count: int, sizes: list[int]) -> None:
    items = to_annotations([_finding(n) for n in range(1, count + 1)])
    assert [len(b) for b in batches(items)] == sizes


def test_payloads_are_valid_request_bodies() -> None:
    items = to_annotations([_finding(n) for n in range(1, 61)], root="sub")
    output = CheckOutput.build("t", "s")
    for batch in batches(items):
        body = {
            "name": "n",
            "head_sha": "a" * 40,
            "status": "completed",
            "conclusion": "failure",
            "output": output.payload(batch),
        }
        models.ReposOwnerRepoCheckRunsPostBodyOneof0.model_validate(body)
    assert items[0].path == "sub/x/plugin-manifest.json"


def test_message_title_and_columns_limits() -> None:
    long = annotation(_finding(1, "é" * 70_000, Span(2, 3, 5, 1)))
    assert len(long.message.encode("utf-8")) <= 64 * 1024
    assert long.message.endswith("(message cut at 64 KB)")
    assert long.start_column is None
    assert long.end_column is None
    assert (long.start_line, long.end_line) == (2, 5)
    one = annotation(_finding(1, span=Span(7, 3, 7, 9)))
    assert (one.start_column, one.end_column) == (3, 9)
    assert len(annotation(Finding("r" * 300, Severity.WARNING, "m", Location("a"))).title) <= 255


def test_output_text_is_cut_by_characters_and_bytes_with_a_note() -> None:
    output = CheckOutput.build("t" * 300, "€" * 70_000)
    assert len(output.title) <= 255
    assert len(output.summary) <= MAX_OUTPUT_CHARS
    assert len(output.summary.encode("utf-8")) <= MAX_OUTPUT_CHARS
    assert "65,535" in output.summary


def test_truncate_leaves_short_text_alone() -> None:
    assert truncate("abc", 3) == "abc"
    assert truncate("abcd", 3) == "ab…"


@pytest.mark.parametrize(
    ("fail_on", "findings", "job_failed", "expected"),
    [
        (FailOn.ERROR, 0, False, Conclusion.SUCCESS),
        (FailOn.ERROR, 1, False, Conclusion.FAILURE),
        (FailOn.NEVER, 1, False, Conclusion.NEUTRAL),
        # exit code 2 (an unreadable manifest) with fail-on: never: red like the job
        (FailOn.NEVER, 1, True, Conclusion.FAILURE),
    ],
)
def test_the_conclusion_follows_the_gate_and_the_job(
    fail_on: FailOn, findings: int, job_failed: bool, expected: Conclusion
) -> None:
    items = tuple(_finding(n) for n in range(1, findings + 1))
    report = build_report([ManifestReport("x/plugin-manifest.json", None, items)], fail_on)
    assert conclusion(report, job_failed=job_failed) is expected
