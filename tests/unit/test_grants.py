"""Grants in every shape: zohoAuthorisation, connectors, usedConnections, Catalyst's client and
Creator's authConfig (the diff reads them through this module: tests/unit/test_diff_grants.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.grants import Grant, GrantScope, GrantSource, read_grants, split_scopes
from checker.source import Document, parse


def document(value: Any) -> Document:
    text = value if isinstance(value, str) else json.dumps(value, indent=2)
    parsed = parse("plugin-manifest.json", text.encode("utf-8"))
    assert parsed.document is not None
    return parsed.document


def grants(value: Any, *, every_duplicate: bool = False) -> tuple[Grant, ...]:
    return read_grants(document(value), every_duplicate=every_duplicate)


def scopes(grant: Grant) -> list[tuple[str, str]]:
    return [(s.raw, s.pointer) for s in grant.scopes]


def test_desk_zoho_authorisation_and_connectors() -> None:
    [zoho, github] = grants(
        {
            "service": "DESK",
            "zohoAuthorisation": {
                "type": "connectors",
                "connectionLinkName": "Desk_Link ",
                "serviceName": "zlabs_integration",
                "scope": ["Desk.tickets.READ", " ", 5],
            },
            "connectors": [
                {"connectionName": "GitHub", "serviceName": "github", "scope": ["repo"]},
                {},
                "x",
            ],
        }
    )
    assert zoho.source is GrantSource.ZOHO_AUTHORISATION
    assert (zoho.key, zoho.name, zoho.zoho, zoho.product) == (
        "link:desk_link",
        "Desk_Link",
        True,
        "DESK",
    )
    assert scopes(zoho) == [("Desk.tickets.READ", "/zohoAuthorisation/scope/0")]
    assert github.key == "name:github/github"
    assert (github.pointer, github.zoho, github.service_name) == ("/connectors/0", False, "github")
    assert github.pointer_of("scope") == "/connectors/0/scope"
    assert github.pointer_of("sharedBy") == "/connectors/0"


def test_finance_used_connections() -> None:
    [books, bitly, bare] = grants(
        {
            "service": "FINANCE",
            "usedConnections": [
                {
                    "connectionLinkName": "zohobooks",
                    "serviceName": "zoho_books",
                    "isUserDefinedService": False,
                    "scope": ["ZohoBooks.invoices.UPDATE", "ZohoBooks.settings.All"],
                },
                {"connectionLinkName": "bitly", "serviceName": "bitly", "userAccess": "true"},
                {"connectionLinkName": "sign"},
            ],
        }
    )
    assert books.source is GrantSource.USED_CONNECTIONS
    assert books.zoho  # a zoho_* service that is not user-defined: Zoho's scope grammar
    assert scopes(books) == [
        ("ZohoBooks.invoices.UPDATE", "/usedConnections/0/scope/0"),
        ("ZohoBooks.settings.All", "/usedConnections/0/scope/1"),
    ]
    assert not bitly.zoho
    assert bitly.user_access == ("true",)
    assert (bare.key, bare.scopes, bare.service_names) == ("link:sign", (), ())


def test_inventory_user_defined_service_is_not_zoho() -> None:
    [custom] = grants(
        {
            "service": "INVENTORY",
            "usedConnections": [
                {
                    "connectionLinkName": "zoho_like",
                    "serviceName": "zoho_custom",
                    "isUserDefinedService": True,
                    "scope": ["read"],
                }
            ],
        }
    )
    assert not custom.zoho
    assert custom.user_defined == (True,)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("ZohoCatalyst.tables.rows.READ", ["ZohoCatalyst.tables.rows.READ"]),
        ("A.b.READ B.c.ALL", ["A.b.READ", "B.c.ALL"]),
        ("A.b.READ,B.c.ALL", ["A.b.READ", "B.c.ALL"]),
        (" A.b.READ ,\tB.c.ALL\n", ["A.b.READ", "B.c.ALL"]),
        ("", []),
    ],
)
def test_catalyst_client_scope_is_one_string(scope: str, expected: list[str]) -> None:
    value = {
        "service": "CATALYST",
        "client": {"id": "1000.X", "scope": scope, "accounts-url": "https://accounts.zoho.com"},
    }
    found = grants(value)
    if not expected:
        assert [g.scopes for g in found] == [()]
        return
    [client] = found
    assert client.source is GrantSource.CATALYST_CLIENT
    assert (client.key, client.name, client.zoho) == ("client", "client 1000.X", True)
    assert scopes(client) == [(raw, "/client/scope") for raw in expected]


def test_creator_auth_config_scopes() -> None:
    [auth] = grants(
        {
            "service": "CREATOR",
            "authConfig": {
                "type": "oauth",
                "scopes": ["ZohoCreator.report.READ", "ZohoCreator.form.CREATE"],
            },
        }
    )
    assert auth.source is GrantSource.CREATOR_AUTH_CONFIG
    assert (auth.key, auth.zoho) == ("authConfig", True)
    assert scopes(auth) == [
        ("ZohoCreator.report.READ", "/authConfig/scopes/0"),
        ("ZohoCreator.form.CREATE", "/authConfig/scopes/1"),
    ]


def test_projects_connectors() -> None:
    [crm] = grants(
        {
            "service": "PROJECTS",
            "connectors": [
                {
                    "connectionName": "crm",
                    "connectionLinkName": "crm_link",
                    "serviceName": "zlabs_integration",
                    "userAccess": True,
                    "isUserDefinedService": False,
                    "scope": ["ZohoCRM.modules.READ"],
                }
            ],
        }
    )
    assert (crm.source, crm.key, crm.zoho) == (GrantSource.CONNECTORS, "link:crm_link", True)
    assert crm.product == "PROJECTS"


def test_shapes_are_read_whatever_the_service_says() -> None:
    value = {
        "service": "DESK",
        "client": {"scope": "Desk.tickets.ALL"},
        "authConfig": {"scopes": ["Desk.basic.READ"]},
    }
    assert [g.source for g in grants(value)] == [
        GrantSource.CATALYST_CLIENT,
        GrantSource.CREATOR_AUTH_CONFIG,
    ]
    assert grants({"client": {"id": "x"}, "authConfig": {"type": "oauth"}}) == ()


def test_every_duplicate_counts_on_request() -> None:
    text = (
        '{"service": "FINANCE", "usedConnections": [{"connectionLinkName": "books",'
        ' "scope": ["ZohoBooks.fullaccess.all"], "scope": ["ZohoBooks.invoices.READ"]}]}'
    )
    [last] = grants(text)
    assert [s.raw for s in last.scopes] == ["ZohoBooks.invoices.READ"]
    [every] = grants(text, every_duplicate=True)
    assert [s.raw for s in every.scopes] == ["ZohoBooks.fullaccess.all", "ZohoBooks.invoices.READ"]


def test_split_scopes_of_a_lone_connector_string() -> None:
    found = list(split_scopes("A.b.READ,B.c.ALL", "/connectors/0/scope"))
    assert found == [
        GrantScope("A.b.READ", "/connectors/0/scope"),
        GrantScope("B.c.ALL", "/connectors/0/scope"),
    ]
    assert list(split_scopes("A.b.READ B.c.ALL", "/p")) == [GrantScope("A.b.READ B.c.ALL", "/p")]
