"""Every OAuth grant a manifest declares, in each shape Zoho's services use (pure).

A grant is one declaration of a connection (or OAuth client) with the scopes it asks for:

- ``zohoAuthorisation`` (Desk): one object, Zoho's own OAuth (``zlabs_integration``);
- ``connectors`` (Desk, Projects, Mail, People, ...): an array of Sigma connection objects;
- ``usedConnections`` (Finance, Inventory, Billing, Expense): an array of the same objects;
- ``client`` (Catalyst): an OAuth client whose ``scope`` is one string of scopes separated by
  spaces or commas;
- ``authConfig`` (Creator): ``{"type": "oauth", "scopes": [...]}``.

Each shape is read whatever the manifest's ``service`` says: a grant written in an unexpected
place still grants. Connections are identified by link name, else by service and connection
name, else by place; the diff reads its connections from here (``checker.diff.declared``).
With ``every_duplicate`` (the head side of a diff) a member written twice contributes every
value it was given, because JSON parsers keep only the last one and a reviewer may have read
the first.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.scopes import ASCII_SPACE, ascii_lower, normalise
from checker.services import manifest_service
from checker.source import Document, join_pointer

ZLABS = "zlabs_integration"
# Members that make an object a connection declaration (as checker.diff reads them).
CONNECTION_KEYS = ("connectionLinkName", "connectionName", "serviceName", "scope")
_WHITESPACE = re.compile(r"\s+")
_COMMAS = re.compile(r",")
_COMMAS_OR_SPACES = re.compile(r"[,\s]+")


class GrantSource(enum.Enum):
    """Where a grant is declared."""

    ZOHO_AUTHORISATION = "zohoAuthorisation"
    CONNECTORS = "connectors"
    USED_CONNECTIONS = "usedConnections"
    CATALYST_CLIENT = "client"
    CREATOR_AUTH_CONFIG = "authConfig"


@dataclass(frozen=True, slots=True)
class GrantScope:
    """One scope string and the JSON Pointer of the value that holds it.

    A scope split out of one string (Catalyst's ``client.scope``, or a connector's lone
    ``"A,B"``) points at that string.
    """

    raw: str
    pointer: str


@dataclass(frozen=True, slots=True)
class Grant:
    """One declaration of a connection or OAuth client, with what it asks for.

    ``key`` is the connection identity (``link:<name>``, ``name:<service>/<name>``,
    ``client``, ``authConfig`` or ``at:<pointer>``) and ``name`` its display name.
    ``service_names`` are the trimmed, non-blank ``serviceName`` values (several when the
    member is duplicated). ``zoho`` says that Zoho's scope grammar applies: always for
    zohoAuthorisation, the Catalyst client and Creator's authConfig; for a connector whose
    service is ``zlabs_integration``; for a used connection that is not a user-defined service
    and names ``zlabs_integration`` or a ``zoho_*`` service (as the scope rules read them).
    ``members`` maps each connection member that is present to its pointer;
    ``user_access``, ``user_defined``, ``shared_by`` and ``connection_names`` hold the raw
    values of those members. ``product`` is the manifest's ``service`` string.
    """

    source: GrantSource
    pointer: str
    key: str
    name: str
    service_names: tuple[str, ...]
    zoho: bool
    scopes: tuple[GrantScope, ...]
    members: tuple[tuple[str, str], ...] = ()
    user_access: tuple[Any, ...] = ()
    user_defined: tuple[Any, ...] = ()
    shared_by: tuple[Any, ...] = ()
    connection_names: tuple[str, ...] = ()
    product: str | None = None

    @property
    def service_name(self) -> str | None:
        """The first declared service name, if any."""
        return self.service_names[0] if self.service_names else None

    def pointer_of(self, member: str) -> str:
        """The pointer of a member, or of the declaration when the member is absent."""
        return dict(self.members).get(member, self.pointer)


class _Reader:
    """Member values of one document, every duplicate included when asked."""

    __slots__ = ("document", "union")

    def __init__(self, document: Document, every_duplicate: bool) -> None:
        self.document = document
        self.union = every_duplicate and document.has_duplicates

    def values(self, pointer: str, container: Any, key: str) -> tuple[Any, ...]:
        if not isinstance(container, dict) or key not in container:
            return ()
        if self.union:
            found = self.document.values_at(join_pointer(pointer, key))
            if found:
                return found
        return (container[key],)


def _trim(text: str) -> str:
    return text.strip(ASCII_SPACE)


def split_scopes(value: Any, pointer: str, *, split_spaces: bool = False) -> Iterator[GrantScope]:
    """The scopes of a ``scope`` value: an array of strings, or one string.

    A lone string is split on commas (and, with ``split_spaces``, on white space too, as
    Catalyst writes its scope list); blank entries are left out. Non-strings are ignored.
    """
    if isinstance(value, str):
        separators = _COMMAS_OR_SPACES if split_spaces else _COMMAS
        parts = separators.split(value) if separators.search(_trim(value)) else [value]
        for part in parts:
            if _trim(part):
                yield GrantScope(_trim(part) if len(parts) > 1 else part, pointer)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and _trim(item):
                yield GrantScope(item, join_pointer(pointer, index))


def identity(item: dict[str, Any], pointer: str, label: str) -> tuple[str, str]:
    """A connection's identity key and display name (link name, else service and name)."""
    link = item.get("connectionLinkName")
    if isinstance(link, str) and _trim(link):
        return "link:" + normalise(link), _trim(link)
    display = item.get("connectionName")
    service = item.get("serviceName")
    if isinstance(display, str) and _trim(display):
        service_key = normalise(service) if isinstance(service, str) else ""
        return f"name:{service_key}/{normalise(display)}", _trim(display)
    return "at:" + pointer, label


def is_zlabs(service_name: str) -> bool:
    """Whether a serviceName means Zoho OAuth, in any case and with any spaces."""
    return ascii_lower(_WHITESPACE.sub("", service_name)) == ZLABS


def _connection(
    reader: _Reader,
    *,
    source: GrantSource,
    pointer: str,
    item: dict[str, Any],
    label: str,
    product: str | None,
) -> Grant | None:
    if not any(key in item for key in CONNECTION_KEYS):
        return None
    key, name = identity(item, pointer, label)
    services = tuple(
        value for value in reader.values(pointer, item, "serviceName") if isinstance(value, str)
    )
    if source is GrantSource.ZOHO_AUTHORISATION:
        zoho = True
    elif source is GrantSource.USED_CONNECTIONS:
        # Finance and Inventory name Zoho's own services zoho_books, zoho_inventory, ...
        zoho = reader.values(pointer, item, "isUserDefinedService") != (True,) and any(
            is_zlabs(s) or ascii_lower(_trim(s)).startswith("zoho") for s in services
        )
    else:
        zoho = any(normalise(s) == ZLABS for s in services)  # as checker.diff reads connectors
    scope_at = join_pointer(pointer, "scope")
    scopes = tuple(
        scope
        for value in reader.values(pointer, item, "scope")
        for scope in split_scopes(value, scope_at)
    )
    members = tuple(
        (member, join_pointer(pointer, member))
        for member in ("serviceName", "scope", "userAccess", "isUserDefinedService", "sharedBy")
        if member in item
    )
    names = tuple(
        _trim(value)
        for value in reader.values(pointer, item, "connectionName")
        if isinstance(value, str) and _trim(value)
    )
    return Grant(
        source,
        pointer,
        key,
        name,
        tuple(_trim(s) for s in services if _trim(s)),
        zoho,
        scopes,
        members,
        reader.values(pointer, item, "userAccess"),
        reader.values(pointer, item, "isUserDefinedService"),
        reader.values(pointer, item, "sharedBy"),
        names,
        product,
    )


def _catalyst_client(reader: _Reader, root: dict[str, Any], product: str | None) -> Iterator[Grant]:
    for client in reader.values("", root, "client"):
        if not isinstance(client, dict) or "scope" not in client:
            continue
        client_id = next(
            (_trim(v) for v in reader.values("/client", client, "id") if isinstance(v, str)), ""
        )
        scopes = tuple(
            scope
            for value in reader.values("/client", client, "scope")
            for scope in split_scopes(value, "/client/scope", split_spaces=True)
        )
        members = tuple(
            (member, f"/client/{member}")
            for member in ("id", "scope", "accounts-url")
            if member in client
        )
        yield Grant(
            GrantSource.CATALYST_CLIENT,
            "/client",
            "client",  # one client per manifest: a new id is the same grant with a new client
            f"client {client_id}" if client_id else "client",
            (),
            True,
            scopes,
            members,
            product=product,
        )


def _creator_auth_config(
    reader: _Reader, root: dict[str, Any], product: str | None
) -> Iterator[Grant]:
    for config in reader.values("", root, "authConfig"):
        if not isinstance(config, dict) or "scopes" not in config:
            continue
        scopes = tuple(
            scope
            for value in reader.values("/authConfig", config, "scopes")
            for scope in split_scopes(value, "/authConfig/scopes")
        )
        members = tuple(
            (member, f"/authConfig/{member}") for member in ("type", "scopes") if member in config
        )
        yield Grant(
            GrantSource.CREATOR_AUTH_CONFIG,
            "/authConfig",
            "authConfig",
            "authConfig",
            (),
            True,
            scopes,
            members,
            product=product,
        )


def read_grants(document: Document | None, *, every_duplicate: bool = False) -> tuple[Grant, ...]:
    """Every grant of a manifest, in document order of the shapes above."""
    if document is None or not isinstance(document.value, dict):
        return ()
    root: dict[str, Any] = document.value
    reader = _Reader(document, every_duplicate)
    product = manifest_service(root)
    found: list[Grant] = []
    for value in reader.values("", root, "zohoAuthorisation"):
        if isinstance(value, dict) and value:
            grant = _connection(
                reader,
                source=GrantSource.ZOHO_AUTHORISATION,
                pointer="/zohoAuthorisation",
                item=value,
                label="zohoAuthorisation",
                product=product,
            )
            if grant is not None:
                found.append(grant)
    for source in (GrantSource.CONNECTORS, GrantSource.USED_CONNECTIONS):
        for array in reader.values("", root, source.value):
            if not isinstance(array, list):
                continue
            for index, item in enumerate(array):
                if isinstance(item, dict) and item:
                    pointer = join_pointer("", source.value, index)
                    grant = _connection(
                        reader,
                        source=source,
                        pointer=pointer,
                        item=item,
                        label=f"{source.value}[{index}]",
                        product=product,
                    )
                    if grant is not None:
                        found.append(grant)
    found.extend(_catalyst_client(reader, root, product))
    found.extend(_creator_auth_config(reader, root, product))
    return tuple(found)
