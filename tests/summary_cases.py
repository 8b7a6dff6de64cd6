"""Representative pull requests for the reviewer's summary, shared by the golden tests and the
screenshot tool (tests/tools/render_summaries.py): each case is a base and a head manifest."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY
from checker.report import FailOn, Report
from checker.reporters.permalinks import LinkContext

ROOT = Path(__file__).resolve().parent.parent
PATH = "extensions/orders/plugin-manifest.json"
HEAD_SHA = "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"
BASE_SHA = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d"
LINKS = LinkContext("https://github.com", "octo-org/orders-extension", HEAD_SHA, "", BASE_SHA)
HOSTILE = "@octocat <img src=x onerror=alert(1)> | [click](https://evil.example) `x` **b** #1"

Manifest = dict[str, Any]


def example() -> Manifest:
    """The bundled example extension's manifest."""
    text = (ROOT / "examples" / "desk-extension" / "plugin-manifest.json").read_text("utf-8")
    data: Manifest = json.loads(text)
    return data


def _with(
    change: Callable[[Manifest], None], base: Manifest | None = None
) -> tuple[Manifest, Manifest]:
    base = base or example()
    head = copy.deepcopy(base)
    change(head)
    return base, head


def new_scope() -> tuple[Manifest, Manifest]:
    """One new Desk scope: the commonest escalation."""
    return _with(lambda m: m["zohoAuthorisation"]["scope"].append("Desk.settings.ALL"))


def broadened() -> tuple[Manifest, Manifest]:
    """A READ scope becomes ALL, and a third-party scope is added beside it."""

    def change(m: Manifest) -> None:
        m["zohoAuthorisation"]["scope"] = ["Desk.contacts.ALL"]
        m["connectors"][0]["scope"].append("write")

    return _with(change)


def removed() -> tuple[Manifest, Manifest]:
    """Scopes and a whole connection removed: nothing escalates."""
    base = example()
    base["zohoAuthorisation"]["scope"] = ["Desk.contacts.READ", "Desk.tickets.READ"]

    def change(m: Manifest) -> None:
        m["zohoAuthorisation"]["scope"] = ["Desk.contacts.READ"]
        m["connectors"] = []

    return _with(change, base)


def many_unchanged() -> tuple[Manifest, Manifest]:
    """A connection with two dozen scopes, one of them new: the rest collapse to a count."""
    base = example()
    base["zohoAuthorisation"]["scope"] = [
        f"Desk.{name}.READ"
        for name in (
            "tickets",
            "contacts",
            "basic",
            "settings",
            "search",
            "articles",
            "events",
            "calls",
            "tasks",
            "products",
            "community",
            "activities",
        )
    ] + ["ZohoCRM.modules.accounts.READ", "ZohoCRM.modules.contacts.READ"]
    return _with(lambda m: m["zohoAuthorisation"]["scope"].append("Desk.tickets.UPDATE"), base)


def hostile() -> tuple[Manifest, Manifest]:
    """Manifest values that try to mention, inject HTML or links, and break tables."""

    def change(m: Manifest) -> None:
        m["zohoAuthorisation"]["scope"].append(HOSTILE)
        m["connectors"].append(
            {
                "connectionLinkName": HOSTILE,
                "connectionName": HOSTILE,
                "serviceName": HOSTILE,
                "userAccess": True,
                "isUserDefinedService": True,
                "sharedBy": "20081234567",
                "scope": ["a`b``c", "<script>alert(1)</script>"],
            }
        )

    return _with(change)


def many_findings() -> tuple[Manifest, Manifest]:
    """Fourteen scopes written with a trailing space: one finding each, more than ten."""
    return _with(
        lambda m: m["zohoAuthorisation"]["scope"].extend(f"Desk.t{i}.READ " for i in range(14))
    )


LONG_SCOPES = (
    "ZohoCRM.settings.custom_views.READ",
    "Desk.extensions.ALL",
    "ZohoCRM.modules.custom_module_with_a_rather_long_api_name.ALL",
)


def long_scopes() -> tuple[Manifest, Manifest]:
    """Scopes up to 60 characters and URL scopes of a third-party connection."""

    def change(m: Manifest) -> None:
        m["zohoAuthorisation"]["scope"].extend(LONG_SCOPES)
        m["connectors"].append(
            {
                "connectionLinkName": "google_drive_shared_documents_connection",
                "connectionName": "google_drive_shared_documents_connection",
                "serviceName": "google_drive_integration_for_orders",
                "userAccess": True,
                "isUserDefinedService": True,
                "sharedBy": "20081234567",
                "scope": [
                    "https://www.googleapis.com/auth/drive.readonly",
                    "https://www.googleapis.com/auth/spreadsheets",
                ],
            }
        )

    return _with(change)


CASES: dict[str, Callable[[], tuple[Manifest, Manifest]]] = {
    "new-scope": new_scope,
    "broadened": broadened,
    "removed": removed,
    "many-unchanged": many_unchanged,
    "hostile": hostile,
    "many-findings": many_findings,
    "long-scopes": long_scopes,
}


def report(name: str) -> Report:
    """The case's report, as ``diff`` and the Action build it."""
    base, head = CASES[name]()

    def source(value: Manifest) -> ExtensionInput:
        text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        return ExtensionInput(PATH, text.encode(), root="extensions/orders")

    pair = ManifestPair(PATH, source(base), source(head))
    return analyse([pair], DEFAULT_POLICY, fail_on=FailOn.ERROR)
