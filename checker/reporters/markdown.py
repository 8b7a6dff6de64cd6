"""GitHub-flavoured markdown for pull-request comments, check runs and job summaries (pure).

Every string that comes from a manifest is escaped: no @mentions (a zero-width joiner follows
each ``@``), no raw HTML (``< > &`` become entities), no links or images (brackets are
escaped), no broken tables (``|`` is escaped and line breaks become spaces), and code spans
pick a backtick fence longer than any run inside the value. Output can be cut to GitHub's
size limits (check-run summary 65,535 characters, pull-request comment 65,536, job summary
1 MiB) with a note saying how much was left out.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checker.changes import Change, ConnectionDiff, Mark, Reason, Risk, ScopeLine, Side
from checker.findings import Finding
from checker.report import ManifestReport, Report, Verdict
from checker.wording import plural

TITLE = "Zoho Manifest Guard"
MAX_VALUE_CHARS = 200
MAX_SENTENCE_CHARS = 1_000

_ZWJ = "\u200d"
# joiners that glue the characters on both sides (emoji sequences, a mention's guard)
_JOINERS = frozenset({_ZWJ, "\u200c", "\u2060"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
# ASCII punctuation that can start markdown syntax; a backslash makes each one literal.
_PUNCTUATION = re.compile(r"([\\`*_\[\]#!|~:])")
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_BACKTICKS = re.compile(r"`+")
_MARKER = re.compile(r"[A-Za-z0-9 _.:/=-]+\Z")

_RISK_ICON = {
    Risk.CRITICAL: "🟥",
    Risk.HIGH: "🟧",
    Risk.MEDIUM: "🟨",
    Risk.LOW: "🟦",
    Risk.INFO: "⬜",
}
_DECISION_LABEL = {
    Reason.ESCALATION: "⛔ **blocks**",
    Reason.SEVERITY: "⛔ **blocks**",
    Reason.DENY: "⛔ **blocks (deny)**",
    Reason.ALLOWED: "✅ allowed",
    Reason.APPROVED: "✅ approved",
    Reason.WARN_ONLY: "⚠️ would block (warn-only)",
    Reason.REPORTED: "",
}


def _joined(char: str) -> bool:
    """Whether a character belongs to the one before it (an accent, a joiner, a variation
    selector): a cut must not fall just before it."""
    return unicodedata.category(char) in ("Mn", "Me", "Mc") or char in _JOINERS


def _clip(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, ending with "…" when cut; never between a
    character and its accent or joiner (nor after a joiner)."""
    if len(text) <= limit:
        return text
    end = max(limit - 1, 0)
    while 0 < end < len(text) and (_joined(text[end]) or text[end - 1] in _JOINERS):
        end -= 1
    return text[:end] + "…"


# What a cut must not split (besides code spans and characters): an escape and the character
# it escapes, an entity, an HTML comment or tag, a link.
_ATOM = re.compile(
    r"""\\.
      | &(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);
      | <!--.*?-->
      | </?[A-Za-z][^<>\n]*>
      | \[[^\[\]\n]*\]\([^()\s]*\)""",
    re.VERBOSE | re.DOTALL,
)


def _cut_points(line: str, end: int) -> int:
    """The last place at or before ``end`` where ``line`` may be cut without splitting a code
    span (a backtick run up to the next run of the same length), an escape, an entity, a
    tag, a link, or a character from its accent or joiner."""
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(line):
        runs.setdefault(len(match.group()), []).append(match.start())
    best = 0
    position = 0
    while position < end:
        char = line[position]
        if char == "`":
            length = len(_BACKTICKS.match(line, position).group())  # type: ignore[union-attr]
            starts = runs[length]
            after = bisect.bisect_right(starts, position)
            stop = starts[after] + length if after < len(starts) else position + length
        elif atom := _ATOM.match(line, position):
            stop = atom.end()
        else:
            stop = position + 1
        while stop < len(line) and (_joined(line[stop]) or line[stop - 1] in _JOINERS):
            stop += 1
        if stop > end:
            break
        best = position = stop
    return best


def clip(text: str, max_chars: int, max_bytes: int | None = None, note: str = "") -> str:
    """Markdown ``text`` cut to fit both limits (characters and UTF-8 bytes), ending with
    ``note`` when cut (a "…" without one).

    The cut falls at the end of a line when that keeps at least half of the room, else
    inside the line where :func:`_cut_points` allows: never inside a code span, an escape,
    an entity, a tag or link, or a character sequence, so what is kept renders as it did.
    """
    max_bytes = max_chars * 4 if max_bytes is None else max_bytes
    if len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes:
        return text
    tail = note or "…"
    room_chars = max_chars - len(tail)
    room_bytes = max_bytes - len(tail.encode("utf-8"))
    if room_chars < 0 or room_bytes < 0:
        return tail[: max(max_chars, 0)] if len(tail[:max_chars].encode()) <= max_bytes else ""
    end = min(room_chars, len(text))
    encoded = text[:end].encode("utf-8")
    if len(encoded) > room_bytes:
        end = len(encoded[:room_bytes].decode("utf-8", errors="ignore"))
    line_start = text.rfind("\n", 0, end) + 1
    if line_start and line_start >= end // 2:
        return text[:line_start] + tail
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return text[: line_start + _cut_points(line, end - line_start)] + tail


def visible(text: str) -> str:
    """An identifier with control and non-ASCII characters escaped (``\\u0435``), so a
    lookalike letter or a hidden line break shows, as it does in report sentences."""
    escaped = json.dumps(text, ensure_ascii=True)[1:-1]
    return escaped.replace('\\"', '"').replace("\\\\", "\\")


def escape_text(text: str) -> str:
    """Plain text from a manifest, safe anywhere in markdown, table cells included."""
    text = _CONTROL.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@" + _ZWJ)


def code(value: str, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value as an inline code span, safe in table cells (``|`` escaped, one line)."""
    text = _clip(_CONTROL.sub(" ", value), limit)
    if not text:
        return "*(empty)*"
    if not text.strip(" "):
        return "*(spaces)*"
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    if text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    # GitHub splits table cells on | before it finds code spans, so escape it even here.
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


def sentence(text: str, *, limit: int = MAX_SENTENCE_CHARS) -> str:
    """A report sentence: its JSON-quoted values become code spans, the rest is escaped.

    A sentence longer than ``limit`` characters is cut after it is split into text and
    values, so a cut inside a value shortens that value's code span ("…" inside it) and never
    leaves half a quoted value behind as plain text.
    """
    segments: list[tuple[bool, str]] = []
    position = 0
    for match in _JSON_STRING.finditer(text):
        segments.append((False, text[position : match.start()]))
        segments.append((True, match.group(1)))
        position = match.end()
    segments.append((False, text[position:]))
    parts: list[str] = []
    room = limit
    for is_value, whole in segments:
        # a value counts with its two quotes, as it stood in the sentence
        size = len(whole) + (2 if is_value else 0)
        cut = size > room
        if cut and is_value and room >= 3:
            segment = _clip(whole, room - 2)
        elif cut and not is_value and room >= 1:
            segment = _clip(whole, room)
        elif cut:
            parts.append("…")
            break
        else:
            segment = whole
        room -= size
        if is_value:
            if parts and parts[-1].endswith("`"):
                parts.append(" ")  # two spans in a row must not merge their fences
            parts.append(code(segment))
        elif segment:
            parts.append(escape_text(segment))
        if cut:
            break
    return "".join(parts)


def _line(change: Change) -> str:
    span = change.location.span
    if span is None:
        return ""
    side = " of the base" if change.side is Side.BASE else ""
    return f"line {span.line}{side}"


def _decision(change: Change) -> tuple[str, str]:
    """The decision's label, and its note when it adds to the label (a pattern, a label)."""
    decision = change.decision
    if decision is None or decision.reason is Reason.REPORTED:
        return "", ""
    if decision.reason is Reason.ESCALATION:
        return _DECISION_LABEL[decision.reason], ""
    return _DECISION_LABEL[decision.reason], decision.note


def _change_item(change: Change, path: str | None = None) -> str:
    """One change as a list item; ``path`` names its manifest (in a list of several)."""
    label, note = _decision(change)
    where = _line(change)
    prefix = "- " if not label else f"- {label} "
    manifest = f"{code(path, limit=400)}: " if path is not None else ""
    parts = [
        f"{prefix}{_RISK_ICON[change.risk]} {change.risk.value}: {manifest}"
        f"{sentence(change.detail)}",
    ]
    tail = [t for t in (where, f"`{change.kind.value}`") if t]
    parts.append(f" ({', '.join(tail)})")
    if note:
        parts.append(f" — {sentence(note)}")
    return "".join(parts)


def _scopes_cell(lines: Sequence[ScopeLine], *, exists: bool) -> str:
    if not exists:
        return "—"
    cells = []
    for line in lines:
        shown = code(visible(line.scope))
        if line.mark is Mark.ADDED:
            cells.append(f"**+** {shown}")
        elif line.mark is Mark.REMOVED:
            cells.append(f"**-** ~~{shown}~~")
        else:
            cells.append(shown)
    return "<br>".join(cells) if cells else "*(none)*"


def _service_cell(row: ConnectionDiff) -> str:
    before, after = row.service_before, row.service_after
    if before is not None and after is not None and before != after:
        return f"~~{code(visible(before))}~~ → {code(visible(after))}"
    value = after if after is not None else before
    return code(visible(value)) if value is not None else "—"


def _connection_rows(rows: Sequence[ConnectionDiff]) -> list[str]:
    changed = [row for row in rows if row.changed]
    if not changed:
        return []
    lines = [
        "| Connection | Declared in | Service | Scopes before | Scopes after |",
        "|---|---|---|---|---|",
    ]
    for row in changed:
        name = code(visible(row.name))
        if not row.in_base:
            name += " *(new)*"
        elif not row.in_head:
            name += " *(removed)*"
        lines.append(
            f"| {name} | {escape_text(row.declared_in)} | {_service_cell(row)} | "
            f"{_scopes_cell(row.before, exists=row.in_base)} | "
            f"{_scopes_cell(row.after, exists=row.in_head)} |"
        )
    unchanged = len(rows) - len(changed)
    if unchanged:
        lines.append("")
        lines.append(f"{plural(unchanged, 'other connection')} unchanged.")
    return lines


def _finding_rows(findings: Iterable[Finding]) -> list[str]:
    lines = ["| Severity | Line | Rule | Message |", "|---|---|---|---|"]
    for finding in findings:
        span = finding.location.span
        where = f"{span.line}:{span.column}" if span is not None else ""
        lines.append(
            f"| {finding.severity.value} | {where} | `{finding.rule}` | "
            f"{sentence(finding.message)} |"
        )
    return lines


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


def _manifest(manifest: ManifestReport) -> list[str]:
    lines = _manifest_heading(manifest)
    escalations = [c for c in manifest.changes if c.escalation or c.blocks]
    others = [c for c in manifest.changes if not (c.escalation or c.blocks)]
    risky = [c for c in others if c.risk is not Risk.INFO]
    info = [c for c in others if c.risk is Risk.INFO]
    table = _connection_rows(manifest.connections)
    if table:
        lines.extend([*table, ""])
    lines.extend(_section("**Escalations**", [_change_item(c) for c in escalations]))
    lines.extend(_section("**Other risk changes**", [_change_item(c) for c in risky]))
    if info:
        summary_line = f"<details><summary>{plural(len(info), 'informational change')}</summary>"
        lines.extend(_section(summary_line, [_change_item(c) for c in info]))
        lines.extend(["</details>", ""])
    if manifest.findings:
        lines.extend(_section("**Findings**", _finding_rows(manifest.findings)))
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


def _most_severe(report: Report) -> list[str]:
    """Every escalation (or blocking change) of the report, most severe first, each with
    its manifest's path; report order among equals."""
    found = [
        (_severity(change), index, order, manifest.path, change)
        for index, manifest in enumerate(report.manifests)
        for order, change in enumerate(manifest.changes)
        if change.escalation or change.blocks
    ]
    found.sort(key=lambda item: item[:3])
    return [_change_item(change, path) for *_, path, change in found]


def _manifest_parts(manifest: ManifestReport) -> list[_Part]:
    """A manifest's details for a shortened summary (its escalations are listed above)."""
    heading = tuple(_manifest_heading(manifest))
    parts = [_Part(heading, (), (), what="manifest section")]
    table = _connection_rows(manifest.connections)
    if table:
        parts.append(_Part((), tuple(table), ("",), what="connection table"))
    others = [c for c in manifest.changes if not (c.escalation or c.blocks)]
    risky = [_change_item(c) for c in others if c.risk is not Risk.INFO]
    info = [_change_item(c) for c in others if c.risk is Risk.INFO]
    if risky:
        parts.append(_Part(("**Other risk changes**", ""), tuple(risky), ("",), "change"))
    if info:
        summary = f"<details><summary>{plural(len(info), 'informational change')}</summary>"
        parts.append(
            _Part((summary, ""), tuple(info), ("", "</details>", ""), "informational change")
        )
    if manifest.findings:
        rows = _finding_rows(manifest.findings)
        parts.append(
            _Part(("**Findings**", "", *rows[:2]), tuple(rows[2:]), ("",), "finding", table=True)
        )
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


def _shorten(report: Report, head: list[str], budget: _Budget, full_report: str) -> str:
    """The summary within the budget: the most severe escalations first, then as much of
    the rest as fits, each part whole or cut at an item, and a note on what was left out."""
    severe = _most_severe(report)
    groups: list[list[_Part]] = []
    if report.notes:  # what blocks and how to lift it: short, and first
        notes = tuple(f"- {sentence(note)}" for note in report.notes)
        groups.append([_Part(("### Notes", ""), notes, ("",), "note")])
    if severe:
        title = ("### Most severe escalations", "")
        groups.append([_Part(title, tuple(severe), ("",), "escalation")])
    groups.extend(_manifest_parts(manifest) for manifest in report.manifests)
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
) -> str:
    """The report as GitHub-flavoured markdown.

    ``marker`` adds a hidden HTML comment (``<!-- marker -->``) on the first line, which the
    Action uses to find its own comment again; it is never cut off. ``max_chars`` and
    ``max_bytes`` bound the size (characters, or UTF-8 bytes). A report that does not fit
    is shortened: a note at the top says so and where the full report is (``full_report``,
    markdown), the escalations come first, most severe first, then as much of each
    manifest's details as fits, whole parts or cut at a list item or table row, each cut
    saying how many more there are.
    """
    head: list[str] = []
    if marker is not None:
        head.append(_marker_line(marker))
    head.extend(_heading(report, title))
    body: list[str] = []
    for manifest in report.manifests:
        body.extend(_manifest(manifest))
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
    return _shorten(report, head, budget, full_report)
