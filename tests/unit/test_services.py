"""The service registry: the toolkit's nineteen services, its routing, and the rule sets."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from checker.compare import ManifestPair, compare_pair
from checker.errors import UsageError
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY
from checker.rules import (
    ALL_RULES,
    RULE_SETS,
    UNKNOWN_SERVICE_RULES,
    appfiles,
    connections,
    toplevel,
)
from checker.rules.toplevel import SERVICES
from checker.services import (
    CRM_FILE_NAME_LIMIT,
    FILE_NAME_LIMIT,
    REGISTRY,
    UNCHECKED,
    VALIDATED,
    Route,
    Service,
    file_name_limit,
    info_of,
    known_service,
    manifest_service,
    schema_file,
    schema_file_for_cli,
    services_with_schema,
)
from checker.source import parse

ROOT = Path(__file__).resolve().parents[2]
ZET = Path(os.environ.get("ZMG_ZET_DIR") or ROOT / ".ci" / "zet")
ZET_PACKAGE = ZET / "node_modules" / "zoho-extension-toolkit"
needs_zet = pytest.mark.skipif(
    not (ZET_PACKAGE / "package.json").is_file(),
    reason=f"Zoho's toolkit is not installed in {ZET} (see tests/test_zet_differential.py)",
)


def test_the_nineteen_services_in_the_toolkits_order() -> None:
    assert len(Service) == 19
    assert tuple(s.value for s in Service) == SERVICES
    assert list(REGISTRY) == list(Service)
    assert all(info.service is service for service, info in REGISTRY.items())


def test_a_service_compares_and_formats_as_its_name() -> None:
    assert Service.DESK == "DESK"
    assert "DESK" in frozenset({Service.DESK})
    assert Service.CRM in frozenset({"CRM"})
    assert f"{Service.CRM}" == str(Service.CRM) == "CRM"


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ({"service": "DESK"}, "DESK"),
        ({"service": "desk"}, "desk"),  # as written: the gate rejects it, reports show it
        ({"service": 5}, None),
        ({"service": None}, None),
        ({}, None),
        (["DESK"], None),
        (None, None),
    ],
)
def test_manifest_service(manifest: Any, expected: str | None) -> None:
    assert manifest_service(manifest) == expected


def test_known_service_compares_exactly() -> None:
    assert known_service("PROJECTS") is Service.PROJECTS
    assert known_service("Projects") is None
    assert known_service(" PROJECTS") is None
    assert known_service(None) is None
    assert info_of("SDP") is REGISTRY[Service.SDP]
    assert info_of("SHOW") is None


def test_the_check_and_the_diff_read_the_service_the_same_way() -> None:
    text = b'{"service": "FINANCE", "usedConnections": []}'
    source = ExtensionInput("plugin-manifest.json", text)
    head, _ = compare_pair(ManifestPair("m.json", None, source), DEFAULT_POLICY, approved=False)
    base, _ = compare_pair(ManifestPair("m.json", source, None), DEFAULT_POLICY, approved=False)
    parsed = parse("plugin-manifest.json", text).document
    assert parsed is not None
    assert head.service == base.service == manifest_service(parsed.value) == "FINANCE"


def test_crm_allows_longer_file_names() -> None:
    assert file_name_limit("CRM") == CRM_FILE_NAME_LIMIT == 250
    assert REGISTRY[Service.CRM].file_name_limit == 250
    for name in ("DESK", "RECRUIT", "crm", None):
        assert file_name_limit(name) == FILE_NAME_LIMIT == 50


def test_schemas_by_service() -> None:
    assert schema_file("DESK") == "plugin-manifest.schema.json"
    assert schema_file("PROJECTS", enforced_only=True) == "projects.schema.json"
    assert schema_file("FINANCE") == schema_file("INVENTORY") == "finance.schema.json"
    assert schema_file("FINANCE", enforced_only=True) is None
    assert schema_file("CRM") is None
    assert schema_file("nope") is None
    enforced = {s for s in Service if schema_file(s.value, enforced_only=True)}
    assert enforced == VALIDATED  # exactly the services the toolkit validates with a rule
    shipped = {p.name for p in (ROOT / "checker" / "schemas").glob("*.schema.json")}
    named = {info.schema for info in REGISTRY.values() if info.schema}
    assert named == shipped - {"policy.schema.json"}


def test_schema_file_for_the_command_line() -> None:
    assert schema_file_for_cli(None) == "plugin-manifest.schema.json"
    assert schema_file_for_cli("SDP") == "sdp.schema.json"
    with pytest.raises(UsageError, match=r"not a Zoho service.*CATALYST, PROJECTS"):
        schema_file_for_cli("sdp")
    with pytest.raises(UsageError, match="no schema"):
        schema_file_for_cli("PEOPLE")
    assert "PEOPLE" not in services_with_schema()


def test_routes() -> None:
    assert {"DESK", "PROJECTS", "SDP", "CREATOR", "CATALYST", "BIGIN"} == VALIDATED
    assert {
        "CRM",
        "RECRUIT",
        "FINANCE",
        "INVENTORY",
        "PEOPLE",
        "EXPENSE",
        "BILLING",
        "FSM",
        "IOT",
        "TEAMINBOX",
        "QNTRL",
        "LOGS360CLOUD",
    } == UNCHECKED
    assert REGISTRY[Service.MAIL].route is Route.ONLINE
    assert len(VALIDATED) + len(UNCHECKED) + 1 == len(Service)


@needs_zet
def test_the_registry_matches_the_toolkits_service_list() -> None:
    source = (ZET_PACKAGE / "lib" / "utils" / "service.js").read_text(encoding="utf-8")
    listed = re.findall(r"value\s*:\s*CONST\.SERVICE\.([A-Z0-9]+)", source)
    assert tuple(listed) == SERVICES


@needs_zet
def test_the_registry_matches_the_toolkits_routing() -> None:
    """rulesconfig.js, read as text: which rules each service gets (DEFAULT when absent)."""
    config = (ZET_PACKAGE / "lib" / "rules" / "rulesconfig.js").read_text(encoding="utf-8")
    entries = {
        name: re.findall(r"'([A-Za-z.]+?)(?:\.js)?'", body)
        for name, body in re.findall(r"'([A-Z0-9]+)'\s*:\s*\{(.*?)\}", config, re.DOTALL)
    }
    constants = (ZET_PACKAGE / "lib" / "commands" / "constants.js").read_text(encoding="utf-8")
    constants = re.sub(r"//[^\n]*", "", constants)  # a commented-out line lists DESK
    online = re.search(r"ZET_API_MODEL_SERVICES\s*:\s*\[([^\]]*)\]", constants)
    assert online is not None
    online_services = set(re.findall(r"'([A-Z]+)'", online.group(1)))
    for service, info in REGISTRY.items():
        rules = entries.get(service.value, entries["DEFAULT"])
        assert rules[0] == "FileCheckRule", service
        if service.value in online_services:
            expected = Route.ONLINE
        elif rules == ["FileCheckRule"]:
            expected = Route.FILES_ONLY
        elif rules == ["FileCheckRule", "PluginManifestRule"]:
            expected = Route.GENERIC
        else:
            assert rules == ["FileCheckRule", f"{service.value}.PluginManifestRule"], service
            expected = Route.SERVICE_RULE
        assert info.route is expected, service


def test_unchecked_services_get_only_the_shared_rules_and_the_notice() -> None:
    shared = {rule.id for rule in UNKNOWN_SERVICE_RULES}
    for service in UNCHECKED:
        ids = {rule.id for rule in RULE_SETS[service]}
        assert ids == shared | {"generic-checks-only"}, service
    # The shared rules: the gate, the app/ files, and connections and scopes.
    modules = {toplevel.__name__, appfiles.__name__, connections.__name__}
    for rule in UNKNOWN_SERVICE_RULES:
        assert rule.check.__module__ in modules or rule.id.startswith("scope-"), rule.id


def test_every_rule_serves_known_services_and_rule_sets_keep_registry_order() -> None:
    names = set(SERVICES)
    for rule in ALL_RULES:
        assert rule.services is None or set(rule.services) <= names, rule.id
    for service, rules in RULE_SETS.items():
        order = [ALL_RULES.index(rule) for rule in rules]
        assert order == sorted(order), service


@pytest.mark.parametrize(
    ("prefix", "service"),
    [
        ("projects-", "PROJECTS"),
        ("sdp-", "SDP"),
        ("creator-", "CREATOR"),
        ("catalyst-", "CATALYST"),
        ("mail-", "MAIL"),
    ],
)
def test_each_services_own_rules_run_for_that_service_only(prefix: str, service: str) -> None:
    own = [rule for rule in ALL_RULES if rule.id.startswith(prefix)]
    assert own
    for rule in own:
        assert rule.services == {service}, rule.id


def test_every_service_has_a_section_in_the_rules_reference() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "## Services\n" in text
    for service in Service:
        assert f"\n### {service.value}\n" in text


def test_every_service_has_a_product_name_and_documentation() -> None:
    for info in REGISTRY.values():
        assert info.product, info.service
        assert len(info.doc.strip()) > 100, info.service
