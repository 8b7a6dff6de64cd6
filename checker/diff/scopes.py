"""Scope changes of one grant (a connection, deskOauth or a TPAOauth client) and its row of the
connection table.

Scopes of Zoho OAuth grants compare with the ``covers`` relation of :mod:`checker.scopes`
(a new scope another one already covers grants nothing; one that covers an old one broadens
it); third-party scopes compare exactly. Imports the shared modules of this package (sides,
declared, collect, risk) and the pure core; the aspect modules import this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.changes import ChangeKind, ConnectionDiff, Mark, Risk, ScopeLine, Side
from checker.diff.collect import Comparison
from checker.diff.risk import alternative, broadening, lower, scope_risk, third_party_risk
from checker.diff.sides import quote
from checker.grants import GrantScope
from checker.scopes import ascii_lower, normalise, parse_zoho_scope, zoho_covers

K = ChangeKind
# The scope changes located on the base side (the scope is gone from head).
_BASE_SIDE = frozenset({K.SCOPE_REMOVED, K.SCOPE_NARROWED})


def compare_scopes(
    diff: Comparison,
    name: str,
    key: str,
    base: list[GrantScope],
    head: list[GrantScope],
    *,
    zoho: bool,
    service: str | None,
) -> None:
    """The scope changes of grant ``name`` (identity ``key``) between two scope lists."""
    scopes = _ScopeChanges(diff, name, key, base, head, zoho=zoho, service=service)
    for scope in head:
        scopes.added(scope)
    for scope in base:
        scopes.removed(scope)


@dataclass(slots=True)
class _ScopeChanges:
    """The two scope lists of one grant, compared scope by scope."""

    diff: Comparison
    name: str
    key: str
    base: list[GrantScope]
    head: list[GrantScope]
    zoho: bool
    service: str | None
    base_raw: set[str] = field(init=False)
    head_raw: set[str] = field(init=False)
    base_norm: dict[str, str] = field(init=False)
    head_norm: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.base_raw = {s.raw for s in self.base}
        self.head_raw = {s.raw for s in self.head}
        self.base_norm = {normalise(s.raw): s.raw for s in self.base}
        self.head_norm = {normalise(s.raw): s.raw for s in self.head}

    @property
    def where(self) -> str:
        return f"on connection {quote(self.name)}"

    def note(
        self,
        kind: ChangeKind,
        detail: str,
        risk: Risk,
        scope: GrantScope,
        *,
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        """A change about one scope, located at that scope on its own side."""
        self.diff.add(
            kind,
            detail,
            risk,
            Side.BASE if kind in _BASE_SIDE else Side.HEAD,
            scope.pointer,
            connection=self.name,
            subject=scope.raw,
            service=self.service,
            before=before,
            after=after,
        )

    def added(self, scope: GrantScope) -> None:
        """A head scope: nothing when base has it, else re-cased, covered, broadening or new."""
        raw = scope.raw
        if raw in self.base_raw:
            return
        if not self.zoho:
            risk, note = third_party_risk(raw), ""
        elif normalise(raw) in self.base_norm:
            self.note(
                K.SCOPE_RECASED,
                f"scope {quote(raw)} {self.where} differs from "
                f"{quote(self.base_norm[normalise(raw)])} only in letter case or surrounding "
                "spaces; Zoho treats them alike, so nothing new is granted",
                Risk.LOW,
                scope,
                before=self.base_norm[normalise(raw)],
                after=raw,
            )
            return
        elif holders := [b.raw for b in self.base if zoho_covers(b.raw, raw)]:
            if any(normalise(h) in self.head_norm for h in holders):
                self.note(
                    K.SCOPE_ADDED_COVERED,
                    f"scope {quote(raw)} is new {self.where} but grants nothing new: "
                    f"{quote(holders[0])} already covers it",
                    Risk.INFO,
                    scope,
                    after=raw,
                )
            # else the base scope was narrowed to this one: reported on the base side
            return
        elif widened := [b.raw for b in self.base if zoho_covers(raw, b.raw)]:
            parsed = parse_zoho_scope(raw)
            full = parsed is not None and parsed.is_full_access
            shown = ", ".join(quote(w) for w in widened[:3])
            more = f" and {len(widened) - 3} more" if len(widened) > 3 else ""
            self.note(
                K.SCOPE_BROADENED,
                f"scope {quote(raw)} {self.where} broadens {shown}{more} "
                f"({broadening(widened[0], raw)})",
                Risk.CRITICAL if full else Risk.HIGH,
                scope,
                before=", ".join(widened),
                after=raw,
            )
            return
        else:
            risk, note = zoho_risk(self.diff, raw, self.key)
        self.note(
            K.SCOPE_ADDED, f"scope {quote(raw)} is new {self.where}{note}", risk, scope, after=raw
        )

    def removed(self, scope: GrantScope) -> None:
        """A base scope: nothing when head has it, else still covered, broadened, narrowed or
        removed."""
        raw = scope.raw
        if raw in self.head_raw or (self.zoho and normalise(raw) in self.head_norm):
            return
        removed = f"scope {quote(raw)} was removed from connection {quote(self.name)}"
        if self.zoho:
            holders = [h.raw for h in self.head if zoho_covers(h.raw, raw)]
            kept = [h for h in holders if normalise(h) in self.base_norm]
            if kept:
                detail = f"{removed}; {quote(kept[0])} still covers it"
                self.note(K.SCOPE_REMOVED, detail, Risk.INFO, scope, before=raw)
                return
            if holders:
                return  # a broadening of this scope is reported on the head side
            narrower = [h.raw for h in self.head if zoho_covers(raw, h.raw)]
            if narrower:
                shown = ", ".join(quote(n) for n in narrower[:3])
                self.note(
                    K.SCOPE_NARROWED,
                    f"scope {quote(raw)} {self.where} is narrowed to {shown}",
                    Risk.INFO,
                    scope,
                    before=raw,
                    after=", ".join(narrower),
                )
                return
        self.note(K.SCOPE_REMOVED, removed, Risk.INFO, scope, before=raw)


def zoho_risk(diff: Comparison, raw: str, key: str) -> tuple[Risk, str]:
    """Severity of a new, uncovered Zoho scope (reference table (d), rows 1-3), with a note."""
    scope = parse_zoho_scope(raw)
    if scope is None:
        return Risk.MEDIUM, " (it does not follow Service.resource.OPERATION)"
    if scope.is_full_access:
        return Risk.CRITICAL, f" (full access to every {scope.service} resource)"
    risk = scope_risk(scope)
    if diff.base.doc is not None and ascii_lower(scope.service) not in diff.base_families:
        return Risk.HIGH, f" (the first {scope.service} scope in this manifest)"
    instead = alternative(scope)
    if instead is not None:
        holders = [
            s.raw
            for connection in diff.base_connections.values()
            if connection.key == key
            for s in connection.scopes
            if zoho_covers(s.raw, instead)
        ]
        if holders:
            return Risk.LOW, f" (Desk already accepts {quote(holders[0])} for the same endpoints)"
    for connection in diff.base_connections.values():
        if connection.key == key or not connection.zoho:
            continue
        if any(zoho_covers(s.raw, raw) for s in connection.scopes):
            return lower(risk), f" (already granted to connection {quote(connection.name)})"
    return risk, ""


def row(
    name: str,
    declared_in: str,
    base: list[GrantScope],
    head: list[GrantScope],
    *,
    services: tuple[str | None, str | None] = (None, None),
    zoho: bool,
    in_base: bool = True,
    in_head: bool = True,
) -> ConnectionDiff:
    """A grant's row of the connection table: each scope marked kept, added or removed."""

    def key(raw: str) -> str:
        return normalise(raw) if zoho else raw

    base_keys = {key(s.raw) for s in base}
    head_keys = {key(s.raw) for s in head}
    before = tuple(
        ScopeLine(s.raw, Mark.KEPT if key(s.raw) in head_keys else Mark.REMOVED) for s in base
    )
    after = tuple(
        ScopeLine(s.raw, Mark.KEPT if key(s.raw) in base_keys else Mark.ADDED) for s in head
    )
    return ConnectionDiff(
        name, declared_in, services[0], services[1], before, after, in_base, in_head
    )
