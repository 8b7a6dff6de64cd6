"""Grants in every shape: zohoAuthorisation, connectors, usedConnections, Catalyst's client and
Creator's authConfig; and the same reading of Desk's shapes as the diff makes today."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checker.changes import Side
from checker.diff import _connections, _Side
from checker.grants import Grant, GrantScope, GrantSource, read_grants, split_scopes
from checker.scopes import normalise
from checker.source import Document, parse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared")) / "corpus"


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


# --- the same reading as the diff's, on every manifest of the shared corpus -------------


def _merged(found: tuple[Grant, ...]) -> dict[str, dict[str, Any]]:
    """The grants of Desk's shapes merged by identity, as checker.diff merges declarations."""
    merged: dict[str, dict[str, Any]] = {}
    for grant in found:
        if grant.source in (GrantSource.CATALYST_CLIENT, GrantSource.CREATOR_AUTH_CONFIG):
            continue
        entry = merged.setdefault(
            grant.key,
            {
                "name": grant.name,
                "pointer": grant.pointer,
                "where": [],
                "zoho": False,
                "services": {},
                "scopes": [],
                "names": set(),
                "user_access": set(),
                "user_defined": set(),
                "pointers": {},
            },
        )
        if grant.source.value not in entry["where"]:
            entry["where"].append(grant.source.value)
        entry["zoho"] = entry["zoho"] or grant.zoho
        for service in grant.service_names:
            entry["services"].setdefault(normalise(service), service)
        entry["scopes"].extend((s.raw, s.pointer) for s in grant.scopes)
        entry["names"].update(grant.connection_names)
        entry["user_access"].update(json.dumps(v) for v in grant.user_access)
        entry["user_defined"].update(json.dumps(v) for v in grant.user_defined)
        for member, pointer in grant.members:
            entry["pointers"].setdefault(member, pointer)
    return merged


def _diffs(doc: Document, side: Side) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "name": c.name,
            "pointer": c.pointer,
            "where": c.where,
            "zoho": c.zoho,
            "services": c.services,
            "scopes": [(s.raw, s.pointer) for s in c.scopes],
            "names": c.names,
            "user_access": c.user_access,
            "user_defined": c.user_defined,
            "pointers": c.pointers,
        }
        for key, c in _connections(_Side(doc, side)).items()
    }


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("history/*/*.json")) + sorted(
        CORPUS.rglob("code/**/plugin-manifest.json")
    )


@pytest.mark.skipif(not _corpus(), reason=f"the shared corpus is not present at {CORPUS}")
def test_desk_shapes_are_read_as_the_diff_reads_them_on_the_corpus() -> None:
    compared = with_grants = 0
    for path in _corpus():
        parsed = parse(path.name, path.read_bytes())
        if parsed.document is None:
            continue
        for side in (Side.BASE, Side.HEAD):
            ours = _merged(read_grants(parsed.document, every_duplicate=side is Side.HEAD))
            theirs = _diffs(parsed.document, side)
            assert ours.keys() == theirs.keys(), path
            for key, entry in ours.items():
                expected = dict(theirs[key])
                if "usedConnections" in entry["where"]:
                    # the diff reads usedConnections as third-party unless zlabs_integration;
                    # grants (like the scope rules) treat zoho_* services as Zoho OAuth too
                    entry.pop("zoho")
                    expected.pop("zoho")
                assert entry == expected, (path, key)
            compared += 1
            with_grants += bool(ours)
    assert compared > 100
    assert with_grants > 20


def test_desk_shapes_with_duplicates_are_read_as_the_diff_reads_them() -> None:
    text = (
        '{"service": "DESK", "zohoAuthorisation": {"type": "connectors",'
        ' "connectionLinkName": "desk", "serviceName": "zlabs_integration",'
        ' "scope": ["Desk.tickets.READ"], "scope": ["Desk.basic.READ"]},'
        ' "connectors": [{"connectionName": "gh", "serviceName": "github", "scope": "repo,user"},'
        ' {"connectionName": "gh", "serviceName": "github", "scope": ["gist"]}]}'
    )
    doc = document(text)
    for side in (Side.BASE, Side.HEAD):
        assert _merged(read_grants(doc, every_duplicate=side is Side.HEAD)) == _diffs(doc, side)
