"""The service gate, the non-Desk notice and unknown member names."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import VALID, check, found, manifest, pointers, with_widgets

from checker.findings import Severity
from checker.rules.toplevel import SERVICES
from checker.services import UNCHECKED


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_of_zet_passes_the_gate(service: str) -> None:
    assert found(manifest(service=service), "service") == []


@pytest.mark.parametrize(
    ("service", "suggestion"),
    [("desk", '"DESK"'), ("Desk", '"DESK"'), (" DESK", '"DESK"'), ("SHOW", None), ("", None)],
)
def test_other_service_names_are_errors(service: str, suggestion: str | None) -> None:
    [finding] = found(manifest(service=service), "service")
    assert finding.severity is Severity.ERROR
    assert finding.location.pointer == "/service"
    if suggestion:
        assert f"did you mean {suggestion}" in finding.message
    else:
        assert "allowed: CRM, CATALYST" in finding.message


def test_missing_service_is_an_error_at_the_root() -> None:
    value = manifest()
    del value["service"]
    [finding] = found(value, "service")
    assert finding.location.pointer == ""
    assert finding.location.span is not None


@pytest.mark.parametrize("service", [None, 5, ["DESK"], {"name": "DESK"}, True])
def test_non_string_service_is_an_error(service: Any) -> None:
    [finding] = found(manifest(service=service), "service")
    assert "must be a product name string" in finding.message


def test_desk_rules_do_not_run_for_an_invalid_service() -> None:
    value = manifest(service="desk", locale=["xx"])
    rules = {f.rule for f in check(value)}
    assert rules == {"service"}


@pytest.mark.parametrize("service", sorted(UNCHECKED))
def test_services_the_toolkit_does_not_check_get_a_notice(service: str) -> None:
    [finding] = found(manifest(service=service), "generic-checks-only")
    assert finding.severity is Severity.NOTICE
    assert service in finding.message
    assert "checks nothing" in finding.message


@pytest.mark.parametrize(
    "service", ["DESK", "desk", None, "PROJECTS", "SDP", "CREATOR", "CATALYST", "BIGIN", "MAIL"]
)
def test_no_notice_for_validated_or_invalid_services(service: Any) -> None:
    assert found(manifest(service=service), "generic-checks-only") == []


def test_non_desk_manifests_only_get_generic_rules() -> None:
    value = manifest(service="CRM", locale=["xx"], modules={"widgets": [{"name": "1"}]})
    rules = {f.rule for f in check(value)}
    assert rules == {"generic-checks-only"}


@pytest.mark.parametrize(
    ("key", "guess"),
    [
        ("whitelistedDomains", "whiteListedDomains"),
        ("zohoAuthorization", "zohoAuthorisation"),
        ("deskOAuth", "deskOauth"),
        ("callbackListeners", "callbackListener"),
        ("TPAOAuth", "TPAOauth"),
        ("csp_domains", None),
        ("permissions", None),
    ],
)
def test_unknown_top_level_keys_are_warned_with_a_suggestion(key: str, guess: str | None) -> None:
    value = manifest()
    value[key] = []
    [finding] = found(value, "unknown-key")
    assert finding.severity is Severity.WARNING
    assert finding.location.pointer == f"/{key}"
    assert finding.location.key
    if guess is None:
        assert "did you mean" not in finding.message
    elif guess in value:
        assert f'merge it into "{guess}"' in finding.message
    else:
        assert f'did you mean "{guess}"?' in finding.message


def test_every_documented_top_level_key_is_known() -> None:
    value = manifest(
        usedConnections=[],
        callbackListener={},
        secret="<secret>",
        deskOauth={"clientId": "a", "name": "b", "clientSecret": "<c>"},
        TPAOauth=[],
    )
    assert found(value, "unknown-key") == []
    assert set(VALID) <= set(value)


def test_nested_near_misses_of_absent_members_are_warned() -> None:
    widget = {"name": "W", "url": "/app/widget.html", "locaton": "desk.topband", "title": "x"}
    value = with_widgets(
        widget,
        connectors=[{"connectionName": "G", "serviceName": "github", "scopes": ["repo"]}],
        config=[{"name": "a", "defualt": "1"}],
        deskOauth={"clientId": "a", "name": "b", "clientSecret": "<c>", "scope": []},
        TPAOauth=[{"name": "T", "authorizeUrl": "https://a.com"}],
        zohoAuthorisation={"type": "connectors", "ServiceName": "zlabs_integration"},
    )
    assert pointers(value, "unknown-key") == [
        "/modules/widgets/0/locaton",
        "/connectors/0/scopes",
        "/config/0/defualt",
        "/zohoAuthorisation/ServiceName",
        "/deskOauth/scope",
        "/TPAOauth/0/authorizeUrl",
    ]


def test_nested_extra_members_that_are_not_typos_pass() -> None:
    widget = {
        "name": "W",
        "url": "/app/widget.html",
        "location": "desk.topband",
        "title": "x",
        "widget_type": "modal",
        "other_dc_urls": {},
    }
    value = with_widgets(widget, connectors=[{**VALID_CONNECTOR, "scopes": []}])
    assert found(value, "unknown-key") == []


VALID_CONNECTOR = {
    "connectionLinkName": "github",
    "connectionName": "GitHub",
    "serviceName": "github",
    # a near-miss of a member that IS present is not a typo worth reporting
    "scope": ["repo"],
}
