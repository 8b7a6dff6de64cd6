"""Connectors, zohoAuthorisation, usedConnections and their scopes (manifest-facts 2.7, 2.11)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import ZOHO_AUTHORISATION, connector, found, manifest, pointers, severities

from checker.findings import Severity

ZA = ZOHO_AUTHORISATION

# ---- connector-name / connector-service --------------------------------------------------


def test_connection_names_follow_the_name_rule_and_are_unique() -> None:
    value = manifest(
        connectors=[
            connector("GitHub", "github"),
            connector(" ", "jira", connectionLinkName="jira"),
            connector("2nd", "slack", connectionLinkName="slack"),
            connector("GitHub ", "trello", connectionLinkName="trello"),
            connector("github", "asana", connectionLinkName="asana"),
        ]
    )
    assert pointers(value, "connector-name") == [
        "/connectors/1/connectionName",
        "/connectors/2/connectionName",
        "/connectors/3/connectionName",
    ]


def test_service_names_must_be_non_blank_and_unique_trimmed() -> None:
    value = manifest(
        connectors=[
            connector("A", "github"),
            connector("B", "github "),
            connector("C", "GitHub"),
            connector("D", ""),
        ]
    )
    assert pointers(value, "connector-service") == [
        "/connectors/1/serviceName",
        "/connectors/3/serviceName",
    ]


@pytest.mark.parametrize("bad", [None, 5, [], {}, True])
def test_non_string_names_and_services_are_left_to_the_schema(bad: Any) -> None:
    value = manifest(connectors=[connector("A", "github", connectionName=bad, serviceName=bad)])
    for rule in ("connector-name", "connector-service", "zlabs-in-connectors"):
        assert found(value, rule) == []


# ---- zlabs_integration --------------------------------------------------------------------


@pytest.mark.parametrize(
    "service",
    [
        "zlabs_integration",
        " zlabs_integration",
        "ZLABS_INTEGRATION",
        "Zlabs_Integration ",
        "zlabs _integration",
        "zlabs_integration\t",
    ],
)
def test_zlabs_in_connectors_in_any_spelling(service: str) -> None:
    value = manifest(connectors=[connector("Desk", service)])
    [finding] = found(value, "zlabs-in-connectors")
    assert finding.location.pointer == "/connectors/0/serviceName"
    assert "zohoAuthorisation" in finding.message


@pytest.mark.parametrize(
    "service", ["zlabs", "zoho_desk", "zlabs_integration2", "zlabs-integration"]
)
def test_other_services_are_not_zlabs(service: str) -> None:
    assert found(manifest(connectors=[connector("X", service)]), "zlabs-in-connectors") == []


def test_zlabs_in_connectors_is_allowed_for_other_products() -> None:
    # PROJECTS and Sprints put Zoho OAuth connections in connectors (manifest-facts 7, 8.4).
    value = manifest(service="PROJECTS", connectors=[connector("Desk", "zlabs_integration")])
    assert found(value, "zlabs-in-connectors") == []


# ---- zohoAuthorisation --------------------------------------------------------------------


def test_full_doc_example_passes() -> None:
    value = manifest(zohoAuthorisation=ZA)
    for rule in ("zoho-authorisation", "connection-link-name", "scope-grammar"):
        assert found(value, rule) == []


@pytest.mark.parametrize(
    ("service", "needle"),
    [
        ("ZLABS_INTEGRATION", "must be written exactly"),
        (" zlabs_integration", "must be written exactly"),
        ("zoho_desk", "only the Zoho OAuth connection belongs here"),
        ("crm", "only the Zoho OAuth connection belongs here"),
    ],
)
def test_service_name_must_be_exactly_zlabs(service: str, needle: str) -> None:
    [finding] = found(
        manifest(zohoAuthorisation={**ZA, "serviceName": service}), "zoho-authorisation"
    )
    assert finding.severity is Severity.ERROR
    assert needle in finding.message


def test_type_other_than_connectors_or_oauth_is_a_warning() -> None:
    assert severities(
        manifest(zohoAuthorisation={**ZA, "type": "whatever"}), "zoho-authorisation"
    ) == [Severity.WARNING]
    assert found(manifest(zohoAuthorisation={**ZA, "type": "oauth"}), "zoho-authorisation") == []


def test_missing_service_name_and_scope_are_warnings() -> None:
    value = manifest(zohoAuthorisation={"type": "connectors", "connectionLinkName": "desk"})
    findings = found(value, "zoho-authorisation")
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.WARNING]
    assert "no serviceName" in findings[0].message or "no serviceName" in findings[1].message


@pytest.mark.parametrize("value", [{}, [], None, "x", 5, [1]])
def test_empty_or_wrong_type_authorisation(value: Any) -> None:
    assert found(manifest(zohoAuthorisation=value), "zoho-authorisation") == []


# ---- connection-link-name -----------------------------------------------------------------


def test_link_names_are_unique_across_all_connections() -> None:
    value = manifest(
        zohoAuthorisation=ZA,
        connectors=[
            connector("Desk copy", "github", connectionLinkName="zoho_desk"),
            connector("Jira", "jira"),
            connector("Jira 2", "jira2", connectionLinkName=" JIRA"),
        ],
        usedConnections=[connector("Books", "zoho_books", connectionLinkName="jira")],
    )
    findings = found(value, "connection-link-name")
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert [f.location.pointer for f in errors] == [
        "/connectors/0/connectionLinkName",
        "/connectors/2/connectionLinkName",
        "/usedConnections/0/connectionLinkName",
    ]
    assert errors[0].related[0].pointer == "/zohoAuthorisation/connectionLinkName"


@pytest.mark.parametrize(
    ("link", "severity"),
    [
        ("", Severity.ERROR),
        ("  ", Severity.ERROR),
        ("GitHub", Severity.WARNING),
        ("a-b", Severity.WARNING),
    ],
)
def test_link_name_format(link: str, severity: Severity) -> None:
    value = manifest(connectors=[connector("G", "github", connectionLinkName=link)])
    assert severities(value, "connection-link-name") == [severity]


@pytest.mark.parametrize("link", ["github", "git_hub_2", "a", "0x"])
def test_good_link_names(link: str) -> None:
    value = manifest(connectors=[connector("G", "github", connectionLinkName=link)])
    assert found(value, "connection-link-name") == []


def test_missing_link_name_where_the_schema_does_not_require_it() -> None:
    used = {k: v for k, v in connector("B", "zoho_books").items() if k != "connectionLinkName"}
    za = {k: v for k, v in ZA.items() if k != "connectionLinkName"}
    value = manifest(zohoAuthorisation=za, usedConnections=[used])
    assert pointers(value, "connection-link-name") == ["/zohoAuthorisation", "/usedConnections/0"]


def test_missing_link_name_in_desk_connectors_is_left_to_the_schema() -> None:
    item = {k: v for k, v in connector("G", "github").items() if k != "connectionLinkName"}
    assert found(manifest(connectors=[item]), "connection-link-name") == []
    assert pointers(manifest(service="CRM", connectors=[item]), "connection-link-name") == [
        "/connectors/0"
    ]


def test_link_names_run_for_every_product() -> None:
    used = [
        connector("Inv", "zoho_inventory"),
        connector("Inv2", "zoho_inventory", connectionLinkName="inv"),
    ]
    value = {"service": "INVENTORY", "usedConnections": used}
    assert pointers(value, "connection-link-name") == ["/usedConnections/1/connectionLinkName"]


# ---- sharedBy ----------------------------------------------------------------------------


@pytest.mark.parametrize("shared", ["123456789", 711770823, "20071753895"])
def test_good_shared_by(shared: Any) -> None:
    value = manifest(connectors=[connector("G", "github", sharedBy=shared)])
    assert found(value, "connection-shared-by") == []


@pytest.mark.parametrize(
    ("shared", "needle"),
    [
        ("*******", "placeholder"),
        ("<sharedBy>", "placeholder"),
        ("837***273", "placeholder"),
        ("{{zuid}}", "placeholder"),
        ("", "is empty"),
        ("   ", "is empty"),
        ("abc", "not a numeric"),
        (" 123", "not a numeric"),
        ("0", "not a numeric"),
        (0, "positive"),
        (-5, "positive"),
    ],
)
def test_bad_shared_by(shared: Any, needle: str) -> None:
    value = manifest(zohoAuthorisation={**ZA, "sharedBy": shared})
    [finding] = found(value, "connection-shared-by")
    assert finding.severity is Severity.WARNING
    assert needle in finding.message


@pytest.mark.parametrize("shared", [None, True, 1.5, [], {}])
def test_shared_by_of_other_types_is_left_to_the_schema(shared: Any) -> None:
    value = manifest(zohoAuthorisation={**ZA, "sharedBy": shared})
    assert found(value, "connection-shared-by") == []


# ---- scope-grammar / scope-duplicate -----------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "severity"),
    [
        ("Desk.tickets.READ,Desk.tickets.UPDATE", Severity.ERROR),
        (" Desk.tickets.READ", Severity.ERROR),
        ("Desk.tickets. READ", Severity.ERROR),
        ("Desk.tick\u0435ts.READ", Severity.ERROR),
        ("Desk..READ", Severity.ERROR),
        ("Desk.tickets.", Severity.ERROR),
        ("tickets", Severity.ERROR),
        ("", Severity.ERROR),
        ("1Desk.tickets.READ", Severity.ERROR),
        ("Desk.tickets.READ!", Severity.ERROR),
        ("desk.tickets.read", Severity.WARNING),
        ("Desk.tickets.REED", Severity.WARNING),
    ],
)
def test_zoho_scope_grammar(scope: str, severity: Severity) -> None:
    value = manifest(zohoAuthorisation={**ZA, "scope": [scope]})
    assert severities(value, "scope-grammar")[:1] == [severity]


@pytest.mark.parametrize(
    "scope",
    [
        "Desk.tickets.READ",
        "Desk.imports",
        "ZohoCRM.modules.leads.ALL",
        "email",
        "ZohoBooks.fullaccess.ALL",
    ],
)
def test_good_zoho_scopes(scope: str) -> None:
    assert found(manifest(zohoAuthorisation={**ZA, "scope": [scope]}), "scope-grammar") == []


def test_grammar_applies_to_every_zoho_scope_list() -> None:
    bad = ["Desk.tickets READ"]
    value = manifest(
        zohoAuthorisation={**ZA, "scope": bad},
        connectors=[
            connector("Desk", "ZLABS_INTEGRATION", scope=bad),
            connector("G", "github", scope=bad),
        ],
        usedConnections=[
            connector("Inv", "zoho_inventory", scope=bad),
            connector("Dhl", "dhl_api", scope=bad),
            connector("Custom", "zoho_custom", isUserDefinedService=True, scope=bad),
        ],
        deskOauth={"clientId": "a", "name": "b", "clientSecret": "<c>", "scopes": bad},
    )
    assert pointers(value, "scope-grammar") == [
        "/connectors/0/scope/0",
        "/zohoAuthorisation/scope/0",
        "/usedConnections/0/scope/0",
        "/deskOauth/scopes/0",
    ]


def test_third_party_scopes_only_need_to_be_non_blank() -> None:
    value = manifest(
        connectors=[connector("G", "github", scope=["repo", "admin:org_hook", "", " gist"])]
    )
    findings = found(value, "scope-grammar")
    assert [(f.location.pointer, f.severity) for f in findings] == [
        ("/connectors/0/scope/2", Severity.ERROR),
        ("/connectors/0/scope/3", Severity.WARNING),
    ]


def test_scope_grammar_runs_for_every_product() -> None:
    used = [connector("Inv", "zoho_inventory", scope=["ZohoInventory.items READ"])]
    value = {"service": "INVENTORY", "usedConnections": used}
    assert pointers(value, "scope-grammar") == ["/usedConnections/0/scope/0"]


def test_duplicate_scopes_zoho_case_insensitive_third_party_exact() -> None:
    value = manifest(
        zohoAuthorisation={
            **ZA,
            "scope": ["Desk.tickets.READ", "desk.tickets.read", "Desk.tickets.ALL"],
        },
        connectors=[connector("G", "github", scope=["repo", "Repo", "repo "])],
    )
    findings = found(value, "scope-duplicate")
    assert [f.location.pointer for f in findings] == [
        "/connectors/0/scope/2",
        "/zohoAuthorisation/scope/1",
    ]
    assert {f.severity for f in findings} == {Severity.WARNING}


@pytest.mark.parametrize("scope", [None, "Desk.tickets.READ", 5, {}, [None, 5, ["x"], {"a": 1}]])
def test_scope_of_other_types_is_left_to_the_schema(scope: Any) -> None:
    value = manifest(zohoAuthorisation={**ZA, "scope": scope})
    assert found(value, "scope-grammar") == []
    assert found(value, "scope-duplicate") == []
