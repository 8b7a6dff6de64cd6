"""The summary's tables and line references: connections with their scopes, findings (pure).

One row per changed connection with a single scopes column (added scopes marked, linked to
their line and, for escalations, with what they mean and their tier; removed ones struck
through; unchanged ones counted), and the findings, the first ten in a table and the rest
folded away. Values in cells may wrap (:func:`checker.reporters.escape.wrappable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from checker.changes import Change, ChangeKind, ConnectionDiff, Mark, Risk, Side
from checker.explain import SCOPE_KINDS, usage
from checker.findings import Finding
from checker.reporters.escape import escape_text, sentence, visible, wrappable
from checker.reporters.permalinks import LinkContext
from checker.wording import plural

RISK_ICON = {
    Risk.CRITICAL: "🟥",
    Risk.HIGH: "🟧",
    Risk.MEDIUM: "🟨",
    Risk.LOW: "🟦",
    Risk.INFO: "⬜",
}


def link(text: str, url: str | None) -> str:
    """``text`` as a link to ``url``, or plain when there is no address."""
    return f"[{text}]({url})" if url else text


def line_ref(change: Change, links: LinkContext | None) -> str:
    """ "line 12" (of the base, for a removal), linked to that line when links are given."""
    span = change.location.span
    if span is None:
        return ""
    side = " of the base" if change.side is Side.BASE else ""
    url = links.url(change.location, change.side) if links else None
    return link(f"line {span.line}{side}", url)


# --- the connection table: one row per changed connection, one scopes column -----------------

_CONNECTION_KINDS = frozenset(
    {
        ChangeKind.CONNECTION_ADDED,
        ChangeKind.CONNECTION_REMOVED,
        ChangeKind.SERVICE_CHANGED,
        ChangeKind.USER_ACCESS_SHARED,
        ChangeKind.USER_DEFINED_SERVICE_ENABLED,
    }
)
_SCOPE_NOTE = {
    ChangeKind.SCOPE_BROADENED: "broadened",
    ChangeKind.SCOPE_ADDED_COVERED: "already covered",
    ChangeKind.SCOPE_NARROWED: "narrowed",
}


def escalates(change: Change) -> bool:
    return change.escalation or change.blocks


def _meaning(change: Change) -> str:
    """The tier and meaning of an escalated scope, its docs linked, and whether the code
    needs it: the line under the scope in the connection table."""
    if change.meaning is not None and change.tier is not None:
        docs = f" ({link('docs', _safe_url(change.docs))})" if change.docs else ""
        text = (
            f"{RISK_ICON[change.tier]} **{change.tier.value}**: {escape_text(change.meaning)}{docs}"
        )
    else:
        text = f"{RISK_ICON[change.risk]} **{change.risk.value}**: not in the scope catalogue"
    words = usage(change)
    return f"{text} · *{words}*" if words else text


def _safe_url(url: str | None) -> str | None:
    """A catalogue URL fit for a markdown link destination (no spaces, brackets or quotes),
    or None."""
    if url is None or not re.fullmatch(r"https://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+", url):
        return None
    return url.replace("'", "%27").replace("*", "%2A")


def _scope_entries(
    row: ConnectionDiff, changes: dict[tuple[str, Side], Change], links: LinkContext | None
) -> list[str]:
    """The scopes of one connection: added ones first (marked, linked to their line, with
    what each escalation means), then removed ones struck through, then a count of the
    unchanged ones."""
    entries: list[str] = []
    added = [line for line in row.after if line.mark is Mark.ADDED]
    removed = [line for line in row.before if line.mark is Mark.REMOVED]
    kept = sum(1 for line in row.after if line.mark is Mark.KEPT)
    if not row.in_head:
        kept = 0
        removed = list(row.before)
    for line in added:
        change = changes.get((line.scope, Side.HEAD))
        shown = f"**+** {wrappable(visible(line.scope))}"
        if change is None:
            entries.append(shown)
            continue
        about = [part for part in (line_ref(change, links), _SCOPE_NOTE.get(change.kind)) if part]
        entry = f"{shown} ({', '.join(about)})" if about else shown
        if escalates(change):
            entry += f"<br>{_meaning(change)}"
        entries.append(entry)
    for line in removed:
        change = changes.get((line.scope, Side.BASE))
        shown = f"**-** ~~{wrappable(visible(line.scope))}~~"
        where = line_ref(change, links) if change is not None else ""
        entries.append(f"{shown} ({where})" if where else shown)
    if kept:
        entries.append(f"*{'+' if entries else ''}{kept:,} unchanged*")
    return entries


def _connection_cell(
    row: ConnectionDiff, changes: Sequence[Change], links: LinkContext | None
) -> str:
    """The connection's name (new or removed, linked to its line), where it is declared and
    its service, and whether the code uses it."""
    name = wrappable(visible(row.name))
    own = [c for c in changes if c.kind in _CONNECTION_KINDS]
    status = ""
    if not row.in_base:
        status = "new"
    elif not row.in_head:
        status = "removed"
    where = next((line_ref(c, links) for c in own if c.kind.value.startswith("connection-")), "")
    about = ", ".join(part for part in (status, where) if part)
    parts = [f"{name} *({about})*" if about else name]
    before, after = row.service_before, row.service_after
    if before is not None and after is not None and before != after:
        service = f"~~{wrappable(visible(before))}~~ → {wrappable(visible(after))}"
    else:
        value = after if after is not None else before
        service = wrappable(visible(value)) if value is not None else "—"
    parts.append(f"{escape_text(row.declared_in)} · {service}")
    used = next((usage(c) for c in own if usage(c) is not None and escalates(c)), None)
    if used:
        parts.append(f"*{used}*")
    return "<br>".join(parts)


def connection_rows(
    rows: Sequence[ConnectionDiff], changes: Sequence[Change] = (), links: LinkContext | None = None
) -> list[str]:
    """The changed connections as a two-column table; a line counts the unchanged ones."""
    changed = [row for row in rows if row.changed]
    if not changed:
        return []
    lines = ["| Connection | Scopes |", "|---|---|"]
    for row in changed:
        own = [c for c in changes if c.connection == row.name]
        by_scope = {
            (c.subject, c.side): c for c in own if c.kind in SCOPE_KINDS and c.subject is not None
        }
        entries = _scope_entries(row, by_scope, links) or ["*(no scopes)*"]
        lines.append(f"| {_connection_cell(row, own, links)} | {'<br>'.join(entries)} |")
    unchanged = len(rows) - len(changed)
    if unchanged:
        lines.append("")
        lines.append(f"{plural(unchanged, 'other connection')} unchanged.")
    return lines


# --- findings: a table of the first ten, the rest folded away -------------------------------

FINDINGS_SHOWN = 10
FINDINGS_HEAD = ("| Severity | Line | Rule | Message |", "|---|---|---|---|")


def finding_rows(findings: Iterable[Finding], links: LinkContext | None = None) -> list[str]:
    """One table row per finding (no header), its line linked."""
    rows = []
    for finding in findings:
        span = finding.location.span
        where = f"{span.line}:{span.column}" if span is not None else ""
        url = links.url(finding.location) if links and where else None
        rows.append(
            f"| {finding.severity.value} | {link(where, url)} | `{finding.rule}` | "
            f"{sentence(finding.message, wrap=True)} |"
        )
    return rows


def more_findings(count: int) -> str:
    return f"<details><summary>{plural(count, 'more finding')}</summary>"


def findings_section(findings: Sequence[Finding], links: LinkContext | None) -> list[str]:
    """The findings section: the first ten in a table, the rest in a collapsed one."""
    rows = finding_rows(findings, links)
    if not rows:
        return []
    lines = ["**Findings**", "", *FINDINGS_HEAD, *rows[:FINDINGS_SHOWN], ""]
    rest = rows[FINDINGS_SHOWN:]
    if rest:
        lines.extend([more_findings(len(rest)), "", *FINDINGS_HEAD, *rest, "", "</details>", ""])
    return lines
