"""Shared helpers for the manifest rule and diff tests: a valid Desk manifest, its parts, and a
one-call checker."""

from __future__ import annotations

import copy
import json
from typing import Any

from checker.extension import ExtensionInput, FileTree
from checker.findings import Finding, Severity
from checker.validate import check_extension

TREE = FileTree(
    {
        "plugin-manifest.json": 900,
        "resources.json": 2,
        "app/widget.html": 200,
        "app/translations/en.json": 28,
        "app/img/logo.png": 69,
        "app/img/icon.png": 69,
    },
    frozenset({"app", "app/img", "app/translations"}),
)

WIDGET: dict[str, Any] = {
    "name": "Ticket panel",
    "url": "/app/widget.html",
    "location": "desk.ticket.detail.rightpanel",
    "logo": "/app/img/logo.png",
    "icon": "/app/img/icon.png",
}

VALID: dict[str, Any] = {
    "locale": ["en"],
    "service": "DESK",
    "storage": True,
    "type": "org",
    "modules": {"widgets": [WIDGET]},
    "connectors": [],
    "config": [],
    "whiteListedDomains": ["https://api.example.com"],
    "cspDomains": {"connect-src": ["https://api.example.com"]},
    "zohoAuthorisation": {},
    "moduleSupport": False,
}


def zoho_authorisation(*scopes: str, link: str = "zoho_desk", **extra: Any) -> dict[str, Any]:
    """A complete zohoAuthorisation object with these scopes; ``extra`` overrides members."""
    value: dict[str, Any] = {
        "type": "connectors",
        "connectionLinkName": link,
        "connectionName": link,
        "serviceName": "zlabs_integration",
        "userAccess": True,
        "isUserDefinedService": False,
        "sharedBy": "123456789",
        "scope": list(scopes),
    }
    value.update(extra)
    return value


ZOHO_AUTHORISATION = zoho_authorisation("Desk.tickets.READ")


def connector(name: str, service: str, **extra: Any) -> dict[str, Any]:
    """A complete connector object; ``extra`` overrides members."""
    item: dict[str, Any] = {
        "connectionLinkName": name.lower().replace(" ", "_"),
        "connectionName": name,
        "serviceName": service,
        "userAccess": True,
        "isUserDefinedService": False,
        "sharedBy": "123456789",
        "scope": [],
    }
    item.update(extra)
    return item


def manifest(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`VALID` with top-level members replaced (``None`` values kept)."""
    value = copy.deepcopy(VALID)
    value.update(copy.deepcopy(changes))
    return value


def with_widgets(*widgets: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """:func:`manifest` with these widgets."""
    return manifest(modules={"widgets": list(widgets)}, **changes)


def check(value: Any, tree: FileTree | None = TREE) -> tuple[Finding, ...]:
    """Every finding of a full check of ``value`` serialised as the manifest."""
    text = value if isinstance(value, str) else json.dumps(value, indent=2)
    source = ExtensionInput(
        "plugin-manifest.json",
        text.encode("utf-8"),
        tree=tree,
        resources=b"{}",
        resources_present=True,
    )
    return check_extension(source).report.findings


def found(value: Any, rule: str, tree: FileTree | None = TREE) -> list[Finding]:
    """The findings of one rule."""
    return [f for f in check(value, tree) if f.rule == rule]


def pointers(value: Any, rule: str, tree: FileTree | None = TREE) -> list[str]:
    """The pointers of one rule's findings, in report order."""
    return [f.location.pointer for f in found(value, rule, tree)]


def severities(value: Any, rule: str) -> list[Severity]:
    """The severities of one rule's findings, in report order."""
    return [f.severity for f in found(value, rule)]
