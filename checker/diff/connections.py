"""The connections aspect: connections added, removed or changed (service, userAccess,
isUserDefinedService, sharedBy, display name), zohoAuthorisation, and each connection's
scope changes and table row.

Connections come in every grant shape (:mod:`checker.diff.declared`). Severities follow
table (d) of ``zoho-scopes-and-connections.md``; a scope's is the scope catalogue's tier.
Imports the shared modules of this package (sides, declared, collect, risk, scopes) and the
pure core; no other aspect.
"""

from __future__ import annotations

from checker.catalog.risk import read_only, zoho_named
from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Comparison
from checker.diff.declared import Connection, renamed_from, unique
from checker.diff.scopes import compare_scopes, row
from checker.diff.sides import quote
from checker.scopes import normalise
from checker.source import join_pointer
from checker.wording import plural

K = ChangeKind


def connections(diff: Comparison) -> None:
    """Every connection of either side, matched by identity."""
    base, head = diff.base_connections, diff.head_connections
    base_grants = any("zohoAuthorisation" in c.where for c in base.values())
    head_grants = any("zohoAuthorisation" in c.where for c in head.values())
    authorisation_added = head_grants and not base_grants
    gone = [connection for key, connection in base.items() if key not in head]
    for key, connection in head.items():
        old = base.get(key)
        if old is None:
            _added(diff, connection, authorisation_added, renamed_from(connection, gone))
        else:
            if authorisation_added and "zohoAuthorisation" in connection.where:
                _authorisation_added(diff, connection, existed=True)
            _changed(diff, old, connection)
    for key, connection in base.items():
        if key not in head:
            diff.add(
                K.CONNECTION_REMOVED,
                f"connection {quote(connection.name)} was removed "
                f"(it had {plural(len(unique(connection.scopes)), 'scope')})",
                Risk.INFO,
                Side.BASE,
                connection.pointer,
                connection=connection.name,
                service=connection.service,
                before=connection.name,
            )
            _scopes(diff, connection, None)
    if base_grants and not head_grants:
        diff.add(
            K.ZOHO_AUTHORISATION_REMOVED,
            "zohoAuthorisation no longer grants a Zoho OAuth connection",
            Risk.INFO,
            Side.BASE,
            "/zohoAuthorisation",
        )


def _authorisation_added(diff: Comparison, connection: Connection, *, existed: bool) -> None:
    scopes = plural(len(unique(connection.scopes)), "scope")
    moved = " (the connection was declared elsewhere before)" if existed else ""
    diff.add(
        K.ZOHO_AUTHORISATION_ADDED,
        f"zohoAuthorisation now grants connection {quote(connection.name)} "
        f"(service {quote(connection.service or '')}, {scopes})"
        + (f"; it was empty{moved}" if diff.base.doc is not None else ""),
        Risk.HIGH,
        Side.HEAD,
        "/zohoAuthorisation",
        connection=connection.name,
        subject=connection.service,
        service=connection.service,
        after=connection.name,
    )


def _added(
    diff: Comparison,
    connection: Connection,
    authorisation_added: bool,
    renamed: Connection | None = None,
) -> None:
    scopes = unique(connection.scopes)
    if authorisation_added and "zohoAuthorisation" in connection.where:
        _authorisation_added(diff, connection, existed=False)
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
        if renamed is not None:
            # still new: the installing admin must authorise a connection of this name
            notes.append(
                f"it may be a rename of removed connection {quote(renamed.name)}, "
                "which had the same service and scopes"
            )
        diff.add(
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
    _scopes(diff, None, connection)


def _changed(diff: Comparison, old: Connection, new: Connection) -> None:
    """How head declares a connection base declared too: each member change, then scopes."""

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
        diff.add(
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
        "true" in new.user_access and "false" in old.user_access and "false" not in new.user_access
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
    _scopes(diff, old, new)


def _scopes(diff: Comparison, old: Connection | None, new: Connection | None) -> None:
    """A connection's scope changes (none when it was removed) and its table row."""
    either = new or old
    assert either is not None
    base = unique(old.scopes) if old else []
    head = unique(new.scopes) if new else []
    zoho = (old is None or old.zoho) and (new is None or new.zoho)
    if new is not None:  # a removed connection's scopes go with its connection-removed
        compare_scopes(diff, either.name, either.key, base, head, zoho=zoho, service=either.service)
    diff.rows.append(
        row(
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
