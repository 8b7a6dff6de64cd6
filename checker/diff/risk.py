"""How serious a new scope is on its own: reference table (d), rows 1 to 3 (pure functions).

Imports :mod:`checker.scopes` and :mod:`checker.changes` only.
"""

from __future__ import annotations

import re

from checker.changes import Risk
from checker.scopes import KNOWN_SERVICES, ZohoScope, ascii_lower, parse_zoho_scope

GRANTING_OPERATIONS = frozenset({"CREATE", "UPDATE", "DELETE", "WRITE", "ALL", "CUSTOM"})
# Resources whose grants reach settings, users or integrations (reference b.1 ranking, (d) row 1).
SENSITIVE_RESOURCES = {
    "desk": frozenset({"settings", "integrations", "imports", "exports"}),
    "zohocrm": frozenset({"users", "org", "settings"}),
}
_ADMIN_WORDS = frozenset(
    {"admin", "write", "delete", "manage", "full", "fullaccess", "all", "repo", "owner", "root"}
)
_READ_WORDS = frozenset({"read", "readonly", "view"})
_WORDS = re.compile(r"[^a-z0-9*]+")


def _sensitive(scope: ZohoScope) -> bool:
    resources = SENSITIVE_RESOURCES.get(ascii_lower(scope.service), frozenset())
    first = ascii_lower(scope.resource[0]) if scope.resource else ""
    if first in resources:
        return True
    return ascii_lower(scope.service) == "desk" and first == "basic" and scope.operation != "READ"


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


def _words(raw: str) -> set[str]:
    return {w for w in _WORDS.split(raw.lower()) if w}


def scope_risk(scope: ZohoScope) -> Risk:
    """Severity of a new Zoho scope on its own (reference table (d), rows 1 and 2)."""
    if scope.is_full_access:
        return Risk.CRITICAL
    if scope.operation is None or scope.operation in GRANTING_OPERATIONS or _sensitive(scope):
        return Risk.HIGH
    return Risk.MEDIUM


def third_party_risk(raw: str) -> Risk:
    """Severity of a new scope compared exactly; Zoho-shaped ones (zoho_crm, ...) as Zoho's."""
    scope = parse_zoho_scope(raw)
    if scope is not None and ascii_lower(scope.service) in KNOWN_SERVICES:
        return scope_risk(scope)
    words = _words(raw)
    if words & _ADMIN_WORDS or "*" in raw:
        return Risk.HIGH
    return Risk.MEDIUM


def read_only(raw: str) -> bool:
    """Whether a third-party scope reads like a read-only grant (and not an admin one)."""
    words = _words(raw)
    return bool(words & _READ_WORDS) and not words & _ADMIN_WORDS


def lower(risk: Risk) -> Risk:
    """One step less serious, never below medium (a capability held by another connection)."""
    return {Risk.CRITICAL: Risk.HIGH, Risk.HIGH: Risk.MEDIUM}.get(risk, risk)
