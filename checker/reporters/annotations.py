"""Check-run payloads: findings as annotations in batches of 50, and size-limited output text."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from checker.changes import Change, Risk
from checker.explain import explanation
from checker.findings import Finding, Severity
from checker.report import Report, Verdict
from checker.reporters.markdown import clip

# Limits of the check-runs API ("Create a check run", output object): at most 50 annotations
# per request, title <= 255 characters, message and raw_details <= 64 KB, summary and text
# <= 65535 characters. GitHub counts some of these in bytes, so both are respected.
MAX_ANNOTATIONS_PER_REQUEST = 50
MAX_TITLE_CHARS = 255
MAX_MESSAGE_BYTES = 64 * 1024
MAX_OUTPUT_CHARS = 65_535
ELLIPSIS = "…"


class Conclusion(enum.Enum):
    """Check-run conclusions this tool uses."""

    SUCCESS = "success"
    FAILURE = "failure"
    NEUTRAL = "neutral"


class Level(enum.Enum):
    """``annotation_level`` values of the check-runs API."""

    FAILURE = "failure"
    WARNING = "warning"
    NOTICE = "notice"


_LEVEL = {
    Severity.ERROR: Level.FAILURE,
    Severity.WARNING: Level.WARNING,
    Severity.NOTICE: Level.NOTICE,
}


def truncate(text: str, max_chars: int, max_bytes: int | None = None, note: str = "") -> str:
    """``text`` cut to fit both limits (characters and UTF-8 bytes), ending with ``note``.

    Cuts fall on whole characters; the note is added only when something was cut.
    """
    max_bytes = max_chars * 4 if max_bytes is None else max_bytes
    if len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes:
        return text
    tail = note or ELLIPSIS
    room_chars = max_chars - len(tail)
    room_bytes = max_bytes - len(tail.encode("utf-8"))
    if room_chars < 0 or room_bytes < 0:
        return tail[:max_chars]
    head = text[:room_chars]
    encoded = head.encode("utf-8")
    if len(encoded) > room_bytes:
        head = encoded[:room_bytes].decode("utf-8", errors="ignore")
    return head + tail


@dataclass(frozen=True, slots=True)
class Annotation:
    """One check-run annotation, already within the API's limits."""

    path: str
    start_line: int
    end_line: int
    level: Level
    message: str
    title: str
    start_column: int | None = None
    end_column: int | None = None

    def payload(self) -> dict[str, Any]:
        """The JSON object the API expects."""
        body: dict[str, Any] = {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "annotation_level": self.level.value,
            "message": self.message,
            "title": self.title,
        }
        if self.start_column is not None and self.end_column is not None:
            body["start_column"] = self.start_column
            body["end_column"] = self.end_column
        return body


def repo_path(path: str, root: str = "") -> str:
    """A display path made relative to the repository root (``root`` is the working folder)."""
    root = root.strip("/")
    if not root or root == ".":
        return path
    return f"{root}/{path}"


def annotation(finding: Finding, root: str = "") -> Annotation:
    """A finding as an annotation on its exact lines (line 1 when it has no position).

    ``root`` is the folder, relative to the repository, that display paths are relative to.
    """
    span = finding.location.span
    start = span.line if span else 1
    end = span.end_line if span else start
    columns = span is not None and span.line == span.end_line and span.end_column >= span.column
    message = truncate(
        finding.message,
        MAX_MESSAGE_BYTES,
        MAX_MESSAGE_BYTES,
        note=" … (message cut at 64 KB)",
    )
    title = truncate(f"{finding.rule}: {finding.severity.value}", MAX_TITLE_CHARS)
    return Annotation(
        path=repo_path(finding.location.file, root),
        start_line=max(1, start),
        end_line=max(1, end, start),
        level=_LEVEL[finding.severity],
        message=message,
        title=title,
        start_column=span.column if span and columns else None,
        end_column=span.end_column if span and columns else None,
    )


def to_annotations(findings: Iterable[Finding], root: str = "") -> tuple[Annotation, ...]:
    """Every finding as an annotation, in report order."""
    return tuple(annotation(f, root) for f in findings)


def batches(
    items: tuple[Annotation, ...], size: int = MAX_ANNOTATIONS_PER_REQUEST
) -> Iterator[tuple[Annotation, ...]]:
    """Consecutive batches of at most ``size`` annotations (none for an empty tuple)."""
    if not 1 <= size <= MAX_ANNOTATIONS_PER_REQUEST:
        raise ValueError(f"batch size must be between 1 and {MAX_ANNOTATIONS_PER_REQUEST}")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def change_finding(change: Change) -> Finding | None:
    """A change worth an annotation, as a finding on its line; None for minor ones.

    A change the policy blocks is an error; an escalation it lets through (approved, allowed,
    warn-only) a warning; another change of medium risk or more a notice. The message says
    what the scope means and whether the code needs it, when that is known.
    """
    if change.blocks:
        severity = Severity.ERROR
    elif change.escalation:
        severity = Severity.WARNING
    elif change.risk.at_least(Risk.MEDIUM):
        severity = Severity.NOTICE
    else:
        return None
    message = change.detail
    if change.decision is not None:
        message = f"{message} ({change.decision.note})"
    message += "".join(f"\n{line}" for line in explanation(change))
    return Finding(change.kind.value, severity, message, change.location)


def annotated(report: Report) -> tuple[Finding, ...]:
    """Everything that gets an annotation: findings, then notable changes, per manifest."""
    return tuple(finding for finding, _ in annotated_sources(report))


def annotated_sources(report: Report) -> Iterator[tuple[Finding, Change | None]]:
    """:func:`annotated`, each with the change it was made from (None for a finding)."""
    for manifest in report.manifests:
        for finding in manifest.findings:
            yield finding, None
        for change in manifest.changes:
            made = change_finding(change)
            if made is not None:
                yield made, change


def conclusion(report: Report, *, job_failed: bool = False) -> Conclusion:
    """failure when the gate fails; neutral when it passes with findings or checked
    nothing; else success.

    ``job_failed`` is true when the job exits non-zero for another reason than the verdict
    (an unreadable manifest is exit code 2 even with ``fail-on: never``): the check run then
    says failure too, so it never shows green or grey beside a red job.
    """
    if report.verdict is Verdict.FAIL or job_failed:
        return Conclusion.FAILURE
    if report.findings or report.escalations or report.verdict is Verdict.NONE:
        return Conclusion.NEUTRAL
    return Conclusion.SUCCESS


@dataclass(frozen=True, slots=True)
class CheckOutput:
    """The ``output`` object of a check run, within the API's size limits."""

    title: str
    summary: str
    text: str = ""

    @classmethod
    def build(cls, title: str, summary: str, text: str = "") -> CheckOutput:
        """Cut each part to its limit, saying so when something was cut (the summary and
        text are markdown: cut where markdown is not broken)."""
        note = "\n\n… (cut to fit GitHub's 65,535-character limit; the job summary has it all)\n"
        return cls(
            truncate(title, MAX_TITLE_CHARS),
            clip(summary, MAX_OUTPUT_CHARS, MAX_OUTPUT_CHARS, note),
            clip(text, MAX_OUTPUT_CHARS, MAX_OUTPUT_CHARS, note),
        )

    def payload(self, batch: tuple[Annotation, ...] = ()) -> dict[str, Any]:
        """The JSON object, with one batch of annotations."""
        body: dict[str, Any] = {"title": self.title, "summary": self.summary}
        if self.text:
            body["text"] = self.text
        if batch:
            body["annotations"] = [a.payload() for a in batch]
        return body
