"""The connections and scope changes of the diff, read through :mod:`checker.grants` (pure).

Grants come in every shape, whatever the manifest's ``service`` says: ``zohoAuthorisation``
and ``connectors`` (Desk, Projects, ...), ``usedConnections`` (Finance, Inventory, Billing,
Expense), Catalyst's ``client.scope`` and Creator's ``authConfig.scopes``. A connection is
identified by its ``connectionLinkName`` wherever it is declared; declarations of one identity
are merged. Every scope of a Zoho OAuth grant, and any scope that names a Zoho service on any
other grant (``Desk.tickets.ALL`` on a ``zoho_desk`` connector), compares as Zoho compares
scopes: without regard to ASCII case, and with the ``covers`` relation of
:mod:`checker.scopes` (a new scope another one already covers grants nothing; one that covers
an old one broadens it). Other third-party scopes compare exactly. A new or broadened scope's
severity is its tier in the scope catalogue (:func:`checker.catalog.risk.scope_tier`),
adjusted by table (d) of the reference (rows 2 and 3) and Desk's documented scope
alternatives. :mod:`checker.diff` calls this module for its connection aspect and for the
scopes of deskOauth and TPAOauth clients.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from checker.catalog.risk import comparison_form, follows_zoho_grammar, scope_tier, unknown_family
from checker.changes import ChangeKind, ConnectionDiff, Mark, Risk, ScopeLine, Side
from checker.grants import GrantScope, GrantSource, read_grants
from checker.scopes import (
    ASCII_SPACE,
    ZohoScope,
    ascii_lower,
    normalise,
    parse_zoho_scope,
    zoho_covers,
)
from checker.source import Document


def quote(value: object) -> str:
    """A manifest value inside a sentence: JSON-quoted, non-ASCII escaped so lookalikes show."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)
    return json.dumps(text, ensure_ascii=True)


def _trim(text: str) -> str:
    return text.strip(ASCII_SPACE)


# --- connections -----------------------------------------------------------------------------

# Grant shapes that are an OAuth client of the extension's own, without a serviceName.
OAUTH_CLIENTS = frozenset(
    {GrantSource.CATALYST_CLIENT.value, GrantSource.CREATOR_AUTH_CONFIG.value}
)


@dataclass(slots=True)
class Connection:
    """Everything one side declares about one connection identity (declarations merged).

    ``where`` lists the grant shapes that declare it (:class:`checker.grants.GrantSource`
    values). ``zoho`` says that one of them is a Zoho OAuth grant (``Grant.zoho``:
    zohoAuthorisation, a ``zlabs_integration`` connector, a used connection of a Zoho
    service, the Catalyst client, Creator's authConfig), so Zoho's scope grammar and ``covers``
    relation apply to every scope of it; elsewhere only to scopes that name a Zoho service.
    ``user_access`` and ``user_defined`` hold the JSON texts of those members' values,
    ``shared_by`` their texts, ``pointers`` the pointer of each member's first declaration.
    """

    key: str
    name: str
    where: list[str]
    pointer: str
    zoho: bool = False
    services: dict[str, str] = field(default_factory=dict)
    scopes: list[GrantScope] = field(default_factory=list)
    user_access: set[str] = field(default_factory=set)
    user_defined: set[str] = field(default_factory=set)
    shared_by: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    pointers: dict[str, str] = field(default_factory=dict)

    @property
    def service(self) -> str | None:
        """The first declared service name, if any."""
        return next(iter(self.services.values()), None)

    def pointer_of(self, member: str) -> str:
        """The pointer of a member, or of the first declaration when the member is absent."""
        return self.pointers.get(member, self.pointer)

    def lattice(self, raw: str) -> bool:
        """Whether a scope of this connection compares as a Zoho scope."""
        return follows_zoho_grammar(raw, zoho_grant=self.zoho)

    @property
    def oauth_client(self) -> bool:
        """Whether it is only an OAuth client of the extension (Catalyst, Creator)."""
        return OAUTH_CLIENTS.issuperset(self.where)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and _trim(value):
        return _trim(value)
    return None


def read_connections(doc: Document | None, *, every_duplicate: bool) -> dict[str, Connection]:
    """Every connection a side declares, in every grant shape, by identity, in document order.

    ``every_duplicate`` (the head side) counts every value of a duplicated member."""
    found: dict[str, Connection] = {}
    for grant in read_grants(doc, every_duplicate=every_duplicate):
        connection = found.get(grant.key)
        if connection is None:
            connection = found[grant.key] = Connection(grant.key, grant.name, [], grant.pointer)
        if grant.source.value not in connection.where:
            connection.where.append(grant.source.value)
        connection.zoho = connection.zoho or grant.zoho
        for member, pointer in grant.members:
            connection.pointers.setdefault(member, pointer)
        for service in grant.service_names:
            connection.services.setdefault(normalise(service), service)
        connection.scopes.extend(grant.scopes)
        connection.user_access.update(json.dumps(value) for value in grant.user_access)
        connection.user_defined.update(json.dumps(value) for value in grant.user_defined)
        for value in grant.shared_by:
            text = _scalar_text(value)
            if text is not None:
                connection.shared_by.add(text)
        connection.names.update(grant.connection_names)
    return found


def unique(scopes: list[GrantScope]) -> list[GrantScope]:
    """Scopes without repeats of the same string, first place of each."""
    seen: dict[str, GrantScope] = {}
    for scope in scopes:
        seen.setdefault(scope.raw, scope)
    return list(seen.values())


def _grant_key(connection: Connection) -> tuple[str, frozenset[str]]:
    """What a connection grants, for spotting renames: service and scopes, compared the way
    the diff compares them (Zoho scopes without case or surrounding spaces)."""

    service = normalise(connection.service or "")
    return service, frozenset(
        comparison_form(scope.raw, zoho_grant=connection.zoho) for scope in connection.scopes
    )


def renamed_from(connection: Connection, gone: list[Connection]) -> Connection | None:
    """The one removed connection that granted exactly what this new one grants, if any."""
    key = _grant_key(connection)
    same = [old for old in gone if _grant_key(old) == key]
    return same[0] if len(same) == 1 else None


# --- what the scope comparison needs of the diff ---------------------------------------------


class _Base(Protocol):
    @property
    def doc(self) -> Document | None: ...


class Comparison(Protocol):
    """The part of :class:`checker.diff._Diff` the scope comparison uses."""

    @property
    def base(self) -> _Base: ...

    base_connections: dict[str, Connection]
    base_families: set[str]

    def add(
        self,
        kind: ChangeKind,
        detail: str,
        risk: Risk,
        side: Side,
        pointer: str,
        *,
        connection: str | None = None,
        subject: str | None = None,
        service: str | None = None,
        before: str | None = None,
        after: str | None = None,
    ) -> None: ...


# --- severity beyond the catalogue tier ------------------------------------------------------


def alternative(scope: ZohoScope) -> str | None:
    """The scope Desk accepts instead of this one, when its API documents such a pair.

    Desk's contract endpoints accept ``Desk.settings.<op>`` in place of ``Desk.contracts.<op>``
    (reference a.1, [S4]): a new contracts scope next to a settings scope is low severity.
    """
    if ascii_lower(scope.service) != "desk" or scope.operation is None:
        return None
    if tuple(ascii_lower(r) for r in scope.resource) == ("contracts",):
        return f"Desk.settings.{scope.operation}"
    return None


def broadening(old: str, new: str) -> str:
    """How a covering scope goes beyond the one it covers, in a few words."""
    held = parse_zoho_scope(old)
    wider = parse_zoho_scope(new)
    if wider is None or held is None:
        return "more than before"
    if wider.is_full_access:
        return f"now full access to every {wider.service} resource"
    operation = "every operation" if wider.operation == "ALL" else f"{wider.operation}"
    if wider.key[1] == held.key[1]:
        return f"{held.operation} to {wider.operation}"
    resource = ".".join((wider.service, *wider.resource))
    return f"now all of {resource}, {operation}"


def lower(risk: Risk) -> Risk:
    """One step less serious, never below medium (a capability held by another connection)."""
    return {Risk.CRITICAL: Risk.HIGH, Risk.HIGH: Risk.MEDIUM}.get(risk, risk)


def at_least_high(risk: Risk) -> Risk:
    """The first scope of a Zoho service new to the manifest (reference (d), row 3): at least
    high when it reaches customer data; a low tier (the user's own profile, the extension's own
    storage) stays low, and critical stays critical."""
    return risk if risk in (Risk.LOW, Risk.CRITICAL) else Risk.HIGH


# --- scope changes -------------------------------------------------------------------------

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
            risk, note = scope_tier(raw, zoho_grant=False), ""
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
                scope_tier(raw, zoho_grant=True),
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


def zoho_risk(diff: Comparison, raw: str, key: str) -> tuple[Risk, str]:
    """Severity of a new, uncovered Zoho scope and why, as a parenthesis for its detail.

    The scope catalogue's tier (unknown families fail closed), raised to at least high for the
    first scope of a Zoho service in the manifest (reference table (d), row 3); low when Desk
    accepts a scope the connection already holds for the same endpoints; one step lower, never
    below medium, when another connection already holds it.
    """
    scope = parse_zoho_scope(raw)
    if scope is None:
        return Risk.MEDIUM, " (it does not follow Service.resource.OPERATION)"
    risk = scope_tier(raw, zoho_grant=True)
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
