"""The connections one side declares, merged by identity, read through :mod:`checker.grants`.

Every grant shape counts, whatever the manifest's ``service`` says: ``zohoAuthorisation`` and
``connectors`` (Desk, Projects, ...), ``usedConnections`` (Finance, Inventory, Billing,
Expense), Catalyst's ``client`` and Creator's ``authConfig``. A connection is identified by
its ``connectionLinkName`` wherever it is declared; declarations of one identity are merged.
Imports :mod:`checker.grants`, :mod:`checker.diff.sides` and the pure core only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from checker.catalog.risk import comparison_form, follows_zoho_grammar
from checker.diff.sides import DocumentSide, trim
from checker.grants import GrantScope, GrantSource, read_grants
from checker.scopes import normalise

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
    if isinstance(value, str) and trim(value):
        return trim(value)
    return None


def read_connections(side: DocumentSide) -> dict[str, Connection]:
    """Every connection a side declares, in every grant shape, by identity, in document order."""
    found: dict[str, Connection] = {}
    for grant in read_grants(side.doc, every_duplicate=side.union):
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
