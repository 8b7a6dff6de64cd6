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
    return [
        replace(change, used_by_code=usage.used(change))
        if change.kind in USAGE_KINDS and change.side is Side.HEAD
        else change
        for change in changes
    ]


class _Usage(CodeNeeds):
    def __init__(self, extension: Extension, analysis: CodeAnalysis, table: Catalogue) -> None:
        super().__init__(extension, analysis, table)
        self.lists = {s.holder: s for s in scope_lists(extension)}

    def used(self, change: Change) -> bool | None:
        if not self.analysis.files:
            return None  # no code to hold the grant against
        holder = self.holder(change)
        if holder is None:
            return None
        calls = self.by_link.get(holder.link, [])
        doubtful = not self.links_known or self.near_miss(holder.link)
        if change.kind not in SCOPE_USAGE_KINDS or not calls:
            if calls:
                return True
            return None if doubtful else False
        return self.scope_used(holder, change.subject, calls, doubtful=doubtful)

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
        self, holder: Declared, raw: str | None, calls: list[CallSite], *, doubtful: bool
    ) -> bool | None:
        if raw is None:
            return None
        listed = self.lists.get(holder.pointer)
        zoho = (
            zoho_grammar(listed.zoho, listed.scopes)
            if listed is not None
            else zoho_grammar(False, [raw])
        )
        scope = parse_zoho_scope(raw) if zoho else None
        if scope is None:
            return None  # which third-party scopes a call needs is not known
        needs, complete = self.connection_needs(calls)
        if any(serves(scope, wanted) for need in needs for wanted in need.scopes):
            return True
        return False if complete and not doubtful else None
