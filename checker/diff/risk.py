"""How serious a new scope is beyond its catalogue tier: reference table (d), rows 2 and 3, and
Desk's documented scope alternatives (pure functions).

The tier itself comes from the scope catalogue (:func:`checker.catalog.risk.scope_tier`).
Imports :mod:`checker.scopes` and :mod:`checker.changes` only.
"""

from __future__ import annotations

from checker.changes import Risk
from checker.scopes import ZohoScope, ascii_lower, parse_zoho_scope


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
