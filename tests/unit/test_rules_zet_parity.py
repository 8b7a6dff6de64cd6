"""Every situation of the ZET experiment log (manifest-facts, section 5) that ZET rejects or
crashes on is rejected here too, by the expected rule; the ones it accepts stay accepted or warn.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from rules_support import VALID, ZOHO_AUTHORISATION, check, connector

from checker.findings import Severity
from checker.validate import CRASH_RULE

Mutation = Callable[[dict[str, Any]], Any]


def _drop(*keys: str) -> Mutation:
    def mutate(value: dict[str, Any]) -> None:
        for key in keys:
            del value[key]

    return mutate


def _set(**members: Any) -> Mutation:
    def mutate(value: dict[str, Any]) -> None:
        value.update(copy.deepcopy(members))

    return mutate


def _widgets(*items: Any) -> Mutation:
    return _set(modules={"widgets": list(items)})


W = {"url": "/app/widget.html", "location": "desk.ticket.detail.rightpanel"}
C = connector("Conn", "svc", scope=["a"])
TPA = {
    "name": "GitHub",
    "clientId": "a",
    "clientSecret": "<b>",
    "authoriseUrl": "https://a.com/authorize",
    "tokenUrl": "https://a.com/token",
}
LISTENER_OK = {"onUninstall": "https://hooks.example.com"}

# (case, mutation, rules that must report an error)
REJECTED: list[tuple[str, Mutation | str, set[str]]] = [
    (
        "locale connectors config removed",
        _drop("locale", "connectors", "config"),
        {"manifest-schema"},
    ),
    (
        "storage removed and type team",
        lambda v: (v.pop("storage"), v.update(type="team")),
        {"manifest-schema"},
    ),
    ("service removed", _drop("service"), {"service"}),
    ("service desk", _set(service="desk"), {"service"}),
    ("service SHOW", _set(service="SHOW"), {"service"}),
    ("trailing comma", json.dumps(VALID)[:-1] + ",}", {"json-syntax"}),
    ("widget duplicate name", _widgets({**W, "name": "A"}, {**W, "name": "A"}), {"widget-name"}),
    ("widget bad characters", _widgets({**W, "name": "A!"}), {"widget-name"}),
    (
        "widget url without slash",
        _widgets({**W, "name": "A", "url": "widget.html"}),
        {"widget-url"},
    ),
    ("widget url missing file", _widgets({**W, "name": "A", "url": "/app/x.html"}), {"widget-url"}),
    ("widget url not a string", _widgets({**W, "name": "A", "url": 5}), {"manifest-schema"}),
    ("widget url ftp", _widgets({**W, "name": "A", "url": "ftp://a.com/x"}), {"widget-url"}),
    (
        "widget logo extension",
        _widgets({**W, "name": "A", "logo": "/app/img/logo.bmp"}),
        {"widget-image"},
    ),
    (
        "widget icon without slash",
        _widgets({**W, "name": "A", "icon": "app/img/icon.png"}),
        {"widget-image"},
    ),
    ("widget logo not a string", _widgets({**W, "name": "A", "logo": 5}), {"manifest-schema"}),
    ("widget icon null", _widgets({**W, "name": "A", "icon": None}), {"manifest-schema"}),
    ("widget name missing", _widgets(dict(W)), {"manifest-schema"}),
    ("widget name blank", _widgets({**W, "name": ""}), {"widget-name"}),
    ("widget null", _widgets(None), {"manifest-schema"}),
    ("modules empty", _set(modules={}), {"manifest-schema"}),
    ("widgets empty", _set(modules={"widgets": []}), {"manifest-schema"}),
    ("widgets object", _set(modules={"widgets": {}}), {"manifest-schema"}),
    ("modules string", _set(modules="x"), {"manifest-schema"}),
    ("modules null (ZET crashes)", _set(modules=None), {"manifest-schema"}),
    (
        "locale xx fr yy",
        _set(locale=["xx", "fr", "yy"]),
        {"locale-code", "locale-translation-file"},
    ),
    ("locale en EN", _set(locale=["en", "EN"]), {"locale-code"}),
    ("locale string", _set(locale="en"), {"manifest-schema"}),
    ("locale empty", _set(locale=[]), {"locale-code"}),
    ("locale number", _set(locale=["en", 5]), {"manifest-schema"}),
    ("whitelisted bare host", _set(whiteListedDomains=["example.com"]), {"whitelisted-domain"}),
    ("whitelisted empty string", _set(whiteListedDomains=[""]), {"whitelisted-domain"}),
    ("whitelisted number", _set(whiteListedDomains=[5]), {"manifest-schema"}),
    ("whitelisted not array", _set(whiteListedDomains="https://a.com"), {"manifest-schema"}),
    (
        "connector zlabs",
        _set(connectors=[{**C, "serviceName": "zlabs_integration"}]),
        {"zlabs-in-connectors"},
    ),
    (
        "connector duplicate name",
        _set(connectors=[C, {**C, "serviceName": "b", "connectionLinkName": "b"}]),
        {"connector-name"},
    ),
    (
        "connector duplicate service",
        _set(connectors=[C, {**C, "connectionName": "B", "connectionLinkName": "b"}]),
        {"connector-service"},
    ),
    (
        "connector bad characters",
        _set(connectors=[{**C, "connectionName": "1x"}]),
        {"connector-name"},
    ),
    (
        "connector blank service",
        _set(connectors=[{**C, "serviceName": " "}]),
        {"connector-service"},
    ),
    (
        "connector link not a string",
        _set(connectors=[{**C, "connectionLinkName": 5}]),
        {"manifest-schema"},
    ),
    ("connector scope not array", _set(connectors=[{**C, "scope": "a"}]), {"manifest-schema"}),
    ("connector scope not strings", _set(connectors=[{**C, "scope": [5]}]), {"manifest-schema"}),
    ("connector blank scopes", _set(connectors=[{**C, "scope": ["", " "]}]), {"scope-grammar"}),
    (
        "connector link missing",
        _set(connectors=[{k: v for k, v in C.items() if k != "connectionLinkName"}]),
        {"manifest-schema"},
    ),
    ("connector empty object", _set(connectors=[{}]), {"manifest-schema"}),
    ("connector not object", _set(connectors=["x"]), {"manifest-schema"}),
    (
        "connector name missing",
        _set(connectors=[{k: v for k, v in C.items() if k != "connectionName"}]),
        {"manifest-schema"},
    ),
    ("connector name blank", _set(connectors=[{**C, "connectionName": ""}]), {"connector-name"}),
    (
        "connector service null (ZET crashes)",
        _set(connectors=[{**C, "serviceName": None}]),
        {"manifest-schema"},
    ),
    ("connector null (ZET crashes)", _set(connectors=[None]), {"manifest-schema"}),
    ("connectors null", _set(connectors=None), {"manifest-schema"}),
    (
        "zohoAuthorisation crm without type",
        _set(zohoAuthorisation={"serviceName": "crm"}),
        {"manifest-schema", "zoho-authorisation"},
    ),
    ("zohoAuthorisation string", _set(zohoAuthorisation="x"), {"manifest-schema"}),
    ("zohoAuthorisation [1]", _set(zohoAuthorisation=[1]), {"manifest-schema"}),
    ("zohoAuthorisation null (ZET crashes)", _set(zohoAuthorisation=None), {"manifest-schema"}),
    ("config not array", _set(config={}), {"manifest-schema"}),
    ("config item not object", _set(config=["x"]), {"manifest-schema"}),
    ("config empty item", _set(config=[{}]), {"manifest-schema"}),
    ("config name missing", _set(config=[{"type": "text"}]), {"manifest-schema"}),
    ("config name blank", _set(config=[{"name": ""}]), {"config-name"}),
    ("config name bad characters", _set(config=[{"name": "a.b"}]), {"config-name"}),
    ("config duplicate name", _set(config=[{"name": "a"}, {"name": "a"}]), {"config-name"}),
    (
        "config displayName type",
        _set(config=[{"name": "a", "displayName": 5}]),
        {"manifest-schema"},
    ),
    (
        "config displayName length",
        _set(config=[{"name": "a", "displayName": "x" * 256}]),
        {"manifest-schema"},
    ),
    (
        "config description length",
        _set(config=[{"name": "a", "description": "x" * 256}]),
        {"manifest-schema"},
    ),
    (
        "config userdefined yes",
        _set(config=[{"name": "a", "userdefined": "yes"}]),
        {"manifest-schema"},
    ),
    (
        "config userdefined without type",
        _set(config=[{"name": "a", "userdefined": True, "mandatory": True, "secure": True}]),
        {"manifest-schema"},
    ),
    (
        "config userdefined type password",
        _set(
            config=[
                {
                    "name": "a",
                    "userdefined": True,
                    "type": "password",
                    "mandatory": True,
                    "secure": True,
                }
            ]
        ),
        {"manifest-schema"},
    ),
    (
        "config mandatory not boolean",
        _set(
            config=[
                {"name": "a", "userdefined": True, "type": "text", "mandatory": "y", "secure": True}
            ]
        ),
        {"manifest-schema"},
    ),
    ("config 21 items", _set(config=[{"name": f"o{i}"} for i in range(21)]), {"manifest-schema"}),
    ("config null item (ZET crashes)", _set(config=[None]), {"manifest-schema"}),
    (
        "csp 11 entries",
        _set(cspDomains={"connect-src": [f"https://a{i}.com" for i in range(11)]}),
        {"manifest-schema"},
    ),
    (
        "csp duplicate",
        _set(cspDomains={"connect-src": ["https://a.com", "https://a.com"]}),
        {"csp-connect-src"},
    ),
    ("csp nope", _set(cspDomains={"connect-src": ["nope"]}), {"csp-connect-src"}),
    ("csp blob with garbage", _set(cspDomains={"connect-src": ["blob: x"]}), {"csp-connect-src"}),
    (
        "csp self star data",
        _set(cspDomains={"connect-src": ["'self'", "*", "data:"]}),
        {"csp-connect-src"},
    ),
    ("csp empty object", _set(cspDomains={}), {"manifest-schema"}),
    ("csp only img-src", _set(cspDomains={"img-src": ["https://a.com"]}), {"manifest-schema"}),
    (
        "csp connect-src string",
        _set(cspDomains={"connect-src": "https://a.com"}),
        {"manifest-schema"},
    ),
    ("csp array", _set(cspDomains=["https://a.com"]), {"manifest-schema"}),
    ("csp string", _set(cspDomains="x"), {"manifest-schema"}),
    ("csp number entry (ZET crashes)", _set(cspDomains={"connect-src": [5]}), {"manifest-schema"}),
    (
        "callback bad url and no secret",
        _set(callbackListener={"onUninstall": "x", "onInstall": "y"}),
        {"callback-listener", "manifest-schema"},
    ),
    ("callback empty and secret number", _set(callbackListener={}, secret=5), {"manifest-schema"}),
    ("callback array", _set(callbackListener=[], secret="<s>"), {"manifest-schema"}),
    ("callback string", _set(callbackListener="x", secret="<s>"), {"manifest-schema"}),
    ("callback null (ZET crashes)", _set(callbackListener=None, secret="<s>"), {"manifest-schema"}),
    (
        "deskOauth scopes and params strings",
        _set(
            deskOauth={
                "clientId": "a",
                "name": "b",
                "clientSecret": "<c>",
                "scopes": "x",
                "params": "y",
            }
        ),
        {"manifest-schema"},
    ),
    (
        "deskOauth wrong types",
        _set(deskOauth={"clientId": 1, "name": True, "clientSecret": []}),
        {"manifest-schema"},
    ),
    (
        "deskOauth empty values",
        _set(deskOauth={"clientId": "", "name": "", "clientSecret": ""}),
        {"desk-oauth"},
    ),
    ("deskOauth string", _set(deskOauth="x"), {"manifest-schema"}),
    ("deskOauth array", _set(deskOauth=[]), {"manifest-schema"}),
    ("deskOauth null (ZET crashes)", _set(deskOauth=None), {"manifest-schema"}),
    ("TPAOauth object", _set(TPAOauth={}), {"manifest-schema"}),
    ("TPAOauth null", _set(TPAOauth=None), {"manifest-schema"}),
    ("TPAOauth item not object", _set(TPAOauth=["x"]), {"manifest-schema"}),
    ("TPAOauth empty item", _set(TPAOauth=[{}]), {"manifest-schema"}),
    (
        "TPAOauth name missing",
        _set(TPAOauth=[{k: v for k, v in TPA.items() if k != "name"}]),
        {"manifest-schema"},
    ),
    ("TPAOauth name empty", _set(TPAOauth=[{**TPA, "name": ""}]), {"tpa-oauth"}),
    ("TPAOauth name bad characters", _set(TPAOauth=[{**TPA, "name": "a!"}]), {"tpa-oauth"}),
    ("TPAOauth duplicate name", _set(TPAOauth=[TPA, dict(TPA)]), {"tpa-oauth"}),
    ("TPAOauth client id empty", _set(TPAOauth=[{**TPA, "clientId": ""}]), {"tpa-oauth"}),
    (
        "TPAOauth token url missing",
        _set(TPAOauth=[{k: v for k, v in TPA.items() if k != "tokenUrl"}]),
        {"manifest-schema"},
    ),
    (
        "TPAOauth bad urls",
        _set(TPAOauth=[{**TPA, "authoriseUrl": "", "tokenUrl": "x", "revokeUrl": "y"}]),
        {"tpa-oauth"},
    ),
    ("TPAOauth params string", _set(TPAOauth=[{**TPA, "params": "x"}]), {"manifest-schema"}),
    ("type empty", _set(type=""), {"manifest-schema"}),
    ("type null", _set(type=None), {"manifest-schema"}),
    ("storage string", _set(storage="x"), {"manifest-schema"}),
    ("storage null", _set(storage=None), {"manifest-schema"}),
]

# Accepted by ZET; here they pass or only warn (the second element is the rules that must warn).
ACCEPTED: list[tuple[str, Mutation, set[str]]] = [
    ("baseline", lambda v: None, set()),
    (
        "location unknown",
        _widgets({**W, "name": "A", "location": "desk.nonexistent.place"}),
        {"widget-location"},
    ),
    ("location removed", _widgets({"name": "A", "url": "/app/widget.html"}), {"widget-location"}),
    (
        "two background widgets",
        _widgets(
            {**W, "name": "A", "location": "desk.background"},
            {**W, "name": "B", "location": "desk.background"},
        ),
        {"widget-single-location"},
    ),
    ("zohoAuthorisation doc example", _set(zohoAuthorisation=ZOHO_AUTHORISATION), set()),
    (
        "zohoAuthorisation type whatever",
        _set(zohoAuthorisation={**ZOHO_AUTHORISATION, "type": "whatever"}),
        {"zoho-authorisation"},
    ),
    ("unknown keys", _set(foo=1, permissions=[], oauth={}), {"unknown-key"}),
    ("type org", _set(type="org"), set()),
    (
        "csp other directive garbage",
        _set(cspDomains={"connect-src": [], "script-src": ["javascript:alert(1)"]}),
        {"csp-directive"},
    ),
    (
        "callback unknown key",
        _set(callbackListener={"onInstall": "x", **LISTENER_OK}, secret="<s>"),
        {"callback-listener"},
    ),
    ("TPAOauth empty array", _set(TPAOauth=[]), set()),
    ("config 20 items", _set(config=[{"name": f"o{i}"} for i in range(20)]), set()),
    ("whitelisted http", _set(whiteListedDomains=["http://a.com"]), {"insecure-http"}),
]


# Accepted by ZET, rejected here on purpose (docs/rules.md says so for each rule).
STRICTER: list[tuple[str, Mutation | str, set[str]]] = [
    (
        "duplicate key storage",
        json.dumps(VALID)[:-1] + ', "storage": true}',
        {"json-duplicate-key"},
    ),
    (
        "two connectors, same link name",
        _set(connectors=[C, {**C, "connectionName": "B", "serviceName": "b"}]),
        {"connection-link-name"},
    ),
    (
        "connector ' zlabs_integration'",
        _set(connectors=[{**C, "serviceName": " zlabs_integration"}]),
        {"zlabs-in-connectors"},
    ),
    (
        "connector ZLABS_INTEGRATION",
        _set(connectors=[{**C, "serviceName": "ZLABS_INTEGRATION"}]),
        {"zlabs-in-connectors"},
    ),
    ("whiteListedDomains null", _set(whiteListedDomains=None), {"manifest-schema"}),
    ("moduleSupport yes", _set(moduleSupport="yes"), {"manifest-schema"}),
    (
        "zohoAuthorisation scope string",
        _set(zohoAuthorisation={**ZOHO_AUTHORISATION, "scope": "Desk.tickets.READ"}),
        {"manifest-schema"},
    ),
    (
        "scope with a comma",
        _set(zohoAuthorisation={**ZOHO_AUTHORISATION, "scope": ["Desk.a.READ,Desk.b.READ"]}),
        {"scope-grammar"},
    ),
    (
        "blank deskOauth clientId",
        _set(deskOauth={"clientId": " ", "name": "b", "clientSecret": "<c>"}),
        {"desk-oauth"},
    ),
]


def _build(mutation: Mutation | str) -> Any:
    if isinstance(mutation, str):
        return mutation
    value = copy.deepcopy(VALID)
    mutation(value)
    return value


@pytest.mark.parametrize(
    ("case", "mutation", "rules"), REJECTED + STRICTER, ids=[c for c, _, _ in REJECTED + STRICTER]
)
def test_what_zet_rejects_is_rejected(case: str, mutation: Mutation | str, rules: set[str]) -> None:
    findings = check(_build(mutation))
    assert not [f for f in findings if f.rule == CRASH_RULE]
    errors = {f.rule for f in findings if f.severity is Severity.ERROR}
    assert rules <= errors, f"{case}: expected errors from {sorted(rules)}, got {sorted(errors)}"


@pytest.mark.parametrize(("case", "mutation", "rules"), ACCEPTED, ids=[c for c, _, _ in ACCEPTED])
def test_what_zet_accepts_passes_or_warns(case: str, mutation: Mutation, rules: set[str]) -> None:
    findings = check(_build(mutation))
    assert not [f for f in findings if f.severity is Severity.ERROR], case
    assert {f.rule for f in findings} == rules
