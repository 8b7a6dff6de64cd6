"""The JSON Schema stage: a valid published schema, human messages, one finding per problem."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from checker.cli import main
from checker.findings import Span
from checker.schema import (
    SCHEMA_INFO,
    SCHEMA_RULE,
    VOCABULARY,
    SchemaChecker,
    schema_findings,
    schema_text,
    shipped_checker,
)
from checker.source import parse

ROOT = Path(__file__).resolve().parents[2]
# The shared corpus of real manifests (as in conftest.py), when it exists beside the project.
CORPUS = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared")) / "corpus"
SCHEMA_PATH = ROOT / "checker" / "schemas" / "plugin-manifest.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
CRASH = " (Zoho's toolkit crashes on null and still exits 0)"
CRASH_ANY = " (Zoho's toolkit crashes on it and still exits 0)"
SKIP = " (Zoho's toolkit silently skips null, so nothing in it is checked)"
DELETE = object()

VALID: dict[str, Any] = {
    "locale": ["en", "fr"],
    "service": "DESK",
    "storage": True,
    "type": "org",
    "whiteListedDomains": ["https://api.example.com"],
    "cspDomains": {
        "connect-src": ["https://api.example.com"],
        "img-src": ["https://cdn.example.com"],
    },
    "modules": {
        "widgets": [
            {
                "location": "desk.ticket.detail.rightpanel",
                "url": "/app/widget.html",
                "name": "Ticket helper",
                "logo": "/app/img/logo.png",
                "icon": "/app/img/icon.png",
            },
            {"location": "desk.topband", "url": "/app/top.html", "name": "Top band"},
        ]
    },
    "zohoAuthorisation": {
        "type": "connectors",
        "connectionLinkName": "zohodesk",
        "connectionName": "zohodesk",
        "serviceName": "zlabs_integration",
        "userAccess": True,
        "isUserDefinedService": False,
        "sharedBy": "123456789",
        "scope": ["Desk.tickets.READ", "Desk.basic.READ"],
    },
    "connectors": [
        {
            "connectionLinkName": "github",
            "connectionName": "GitHub",
            "serviceName": "github",
            "userAccess": True,
            "isUserDefinedService": False,
            "sharedBy": 123456789,
            "scope": ["repo"],
        }
    ],
    "config": [
        {
            "name": "apiKey",
            "displayName": "API key",
            "description": "The key of your account",
            "userdefined": True,
            "type": "text",
            "mandatory": True,
            "secure": True,
        },
        {"name": "internal", "userdefined": False},
    ],
    "deskOauth": {
        "clientId": "1000.ABC",
        "name": "server",
        "clientSecret": "deskoauth-client-secret",
        "scopes": ["Desk.tickets.READ"],
        "params": {"access_type": "offline"},
    },
    "TPAOauth": [
        {
            "name": "GitHub",
            "clientId": "gh-client",
            "clientSecret": "tpa-client-secret",
            "authoriseUrl": "https://github.com/login/oauth/authorize",
            "tokenUrl": "https://github.com/login/oauth/access_token",
            "revokeUrl": "https://github.com/revoke",
            "params": {"scope": "repo"},
        }
    ],
    "callbackListener": {"onUninstall": "https://example.com/zoho/uninstall"},
    "secret": "listener-secret-value",
    "moduleSupport": False,
}


def changed(*edits: tuple[str, Any]) -> dict[str, Any]:
    """A deep copy of VALID with members set (or removed with DELETE); paths like "a/0/b"."""
    document = copy.deepcopy(VALID)
    for path, value in edits:
        *parents, last = [int(t) if t.isdigit() else t for t in path.split("/")]
        target: Any = document
        for token in parents:
            target = target[token]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return document


def problems(value: Any, checker: SchemaChecker | None = None) -> list[tuple[str, str]]:
    found = (checker or shipped_checker()).problems(value)
    return sorted((p.pointer, p.message) for p in found)


def test_the_shipped_schema_is_a_valid_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"].endswith("/plugin-manifest.schema.json")
    assert json.loads(schema_text()) == SCHEMA


def _member_schemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    for name, sub in node.get("properties", {}).items():
        yield f"{where}/{name}", sub
        yield from _member_schemas(sub, f"{where}/{name}")
    for key in ("items", "additionalProperties"):
        yield from _member_schemas(node.get(key), f"{where}/{key}")
    for name, sub in node.get("$defs", {}).items():
        yield from _member_schemas(sub, f"/$defs/{name}")


def test_every_documented_member_has_a_title_for_editors() -> None:
    untitled = [
        where
        for where, sub in _member_schemas(SCHEMA)
        if set(sub) - {"x-wrong-type"} and "title" not in sub
    ]
    assert not untitled
    assert SCHEMA["title"]
    assert SCHEMA["description"]


def test_the_message_hints_in_the_schema_are_known() -> None:
    def nodes(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from nodes(value)
        elif isinstance(node, list):
            for value in node:
                yield from nodes(value)

    seen = set()
    for node in nodes(SCHEMA):
        for key, value in node.items():
            if not key.startswith("x-"):
                continue
            seen.add(key)
            if key == "x-null":
                assert value in ("crash", "skip")
            elif key == "x-wrong-type":
                assert value == "crash"
            elif key == "x-message":
                for template in value.values():
                    template.format(subject="s", limit=1, count=2, actual="a")
            else:
                assert key in ("x-item", "x-noun", "x-because", "x-related", "x-missing")
                assert isinstance(value, str)
    assert seen >= {"x-null", "x-item", "x-noun", "x-missing", "x-because", "x-message"}


def test_the_fast_test_knows_every_keyword_jsonschema_acts_on() -> None:
    assert set(Draft202012Validator.VALIDATORS) == VOCABULARY
    assert shipped_checker().fast_path


def test_the_schema_command_prints_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == SCHEMA_PATH.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(printed))


def test_a_full_valid_manifest_has_no_problems() -> None:
    assert shipped_checker().is_valid(VALID)
    assert problems(VALID) == []


REQUIRED_TOP = ["locale", "storage", "service", "modules", "connectors", "config"]


@pytest.mark.parametrize("name", [*REQUIRED_TOP, "whiteListedDomains"])
def test_each_mandatory_top_level_member_is_required(name: str) -> None:
    [(pointer, message)] = problems(changed((name, DELETE)))
    assert pointer == f"/{name}"
    assert message.startswith(f'the manifest is missing its required "{name}" member')


# Every bullet of the schema's contract, failing: (edits, [(pointer, exact message)]).
FAILING: dict[str, tuple[tuple[tuple[str, Any], ...], list[tuple[str, str]]]] = {
    "missing locale": (
        (("locale", DELETE),),
        [("/locale", 'the manifest is missing its required "locale" member; add "locale": ["en"]')],
    ),
    "missing config": (
        (("config", DELETE),),
        [
            (
                "/config",
                'the manifest is missing its required "config" member; '
                'add "config": [] if the extension has no settings',
            )
        ],
    ),
    "service not a string": (
        (("service", 5),),
        [("/service", '"service" must be a string, not the number 5')],
    ),
    "locale a string": (
        (("locale", "en"),),
        [("/locale", '"locale" must be an array of language codes, not the string "en"')],
    ),
    "locale null": (
        (("locale", None),),
        [("/locale", f'"locale" must be an array of language codes, not null{SKIP}')],
    ),
    "locale entry": (
        (("locale", ["en", 7]),),
        [("/locale/1", 'item 2 of "locale" must be a string, not the number 7')],
    ),
    "storage string": (
        (("storage", "yes"),),
        [("/storage", '"storage" must be true or false, not the string "yes"')],
    ),
    "storage null": (
        (("storage", None),),
        [("/storage", '"storage" must be true or false, not null')],
    ),
    "type team": (
        (("type", "team"),),
        [("/type", '"type" must be "personal" or "org", not "team"')],
    ),
    "type null": (
        (("type", None),),
        [("/type", '"type" must be "personal" or "org", not null')],
    ),
    "modules null": (
        (("modules", None),),
        [("/modules", f'"modules" must be an object, not null{CRASH}')],
    ),
    "modules array": (
        (("modules", []),),
        [("/modules", '"modules" must be an object, not an empty array')],
    ),
    "modules without widgets": (
        (("modules", {}),),
        [("/modules/widgets", '"modules" is missing its required "widgets" member')],
    ),
    "widgets object": (
        (("modules/widgets", {}),),
        [
            (
                "/modules/widgets",
                '"widgets" in "modules" must be an array of widget objects, not an empty object',
            )
        ],
    ),
    "widgets empty": (
        (("modules/widgets", []),),
        [("/modules/widgets", '"widgets" in "modules" is empty; list at least one widget')],
    ),
    "widget null": (
        (("modules/widgets/0", None),),
        [("/modules/widgets/0", f"widget 1 must be a widget object, not null{CRASH}")],
    ),
    "widget without url": (
        (("modules/widgets/1/url", DELETE),),
        [("/modules/widgets/1/url", 'widget 2 is missing its required "url" member')],
    ),
    "widget without name": (
        (("modules/widgets/0/name", DELETE),),
        [("/modules/widgets/0/name", 'widget 1 is missing its required "name" member')],
    ),
    "widget member types": (
        (
            ("modules/widgets/0/name", 5),
            ("modules/widgets/0/url", True),
            ("modules/widgets/0/logo", None),
            ("modules/widgets/0/icon", ["/app/img/icon.png"]),
            ("modules/widgets/1/location", 3.5),
        ),
        [
            ("/modules/widgets/0/icon", '"icon" in widget 1 must be a string, not an array'),
            ("/modules/widgets/0/logo", '"logo" in widget 1 must be a string, not null'),
            ("/modules/widgets/0/name", '"name" in widget 1 must be a string, not the number 5'),
            ("/modules/widgets/0/url", '"url" in widget 1 must be a string, not true'),
            (
                "/modules/widgets/1/location",
                '"location" in widget 2 must be a string, not the number 3.5',
            ),
        ],
    ),
    "whiteListedDomains null": (
        (("whiteListedDomains", None),),
        [
            (
                "/whiteListedDomains",
                f'"whiteListedDomains" must be an array of URL strings, not null{SKIP}',
            )
        ],
    ),
    "whiteListedDomains entry": (
        (("whiteListedDomains", ["https://a.example", False]),),
        [("/whiteListedDomains/1", 'item 2 of "whiteListedDomains" must be a string, not false')],
    ),
    "cspDomains null": (
        (("cspDomains", None),),
        [("/cspDomains", f'"cspDomains" must be an object of CSP directives, not null{SKIP}')],
    ),
    "cspDomains array": (
        (("cspDomains", ["https://a.example"]),),
        [("/cspDomains", '"cspDomains" must be an object of CSP directives, not an array')],
    ),
    "cspDomains without connect-src": (
        (("cspDomains", {"img-src": []}),),
        [("/cspDomains/connect-src", '"cspDomains" is missing its required "connect-src" member')],
    ),
    "connect-src too long": (
        (("cspDomains/connect-src", [f"https://{i}.example" for i in range(12)]),),
        [
            (
                "/cspDomains/connect-src",
                '"connect-src" in "cspDomains" has 12 items, but at most 10 are allowed; remove 2',
            )
        ],
    ),
    "connect-src entry": (
        (("cspDomains/connect-src", [5]),),
        [
            (
                "/cspDomains/connect-src/0",
                f'item 1 of "connect-src" in "cspDomains" must be a string, not the number 5'
                f"{CRASH_ANY}",
            )
        ],
    ),
    "other directive": (
        (("cspDomains/img-src", "https://cdn.example.com"),),
        [
            (
                "/cspDomains/img-src",
                '"img-src" in "cspDomains" must be an array of strings, '
                'not the string "https://cdn.example.com"',
            )
        ],
    ),
    "other directive entry": (
        (("cspDomains/img-src", [None]),),
        [
            (
                "/cspDomains/img-src/0",
                'item 1 of "img-src" in "cspDomains" must be a string, not null',
            )
        ],
    ),
    "connectors null": (
        (("connectors", None),),
        [("/connectors", '"connectors" must be an array of connection objects, not null')],
    ),
    "connectors object": (
        (("connectors", {}),),
        [
            (
                "/connectors",
                '"connectors" must be an array of connection objects, not an empty object',
            )
        ],
    ),
    "connector null": (
        (("connectors/0", None),),
        [("/connectors/0", f"connector 1 must be a connection object, not null{CRASH}")],
    ),
    "connector empty": (
        (("connectors/0", {}),),
        [
            (
                "/connectors/0",
                'connector 1 is an empty object; it needs "connectionName", "serviceName" '
                'and "connectionLinkName"',
            )
        ],
    ),
    "connector required members": (
        (("connectors/0", {"scope": []}),),
        [
            (
                "/connectors/0/connectionLinkName",
                'connector 1 is missing its required "connectionLinkName" member',
            ),
            (
                "/connectors/0/connectionName",
                'connector 1 is missing its required "connectionName" member',
            ),
            (
                "/connectors/0/serviceName",
                'connector 1 is missing its required "serviceName" member',
            ),
        ],
    ),
    "connector member types": (
        (
            ("connectors/0/connectionName", 5),
            ("connectors/0/serviceName", None),
            ("connectors/0/connectionLinkName", ["github"]),
            ("connectors/0/scope", "repo"),
            ("connectors/0/userAccess", "yes"),
            ("connectors/0/isUserDefinedService", 0),
            ("connectors/0/sharedBy", 1.5),
        ),
        [
            (
                "/connectors/0/connectionLinkName",
                '"connectionLinkName" in connector 1 must be a string, not an array',
            ),
            (
                "/connectors/0/connectionName",
                '"connectionName" in connector 1 must be a string, not the number 5',
            ),
            (
                "/connectors/0/isUserDefinedService",
                '"isUserDefinedService" in connector 1 must be true or false, not the number 0',
            ),
            (
                "/connectors/0/scope",
                '"scope" in connector 1 must be an array of scope strings, not the string "repo"',
            ),
            (
                "/connectors/0/serviceName",
                f'"serviceName" in connector 1 must be a string, not null{CRASH_ANY}',
            ),
            (
                "/connectors/0/sharedBy",
                '"sharedBy" in connector 1 must be a whole number or a string, not the number 1.5',
            ),
            (
                "/connectors/0/userAccess",
                '"userAccess" in connector 1 must be true or false, not the string "yes"',
            ),
        ],
    ),
    "connector scope entry": (
        (("connectors/0/scope", ["repo", 1]),),
        [
            (
                "/connectors/0/scope/1",
                'item 2 of "scope" in connector 1 must be a string, not the number 1',
            )
        ],
    ),
    "zohoAuthorisation null": (
        (("zohoAuthorisation", None),),
        [
            (
                "/zohoAuthorisation",
                f'"zohoAuthorisation" must be a connection object, not null{CRASH}',
            )
        ],
    ),
    "zohoAuthorisation string": (
        (("zohoAuthorisation", "zohodesk"),),
        [
            (
                "/zohoAuthorisation",
                '"zohoAuthorisation" must be a connection object, not the string "zohodesk"',
            )
        ],
    ),
    "zohoAuthorisation without type": (
        (("zohoAuthorisation", {"serviceName": "zlabs_integration"}),),
        [
            (
                "/zohoAuthorisation/type",
                '"zohoAuthorisation" is missing its required "type" member '
                "(required as soon as it has any member)",
            )
        ],
    ),
    "zohoAuthorisation scope string": (
        (("zohoAuthorisation/scope", "Desk.tickets.READ"),),
        [
            (
                "/zohoAuthorisation/scope",
                '"scope" in "zohoAuthorisation" must be an array of scope strings, '
                'not the string "Desk.tickets.READ"',
            )
        ],
    ),
    "zohoAuthorisation member types": (
        (
            ("zohoAuthorisation/serviceName", 5),
            ("zohoAuthorisation/userAccess", "true"),
            ("zohoAuthorisation/sharedBy", []),
            ("zohoAuthorisation/scope", [None]),
        ),
        [
            (
                "/zohoAuthorisation/scope/0",
                'item 1 of "scope" in "zohoAuthorisation" must be a string, not null',
            ),
            (
                "/zohoAuthorisation/serviceName",
                '"serviceName" in "zohoAuthorisation" must be a string, not the number 5',
            ),
            (
                "/zohoAuthorisation/sharedBy",
                '"sharedBy" in "zohoAuthorisation" must be a whole number or a string, '
                "not an empty array",
            ),
            (
                "/zohoAuthorisation/userAccess",
                '"userAccess" in "zohoAuthorisation" must be true or false, not the string "true"',
            ),
        ],
    ),
    "usedConnections": (
        (("usedConnections", [None, {"scope": "x", "userAccess": 1}]),),
        [
            ("/usedConnections/0", "used connection 1 must be a connection object, not null"),
            (
                "/usedConnections/1/scope",
                '"scope" in used connection 2 must be an array of scope strings, '
                'not the string "x"',
            ),
            (
                "/usedConnections/1/userAccess",
                '"userAccess" in used connection 2 must be true or false, not the number 1',
            ),
        ],
    ),
    "usedConnections object": (
        (("usedConnections", {}),),
        [
            (
                "/usedConnections",
                '"usedConnections" must be an array of connection objects, not an empty object',
            )
        ],
    ),
    "config null": (
        (("config", None),),
        [("/config", '"config" must be an array of configuration objects, not null')],
    ),
    "config too long": (
        (("config", [{"name": f"p{i}"} for i in range(21)]),),
        [("/config", '"config" has 21 items, but at most 20 are allowed; remove 1')],
    ),
    "config item null": (
        (("config/1", None),),
        [("/config/1", f"config item 2 must be a configuration object, not null{CRASH}")],
    ),
    "config item empty": (
        (("config/1", {}),),
        [("/config/1", 'config item 2 is an empty object; it needs "name"')],
    ),
    "config item without name": (
        (("config/1/name", DELETE),),
        [("/config/1/name", 'config item 2 is missing its required "name" member')],
    ),
    "config member types": (
        (
            ("config/1/name", 5),
            ("config/1/displayName", ["x"]),
            ("config/1/description", 2),
            ("config/1/userdefined", "no"),
            ("config/1/mandatory", None),
            ("config/1/secure", 1),
        ),
        [
            (
                "/config/1/description",
                '"description" in config item 2 must be a string, not the number 2',
            ),
            (
                "/config/1/displayName",
                '"displayName" in config item 2 must be a string, not an array',
            ),
            ("/config/1/mandatory", '"mandatory" in config item 2 must be true or false, not null'),
            ("/config/1/name", '"name" in config item 2 must be a string, not the number 5'),
            (
                "/config/1/secure",
                '"secure" in config item 2 must be true or false, not the number 1',
            ),
            (
                "/config/1/userdefined",
                '"userdefined" in config item 2 must be true or false, not the string "no"',
            ),
        ],
    ),
    "config text lengths": (
        (("config/0/displayName", "d" * 256), ("config/0/description", "é" * 300)),
        [
            (
                "/config/0/description",
                '"description" in config item 1 is 300 characters long, but at most 255 are '
                "allowed; shorten it by 45",
            ),
            (
                "/config/0/displayName",
                '"displayName" in config item 1 is 256 characters long, but at most 255 are '
                "allowed; shorten it by 1",
            ),
        ],
    ),
    "userdefined needs type mandatory secure": (
        (("config/1", {"name": "region", "userdefined": True}),),
        [
            (
                "/config/1/mandatory",
                'config item 2 is missing its required "mandatory" member '
                '(required because "userdefined" is true)',
            ),
            (
                "/config/1/secure",
                'config item 2 is missing its required "secure" member '
                '(required because "userdefined" is true)',
            ),
            (
                "/config/1/type",
                'config item 2 is missing its required "type" member '
                '(required because "userdefined" is true)',
            ),
        ],
    ),
    "userdefined type not allowed": (
        (("config/0/type", "password"),),
        [
            (
                "/config/0/type",
                '"type" in config item 1 must be one of "text", "number", "radio", "switch", '
                '"picklist", "multiselect" or "checkbox", not "password"',
            )
        ],
    ),
    "deskOauth null": (
        (("deskOauth", None),),
        [("/deskOauth", f'"deskOauth" must be an object, not null{CRASH}')],
    ),
    "deskOauth array": (
        (("deskOauth", []),),
        [("/deskOauth", '"deskOauth" must be an object, not an empty array')],
    ),
    "deskOauth required members": (
        (("deskOauth", {"scopes": []}),),
        [
            ("/deskOauth/clientId", '"deskOauth" is missing its required "clientId" member'),
            (
                "/deskOauth/clientSecret",
                '"deskOauth" is missing its required "clientSecret" member',
            ),
            ("/deskOauth/name", '"deskOauth" is missing its required "name" member'),
        ],
    ),
    "deskOauth member types": (
        (
            ("deskOauth/clientId", 1000),
            ("deskOauth/name", None),
            ("deskOauth/clientSecret", 987654321),
            ("deskOauth/scopes", "Desk.tickets.READ"),
            ("deskOauth/params", "access_type=offline"),
        ),
        [
            (
                "/deskOauth/clientId",
                '"clientId" in "deskOauth" must be a string, not the number 1000',
            ),
            (
                "/deskOauth/clientSecret",
                '"clientSecret" in "deskOauth" must be a string, not a number',
            ),
            ("/deskOauth/name", '"name" in "deskOauth" must be a string, not null'),
            (
                "/deskOauth/params",
                '"params" in "deskOauth" must be an object of key-value pairs, '
                'not the string "access_type=offline"',
            ),
            (
                "/deskOauth/scopes",
                '"scopes" in "deskOauth" must be an array of scope strings, '
                'not the string "Desk.tickets.READ"',
            ),
        ],
    ),
    "deskOauth scope entry": (
        (("deskOauth/scopes", [1]),),
        [
            (
                "/deskOauth/scopes/0",
                'item 1 of "scopes" in "deskOauth" must be a string, not the number 1',
            )
        ],
    ),
    "TPAOauth null": (
        (("TPAOauth", None),),
        [("/TPAOauth", '"TPAOauth" must be an array of OAuth client objects, not null')],
    ),
    "TPAOauth entries": (
        (("TPAOauth", [None, {}]),),
        [
            ("/TPAOauth/0", "TPAOauth entry 1 must be an OAuth client object, not null"),
            (
                "/TPAOauth/1",
                'TPAOauth entry 2 is an empty object; it needs "name", "clientId", '
                '"clientSecret", "authoriseUrl" and "tokenUrl"',
            ),
        ],
    ),
    "TPAOauth required members": (
        (("TPAOauth/0", {"revokeUrl": "https://x.example/revoke"}),),
        [
            (
                "/TPAOauth/0/authoriseUrl",
                'TPAOauth entry 1 is missing its required "authoriseUrl" member',
            ),
            ("/TPAOauth/0/clientId", 'TPAOauth entry 1 is missing its required "clientId" member'),
            (
                "/TPAOauth/0/clientSecret",
                'TPAOauth entry 1 is missing its required "clientSecret" member',
            ),
            ("/TPAOauth/0/name", 'TPAOauth entry 1 is missing its required "name" member'),
            ("/TPAOauth/0/tokenUrl", 'TPAOauth entry 1 is missing its required "tokenUrl" member'),
        ],
    ),
    "TPAOauth member types": (
        (
            ("TPAOauth/0/name", 5),
            ("TPAOauth/0/clientId", True),
            ("TPAOauth/0/clientSecret", ["tpa-client-secret"]),
            ("TPAOauth/0/authoriseUrl", 1),
            ("TPAOauth/0/tokenUrl", None),
            ("TPAOauth/0/revokeUrl", False),
            ("TPAOauth/0/params", []),
        ),
        [
            (
                "/TPAOauth/0/authoriseUrl",
                '"authoriseUrl" in TPAOauth entry 1 must be a string, not the number 1',
            ),
            (
                "/TPAOauth/0/clientId",
                '"clientId" in TPAOauth entry 1 must be a string or a number, not true',
            ),
            (
                "/TPAOauth/0/clientSecret",
                '"clientSecret" in TPAOauth entry 1 must be a string or a number, not an array',
            ),
            ("/TPAOauth/0/name", '"name" in TPAOauth entry 1 must be a string, not the number 5'),
            (
                "/TPAOauth/0/params",
                '"params" in TPAOauth entry 1 must be an object of key-value pairs, '
                "not an empty array",
            ),
            (
                "/TPAOauth/0/revokeUrl",
                '"revokeUrl" in TPAOauth entry 1 must be a string, not false',
            ),
            ("/TPAOauth/0/tokenUrl", '"tokenUrl" in TPAOauth entry 1 must be a string, not null'),
        ],
    ),
    "callbackListener null": (
        (("callbackListener", None),),
        [
            (
                "/callbackListener",
                f'"callbackListener" must be an object of listener URLs, not null{CRASH}',
            )
        ],
    ),
    "callbackListener value": (
        (("callbackListener/onUpdate", 5),),
        [
            (
                "/callbackListener/onUpdate",
                '"onUpdate" in "callbackListener" must be a string, not the number 5',
            )
        ],
    ),
    "secret missing": (
        (("secret", DELETE),),
        [
            (
                "/secret",
                'the manifest is missing its required "secret" member '
                '(required because "callbackListener" is present)',
            )
        ],
    ),
    "secret not a string": (
        (("secret", 1234567),),
        [("/secret", '"secret" must be a string, not a number')],
    ),
    "moduleSupport": (
        (("moduleSupport", "yes"),),
        [("/moduleSupport", '"moduleSupport" must be true or false, not the string "yes"')],
    ),
}


@pytest.mark.parametrize("case", FAILING, ids=list(FAILING))
def test_each_contract_bullet_fails_with_a_human_message(case: str) -> None:
    edits, expected = FAILING[case]
    document = changed(*edits)
    assert not shipped_checker().is_valid(document)
    assert problems(document) == sorted(expected)


# Every bullet, passing: values the schema must accept.
PASSING: dict[str, tuple[tuple[str, Any], ...]] = {
    "type personal": (("type", "personal"),),
    "no type": (("type", DELETE),),
    "any service string": (("service", "CRM"),),
    "empty arrays": (
        ("locale", []),
        ("whiteListedDomains", []),
        ("connectors", []),
        ("config", []),
        ("TPAOauth", []),
    ),
    "minimal widget": (("modules/widgets", [{"name": "w", "url": "/app/widget.html"}]),),
    "no cspDomains": (("cspDomains", DELETE),),
    "ten connect-src entries": (
        ("cspDomains/connect-src", [f"https://{i}.example" for i in range(10)]),
    ),
    "many entries in other directives": (
        ("cspDomains/img-src", [f"https://{i}.example" for i in range(30)]),
    ),
    "sharedBy as integer and string": (
        ("connectors/0/sharedBy", 711770823),
        ("zohoAuthorisation/sharedBy", "711770823"),
    ),
    "connector with only the required members": (
        ("connectors/0", {"connectionName": "a", "serviceName": "b", "connectionLinkName": "c"}),
    ),
    "empty zohoAuthorisation": (("zohoAuthorisation", {}),),
    "zohoAuthorisation with type only": (("zohoAuthorisation", {"type": "connectors"}),),
    "usedConnections without required members": (
        ("usedConnections", [{}, {"connectionLinkName": "x", "sharedBy": 5}]),
    ),
    "twenty config items": (("config", [{"name": f"p{i}"} for i in range(20)]),),
    "255 characters": (("config/0/displayName", "d" * 255), ("config/0/description", "é" * 255)),
    "type unchecked unless userdefined": (
        ("config/1", {"name": "x", "type": "bogus", "userdefined": False}),
    ),
    "every userdefined type": (
        (
            "config",
            [
                {"name": t, "userdefined": True, "type": t, "mandatory": False, "secure": False}
                for t in [
                    "text",
                    "number",
                    "radio",
                    "switch",
                    "picklist",
                    "multiselect",
                    "checkbox",
                ]
            ],
        ),
    ),
    "no deskOauth": (("deskOauth", DELETE),),
    "minimal deskOauth": (("deskOauth", {"clientId": "a", "name": "b", "clientSecret": "c"}),),
    "TPAOauth numbers": (("TPAOauth/0/clientId", 12345), ("TPAOauth/0/clientSecret", 678)),
    "TPAOauth without optional members": (
        ("TPAOauth/0/revokeUrl", DELETE),
        ("TPAOauth/0/params", DELETE),
    ),
    "no callbackListener and no secret": (("callbackListener", DELETE), ("secret", DELETE)),
    "empty callbackListener with secret": (("callbackListener", {}),),
    "secret without callbackListener": (("callbackListener", DELETE),),
    "no moduleSupport": (("moduleSupport", DELETE),),
    "unknown members everywhere": (
        ("permissions", {"any": "thing"}),
        ("modules/widgets/0/other_dc_urls", {"eu": "https://eu.example"}),
        ("modules/extra", 1),
        ("connectors/0/extra", None),
        ("config/0/authType", "org"),
        ("config/0/default", 5),
        ("deskOauth/extra", []),
        ("TPAOauth/0/extra", True),
        ("zohoAuthorisation/extra", "x"),
    ),
}


@pytest.mark.parametrize("case", PASSING, ids=list(PASSING))
def test_each_contract_bullet_accepts_valid_values(case: str) -> None:
    document = changed(*PASSING[case])
    assert problems(document) == []
    assert Draft202012Validator(SCHEMA).is_valid(document)


def _all_failing_messages() -> list[str]:
    return [message for _, expected in FAILING.values() for _, message in expected]


def test_no_message_looks_like_a_validator_dump() -> None:
    raw = re.compile(
        r"\{'|\['|is not of type|is a required property|is not one of|is too long|"
        r"\bNone\b|\bTrue\b|\bFalse\b|should be non-empty|does not have enough"
    )
    for case, (edits, _) in FAILING.items():
        for _, message in problems(changed(*edits)):
            assert not raw.search(message), (case, message)


SECRET_VALUES = {
    "secret": 31415926,
    "deskOauth/clientSecret": 27182818,
    "TPAOauth/0/clientSecret": True,
}


@pytest.mark.parametrize("path", SECRET_VALUES)
def test_secret_values_never_appear_in_messages(path: str) -> None:
    value = SECRET_VALUES[path]
    [(pointer, message)] = problems(changed((path, value)))
    assert pointer == f"/{path}"
    assert str(value).lower() not in message.lower()
    assert message.endswith(("not a number", "not a boolean"))


def test_secret_strings_are_not_quoted_by_enum_or_const_either() -> None:
    checker = SchemaChecker(
        {
            "properties": {
                "apiKey": {"enum": ["a", "b"]},
                "nested": {"properties": {"client_secret": {"const": "x"}}},
                "password": {"maxLength": 3},
            }
        }
    )
    found = problems(
        {
            "apiKey": "hunter2-key",
            "nested": {"client_secret": "hunter2-sec"},
            "password": "hunter2",
        },
        checker,
    )
    assert found == [
        ("/apiKey", '"apiKey" must be "a" or "b", not a string'),
        ("/nested/client_secret", '"client_secret" in "nested" must be "x", not a string'),
        (
            "/password",
            '"password" is 7 characters long, but at most 3 are allowed; shorten it by 4',
        ),
    ]
    assert "hunter2" not in repr(found)


def test_one_finding_per_problem() -> None:
    # wrong type hides enum; empty object hides its missing members; null widget is one line
    checker = shipped_checker()
    assert len(checker.problems(changed(("config/0/type", 5)))) == 1
    assert len(checker.problems(changed(("connectors/0", {})))) == 1
    assert len(checker.problems(changed(("modules/widgets", [None, None])))) == 2
    # a callbackListener of the wrong type still needs the secret: two problems
    found = problems(changed(("callbackListener", "x"), ("secret", DELETE)))
    assert [pointer for pointer, _ in found] == ["/callbackListener", "/secret"]


def test_findings_carry_pointers_positions_and_related_members() -> None:
    text = (
        '{\n  "locale": ["en"], "service": "DESK", "storage": true, "connectors": [],\n'
        '  "config": [], "whiteListedDomains": [],\n'
        '  "modules": {"widgets": [{"name": "w"}]},\n'
        '  "callbackListener": {}\n}\n'
    )
    parsed = parse("plugin-manifest.json", text.encode())
    assert parsed.document is not None
    findings = [parsed.document.resolve(f.location) for f in schema_findings(parsed.document)]
    by_pointer = {location.pointer: location for location in findings}
    assert set(by_pointer) == {"/modules/widgets/0/url", "/secret"}
    # a missing member is placed on the object that should hold it (its opening brace)
    assert by_pointer["/modules/widgets/0/url"].span == Span(4, 27, 4, 28)
    [secret] = [f for f in schema_findings(parsed.document) if f.location.pointer == "/secret"]
    assert secret.rule == SCHEMA_RULE
    [related] = secret.related
    assert related.pointer == "/callbackListener"
    assert related.key
    assert parsed.document.resolve(related).span == Span(5, 3, 5, 21)


def test_userdefined_findings_point_back_at_userdefined() -> None:
    [problem, *_] = shipped_checker().problems(
        changed(("config/1", {"name": "x", "userdefined": True}))
    )
    assert problem.related == ("/config/1/userdefined",)


# Schemas outside the shipped one: alternatives, fallbacks, hints.


def test_alternatives_with_no_fitting_type_give_one_type_message() -> None:
    checker = SchemaChecker(
        {
            "properties": {
                "scope": {
                    "anyOf": [
                        {"type": "string"},
                        {"type": "array", "items": {"type": "string"}},
                    ]
                }
            }
        }
    )
    assert problems({"scope": 5}, checker) == [
        ("/scope", '"scope" must be a string or an array of strings, not the number 5')
    ]


def test_alternatives_explain_the_variant_the_value_fits() -> None:
    checker = SchemaChecker(
        {
            "properties": {
                "auth": {
                    "oneOf": [
                        {"type": "string"},
                        {
                            "type": "object",
                            "required": ["kind"],
                            "properties": {"kind": {"const": "oauth"}, "id": {"type": "string"}},
                        },
                        {
                            "type": "object",
                            "required": ["kind", "id"],
                            "properties": {"kind": {"const": "key"}, "id": {"type": "string"}},
                        },
                    ]
                }
            }
        }
    )
    # fits the object variants; "kind": "key" rules out the oauth one, so "id" is what's missing
    assert problems({"auth": {"kind": "key"}}, checker) == [
        ("/auth/id", '"auth" is missing its required "id" member')
    ]
    assert problems({"auth": {"kind": "oauth", "id": 5}}, checker) == [
        ("/auth/id", '"id" in "auth" must be a string, not the number 5')
    ]
    assert problems({"auth": []}, checker) == [
        ("/auth", '"auth" must be a string or an object, not an empty array')
    ]


def test_one_of_matching_twice_is_explained() -> None:
    checker = SchemaChecker({"oneOf": [{"type": "object"}, {"required": ["a"]}]})
    assert problems({"a": 1}, checker) == [
        ("", "the manifest matches more than one of the allowed forms; it must match exactly one")
    ]


def test_unsupported_keywords_fall_back_to_jsonschema_without_dumping_values() -> None:
    checker = SchemaChecker({"properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}}})
    assert not checker.fast_path
    assert checker.is_valid({"name": "abc"})
    assert problems({"name": "Not OK"}, checker) == [
        ("/name", '"name" does not meet the schema\'s "pattern" condition')
    ]


def test_not_says_what_is_not_allowed() -> None:
    checker = SchemaChecker({"properties": {"mode": {"not": {"const": "debug"}}}})
    assert checker.fast_path
    assert problems({"mode": "debug"}, checker) == [
        ("/mode", '"mode" must not be the string "debug" here')
    ]


def test_x_message_overrides_one_keyword() -> None:
    checker = SchemaChecker(
        {
            "properties": {
                "tags": {
                    "type": "array",
                    "maxItems": 2,
                    "x-message": {"maxItems": "{subject} lists {count} tags; keep {limit}"},
                }
            }
        }
    )
    assert problems({"tags": [1, 2, 3]}, checker) == [("/tags", '"tags" lists 3 tags; keep 2')]


def test_references_to_missing_definitions_are_not_compiled() -> None:
    checker = SchemaChecker(
        {"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    )
    assert checker.fast_path
    assert not checker.is_valid({"x": 1})
    assert problems({"x": 1}, checker) == [("/x", '"x" must be a string, not the number 1')]


# The fast test must agree with jsonschema everywhere: mutate the valid manifest at random.

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 1.5, 1e20])
    | st.sampled_from(["", "x", "org", "team", "text", "password", "/app/widget.html", "d" * 256])
    # sizes around the schema's limits (10 connect-src entries, 20 config items)
    | st.sampled_from([["https://a.example"] * 10, ["https://a.example"] * 11])
    | st.sampled_from([[{"name": "p"}] * 20, [{"name": "p"}] * 21, [{}], [{"name": 1}]]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "url", "type", "scope", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, member in value.items():
            yield from _places(member, (*path, key))
    elif isinstance(value, list):
        for index, member in enumerate(value):
            yield from _places(member, (*path, index))


PLACES = [p for p in _places(VALID) if p]


FULL = Draft202012Validator(SCHEMA)


def _error_set(errors: Any) -> set[tuple[tuple[Any, ...], str]]:
    return {(tuple(e.absolute_path), str(e.validator)) for e in errors}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(PLACES), JSON_VALUES, st.booleans()), min_size=1, max_size=3)
)
def test_the_fast_test_agrees_with_jsonschema(
    mutations: list[tuple[tuple[Any, ...], Any, bool]],
) -> None:
    document = copy.deepcopy(VALID)
    for path, replacement, delete in mutations:
        try:
            document = _apply(document, path, replacement, delete)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the place
    checker = shipped_checker()
    assert checker.is_valid(document) == FULL.is_valid(document)
    # narrowing to failing members finds exactly the errors of a full walk
    assert _error_set(checker.errors(document)) == _error_set(FULL.iter_errors(document))
    for problem in checker.problems(document):
        assert "Traceback" not in problem.message
        assert problem.pointer.startswith("/") or problem.pointer == ""


def _apply(document: Any, path: tuple[Any, ...], replacement: Any, delete: bool) -> Any:
    target: Any = document
    for token in path[:-1]:
        target = target[token]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = replacement
    return document


def _corpus() -> list[Path]:
    return sorted(CORPUS.rglob("*.json")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _corpus(), reason="the shared corpus of real manifests is not present")
def test_real_manifests_agree_with_jsonschema() -> None:
    checked = 0
    for path in _corpus():
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        checker = shipped_checker()
        assert checker.is_valid(value) == FULL.is_valid(value), path
        assert _error_set(checker.errors(value)) == _error_set(FULL.iter_errors(value)), path
        checked += 1
    assert checked


def test_a_valid_manifest_never_imports_jsonschema() -> None:
    script = (
        "import json, sys\n"
        "from checker.schema import shipped_checker\n"
        f"assert shipped_checker().problems(json.loads({json.dumps(json.dumps(VALID))})) == []\n"
        "assert not any(m.startswith('jsonschema') for m in sys.modules), 'jsonschema imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_rule_documentation_states_where_it_is_stricter_than_zet() -> None:
    doc = SCHEMA_INFO.doc
    for fragment in ("null", "zohoAuthorisation.scope", "array of strings", "exits 0"):
        assert fragment in doc
