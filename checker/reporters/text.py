"""Compiler-style text: ``path:line:col: severity: message [rule-id]`` and one summary line."""

from __future__ import annotations

from collections.abc import Iterator

from checker.changes import Change, ConnectionDiff, Reason, ScopeLine
from checker.explain import explanation
from checker.findings import Counts, Finding, Location, Severity
from checker.report import ManifestReport, Report, Verdict
from checker.reporters.markdown import visible
from checker.wording import plural, printable

_COLORS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.NOTICE: "\x1b[36m",
}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def _clean(text: str) -> str:
    """Control characters from manifest values never reach the terminal raw."""
    return printable(text)


def _place(location: Location) -> str:
    """``file:line:col``, or the file alone when the position is unknown."""
    span = location.span
    place = _clean(location.file)
    return place if span is None else f"{place}:{span.line}:{span.column}"


def format_finding(finding: Finding, *, color: bool = False) -> str:
    """One finding as a single line."""
    place = _place(finding.location)
    severity = finding.severity.value
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        place = f"{_BOLD}{place}{_RESET}"
    return f"{place}: {severity}: {_clean(finding.message)} [{finding.rule}]"


def summary_line(report: Report) -> str:
    """``2 errors, 1 warning, 0 notices in 3 manifests: fail``."""
    counts: Counts = report.counts
    parts = [
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.notices, "notice"),
    ]
    text = f"{', '.join(parts)} in {plural(len(report.manifests), 'manifest')}"
    if report.escalations:
        text += f", {plural(report.escalations, 'escalation')}"
    if report.blocking:
        text += f" ({report.blocking} blocking)"
    if report.verdict is Verdict.NONE:
        return f"{text}: none (nothing to check)"
    return f"{text}: {report.verdict.value}"


def render(report: Report, *, color: bool = False) -> str:
    """The whole report as text."""
    return "".join(render_chunks(report, color=color))


# Lines per piece of :func:`render_chunks`: large enough that writing costs nothing, small
# enough that a report of 10,000 extensions never exists whole in memory as text.
CHUNK_LINES = 2000


def render_chunks(report: Report, *, color: bool = False) -> Iterator[str]:
    """The report as text, in pieces of whole lines that join to :func:`render`'s text.

    The command line writes them one by one: a report with tens of thousands of findings is
    then never held as one string (and once more as its encoded bytes) besides the report.
    """
    lines: list[str] = []
    for line in _lines(report, color=color):
        lines.append(line)
        if len(lines) >= CHUNK_LINES:
            yield "\n".join(lines) + "\n"
            lines.clear()
    if lines:
        yield "\n".join(lines) + "\n"


def _lines(report: Report, *, color: bool) -> Iterator[str]:
    yield from (format_finding(f, color=color) for f in report.findings)
    for manifest in report.manifests:
        yield from format_changes(manifest, color=color)
    yield from (_clean(note) for note in report.notes)
    summary = summary_line(report)
    if color:
        tint = "\x1b[31m" if report.verdict is Verdict.FAIL else "\x1b[32m"
        summary = f"{tint}{summary}{_RESET}"
    yield summary


# --- diff: the connection table and one line per change ---------------------------------------

_DECISIONS = {
    Reason.ESCALATION: "BLOCKS",
    Reason.SEVERITY: "BLOCKS",
    Reason.DENY: "BLOCKS (deny)",
    Reason.ALLOWED: "allowed",
    Reason.APPROVED: "approved",
    Reason.WARN_ONLY: "would block (warn-only)",
    Reason.REPORTED: "",
}


def format_change(change: Change, *, color: bool = False) -> str:
    """One change as a single line: place, decision, severity, sentence, kind."""
    place = _place(change.location)
    label = _DECISIONS[change.decision.reason] if change.decision else ""
    if color and change.blocks:
        label = f"{_COLORS[Severity.ERROR]}{label}{_RESET}"
    head = f"{label} {change.risk.value}" if label else change.risk.value
    line = f"{place}: {head}: {_clean(change.detail)} [{change.kind.value}]"
    decision = change.decision
    if decision is not None and decision.reason not in (Reason.REPORTED, Reason.ESCALATION):
        line += f" ({_clean(decision.note)})"
    return line


def _scope_cells(lines: tuple[ScopeLine, ...], *, exists: bool) -> list[str]:
    if not exists:
        return ["(none)"]
    return [f"{line.mark.value} {visible(line.scope)}" for line in lines] or ["(no scopes)"]


def format_connections(rows: tuple[ConnectionDiff, ...]) -> list[str]:
    """The changed connections as an aligned table: service, scopes before and after."""
    table = [("connection", "declared in", "service", "scopes before", "scopes after")]
    for row in rows:
        if not row.changed:
            continue
        before = _scope_cells(row.before, exists=row.in_base)
        after = _scope_cells(row.after, exists=row.in_head)
        services = (row.service_before, row.service_after)
        if services[0] != services[1] and None not in services:
            service = f"{visible(services[0] or '')} -> {visible(services[1] or '')}"
        else:
            service = visible(services[1] or services[0] or "-")
        name = visible(row.name) + (
            " (new)" if not row.in_base else " (removed)" if not row.in_head else ""
        )
        for number in range(max(len(before), len(after))):
            first = number == 0
            table.append(
                (
                    _clean(name) if first else "",
                    _clean(row.declared_in) if first else "",
                    _clean(service) if first else "",
                    before[number] if number < len(before) else "",
                    after[number] if number < len(after) else "",
                )
            )
    if len(table) == 1:
        return []
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    return [
        "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:4])) + "  " + r[4]
        for r in table
    ]


def format_changes(manifest: ManifestReport, *, color: bool = False) -> list[str]:
    """A manifest's connection table and changes, escalations first; nothing without changes."""
    if not manifest.changes:
        return []
    escalations = sum(1 for c in manifest.changes if c.escalation)
    blocking = sum(1 for c in manifest.changes if c.blocks)
    title = f"{_clean(manifest.path)}: {plural(len(manifest.changes), 'change')}"
    if escalations:
        title += f", {plural(escalations, 'escalation')}"
    if blocking:
        title += f", {blocking} blocking"
    lines = [f"{_BOLD}{title}{_RESET}" if color else title]
    lines.extend(format_connections(manifest.connections))
    ordered = sorted(manifest.changes, key=lambda c: (not c.blocks, not c.escalation, -c.risk.rank))
    for change in ordered:
        lines.append("  " + format_change(change, color=color))
        if change.escalation or change.blocks:
            lines.extend("      " + _clean(line) for line in explanation(change))
    return lines
