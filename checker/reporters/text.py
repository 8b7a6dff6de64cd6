"""Compiler-style text: ``path:line:col: severity: message [rule-id]`` and one summary line."""

from __future__ import annotations

from checker.findings import Counts, Finding, Severity
from checker.report import Report, Verdict

_COLORS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.NOTICE: "\x1b[36m",
}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def _clean(text: str) -> str:
    """Control characters from manifest values never reach the terminal raw."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def format_finding(finding: Finding, *, color: bool = False) -> str:
    """One finding as a single line."""
    span = finding.location.span
    place = _clean(finding.location.file)
    if span is not None:
        place = f"{place}:{span.line}:{span.column}"
    severity = finding.severity.value
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        place = f"{_BOLD}{place}{_RESET}"
    return f"{place}: {severity}: {_clean(finding.message)} [{finding.rule}]"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    """``2 errors, 1 warning, 0 notices in 3 manifests: fail``."""
    counts: Counts = report.counts
    parts = [
        _plural(counts.errors, "error"),
        _plural(counts.warnings, "warning"),
        _plural(counts.notices, "notice"),
    ]
    text = f"{', '.join(parts)} in {_plural(len(report.manifests), 'manifest')}"
    if report.escalations:
        text += f", {_plural(report.escalations, 'escalation')}"
    return f"{text}: {report.verdict.value}"


def render(report: Report, *, color: bool = False) -> str:
    """The whole report as text."""
    lines = [format_finding(f, color=color) for f in report.findings]
    lines.extend(_clean(note) for note in report.notes)
    summary = summary_line(report)
    if color:
        tint = "\x1b[32m" if report.verdict is Verdict.PASS else "\x1b[31m"
        summary = f"{tint}{summary}{_RESET}"
    lines.append(summary)
    return "\n".join(lines) + "\n"
