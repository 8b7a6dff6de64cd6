"""Configuration options (manifest-facts 2.12)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import found, manifest, pointers, severities

from checker.findings import Severity
from checker.rules.config import CONFIG_TYPES
from checker.rules.values import is_credential_name


def test_names_like_zet() -> None:
    value = manifest(
        config=[
            {"name": "region"},
            {"name": ""},
            {"name": "2fa"},
            {"name": "region "},
            {"name": "Region"},
            {"name": "a.b"},
        ]
    )
    assert pointers(value, "config-name") == [
        "/config/1/name",
        "/config/2/name",
        "/config/3/name",
        "/config/5/name",
    ]


@pytest.mark.parametrize("name", [None, 5, [], {}])
def test_non_string_names_are_left_to_the_schema(name: Any) -> None:
    assert found(manifest(config=[{"name": name}]), "config-name") == []


def test_name_checks_run_on_more_than_20_options() -> None:
    # ZET stops at the limit; the schema reports the limit and the names are still checked.
    options: list[dict[str, Any]] = [{"name": f"opt{i}"} for i in range(21)]
    options.append({"name": "opt0"})
    assert pointers(manifest(config=options), "config-name") == ["/config/21/name"]


@pytest.mark.parametrize("kind", CONFIG_TYPES)
def test_known_types_pass(kind: str) -> None:
    assert found(manifest(config=[{"name": "a", "type": kind}]), "config-type") == []


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        ({"name": "a", "type": "dropdown"}, "not a Desk config type"),
        ({"name": "a", "type": "txt", "userdefined": False}, 'did you mean "text"?'),
        ({"name": "a", "type": "password"}, '"secure": true'),
    ],
)
def test_unknown_types_without_userdefined_are_warnings(
    option: dict[str, Any], needle: str
) -> None:
    [finding] = found(manifest(config=[option]), "config-type")
    assert finding.severity is Severity.WARNING
    assert needle in finding.message


def test_userdefined_types_are_left_to_the_schema() -> None:
    option = {"name": "a", "type": "bogus", "userdefined": True, "mandatory": True, "secure": False}
    assert found(manifest(config=[option]), "config-type") == []


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("apiKey", True),
        ("api_key", True),
        ("API Key", True),
        ("clientSecret", True),
        ("password", True),
        ("accessToken", True),
        ("privateKey", True),
        ("licenseKey", True),
        ("credentials", True),
        ("tokenUrl", False),
        ("secretType", False),
        ("monkey", False),
        ("keyboardLayout", False),
        ("region", False),
        ("key", False),
    ],
)
def test_credential_names(name: str, credential: bool) -> None:
    assert is_credential_name(name) is credential


def test_credential_options_should_be_secure() -> None:
    value = manifest(
        config=[
            {"name": "apiKey", "secure": False},
            {"name": "token"},
            {"name": "region", "displayName": "Region"},
            {"name": "x", "displayName": "Client secret"},
            {"name": "password", "secure": True},
        ]
    )
    assert pointers(value, "config-secure") == ["/config/0/secure", "/config/1", "/config/3"]
    assert set(severities(value, "config-secure")) == {Severity.WARNING}


@pytest.mark.parametrize("config", [None, {}, "x", [None, 5, "a", [], {}]])
def test_config_of_other_types(config: Any) -> None:
    value = manifest(config=config)
    for rule in ("config-name", "config-type", "config-secure"):
        assert found(value, rule) == []
