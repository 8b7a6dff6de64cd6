"""deskOauth, TPAOauth and callbackListener (manifest-facts 2.8, 2.9, 2.10)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import found, manifest, pointers, severities

from checker.findings import Severity
from checker.rules.oauth import CALLBACK_EVENTS

DESK_OAUTH = {"clientId": "1000.ABC", "name": "Sync", "clientSecret": "<secret>", "scopes": []}
TPA = {
    "name": "GitHub",
    "clientId": "Iv1.0123",
    "clientSecret": "<secret>",
    "authoriseUrl": "https://github.com/login/oauth/authorize",
    "tokenUrl": "https://github.com/login/oauth/access_token",
}

# ---- deskOauth ---------------------------------------------------------------------------


def test_complete_desk_oauth_passes() -> None:
    assert found(manifest(deskOauth=DESK_OAUTH), "desk-oauth") == []


@pytest.mark.parametrize("key", ["clientId", "name", "clientSecret"])
@pytest.mark.parametrize("blank", ["", "   ", "\u00a0"])
def test_blank_values_are_errors(key: str, blank: str) -> None:
    value = manifest(deskOauth={**DESK_OAUTH, key: blank})
    assert pointers(value, "desk-oauth") == [f"/deskOauth/{key}"]


@pytest.mark.parametrize("bad", [None, 0, False, [], {}])
def test_wrong_types_are_left_to_the_schema(bad: Any) -> None:
    value = manifest(deskOauth={**DESK_OAUTH, "clientId": bad, "name": bad})
    assert found(value, "desk-oauth") == []


@pytest.mark.parametrize("desk_oauth", [None, "x", [], 5, {}])
def test_desk_oauth_of_other_types(desk_oauth: Any) -> None:
    assert found(manifest(deskOauth=desk_oauth), "desk-oauth") == []


# ---- TPAOauth ----------------------------------------------------------------------------


def test_complete_tpa_oauth_passes() -> None:
    value = manifest(TPAOauth=[TPA, {**TPA, "name": "GitLab", "revokeUrl": "https://gitlab.com/x"}])
    assert found(value, "tpa-oauth") == []


def test_tpa_names_like_zet() -> None:
    value = manifest(
        TPAOauth=[TPA, {**TPA, "name": "GitHub "}, {**TPA, "name": "Git!"}, {**TPA, "name": ""}]
    )
    assert pointers(value, "tpa-oauth") == [
        "/TPAOauth/1/name",
        "/TPAOauth/2/name",
        "/TPAOauth/3/name",
    ]


@pytest.mark.parametrize("key", ["clientId", "clientSecret"])
def test_empty_client_values(key: str) -> None:
    assert pointers(manifest(TPAOauth=[{**TPA, key: ""}]), "tpa-oauth") == [f"/TPAOauth/0/{key}"]


def test_numeric_client_values_are_accepted_like_zet() -> None:
    assert (
        found(manifest(TPAOauth=[{**TPA, "clientId": 12345, "clientSecret": 0}]), "tpa-oauth") == []
    )


@pytest.mark.parametrize("key", ["authoriseUrl", "tokenUrl", "revokeUrl"])
@pytest.mark.parametrize("url", ["", "github.com/x", "ftp://github.com/x", "not a url"])
def test_endpoint_urls_must_be_valid(key: str, url: str) -> None:
    value = manifest(TPAOauth=[{**TPA, key: url}])
    [finding] = found(value, "tpa-oauth")
    assert finding.location.pointer == f"/TPAOauth/0/{key}"
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize("tpa", [None, {}, "x", [None, 5, "x", [], {}]])
def test_tpa_oauth_of_other_types(tpa: Any) -> None:
    assert found(manifest(TPAOauth=tpa), "tpa-oauth") == []


# ---- callbackListener --------------------------------------------------------------------


def test_all_six_events_with_https_urls_pass() -> None:
    listener = {event: f"https://hooks.example.com/{event}" for event in CALLBACK_EVENTS}
    assert found(manifest(callbackListener=listener, secret="<s>"), "callback-listener") == []


@pytest.mark.parametrize("event", CALLBACK_EVENTS)
@pytest.mark.parametrize("url", ["", "hooks.example.com", "ftp://hooks.example.com", "x y"])
def test_invalid_event_urls_are_errors(event: str, url: str) -> None:
    value = manifest(callbackListener={event: url}, secret="<s>")
    [finding] = found(value, "callback-listener")
    assert finding.severity is Severity.ERROR
    assert finding.location.pointer == f"/callbackListener/{event}"


@pytest.mark.parametrize(
    ("key", "guess"),
    [
        ("onTPAAuthorize", "onTPAAuthorise"),
        ("onDeskAuthorize", "onDeskAuthorise"),
        ("onConfigParamAdd", "onConfigParamChange"),
        ("onuninstall", "onUninstall"),
        ("onInstall", None),
        ("custom_function", None),
    ],
)
def test_unknown_keys_are_warnings_with_a_suggestion(key: str, guess: str | None) -> None:
    value = manifest(callbackListener={key: "not even a url"}, secret="<s>")
    [finding] = found(value, "callback-listener")
    assert finding.severity is Severity.WARNING
    assert finding.location.key
    if guess:
        assert f'did you mean "{guess}"?' in finding.message
    else:
        assert "did you mean" not in finding.message


def test_non_string_event_values_are_left_to_the_schema() -> None:
    value = manifest(callbackListener={"onUpdate": 5, "onUninstall": None}, secret="<s>")
    assert severities(value, "callback-listener") == []


@pytest.mark.parametrize("listener", [None, "x", [], 5])
def test_callback_listener_of_other_types(listener: Any) -> None:
    assert found(manifest(callbackListener=listener), "callback-listener") == []
