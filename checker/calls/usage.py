"""Whether the head's code needs each scope or connection a change grants (``used_by_code``).

Fail closed: False is said only when every call that could go through the connection was
analysed and none needs the grant; whatever the reader could not follow makes it None.

- A connection (``connection-added``, ``zoho-authorisation-added``, ``service-changed``,
  ``user-access-shared``, ``user-defined-service-enabled``) is used when a call names its
  link name. It is unused (False) only when the analysis is complete (no blind file
  skipped), every proxied call's link name is known, and no call names a link name that
  differs from it only in letter case or surrounding spaces (a near miss the audit reports
  as ``connection-undeclared``; it may well mean this connection).
- A scope (``scope-added``, ``scope-broadened``) is used when it serves (Zoho's ``covers``
  lattice) a requirement of an analysed call of its connection. It is unused when, on top
  of the above, every call of the connection was analysed and the API table knows what each
  needs. A scope of a connection no call names is unused too. A scope outside Zoho's
  grammar (a third-party service's) on a connection some call uses is not known.
- A connection without a link name, or a scope outside any connection (``deskOauth``,
  ``TPAOauth``), is not known; so is everything when no code file was read at all.

Each None that comes of reading the code carries ``usage_note``: why, in words a reviewer can
act on ("the connections of 2 calls are not known"). With the code not read at all
(``--no-code``) there is neither an answer nor a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from checker.calls.model import CallSite, CodeAnalysis
from checker.calls.needs import CodeNeeds, Declared, serves, zoho_grammar
from checker.catalog.api_paths import Catalogue, catalogue
from checker.changes import SCOPE_USAGE_KINDS, USAGE_KINDS, Change, Side
from checker.extension import Extension
from checker.rules.connections import scope_lists
from checker.scopes import parse_zoho_scope
from checker.wording import plural


def with_usage(
    changes: Iterable[Change],
    extension: Extension | None,
    analysis: CodeAnalysis | None,
    table: Catalogue | None = None,
) -> list[Change]:
    """The changes, each scope or connection escalation with its ``used_by_code``.

    Without a parsed head or an analysis of its code every change keeps None.
    """
    changes = list(changes)
    if extension is None or analysis is None:
        return changes
    usage = _Usage(extension, analysis, table or catalogue())
    out = []
    for change in changes:
        if change.kind in USAGE_KINDS and change.side is Side.HEAD:
            used, note = usage.used(change)
            out.append(replace(change, used_by_code=used, usage_note=note or None))
        else:
            out.append(change)
    return out


Answer = tuple[bool | None, str]


class _Usage(CodeNeeds):
    def __init__(self, extension: Extension, analysis: CodeAnalysis, table: Catalogue) -> None:
        super().__init__(extension, analysis, table)
        self.lists = {s.holder: s for s in scope_lists(extension)}

    def used(self, change: Change) -> Answer:
        if not self.analysis.files:
            return None, "the extension has no code file to read"
        holder = self.holder(change)
        if holder is None:
            whose = "its" if change.kind in SCOPE_USAGE_KINDS else "the"
            return None, f"{whose} connection has no link name for the code to name"
        calls = self.by_link.get(holder.link, [])
        doubt = self.doubt(holder.link)
        if change.kind not in SCOPE_USAGE_KINDS or not calls:
            if calls:
                return True, ""
            return (None, doubt) if doubt else (False, "")
        return self.scope_used(holder, change.subject, calls, doubt)

    def doubt(self, link: str) -> str:
        """Why a call the reader did not follow may use the connection; empty when none can."""
        blind = sum(1 for s in self.analysis.skipped if s.blind)
        if blind:
            return f"{plural(blind, 'code file')} could not be analysed"
        unresolved = sum(1 for c in self.proxied if c.links is None)
        if unresolved == 1:
            return "the connection of 1 call is not known"
        if unresolved:
            return f"the connections of {unresolved} calls are not known"
        if self.near_miss(link):
            return "a call names this link name in other letter case"
        return ""

    def holder(self, change: Change) -> Declared | None:
        """The head's declaration the change is in (by pointer), when it has a link name."""
        pointer = change.location.pointer
        for declared in self.declared:
            if pointer == declared.pointer or pointer.startswith(declared.pointer + "/"):
                if declared.link.strip() and declared.link.strip() == change.connection:
                    return declared
                return None
        return None

    def scope_used(
        self, holder: Declared, raw: str | None, calls: list[CallSite], doubt: str
    ) -> Answer:
        if raw is None:
            return None, "the change names no scope"
        listed = self.lists.get(holder.pointer)
        zoho = (
            zoho_grammar(listed.zoho, listed.scopes)
            if listed is not None
            else zoho_grammar(False, [raw])
        )
        scope = parse_zoho_scope(raw) if zoho else None
        if scope is None:
            return None, "calls to services outside Zoho are not mapped to their scopes"
        needs, complete = self.connection_needs(calls)
        if any(serves(scope, wanted) for need in needs for wanted in need.scopes):
            return True, ""
        if doubt:
            return None, doubt
        if not complete:
            return None, self.unknown_needs(calls)
        return False, ""

    def unknown_needs(self, calls: list[CallSite]) -> str:
        """Why what the connection's calls need is not all known: some call was not analysed,
        or asks for an API the table does not know. (Counts only: no text of the code, which
        the reporters would have to escape, goes into the note.)"""
        blind = sum(1 for c in calls if c.reasons or not c.urls)
        if blind:
            verb = "was" if blind == 1 else "were"
            return f"{plural(blind, 'call')} of the connection {verb} not analysed"
        unknown = sum(1 for c in calls if any(self.needs(c, url)[0] is None for url in c.urls))
        return (
            f"the API table does not know the scopes of {plural(unknown, 'call')} of the connection"
        )
