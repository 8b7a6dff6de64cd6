"""GitHub-flavoured markdown for pull-request comments, check runs and job summaries (pure).

Every string that comes from a manifest is escaped (:mod:`checker.reporters.escape`). Each
manifest gets one row per changed connection, with one scopes column: added scopes marked,
linked to their line and, for escalations, what they mean and how risky they are; removed
ones struck through; unchanged ones counted. Values in tables may wrap (``<wbr>``) so a
table fits a 780-pixel comment without scrolling sideways. Output can be cut to GitHub's
size limits (check-run summary 65,535 characters, pull-request comment 65,536, job summary
1 MiB) with a note saying how much was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.changes import Change, Reason, Risk
from checker.explain import usage
from checker.report import ManifestReport, Report, Verdict
from checker.reporters.escape import (
    MAX_SENTENCE_CHARS,
    MAX_VALUE_CHARS,
    clip,
    code,
    escape_text,
    sentence,
    visible,
    wrappable,
)
from checker.reporters.permalinks import LinkContext
from checker.reporters.tables import (
    FINDINGS_HEAD,
    FINDINGS_SHOWN,
    RISK_ICON,
    connection_rows,
    finding_rows,
    findings_section,
    line_ref,
    more_findings,
)
from checker.wording import plural

__all__ = [
    "MAX_SENTENCE_CHARS",
    "MAX_VALUE_CHARS",
    "TITLE",
    "LinkContext",
    "clip",
    "code",
    "escape_text",
    "render",
    "sentence",
    "visible",
    "wrappable",
]

TITLE = "Zoho Manifest Guard"
_MARKER = re.compile(r"[A-Za-z0-9 _.:/=-]+\Z")

_DECISION_LABEL = {
    Reason.ESCALATION: "⛔ **blocks**",
    Reason.SEVERITY: "⛔ **blocks**",
    Reason.DENY: "⛔ **blocks (deny)**",
    Reason.ALLOWED: "✅ allowed",
    Reason.APPROVED: "✅ approved",
    Reason.WARN_ONLY: "⚠️ would block (warn-only)",
    Reason.REPORTED: "",
}


def _decision(change: Change) -> tuple[str, str]:
    """The decision's label, and its note when it adds to the label (a pattern, a label)."""
    decision = change.decision
    if decision is None or decision.reason is Reason.REPORTED:
        return "", ""
    if decision.reason is Reason.ESCALATION:
        return _DECISION_LABEL[decision.reason], ""
    return _DECISION_LABEL[decision.reason], decision.note


def _change_item(change: Change, path: str | None = None, links: LinkContext | None = None) -> str:
    """One change as a list item; ``path`` names its manifest (in a list of several)."""
    label, note = _decision(change)
    where = line_ref(change, links)
    prefix = "- " if not label else f"- {label} "
    manifest = f"{code(path, limit=400)}: " if path is not None else ""
    parts = [
        f"{prefix}{RISK_ICON[change.risk]} {change.risk.value}: {manifest}"
        f"{sentence(change.detail)}",
    ]
    tail = [t for t in (where, f"`{change.kind.value}`") if t]
    parts.append(f" ({', '.join(tail)})")
    if note:
        parts.append(f" — {sentence(note)}")
    words = usage(change)  # also in the connection table's row: this list is what blocks
    if words:
        parts.append(f" · *{words}*")
    return "".join(parts)


def _section(title: str, body: list[str]) -> list[str]:
    """A title line, a blank line, the body and a blank line; nothing without a body."""
    return [title, "", *body, ""] if body else []


def _manifest_heading(manifest: ManifestReport) -> list[str]:
    """The manifest's title and counts, each followed by a blank line."""
    heading = f"### {code(manifest.path, limit=400)}"
    if manifest.base_path:
        heading += f" (moved from {code(manifest.base_path, limit=400)})"
    counts = manifest.counts
    summary = [
        plural(sum(1 for c in manifest.changes if c.escalation or c.blocks), "escalation"),
        plural(sum(1 for c in manifest.changes if c.blocks), "blocking change"),
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
    ]
    return [heading, "", " · ".join(summary), ""]


def _manifest(manifest: ManifestReport, links: LinkContext | None) -> list[str]:
    lines = _manifest_heading(manifest)
    escalations = [c for c in manifest.changes if c.escalation or c.blocks]
    others = [c for c in manifest.changes if not (c.escalation or c.blocks)]
    risky = [c for c in others if c.risk is not Risk.INFO]
    info = [c for c in others if c.risk is Risk.INFO]
    table = connection_rows(manifest.connections, manifest.changes, links)
    if table:
        lines.extend([*table, ""])
    lines.extend(_section("**Escalations**", [_change_item(c, None, links) for c in escalations]))
    lines.extend(_section("**Other risk changes**", [_change_item(c, None, links) for c in risky]))
    if info:
        summary_line = f"<details><summary>{plural(len(info), 'informational change')}</summary>"
        lines.extend(_section(summary_line, [_change_item(c, None, links) for c in info]))
        lines.extend(["</details>", ""])
    lines.extend(findings_section(manifest.findings, links))
    if not manifest.changes and not manifest.findings:
        lines.extend(["No findings and no changes in grants.", ""])
    return lines


def _heading(report: Report, title: str) -> list[str]:
    icon = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.NONE: "⚪"}[report.verdict]
    verdict = report.verdict.value
    if report.verdict is Verdict.NONE:
        verdict = "nothing to check"
    counts = report.counts
    parts = [
        plural(len(report.manifests), "manifest"),
        plural(report.escalations, "escalation"),
        plural(report.blocking, "blocking change"),
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.notices, "notice"),
    ]
    return [f"## {icon} {escape_text(title)}: {verdict}", "", " · ".join(parts), ""]


def _marker_line(marker: str) -> str:
    if not _MARKER.match(marker) or "--" in marker:
        raise ValueError(
            f"the marker may hold letters, digits, spaces and _ . : / = - (no '--'); got {marker!r}"
        )
    return f"<!-- {marker} -->"


@dataclass(frozen=True, slots=True)
class _Budget:
    """A size limit in characters, UTF-8 bytes, or both."""

    chars: int | None
    bytes: int | None

    def cost(self, text: str) -> tuple[int, int]:
        return len(text), len(text.encode("utf-8"))

    def fits(self, chars: int, size: int) -> bool:
        return (self.chars is None or chars <= self.chars) and (
            self.bytes is None or size <= self.bytes
        )

    def describe(self) -> str:
        parts = []
        if self.chars is not None:
            parts.append(f"{self.chars:,} characters")
        if self.bytes is not None:
            parts.append(f"{self.bytes:,} bytes")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class _Part:
    """Lines that go together in a shortened summary: ``head``, then as many ``items`` as
    fit (all or none when ``noun`` is empty), then ``tail``; a line says how many items were
    left out (after a blank line when the items are table rows)."""

    head: tuple[str, ...]
    items: tuple[str, ...]
    tail: tuple[str, ...] = ("",)
    noun: str = ""
    what: str = ""  # the part itself, when it is left out whole ("connection table")
    table: bool = False


def _severity(change: Change) -> tuple[int, int]:
    """Sort key, most severe first: denied, then blocking, then other escalations; within
    each, the higher risk first."""
    denied = change.decision is not None and change.decision.reason is Reason.DENY
    return (0 if denied else 1 if change.blocks else 2, -change.risk.rank)


def _most_severe(report: Report, links: LinkContext | None) -> list[str]:
    """Every escalation (or blocking change) of the report, most severe first, each with
    its manifest's path; report order among equals."""
    found = [
        (_severity(change), index, order, manifest.path, change)
        for index, manifest in enumerate(report.manifests)
        for order, change in enumerate(manifest.changes)
        if change.escalation or change.blocks
    ]
    found.sort(key=lambda item: item[:3])
    return [_change_item(change, path, links) for *_, path, change in found]


def _manifest_parts(manifest: ManifestReport, links: LinkContext | None) -> list[_Part]:
    """A manifest's details for a shortened summary (its escalations are listed above)."""
    heading = tuple(_manifest_heading(manifest))
    parts = [_Part(heading, (), (), what="manifest section")]
    table = connection_rows(manifest.connections, manifest.changes, links)
    if table:
        parts.append(_Part((), tuple(table), ("",), what="connection table"))
    others = [c for c in manifest.changes if not (c.escalation or c.blocks)]
    risky = [_change_item(c, None, links) for c in others if c.risk is not Risk.INFO]
    info = [_change_item(c, None, links) for c in others if c.risk is Risk.INFO]
    if risky:
        parts.append(_Part(("**Other risk changes**", ""), tuple(risky), ("",), "change"))
    if info:
        summary = f"<details><summary>{plural(len(info), 'informational change')}</summary>"
        parts.append(
            _Part((summary, ""), tuple(info), ("", "</details>", ""), "informational change")
        )
    rows = finding_rows(manifest.findings, links)
    if rows:
        first, rest = rows[:FINDINGS_SHOWN], rows[FINDINGS_SHOWN:]
        head = ("**Findings**", "", *FINDINGS_HEAD)
        parts.append(_Part(head, tuple(first), ("",), "finding", table=True))
        if rest:
            folded = (more_findings(len(rest)), "", *FINDINGS_HEAD)
            parts.append(_Part(folded, tuple(rest), ("", "</details>", ""), "finding", table=True))
    return parts


class _Shortener:
    """Adds parts while they fit the budget (less ``reserve``), counting what it leaves out."""

    def __init__(self, lines: list[str], budget: _Budget, reserve: int) -> None:
        self.lines = lines
        self.budget = budget
        self.reserve = reserve
        self.chars, self.bytes = budget.cost("\n".join(lines) + "\n")
        self.left_out: dict[str, int] = {}

    def _fits(self, lines: list[str]) -> bool:
        chars, size = self.budget.cost("".join(line + "\n" for line in lines))
        return self.budget.fits(self.chars + chars + self.reserve, self.bytes + size + self.reserve)

    def _take(self, lines: list[str]) -> None:
        chars, size = self.budget.cost("".join(line + "\n" for line in lines))
        self.lines.extend(lines)
        self.chars, self.bytes = self.chars + chars, self.bytes + size

    def add(self, part: _Part) -> int | None:
        """Add what fits of the part: how many of its items, or None when none of it fit
        (it is then counted as left out)."""
        whole = [*part.head, *part.items, *part.tail]
        if self._fits(whole):
            self._take(whole)
            return len(part.items)
        if not part.noun or not part.items:
            self.skip(part)
            return None
        # the items' sizes, summed once: a list can hold thousands
        fixed = [*part.head, *self._more(part, len(part.items)), *part.tail]
        chars, size = self.budget.cost("".join(line + "\n" for line in fixed))
        taken = 0
        for item in part.items:
            item_chars, item_bytes = self.budget.cost(item + "\n")
            if not self.budget.fits(
                self.chars + chars + item_chars + self.reserve,
                self.bytes + size + item_bytes + self.reserve,
            ):
                break
            chars, size = chars + item_chars, size + item_bytes
            taken += 1
        if not taken:
            self.skip(part)
            return None
        left = len(part.items) - taken
        self._take([*part.head, *part.items[:taken], *self._more(part, left), *part.tail])
        self.left_out[part.noun] = self.left_out.get(part.noun, 0) + left
        return taken

    def skip(self, part: _Part) -> None:
        """Count a part as left out whole: its items, or the part itself."""
        if part.noun and part.items:
            noun, count = part.noun, len(part.items)
        else:
            noun, count = part.what, 1
        self.left_out[noun] = self.left_out.get(noun, 0) + count

    @staticmethod
    def _more(part: _Part, count: int) -> list[str]:
        if count <= 0:
            return []
        line = f"- … and {count:,} more (in the full report)"
        return ["", line] if part.table else [line]


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _shortened_note(
    budget: _Budget, listed: int, escalations: int, left_out: dict[str, int], full_report: str
) -> str:
    parts = [f"> **Shortened** to fit GitHub's limit of {budget.describe()}"]
    if escalations:
        shown = (
            f"all {_count(escalations, 'escalation')} are"
            if listed == escalations
            else f"the {listed:,} most severe of {escalations:,} escalations are"
        )
        parts.append(f": {shown} listed first, then the details that fit")
    gone = [_count(count, noun) for noun, count in left_out.items() if count]
    text = "".join(parts) + (f"; left out: {', '.join(gone)}" if gone else "") + "."
    where = full_report or "the job summary and the JSON report (report-json)"
    return f"{text} The full report: {where}."


def _shorten(
    report: Report,
    head: list[str],
    budget: _Budget,
    full_report: str,
    links: LinkContext | None = None,
) -> str:
    """The summary within the budget: the most severe escalations first, then as much of
    the rest as fits, each part whole or cut at an item, and a note on what was left out."""
    severe = _most_severe(report, links)
    groups: list[list[_Part]] = []
    if report.notes:  # what blocks and how to lift it: short, and first
        notes = tuple(f"- {sentence(note)}" for note in report.notes)
        groups.append([_Part(("### Notes", ""), notes, ("",), "note")])
    if severe:
        title = ("### Most severe escalations", "")
        groups.append([_Part(title, tuple(severe), ("",), "escalation")])
    groups.extend(_manifest_parts(manifest, links) for manifest in report.manifests)
    reserve = 400 + len(full_report)
    for _ in range(3):
        shortener = _Shortener([], budget, reserve)
        shortener.chars, shortener.bytes = budget.cost("\n".join(head) + "\n\n\n")
        listed = 0
        for group in groups:
            leader, *rest = group
            taken = shortener.add(leader)
            if leader.noun == "escalation":
                listed = taken or 0
            for part in rest:
                if taken is None:
                    shortener.skip(part)  # the details of a manifest whose title is gone
                else:
                    shortener.add(part)
        note = _shortened_note(budget, listed, len(severe), shortener.left_out, full_report)
        text = "\n".join([*head, note, "", *shortener.lines]).rstrip("\n") + "\n"
        if budget.fits(*budget.cost(text)):
            return text
        reserve = budget.cost(note)[1] + 50
    # the head and the note alone are too long (a tiny limit): cut where markdown stays whole
    text = "\n".join([*head, note]) + "\n"
    return clip(text, len(text) if budget.chars is None else budget.chars, budget.bytes)


def render(
    report: Report,
    *,
    max_chars: int | None = None,
    max_bytes: int | None = None,
    marker: str | None = None,
    title: str = TITLE,
    full_report: str = "",
    links: LinkContext | None = None,
) -> str:
    """The report as GitHub-flavoured markdown.

    ``marker`` adds a hidden HTML comment (``<!-- marker -->``) on the first line, which the
    Action uses to find its own comment again; it is never cut off. ``max_chars`` and
    ``max_bytes`` bound the size (characters, or UTF-8 bytes). A report that does not fit
    is shortened: a note at the top says so and where the full report is (``full_report``,
    markdown), the escalations come first, most severe first, then as much of each
    manifest's details as fits, whole parts or cut at a list item or table row, each cut
    saying how many more there are.

    ``links`` says where the files are on GitHub: every line reference becomes a link to
    that line at the pull request's head commit (plain text without it, as locally).
    """
    head: list[str] = []
    if marker is not None:
        head.append(_marker_line(marker))
    head.extend(_heading(report, title))
    body: list[str] = []
    for manifest in report.manifests:
        body.extend(_manifest(manifest, links))
    if not report.manifests:
        body.extend(["No plugin-manifest.json was compared.", ""])
    if report.notes:
        body.extend(["### Notes", ""])
        body.extend(f"- {sentence(note)}" for note in report.notes)
        body.append("")
    budget = _Budget(max_chars, max_bytes)
    full = "\n".join([*head, *body]).rstrip("\n") + "\n"
    if budget.fits(*budget.cost(full)):
        return full
    return _shorten(report, head, budget, full_report, links)
