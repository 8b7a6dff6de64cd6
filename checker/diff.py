"""Base vs head manifest: connections, scopes and other grants, classified as changes (pure).

The model follows issue 3 and ``zoho-scopes-and-connections.md`` (a.4, c, d). Connections and
their scopes are read and compared by :mod:`checker.grant_diff`, through :mod:`checker.grants`,
in every grant shape (zohoAuthorisation, connectors, usedConnections, Catalyst's client,
Creator's authConfig); a new scope's severity is its tier in the scope catalogue. Other
severities come from table (d) of the reference.

Duplicate JSON keys: on the head side every duplicated value counts (a reviewer may have read
any of them), on the base side only the value JSON parsers keep (the last one), which is what
was effectively granted. Both choices can only add escalations, never hide one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.catalog.risk import read_only, zoho_named
from checker.changes import (
    Change,
    ChangeKind,
    ConnectionDiff,
    Risk,
    Side,
)
from checker.findings import Location
from checker.grant_diff import (
    Connection,
    compare_scopes,
    quote,
    read_connections,
    renamed_from,
)
from checker.grant_diff import row as _row
from checker.grant_diff import unique as _unique
from checker.grants import GrantScope, split_scopes
from checker.rules.urls import parse_url
from checker.scopes import ASCII_SPACE, ascii_lower, normalise, parse_zoho_scope
from checker.source import Document, join_pointer
from checker.wording import plural

K = ChangeKind
# Widget locations whose code runs unseen on every page (reference table (d), row 24).
INVISIBLE_LOCATIONS = frozenset({"desk.background", "desk.invisible", "helpcenter.invisible"})
_CREDENTIAL = re.compile(
    r"secret|token|passw|api[_ -]?key|private[_ -]?key|credential|auth", re.IGNORECASE
)
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}\Z")


def _trim(text: str) -> str:
    return text.strip(ASCII_SPACE)


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def _member(parent: str, key: str) -> str:
    """``parent.key`` for an ordinary member name, ``parent["odd key"]`` (quoted) otherwise."""
    return f"{parent}.{key}" if _PLAIN_KEY.match(key) else f"{parent}[{quote(key)}]"


# --- reading one side ----------------------------------------------------------------------


class _Side:
    """One version of the manifest, with the duplicate-key rule of that side."""

    __slots__ = ("doc", "side", "union")

    def __init__(self, doc: Document | None, side: Side) -> None:
        self.doc = doc
        self.side = side
        self.union = side is Side.HEAD

    @property
    def root(self) -> dict[str, Any]:
        value = self.doc.value if self.doc is not None else None
        return value if isinstance(value, dict) else {}

    def values(self, pointer: str, container: Any, key: str) -> tuple[Any, ...]:
        """The values of member ``key``; on the head side every duplicated value."""
        if not isinstance(container, dict) or key not in container:
            return ()
        if self.union and self.doc is not None and self.doc.has_duplicates:
            found = self.doc.values_at(join_pointer(pointer, key))
            if found:
                return found
        return (container[key],)

    def location(self, pointer: str) -> Location:
        if self.doc is None:
            return Location("", pointer)
        return self.doc.resolve(Location(self.doc.path, pointer))

    def strings(self, pointer: str, container: Any, key: str) -> list[tuple[str, str]]:
        """String entries of an array member (or a lone string), with their pointers."""
        member = join_pointer(pointer, key)
        found: list[tuple[str, str]] = []
        for value in self.values(pointer, container, key):
            if isinstance(value, str) and _trim(value):
                found.append((value, member))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and _trim(item):
                        found.append((item, join_pointer(member, index)))
        return found


# --- risk ----------------------------------------------------------------------------------


def _host_reasons(entry: str, known_hosts: set[str] | None = None) -> list[str]:
    """Why a new domain is riskier than usual (reference table (d), rows 16 and 17)."""
    text = _trim(entry)
    url = parse_url(text)
    if url is None:
        if "*" in text:
            return ["a wildcard"]
        return []
    reasons: list[str] = []
    if "*" in url.host:
        reasons.append("a wildcard host")
    if url.scheme in ("http", "ws"):
        reasons.append(f"plain {url.scheme} without TLS")
    if url.host.startswith("[") or _IPV4.match(url.host):
        reasons.append("an IP address")
    if url.is_loopback:
        reasons.append("a localhost address")
    if known_hosts and not reasons and _site(url.host) not in known_hosts:
        reasons.append("a host unrelated to the ones already listed")
    return reasons


def _site(host: str) -> str:
    labels = host.rstrip(".").split(".")
    return ".".join(labels[-2:])


def _host(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    url = parse_url(_trim(value))
    return url.host if url is not None else None


# --- the comparison ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManifestDiff:
    """Everything the comparison found: the changes and the connection table."""

    changes: tuple[Change, ...]
    connections: tuple[ConnectionDiff, ...]


_Flags = dict[str, set[str]]


class _Collector:
    """Collects changes with locations on either side."""

    def __init__(self, base: _Side, head: _Side) -> None:
        self.base = base
        self.head = head
        self.changes: list[Change] = []

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
    ) -> None:
        where = self.head if side is Side.HEAD else self.base
        self.changes.append(
            Change(
                kind,
                connection,
                detail,
                kind.escalates,
                risk,
                where.location(pointer),
                subject=subject,
                service=service,
                before=before,
                after=after,
                side=side,
            )
        )


class _Diff(_Collector):
    """Compares two versions of a manifest."""

    def __init__(self, base: _Side, head: _Side) -> None:
        super().__init__(base, head)
        self.rows: list[ConnectionDiff] = []
        self.base_connections = read_connections(base.doc, every_duplicate=base.union)
        self.head_connections = read_connections(head.doc, every_duplicate=head.union)
        # the Zoho services the base grants scopes of, on any connection
        self.base_families = {
            ascii_lower(parsed.service)
            for connection in self.base_connections.values()
            for scope in connection.scopes
            if connection.lattice(scope.raw) and (parsed := parse_zoho_scope(scope.raw))
        }
        self.base_families |= {
            ascii_lower(parsed.service)
            for scope in base.strings("/deskOauth", base.root.get("deskOauth"), "scopes")
            if (parsed := parse_zoho_scope(scope[0])) is not None
        }

    # connections ---------------------------------------------------------------------------

    def connections(self) -> None:
        base, head = self.base_connections, self.head_connections
        base_grants = any("zohoAuthorisation" in c.where for c in base.values())
        head_grants = any("zohoAuthorisation" in c.where for c in head.values())
        authorisation_added = head_grants and not base_grants
        gone = [connection for key, connection in base.items() if key not in head]
        for key, connection in head.items():
            old = base.get(key)
            if old is None:
                self.connection_added(
                    connection, authorisation_added, renamed_from(connection, gone)
                )
            else:
                if authorisation_added and "zohoAuthorisation" in connection.where:
                    self.authorisation_added(connection, existed=True)
                self.connection_changed(old, connection)
        for key, connection in base.items():
            if key not in head:
                self.add(
                    K.CONNECTION_REMOVED,
                    f"connection {quote(connection.name)} was removed "
                    f"(it had {plural(len(_unique(connection.scopes)), 'scope')})",
                    Risk.INFO,
                    Side.BASE,
                    connection.pointer,
                    connection=connection.name,
                    service=connection.service,
                    before=connection.name,
                )
                self.connection_scopes(connection, None)
        if base_grants and not head_grants:
            self.add(
                K.ZOHO_AUTHORISATION_REMOVED,
                "zohoAuthorisation no longer grants a Zoho OAuth connection",
                Risk.INFO,
                Side.BASE,
                "/zohoAuthorisation",
            )

    def authorisation_added(self, connection: Connection, *, existed: bool) -> None:
        scopes = plural(len(_unique(connection.scopes)), "scope")
        moved = " (the connection was declared elsewhere before)" if existed else ""
        self.add(
            K.ZOHO_AUTHORISATION_ADDED,
            f"zohoAuthorisation now grants connection {quote(connection.name)} "
            f"(service {quote(connection.service or '')}, {scopes})"
            + (f"; it was empty{moved}" if self.base.doc is not None else ""),
            Risk.HIGH,
            Side.HEAD,
            "/zohoAuthorisation",
            connection=connection.name,
            subject=connection.service,
            service=connection.service,
            after=connection.name,
        )

    def connection_added(
        self,
        connection: Connection,
        authorisation_added: bool,
        renamed_from: Connection | None = None,
    ) -> None:
        scopes = _unique(connection.scopes)
        if authorisation_added and "zohoAuthorisation" in connection.where:
            self.authorisation_added(connection, existed=False)
        else:
            # Zoho OAuth, a Zoho product connection (zoho_crm, ...) or a custom service: high
            risky = (
                connection.zoho
                or "true" in connection.user_defined
                or normalise(connection.service or "").startswith("zoho")
                or any(zoho_named(s.raw) for s in scopes)
            )
            reads = bool(scopes) and all(read_only(s.raw) for s in scopes)
            risk = Risk.HIGH if risky or not reads else Risk.MEDIUM
            notes = [plural(len(scopes), "scope")]
            if connection.service is not None or not connection.oauth_client:
                notes.insert(0, f"service {quote(connection.service or '')}")
            if "false" in connection.user_access:
                notes.append("authorised once and shared by every user")
            if "true" in connection.user_defined:
                notes.append("a developer-defined service whose scopes cannot be verified")
            if renamed_from is not None:
                # still new: the installing admin must authorise a connection of this name
                notes.append(
                    f"it may be a rename of removed connection {quote(renamed_from.name)}, "
                    "which had the same service and scopes"
                )
            self.add(
                K.CONNECTION_ADDED,
                f"connection {quote(connection.name)} is new in "
                f"{' and '.join(connection.where)} ({'; '.join(notes)})",
                risk,
                Side.HEAD,
                connection.pointer,
                connection=connection.name,
                subject=connection.service,
                service=connection.service,
                after=connection.name,
            )
        self.connection_scopes(None, connection)

    def connection_changed(self, old: Connection, new: Connection) -> None:
        def report(
            kind: ChangeKind,
            sentence: str,
            risk: Risk,
            pointer: str,
            *,
            subject: str | None = None,
            before: str | None,
            after: str,
        ) -> None:
            """A change in how head declares this connection: 'connection "x" <sentence>'."""
            self.add(
                kind,
                f"connection {quote(new.name)} {sentence}",
                risk,
                Side.HEAD,
                pointer,
                connection=new.name,
                subject=subject,
                service=new.service,
                before=before,
                after=after,
            )

        if set(new.services) - set(old.services):
            shown_before = ", ".join(quote(s) for s in old.services.values()) or "none"
            shown_after = ", ".join(quote(s) for s in new.services.values())
            report(
                K.SERVICE_CHANGED,
                f"now uses service {shown_after} instead of {shown_before}; "
                "code that calls this link name gets another credential",
                Risk.HIGH,
                new.pointer_of("serviceName"),
                subject=new.service,
                before=", ".join(old.services.values()) or None,
                after=", ".join(new.services.values()),
            )
        if "true" in new.user_defined and "true" not in old.user_defined:
            report(
                K.USER_DEFINED_SERVICE_ENABLED,
                "now uses a developer-defined service (isUserDefinedService false to true): "
                "its endpoints and scopes are whatever the developer configured in Sigma and "
                "cannot be verified here",
                Risk.HIGH,
                new.pointer_of("isUserDefinedService"),
                before="false",
                after="true",
            )
        elif "true" in old.user_defined and "true" not in new.user_defined:
            report(
                K.USER_DEFINED_SERVICE_DISABLED,
                "no longer uses a developer-defined service (isUserDefinedService true to false)",
                Risk.INFO,
                new.pointer_of("isUserDefinedService"),
                before="true",
                after="false",
            )
        if "false" in new.user_access and "false" not in old.user_access:
            was = "true" if "true" in old.user_access else "not set"
            report(
                K.USER_ACCESS_SHARED,
                f"is now authorised once and shared by every user (userAccess {was} to false): "
                "the authoriser's grant serves everyone",
                Risk.HIGH,
                new.pointer_of("userAccess"),
                before=was,
                after="false",
            )
        elif (
            "true" in new.user_access
            and "false" in old.user_access
            and "false" not in new.user_access
        ):
            report(
                K.USER_ACCESS_PER_USER,
                "is now authorised by each user (userAccess false to true)",
                Risk.INFO,
                new.pointer_of("userAccess"),
                before="false",
                after="true",
            )
        if old.shared_by and new.shared_by and old.shared_by != new.shared_by:
            before = ", ".join(sorted(old.shared_by))
            after = ", ".join(sorted(new.shared_by))
            report(
                K.SHARED_BY_CHANGED,
                f"is now shared by {quote(after)} instead of {quote(before)}: it comes from "
                "another Zoho account",
                Risk.MEDIUM,
                new.pointer_of("sharedBy"),
                before=before,
                after=after,
            )
        if old.names and new.names and old.names != new.names:
            before = ", ".join(sorted(old.names))
            after = ", ".join(sorted(new.names))
            report(
                K.CONNECTION_NAME_CHANGED,
                f"is now displayed as {quote(after)} instead of {quote(before)}",
                Risk.INFO,
                join_pointer(new.pointer, "connectionName"),
                before=before,
                after=after,
            )
        self.connection_scopes(old, new)

    # scopes --------------------------------------------------------------------------------

    def connection_scopes(self, old: Connection | None, new: Connection | None) -> None:
        """A connection's scope changes (none when it was removed) and its table row."""
        either = new or old
        assert either is not None
        base = _unique(old.scopes) if old else []
        head = _unique(new.scopes) if new else []
        zoho = (old is None or old.zoho) and (new is None or new.zoho)
        if new is not None:  # a removed connection's scopes go with its connection-removed
            self.compare_scopes(
                either.name, either.key, base, head, zoho=zoho, service=either.service
            )
        self.rows.append(
            _row(
                either.name,
                ", ".join(either.where),
                base,
                head,
                services=(old.service if old else None, new.service if new else None),
                zoho=zoho,
                in_base=old is not None,
                in_head=new is not None,
            )
        )

    def compare_scopes(
        self,
        name: str,
        key: str,
        base: list[GrantScope],
        head: list[GrantScope],
        *,
        zoho: bool,
        service: str | None,
    ) -> None:
        """The scope changes of one grant (:func:`checker.grant_diff.compare_scopes`)."""
        compare_scopes(self, name, key, base, head, zoho=zoho, service=service)

    # deskOauth and TPAOauth --------------------------------------------------------------------

    def desk_oauth(self) -> None:
        in_base, base_scopes, base_secrets = _desk_oauth(self.base)
        in_head, head_scopes, head_secrets = _desk_oauth(self.head)
        if in_head and not in_base:
            self.add(
                K.DESK_OAUTH_ADDED,
                "deskOauth is new: the extension's own server can now obtain Desk OAuth "
                f"tokens ({plural(len(head_scopes), 'scope')})",
                Risk.HIGH,
                Side.HEAD,
                "/deskOauth",
                connection="deskOauth",
                subject="deskOauth",
            )
        elif in_base and not in_head:
            self.add(
                K.DESK_OAUTH_REMOVED,
                "deskOauth was removed",
                Risk.INFO,
                Side.BASE,
                "/deskOauth",
                connection="deskOauth",
            )
        if not in_base and not in_head:
            return
        self.compare_scopes(
            "deskOauth", "deskOauth", base_scopes, head_scopes, zoho=True, service=None
        )
        self.rows.append(
            _row(
                "deskOauth",
                "deskOauth",
                base_scopes,
                head_scopes,
                zoho=True,
                in_base=in_base,
                in_head=in_head,
            )
        )
        self.secrets(base_secrets, head_secrets, "the deskOauth client secret")

    def tpa_entries(self, side: _Side) -> dict[str, tuple[str, dict[str, Any]]]:
        entries: dict[str, tuple[str, dict[str, Any]]] = {}
        for array in side.values("", side.root, "TPAOauth"):
            if not isinstance(array, list):
                continue
            for index, item in enumerate(array):
                if not isinstance(item, dict) or not item:
                    continue
                name = item.get("name")
                label = _trim(name) if isinstance(name, str) and _trim(name) else f"#{index}"
                entries.setdefault(label, (join_pointer("", "TPAOauth", index), item))
        return entries

    def tpa_oauth(self) -> None:
        base = self.tpa_entries(self.base)
        head = self.tpa_entries(self.head)
        for name, (pointer, item) in head.items():
            label = f"TPAOauth {name}"
            scopes = _unique(list(_tpa_scopes(self.head, pointer, item)))
            if name not in base:
                hosts = [h for h in (_host(item.get(k)) for k in ("authoriseUrl", "tokenUrl")) if h]
                shown = ", ".join(quote(h) for h in dict.fromkeys(hosts)) or "no valid host"
                self.add(
                    K.TPA_OAUTH_ADDED,
                    f"TPAOauth client {quote(name)} is new: Desk will run a third-party OAuth "
                    f"flow for the extension against {shown}",
                    Risk.HIGH,
                    Side.HEAD,
                    pointer,
                    connection=label,
                    subject=hosts[0] if hosts else None,
                )
                self.compare_scopes(label, label, [], scopes, zoho=False, service=None)
                self.rows.append(_row(label, "TPAOauth", [], scopes, zoho=False, in_base=False))
                continue
            old_pointer, old_item = base[name]
            for member in ("authoriseUrl", "tokenUrl"):
                before, after = _host(old_item.get(member)), _host(item.get(member))
                if after is not None and before != after:
                    self.add(
                        K.OAUTH_URL_HOST_CHANGED,
                        f"TPAOauth client {quote(name)} now sends its {member} requests to "
                        f"{quote(after)} instead of {quote(before or 'nothing')}",
                        Risk.HIGH,
                        Side.HEAD,
                        join_pointer(pointer, member),
                        connection=label,
                        subject=item.get(member),
                        before=before,
                        after=after,
                    )
            old_scopes = _unique(list(_tpa_scopes(self.base, old_pointer, old_item)))
            self.compare_scopes(label, label, old_scopes, scopes, zoho=False, service=None)
            self.rows.append(_row(label, "TPAOauth", old_scopes, scopes, zoho=False))
            self.secrets(
                [(old_item.get("clientSecret"), join_pointer(old_pointer, "clientSecret"))],
                [(item.get("clientSecret"), join_pointer(pointer, "clientSecret"))],
                f"the client secret of TPAOauth client {quote(name)}",
            )
        for name, (pointer, _item) in base.items():
            if name not in head:
                self.add(
                    K.TPA_OAUTH_REMOVED,
                    f"TPAOauth client {quote(name)} was removed",
                    Risk.INFO,
                    Side.BASE,
                    pointer,
                    connection=f"TPAOauth {name}",
                )

    # other grants ----------------------------------------------------------------------------

    def secrets(
        self,
        base: list[tuple[Any, str]],
        head: list[tuple[Any, str]],
        what: str,
    ) -> None:
        """A secret appearing or changing in the repository; values are never printed.

        ``base`` and ``head`` hold (value, pointer) pairs; only strings count.
        """
        old = {v for v, _ in base if isinstance(v, str) and v}
        new = [(v, p) for v, p in head if isinstance(v, str) and v]
        if not new or {v for v, _ in new} <= old:
            return
        detail = f"{what} changed" if old else f"{what} is now stored in the manifest"
        self.add(
            K.SECRET_CHANGED,
            f"{detail} (plain text in the repository; the value is not shown)",
            Risk.MEDIUM,
            Side.HEAD,
            new[0][1],
        )

    def domains(self) -> None:
        base = self.base.strings("", self.base.root, "whiteListedDomains")
        head = self.head.strings("", self.head.root, "whiteListedDomains")
        known = {_site(h) for v, _ in base if (h := _host(v))}
        for value, pointer in _missing_from(base, head):
            reasons = _host_reasons(value, known)
            because = f" ({', '.join(reasons)})" if reasons else ""
            self.add(
                K.DOMAIN_ADDED,
                f"whiteListedDomains gains {quote(value)}{because}: the extension can send "
                "server-side requests there through Desk",
                Risk.HIGH if reasons else Risk.MEDIUM,
                Side.HEAD,
                pointer,
                subject=_trim(value),
                after=_trim(value),
            )
        for value, pointer in _missing_from(head, base):
            self.add(
                K.DOMAIN_REMOVED,
                f"whiteListedDomains no longer lists {quote(value)}",
                Risk.INFO,
                Side.BASE,
                pointer,
                subject=_trim(value),
                before=_trim(value),
            )

    def csp_entries(self, side: _Side) -> dict[str, list[tuple[str, str]]]:
        entries: dict[str, list[tuple[str, str]]] = {}
        for value in side.values("", side.root, "cspDomains"):
            if not isinstance(value, dict):
                continue
            for directive in value:
                found = side.strings("/cspDomains", value, directive)
                entries.setdefault(directive, []).extend(found)
        return entries

    def csp(self) -> None:
        base = self.csp_entries(self.base)
        head = self.csp_entries(self.head)
        for directive, entries in head.items():
            for value, pointer in _missing_from(base.get(directive, []), entries):
                reasons = _host_reasons(value)
                connect = directive == "connect-src"
                because = f" ({', '.join(reasons)})" if reasons else ""
                effect = (
                    "widget code can send data there"
                    if connect
                    else "it lets remote content run or load in the widget"
                )
                self.add(
                    K.CSP_DOMAIN_ADDED,
                    f"{_member('cspDomains', directive)} gains {quote(value)}{because}: {effect}",
                    Risk.HIGH if reasons or not connect else Risk.MEDIUM,
                    Side.HEAD,
                    pointer,
                    subject=_trim(value),
                    after=_trim(value),
                )
        for directive, entries in base.items():
            for value, pointer in _missing_from(head.get(directive, []), entries):
                self.add(
                    K.CSP_DOMAIN_REMOVED,
                    f"{_member('cspDomains', directive)} no longer lists {quote(value)}",
                    Risk.INFO,
                    Side.BASE,
                    pointer,
                    subject=_trim(value),
                    before=_trim(value),
                )

    def storage(self) -> None:
        base = self.base.values("", self.base.root, "storage")
        head = self.head.values("", self.head.root, "storage")
        if True in head and True not in base:
            self.add(
                K.STORAGE_ENABLED,
                "storage is now on (false to true): the extension keeps data in Desk's "
                "extension storage",
                Risk.MEDIUM,
                Side.HEAD,
                "/storage",
                before="false",
                after="true",
            )
        elif True in base and True not in head and self.head.doc is not None:
            self.add(
                K.STORAGE_DISABLED,
                "storage is now off (true to false)",
                Risk.INFO,
                Side.HEAD if "storage" in self.head.root else Side.BASE,
                "/storage",
                before="true",
                after="false",
            )

    def callback_urls(self, side: _Side) -> dict[tuple[str, str], str]:
        """Every (listener key, trimmed URL) a side declares, with the pointer of its first."""
        urls: dict[tuple[str, str], str] = {}
        for value in side.values("", side.root, "callbackListener"):
            if not isinstance(value, dict):
                continue
            for key in value:
                for url in side.values("/callbackListener", value, key):
                    if isinstance(url, str) and _trim(url):
                        urls.setdefault((key, _trim(url)), join_pointer("/callbackListener", key))
        return urls

    def callbacks(self) -> None:
        base = self.callback_urls(self.base)
        head = self.callback_urls(self.head)
        base_by_key: dict[str, list[str]] = {}
        for key, url in base:
            base_by_key.setdefault(key, []).append(url)
        for (key, url), pointer in head.items():
            if (key, url) in base:
                continue
            member = _member("callbackListener", key)
            olds = base_by_key.get(key, [])
            if not olds:
                self.add(
                    K.CALLBACK_ADDED,
                    f"{member} is new: Desk will post events and a security "
                    f"context to {quote(url)}",
                    Risk.HIGH,
                    Side.HEAD,
                    pointer,
                    subject=url,
                    after=url,
                )
                continue
            same_host = _host(url) is not None and _host(url) in {_host(o) for o in olds}
            self.add(
                K.CALLBACK_MOVED,
                f"{member} now points to {quote(url)} instead of {quote(olds[0])}"
                + (" (same host, another path)" if same_host else " (another host)"),
                Risk.MEDIUM if same_host else Risk.HIGH,
                Side.HEAD,
                pointer,
                subject=url,
                before=olds[0],
                after=url,
            )
        head_keys = {key for key, _url in head}
        for (key, url), pointer in base.items():
            if key not in head_keys:
                self.add(
                    K.CALLBACK_REMOVED,
                    f"{_member('callbackListener', key)} was removed",
                    Risk.INFO,
                    Side.BASE,
                    pointer,
                    before=url,
                )

    def config_items(self, side: _Side) -> dict[str, tuple[str, dict[str, Any], _Flags]]:
        """Config items by trimmed name: pointer, item, and the JSON texts of the values its
        ``secure`` and ``userdefined`` flags have (every duplicate counted)."""
        items: dict[str, tuple[str, dict[str, Any], _Flags]] = {}
        for array in side.values("", side.root, "config"):
            if not isinstance(array, list):
                continue
            for index, item in enumerate(array):
                if not isinstance(item, dict):
                    continue
                name = item.get("name")
                if not isinstance(name, str) or not _trim(name):
                    continue
                pointer = join_pointer("", "config", index)
                flags = {
                    flag: {json.dumps(v) for v in side.values(pointer, item, flag)}
                    for flag in ("secure", "userdefined")
                }
                known = items.get(_trim(name))
                if known is not None:
                    for flag, values in flags.items():
                        known[2][flag].update(values)
                else:
                    items[_trim(name)] = (pointer, item, flags)
        return items

    def config(self) -> None:
        base = self.config_items(self.base)
        for name, (pointer, item, flags) in self.config_items(self.head).items():
            label = " ".join(str(item.get(k, "")) for k in ("name", "displayName"))
            credential = bool(_CREDENTIAL.search(label))
            old = base.get(name)
            if old is not None:
                if "true" in old[2]["secure"] and "false" in flags["secure"]:
                    self.add(
                        K.CONFIG_SECURE_DISABLED,
                        f"config item {quote(name)} is no longer secure (secure true to false): "
                        "its value becomes readable by widget code",
                        Risk.HIGH,
                        Side.HEAD,
                        join_pointer(pointer, "secure"),
                        subject=name,
                        before="true",
                        after="false",
                    )
                was_admins = "true" in old[2]["userdefined"]
                if credential and was_admins and "false" in flags["userdefined"]:
                    self.add(
                        K.CONFIG_USERDEFINED_DISABLED,
                        f"config item {quote(name)} looks like a credential and is no longer set "
                        "by the installing admin (userdefined true to false): the extension's "
                        "own value is used instead",
                        Risk.MEDIUM,
                        Side.HEAD,
                        join_pointer(pointer, "userdefined"),
                        subject=name,
                        before="true",
                        after="false",
                    )
                continue
            if credential and "true" not in flags["secure"]:
                self.add(
                    K.CONFIG_CREDENTIAL_INSECURE,
                    f"config item {quote(name)} looks like a credential but is not marked "
                    "secure: its value would be readable by widget code",
                    Risk.HIGH,
                    Side.HEAD,
                    pointer,
                    subject=name,
                )

    def extension_type(self) -> None:
        def kinds(side: _Side) -> set[str]:
            return {
                ascii_lower(_trim(v))
                for v in side.values("", side.root, "type")
                if isinstance(v, str)
            }

        base, head = kinds(self.base), kinds(self.head)
        if not base or not head or base == head:
            return
        if "org" in head and "org" not in base:
            shared = any("false" in c.user_access for c in self.head_connections.values())
            self.add(
                K.TYPE_ORG,
                "the extension type is now org (was personal): an admin installs and "
                "configures it for the whole portal"
                + ("; a connection is shared by every user" if shared else ""),
                Risk.HIGH if shared else Risk.MEDIUM,
                Side.HEAD,
                "/type",
                before=", ".join(sorted(base)),
                after="org",
            )
        elif "personal" in head and "personal" not in base:
            self.add(
                K.TYPE_PERSONAL,
                "the extension type is now personal (was org): each user installs it",
                Risk.LOW,
                Side.HEAD,
                "/type",
                before=", ".join(sorted(base)),
                after="personal",
            )

    def widgets_of(self, side: _Side) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for modules in side.values("", side.root, "modules"):
            for array in side.values("/modules", modules, "widgets"):
                if not isinstance(array, list):
                    continue
                for index, widget in enumerate(array):
                    if not isinstance(widget, dict):
                        continue
                    location = widget.get("location")
                    where = _trim(location) if isinstance(location, str) else ""
                    pointer = join_pointer("", "modules", "widgets", index)
                    found.setdefault(where, []).append((pointer, widget))
        return found

    def widgets(self) -> None:
        base = self.widgets_of(self.base)
        head = self.widgets_of(self.head)
        for location, widgets in head.items():
            olds = base.get(location, [])
            for number, (pointer, widget) in enumerate(widgets):
                if number < len(olds):
                    self.widget_url(location, olds[number][1], pointer, widget)
                else:
                    self.widget_added(location, pointer, widget)
        for location, widgets in base.items():
            news = head.get(location, [])
            for number, (pointer, widget) in enumerate(widgets):
                if number >= len(news):
                    name = widget.get("name")
                    self.add(
                        K.WIDGET_REMOVED,
                        f"the widget at {quote(location or '(no location)')} was removed"
                        + (f" ({quote(name)})" if isinstance(name, str) else ""),
                        Risk.INFO,
                        Side.BASE,
                        pointer,
                        subject=location,
                        before=location,
                    )

    def widget_added(self, location: str, pointer: str, widget: dict[str, Any]) -> None:
        shown = quote(location or "(no location)")
        lowered = ascii_lower(location)
        if lowered in INVISIBLE_LOCATIONS:
            kind, risk = K.WIDGET_INVISIBLE_ADDED, Risk.MEDIUM
            detail = f"a new widget at {shown} runs unseen on every page"
        elif lowered.startswith("helpcenter."):
            kind, risk = K.WIDGET_HELPCENTER_ADDED, Risk.MEDIUM
            detail = f"a new widget at {shown} runs in the public help centre, seen by customers"
        else:
            kind, risk = K.WIDGET_ADDED, Risk.INFO
            detail = f"a new widget at {shown}"
        self.add(kind, detail, risk, Side.HEAD, pointer, subject=location, after=location)
        url = widget.get("url")
        if _host(url) is not None:
            self.add(
                K.WIDGET_REMOTE_CODE,
                f"the new widget at {shown} loads its code from {quote(url)}, outside the "
                "reviewed package",
                Risk.HIGH,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=url if isinstance(url, str) else None,
                after=url if isinstance(url, str) else None,
            )
        self.other_dc_urls(location, pointer, widget, {})

    def widget_url(
        self, location: str, old: dict[str, Any], pointer: str, widget: dict[str, Any]
    ) -> None:
        before, after = old.get("url"), widget.get("url")
        shown = quote(location or "(no location)")
        if isinstance(after, str) and before != after:
            was = before if isinstance(before, str) else None
            new_host = _host(after)
            if new_host is not None and new_host != _host(before):
                kind, risk = K.WIDGET_REMOTE_CODE, Risk.HIGH
                detail = (
                    f"the widget at {shown} now loads its code from {quote(after)} instead of "
                    f"{quote(was or '')}, outside the reviewed package"
                )
            else:
                kind, risk = K.WIDGET_URL_CHANGED, Risk.INFO
                detail = (
                    f"the widget at {shown} now loads {quote(after)} instead of {quote(was or '')}"
                )
            self.add(
                kind,
                detail,
                risk,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=after,
                before=was,
                after=after,
            )
        self.other_dc_urls(location, pointer, widget, old)

    def other_dc_urls(
        self, location: str, pointer: str, widget: dict[str, Any], old: dict[str, Any]
    ) -> None:
        def hosts(value: Any) -> dict[str, str]:
            found: dict[str, str] = {}
            if isinstance(value, dict):
                for key, url in value.items():
                    host = _host(url)
                    if host is not None:
                        found.setdefault(host, key)
            return found

        known = hosts(old.get("other_dc_urls"))
        for host, key in hosts(widget.get("other_dc_urls")).items():
            if host not in known:
                self.add(
                    K.WIDGET_REMOTE_CODE,
                    f"the widget at {quote(location or '(no location)')} loads code from "
                    f"{quote(host)} in data centre {quote(key)}, outside the reviewed package",
                    Risk.HIGH,
                    Side.HEAD,
                    join_pointer(pointer, "other_dc_urls", key),
                    subject=host,
                    after=host,
                )

    def secret(self) -> None:
        self.secrets(
            [(v, "/secret") for v in self.base.values("", self.base.root, "secret")],
            [(v, "/secret") for v in self.head.values("", self.head.root, "secret")],
            "the callback secret",
        )


def _desk_oauth(side: _Side) -> tuple[bool, list[GrantScope], list[tuple[Any, str]]]:
    """Whether a side has deskOauth, its distinct scopes, and its client secrets."""
    values = [v for v in side.values("", side.root, "deskOauth") if v]
    scopes = [
        GrantScope(raw, pointer)
        for value in values
        for raw, pointer in side.strings("/deskOauth", value, "scopes")
    ]
    secrets = [
        (secret, "/deskOauth/clientSecret")
        for value in values
        for secret in side.values("/deskOauth", value, "clientSecret")
    ]
    return bool(values), _unique(scopes), secrets


def _tpa_scopes(side: _Side, pointer: str, item: dict[str, Any]) -> Iterator[GrantScope]:
    for member in ("scope", "scopes"):
        for value in side.values(pointer, item, member):
            yield from split_scopes(value, join_pointer(pointer, member), split_spaces=True)
    params = item.get("params")
    if isinstance(params, dict):
        member = join_pointer(pointer, "params")
        for value in side.values(member, params, "scope"):
            yield from split_scopes(value, join_pointer(member, "scope"), split_spaces=True)


def _missing_from(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (value, pointer) entries of ``new`` whose trimmed value ``old`` lacks, first of each."""
    known = {_trim(value) for value, _ in old}
    seen: dict[str, tuple[str, str]] = {}
    for value, pointer in new:
        if _trim(value) not in known:
            seen.setdefault(_trim(value), (value, pointer))
    return list(seen.values())


# --- resources.json ------------------------------------------------------------------------


def _webhooks(side: _Side) -> dict[str, tuple[str, str | None, set[str]]]:
    hooks: dict[str, tuple[str, str | None, set[str]]] = {}
    for value in side.values("", side.root, "webhook"):
        items = value if isinstance(value, list) else [value]
        for index, hook in enumerate(items):
            if not isinstance(hook, dict):
                continue
            pointer = "/webhook" if not isinstance(value, list) else f"/webhook/{index}"
            name = hook.get("name") or hook.get("resourceName") or f"#{index}"
            url = hook.get("url")
            events: set[str] = set()
            for subscriptions in side.values(pointer, hook, "subscriptions"):
                if isinstance(subscriptions, dict):
                    events.update(str(k) for k in subscriptions)
                elif isinstance(subscriptions, list):
                    events.update(str(e) for e in subscriptions if isinstance(e, str))
            hooks.setdefault(str(name), (pointer, url if isinstance(url, str) else None, events))
    return hooks


def _resources_changes(base: _Side, head: _Side) -> list[Change]:
    diff = _Collector(base, head)
    old = _webhooks(base)
    new = _webhooks(head)
    for name, (pointer, url, events) in new.items():
        known = old.get(name)
        target = quote(url or "")
        if known is None:
            diff.add(
                K.WEBHOOK_ADDED,
                f"resources.json has a new webhook {quote(name)}: Desk will push "
                f"{plural(len(events), 'event type')} to {target}",
                Risk.HIGH,
                Side.HEAD,
                pointer,
                subject=url,
                after=url,
            )
            continue
        new_events = sorted(events - known[2])
        if url is not None and _host(url) != _host(known[1]):
            diff.add(
                K.WEBHOOK_ADDED,
                f"webhook {quote(name)} in resources.json now posts to {target} instead of "
                f"{quote(known[1] or '')}",
                Risk.HIGH,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=url,
                before=known[1],
                after=url,
            )
        if new_events:
            shown = ", ".join(quote(e) for e in new_events[:5])
            diff.add(
                K.WEBHOOK_ADDED,
                f"webhook {quote(name)} in resources.json now also receives {shown}"
                + (f" and {len(new_events) - 5} more" if len(new_events) > 5 else ""),
                Risk.HIGH,
                Side.HEAD,
                join_pointer(pointer, "subscriptions"),
                subject=url,
            )
    for name, (pointer, _url, _events) in old.items():
        if name not in new:
            diff.add(
                K.WEBHOOK_REMOVED,
                f"webhook {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
            )
    _target_changes(diff, old)
    _permission_changes(diff)
    return diff.changes


def _named_items(side: _Side, key: str, *names: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The objects of array ``key`` of resources.json by their first non-blank name member
    (or ``#index``), with pointers; on the head side duplicated arrays all count."""
    items: dict[str, tuple[str, dict[str, Any]]] = {}
    for value in side.values("", side.root, key):
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            label = next(
                (_trim(v) for n in names if isinstance(v := item.get(n), str) and _trim(v)),
                f"#{index}",
            )
            items.setdefault(label, (join_pointer("", key, index), item))
    return items


def _url_of(item: dict[str, Any]) -> str | None:
    url = item.get("url")
    return url if isinstance(url, str) else None


def _target_changes(
    diff: _Collector, old_hooks: dict[str, tuple[str, str | None, set[str]]]
) -> None:
    """Targets (the outbound requests custom actions make, with Desk data): new ones, and
    ones moved to another host; high when the host is new to resources.json."""
    old = _named_items(diff.base, "targets", "targetName", "resourceName")
    new = _named_items(diff.head, "targets", "targetName", "resourceName")
    known_hosts = {_host(_url_of(item)) for _, item in old.values()}
    known_hosts |= {_host(url) for _, url, _ in old_hooks.values()}
    known_hosts.discard(None)
    for name, (pointer, item) in new.items():
        url = _url_of(item)
        host = _host(url)
        risk = Risk.MEDIUM if host in known_hosts else Risk.HIGH
        before = old.get(name)
        if before is None:
            diff.add(
                K.TARGET_ADDED,
                f"resources.json has a new target {quote(name)}: custom actions can send "
                f"Desk data to {quote(url or '')}"
                + ("" if host in known_hosts else ", a host resources.json did not use before"),
                risk,
                Side.HEAD,
                pointer,
                subject=url,
                after=url,
            )
        elif url is not None and host != _host(_url_of(before[1])):
            old_url = _url_of(before[1]) or ""
            diff.add(
                K.TARGET_ADDED,
                f"target {quote(name)} in resources.json now sends to {quote(url)} instead of "
                f"{quote(old_url)}",
                risk,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=url,
                before=old_url,
                after=url,
            )
    for name, (pointer, item) in old.items():
        if name not in new:
            diff.add(
                K.TARGET_REMOVED,
                f"target {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
                before=_url_of(item),
            )


def _permission_changes(diff: _Collector) -> None:
    """Extension-specific permissions: new ones, and ones now granted by default."""
    old = _named_items(diff.base, "permissions", "apiName")
    new = _named_items(diff.head, "permissions", "apiName")
    for name, (pointer, item) in new.items():
        on = item.get("defaultState") is True
        before = old.get(name)
        if before is None:
            diff.add(
                K.PERMISSION_ADDED,
                f"resources.json declares a new permission {quote(name)}"
                + (" that is granted by default (defaultState true)" if on else ""),
                Risk.MEDIUM,
                Side.HEAD,
                pointer,
                subject=name,
                after=name,
            )
        elif on and before[1].get("defaultState") is not True:
            diff.add(
                K.PERMISSION_DEFAULT_ON,
                f"permission {quote(name)} in resources.json is now granted by default "
                "(defaultState false to true)",
                Risk.MEDIUM,
                Side.HEAD,
                join_pointer(pointer, "defaultState"),
                subject=name,
                before=json.dumps(before[1].get("defaultState")),
                after="true",
            )
    for name, (pointer, _item) in old.items():
        if name not in new:
            diff.add(
                K.PERMISSION_REMOVED,
                f"permission {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
                before=name,
            )


# --- entry points ----------------------------------------------------------------------------


def diff_manifests(
    base: Document | None,
    head: Document | None,
    *,
    base_resources: Document | None = None,
    head_resources: Document | None = None,
) -> ManifestDiff:
    """Compare two versions of one manifest (None: the side does not exist).

    Without a base, the manifest is new and every grant in it is new; without a head, it was
    deleted and everything is reported as removed. resources.json documents, when given, add
    webhook changes.
    """
    if base is None and head is None:
        return ManifestDiff((), ())
    diff = _Diff(_Side(base, Side.BASE), _Side(head, Side.HEAD))
    if base is None:
        diff.add(
            K.MANIFEST_ADDED,
            "the manifest is new: every grant in it is new",
            Risk.INFO,
            Side.HEAD,
            "",
        )
    elif head is None:
        diff.add(K.MANIFEST_REMOVED, "the manifest was deleted", Risk.INFO, Side.BASE, "")
    diff.connections()
    diff.desk_oauth()
    diff.tpa_oauth()
    diff.domains()
    diff.csp()
    diff.storage()
    diff.callbacks()
    diff.secret()
    diff.config()
    diff.extension_type()
    diff.widgets()
    changes = list(diff.changes)
    if base_resources is not None or head_resources is not None:
        changes.extend(
            _resources_changes(_Side(base_resources, Side.BASE), _Side(head_resources, Side.HEAD))
        )
    ordered = tuple(sorted(changes, key=lambda c: c.sort_key))
    return ManifestDiff(ordered, tuple(diff.rows))


def diff_documents(
    base: Document | None,
    head: Document | None,
    *,
    base_resources: Document | None = None,
    head_resources: Document | None = None,
) -> tuple[Change, ...]:
    """The changes between two versions of one manifest (see :func:`diff_manifests`)."""
    return diff_manifests(
        base, head, base_resources=base_resources, head_resources=head_resources
    ).changes
