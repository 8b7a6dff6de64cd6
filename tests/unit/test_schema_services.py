"""The JSON Schemas of the services other than Desk: valid, fast, consistent, printed by
``schema --service``, enforced only where the toolkit validates the service."""

from __future__ import annotations

import copy
import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from checker.cli import main
from checker.schema import SCHEMA_FILE, schema_findings, shipped_checker
from checker.services import REGISTRY, Service, schema_file
from checker.source import parse

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "checker" / "schemas"
SERVICE_SCHEMAS = sorted({info.schema for info in REGISTRY.values() if info.schema} - {SCHEMA_FILE})
ZET = Path(os.environ.get("ZMG_ZET_DIR") or ROOT / ".ci" / "zet")
TEMPLATES = ZET / "node_modules" / "zoho-extension-toolkit" / "apptemplate"

# Small valid manifests per schema, to mutate.
VALID: dict[str, dict[str, Any]] = {
    "projects.schema.json": {
        "locale": ["en"],
        "service": "PROJECTS",
        "storage": False,
        "type": "personal",
        "whiteListedDomains": [],
        "modules": {
            "widgets": [
                {
                    "location": "attachment_picker",
                    "url": "/app/i.html",
                    "name": "A",
                    "icon": "/i.svg",
                }
            ]
        },
        "cspDomains": {"connect-src": []},
        "connectors": [
            {
                "connectionName": "c",
                "connectionLinkName": "c",
                "serviceName": "s",
                "userAccess": True,
                "isUserDefinedService": False,
                "scope": ["a"],
            }
        ],
        "config": [
            {
                "name": "a",
                "type": "selectbox",
                "is_mandatory": True,
                "is_secure": False,
                "options": ["x"],
            }
        ],
    },
    "sdp.schema.json": {
        "service": "SDP",
        "type": "personal",
        "widgets": [
            {"name": "W", "description": "d", "path_url": "/app/w.html", "locations": ["dashboard"]}
        ],
    },
    "creator.schema.json": {
        "service": "CREATOR",
        "cspDomains": {"connect-src": ["https://a.com"]},
        "config": [
            {"name": "r", "type": "Report", "placeholder": "p", "defaultValue": "d", "help": "h"}
        ],
    },
    "catalyst.schema.json": {
        "service": "CATALYST",
        "client": {"id": "1", "scope": "A.b.READ", "accounts-url": "https://accounts.zoho.eu"},
        "file_location": "/app/a.html",
    },
    "bigin.schema.json": {"service": "BIGIN", "cspDomains": {"connect-src": []}},
    "finance.schema.json": {
        "locale": ["en"],
        "service": "FINANCE",
        "modules": {
            "widgets": [{"name": "W", "location": "invoice.details.sidebar", "url": "/app/w.html"}]
        },
        "usedConnections": [{"connectionLinkName": "books", "scope": ["ZohoBooks.invoices.READ"]}],
    },
}
ODD: list[Any] = [None, True, 0, "", "x", [], {}, [None], {"a": 1}]


def _schema(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return value


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_places(item, (*path, index)))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    copied = copy.deepcopy(value)
    target = copied
    for token in path[:-1]:
        target = target[token]
    if new is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return copied


_DELETE = object()


def _error_set(errors: Any) -> set[tuple[tuple[Any, ...], str]]:
    return {(tuple(e.absolute_path), str(e.validator)) for e in errors}


def test_every_service_schema_is_listed() -> None:
    assert set(VALID) == set(SERVICE_SCHEMAS)


@pytest.mark.parametrize("name", SERVICE_SCHEMAS)
def test_schema_is_valid_draft_2020_12_and_takes_the_fast_path(name: str) -> None:
    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/checker/schemas/{name}")
    checker = shipped_checker(name)
    assert checker.fast_path
    assert checker.is_valid(VALID[name])
    assert Draft202012Validator(schema).is_valid(VALID[name])


@pytest.mark.parametrize("name", SERVICE_SCHEMAS)
def test_csp_domains_are_described_as_for_desk(name: str) -> None:
    desk = _schema(SCHEMA_FILE)["properties"]["cspDomains"]
    own = _schema(name)["properties"].get("cspDomains")
    if name in ("sdp.schema.json", "catalyst.schema.json"):
        assert own is None  # the toolkit does not check cspDomains for SDP and Catalyst
    else:
        assert own == desk


@pytest.mark.parametrize("name", SERVICE_SCHEMAS)
def test_the_fast_checker_agrees_with_jsonschema_on_mutations(name: str) -> None:
    schema = _schema(name)
    full = Draft202012Validator(schema)
    checker = shipped_checker(name)
    base = VALID[name]
    checked = 0
    for path in _places(base):
        for new in [_DELETE, *ODD]:
            value = _replaced(base, path, new)
            assert checker.is_valid(value) == full.is_valid(value), (path, new)
            assert _error_set(checker.errors(value)) == _error_set(full.iter_errors(value)), (
                path,
                new,
            )
            if not checker.is_valid(value):
                assert checker.problems(value), (path, new)  # every error is explained
            checked += 1
    assert checked > 20


def test_only_the_services_the_toolkit_validates_are_enforced() -> None:
    garbage = b'{"service": "FINANCE", "modules": 5, "locale": "en", "usedConnections": {}}'
    parsed = parse("plugin-manifest.json", garbage)
    assert parsed.document is not None
    assert schema_findings(parsed.document) == []
    assert not shipped_checker("finance.schema.json").is_valid(json.loads(garbage))
    projects = parse("plugin-manifest.json", b'{"service": "PROJECTS"}')
    assert projects.document is not None
    assert len(schema_findings(projects.document)) == 4  # locale, storage, modules, domains


@pytest.mark.skipif(not TEMPLATES.is_dir(), reason=f"Zoho's toolkit is not installed in {ZET}")
@pytest.mark.parametrize(
    "service", [s for s, info in REGISTRY.items() if info.schema and s is not Service.DESK]
)
def test_zohos_own_template_matches_the_schema(service: Service) -> None:
    path = TEMPLATES / service.value.lower() / "plugin-manifest.json"
    value = json.loads(path.read_text(encoding="utf-8"))
    name = schema_file(service.value)
    assert name is not None
    assert shipped_checker(name).problems(value) == []


@pytest.mark.parametrize("service", [s.value for s, info in REGISTRY.items() if info.schema])
def test_schema_command_prints_the_service_schema(service: str) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["schema", "--service", service]) == 0
    name = schema_file(service)
    assert name is not None
    assert out.getvalue() == (SCHEMAS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("service", "message"),
    [("projects", "is not a Zoho service"), ("CRM", "no schema"), ("", "is not a Zoho service")],
)
def test_schema_command_refuses_a_service_without_schema(service: str, message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["schema", "--service", service]) == 2
    assert out.getvalue() == ""
    assert message in err.getvalue()
    assert "PROJECTS" in err.getvalue()  # the choices are listed


def test_schema_command_without_service_prints_the_desk_schema() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["schema"]) == 0
    assert out.getvalue() == (SCHEMAS / SCHEMA_FILE).read_text(encoding="utf-8")
