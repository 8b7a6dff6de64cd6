"""Scope changes of one grant (a connection, deskOauth or a TPAOauth client) and its row of the
connection table.

Every scope of a Zoho OAuth grant, and any scope that names a Zoho service on any other grant
(``Desk.tickets.ALL`` on a ``zoho_desk`` connector), compares as Zoho compares scopes: without
regard to ASCII case, and with the ``covers`` relation of :mod:`checker.scopes` (a new scope
another one already covers grants nothing; one that covers an old one broadens it). Other
third-party scopes compare exactly. A new or broadened scope's severity is its tier in the
scope catalogue on this grant's service (:func:`checker.catalog.risk.scope_tier`; a
third-party entry counts only on its provider's connections), adjusted by table (d) of the
reference. Imports the shared modules of this package (sides, declared, collect, risk) and the
pure core; the aspect modules import this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.catalog.risk import comparison_form, follows_zoho_grammar, scope_tier, unknown_family
from checker.changes import ChangeKind, ConnectionDiff, Mark, Risk, ScopeLine, Side
from checker.diff.collect import Comparison
from checker.diff.risk import alternative, at_least_high, broadening, lower
from checker.diff.sides import quote
from checker.grants import GrantScope
from checker.scopes import ZohoScope, ascii_lower, normalise, parse_zoho_scope, zoho_covers

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
    """The scope changes of grant ``name`` (identity ``key``) between two scope lists.

    ``zoho`` says the grant is a Zoho OAuth grant on both sides; a scope naming a Zoho service
    compares as a Zoho scope anyway."""
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
    base_zoho: list[str] = field(init=False)
    head_zoho: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.base_raw = {s.raw for s in self.base}
        self.head_raw = {s.raw for s in self.head}
        self.base_zoho = [s.raw for s in self.base if self.lattice(s.raw)]
        self.head_zoho = [s.raw for s in self.head if self.lattice(s.raw)]
        self.base_norm = {normalise(raw): raw for raw in self.base_zoho}
        self.head_norm = {normalise(raw): raw for raw in self.head_zoho}

    def lattice(self, raw: str) -> bool:
        """Whether ``raw`` compares as a Zoho scope here."""
        return follows_zoho_grammar(raw, zoho_grant=self.zoho)

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
        if not self.lattice(raw):
            risk, note = scope_tier(raw, zoho_grant=False, service=self.service), ""
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
        elif holders := [b for b in self.base_zoho if zoho_covers(b, raw)]:
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
        elif widened := [b for b in self.base_zoho if zoho_covers(raw, b)]:
            shown = ", ".join(quote(w) for w in widened[:3])
            more = f" and {len(widened) - 3} more" if len(widened) > 3 else ""
            self.note(
                K.SCOPE_BROADENED,
                f"scope {quote(raw)} {self.where} broadens {shown}{more} "
                f"({broadening(widened[0], raw)})",
                scope_tier(raw, zoho_grant=True, service=self.service),
                scope,
                before=", ".join(widened),
                after=raw,
            )
            return
        else:
            risk, note = zoho_risk(self.diff, raw, self.key, self.service)
        self.note(
            K.SCOPE_ADDED, f"scope {quote(raw)} is new {self.where}{note}", risk, scope, after=raw
        )

    def removed(self, scope: GrantScope) -> None:
        """A base scope: nothing when head has it, else still covered, broadened, narrowed or
        removed."""
        raw = scope.raw
        zoho = self.lattice(raw)
        if raw in self.head_raw or (zoho and normalise(raw) in self.head_norm):
            return
        removed = f"scope {quote(raw)} was removed from connection {quote(self.name)}"
        if zoho:
            holders = [h for h in self.head_zoho if zoho_covers(h, raw)]
            kept = [h for h in holders if normalise(h) in self.base_norm]
            if kept:
                detail = f"{removed}; {quote(kept[0])} still covers it"
                self.note(K.SCOPE_REMOVED, detail, Risk.INFO, scope, before=raw)
                return
            if holders:
                return  # a broadening of this scope is reported on the head side
            narrower = [h for h in self.head_zoho if zoho_covers(raw, h)]
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


def zoho_risk(diff: Comparison, raw: str, key: str, service: str | None) -> tuple[Risk, str]:
    """Severity of a new, uncovered Zoho scope and why, as a parenthesis for its detail.

    The scope catalogue's tier (unknown families fail closed), raised to at least high for the
    first scope of a Zoho service in the manifest (reference table (d), row 3); low when Desk
    accepts a scope the connection already holds for the same endpoints; one step lower, never
    below medium, when another connection already holds it.
    """
    scope = parse_zoho_scope(raw)
    if scope is None:
        return Risk.MEDIUM, " (it does not follow Service.resource.OPERATION)"
    risk = scope_tier(raw, zoho_grant=True, service=service)
    notes: list[str] = []
    if scope.is_full_access:
        notes.append(f"full access to every {scope.service} resource")
    elif diff.base.doc is not None and ascii_lower(scope.service) not in diff.base_families:
        risk = at_least_high(risk)
        notes.append(f"the first {scope.service} scope in this manifest")
    elif (instead := _alternative_held(diff, scope, key)) is not None:
        risk = Risk.LOW
        notes.append(f"Desk already accepts {quote(instead)} for the same endpoints")
    elif (other := _held_elsewhere(diff, raw, key)) is not None:
        risk = lower(risk)
        notes.append(f"already granted to connection {quote(other)}")
    unknown = unknown_family(raw, zoho_grant=True)
    if unknown is not None:
        notes.append(
            f"the scope catalogue does not know the family {quote(unknown)}: see scope-unknown"
        )
    return risk, f" ({'; '.join(notes)})" if notes else ""


def _alternative_held(diff: Comparison, scope: ZohoScope, key: str) -> str | None:
    """The base scope of this connection that Desk accepts in place of ``scope``, if any."""
    instead = alternative(scope)
    connection = diff.base_connections.get(key)
    if instead is None or connection is None:
        return None
    return next((s.raw for s in connection.scopes if zoho_covers(s.raw, instead)), None)


def _held_elsewhere(diff: Comparison, raw: str, key: str) -> str | None:
    """The name of another base connection whose Zoho scopes already cover ``raw``."""
    for connection in diff.base_connections.values():
        if connection.key != key and any(
            connection.lattice(s.raw) and zoho_covers(s.raw, raw) for s in connection.scopes
        ):
            return connection.name
    return None


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
        return comparison_form(raw, zoho_grant=zoho)

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
