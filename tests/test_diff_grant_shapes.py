"""``diff`` end to end on every grant shape: Finance's usedConnections, Catalyst's client.scope,
Creator's authConfig.scopes, Projects' connectors and Desk connectors of Zoho services; the
catalogue's tiers as severities; policy patterns on every Zoho prefix.

Each test writes a base and a head manifest, runs the command line as a user would
(``diff --base-file --head-file --format json``) and reads the JSON report. Validation findings
are not what these tests are about: ``--fail-on never`` leaves the exit code to the policy, so
exit 1 means an escalation blocks and exit 0 that nothing does.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main


def _write(folder: Path, value: Any) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plugin-manifest.json"
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return str(path)


def diff(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    base: Any,
    head: Any,
    *options: str,
    policy: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON report of ``diff`` between two manifest values."""
    argv = ["diff", "--format", "json", "--fail-on", "never"]
    argv += ["--base-file", _write(tmp_path / "base", base)]
    argv += ["--head-file", _write(tmp_path / "head", head)]
    if policy is not None:
        policy_file = tmp_path / "policy.yml"
        policy_file.write_text(policy, encoding="utf-8")
        argv += ["--policy", str(policy_file)]
    code = main([*argv, *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def changes(report: dict[str, Any]) -> list[tuple[str, str | None, str, bool]]:
    """(kind, subject, severity, blocks) of every change, in report order."""
    return [
        (c["kind"], c["subject"], c["severity"], c["blocks"])
        for m in report["manifests"]
        for c in m["changes"]
    ]


def kinds(report: dict[str, Any]) -> list[str]:
    return sorted(kind for kind, _, _, _ in changes(report))


def change(report: dict[str, Any], kind: str, subject: str | None = None) -> dict[str, Any]:
    found = [
        c
        for m in report["manifests"]
        for c in m["changes"]
        if c["kind"] == kind and (subject is None or c["subject"] == subject)
    ]
    assert len(found) == 1, changes(report)
    return found[0]


# --- manifests of each product ----------------------------------------------------------------


def used_connection(link: str, service: str, *scopes: str, **extra: Any) -> dict[str, Any]:
    """A usedConnections entry as Finance, Inventory, Billing and Expense write them."""
    item = {
        "connectionLinkName": link,
        "connectionName": link,
        "serviceName": service,
        "userAccess": True,
        "isUserDefinedService": False,
        "sharedBy": "775288792",
        "scope": list(scopes),
    }
    item.update(extra)
    return item


def finance(*connections: dict[str, Any], service: str = "FINANCE") -> dict[str, Any]:
    return {
        "locale": ["en"],
        "service": service,
        "whiteListedDomains": [],
        "modules": {
            "widgets": [
                {"location": "invoice.details.button", "name": "W", "url": "/app/widget.html"}
            ]
        },
        "config": [],
        "usedConnections": list(connections),
    }


def catalyst(scope: str, client_id: str = "1000.ABCDEF") -> dict[str, Any]:
    return {
        "service": "CATALYST",
        "client": {"id": client_id, "scope": scope, "accounts-url": "https://accounts.zoho.com"},
        "file_location": "/app/widget.html",
    }


def creator(*scopes: str) -> dict[str, Any]:
    value: dict[str, Any] = {"service": "CREATOR", "name": "orders", "version": "1.0.0"}
    if scopes:
        value["authConfig"] = {"type": "oauth", "scopes": list(scopes)}
    return value


def connector(link: str, service: str, *scopes: str) -> dict[str, Any]:
    """A connector as Desk and Projects write them."""
    return used_connection(link, service, *scopes)


def projects(*connectors: dict[str, Any]) -> dict[str, Any]:
    return {
        "service": "PROJECTS",
        "locale": ["en"],
        "modules": {"widgets": []},
        "connectors": list(connectors),
    }


def desk(*connectors: dict[str, Any], **members: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "service": "DESK",
        "locale": ["en"],
        "storage": False,
        "type": "personal",
        "modules": {"widgets": []},
        "config": [],
        "whiteListedDomains": [],
        "zohoAuthorisation": {},
        "connectors": list(connectors),
    }
    value.update(copy.deepcopy(members))
    return value


def zoho(*scopes: str) -> dict[str, Any]:
    return connector("desk", "zlabs_integration", *scopes) | {"type": "connectors"}


# --- Finance, Inventory: usedConnections ---------------------------------------------------------


def test_finance_used_connections_escalate_and_block(tmp_path, capsys):
    base = finance(used_connection("books", "zoho_books", "ZohoBooks.salesorders.READ"))
    head = finance(
        used_connection(
            "books", "zoho_books", "ZohoBooks.salesorders.ALL", "ZohoInventory.items.CREATE"
        ),
        used_connection("stock", "zoho_inventory", "ZohoInventory.items.READ"),
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    broadened = change(report, "scope-broadened", "ZohoBooks.salesorders.ALL")
    assert broadened["before"] == "ZohoBooks.salesorders.READ"
    assert broadened["pointer"] == "/usedConnections/0/scope/0"
    assert broadened["service"] == "zoho_books"
    assert broadened["severity"] == "high"  # the catalogue's tier of salesorders.ALL
    added = change(report, "scope-added", "ZohoInventory.items.CREATE")
    assert "the first ZohoInventory scope in this manifest" in added["detail"]
    assert added["severity"] == "high"
    new = change(report, "connection-added", "zoho_inventory")
    assert new["connection"] == "stock"
    assert new["detail"].startswith('connection "stock" is new in usedConnections')
    assert all(c["blocks"] for c in (broadened, added, new))
    # the READ the ALL replaced is not reported as removed: the broadening says it all
    assert "scope-removed" not in kinds(report)
    [row] = [r for r in report["manifests"][0]["connections"] if r["name"] == "books"]
    assert row["declared_in"] == "usedConnections"


def test_inventory_narrowing_and_a_case_only_change_pass(tmp_path, capsys):
    base = finance(
        used_connection(
            "stock", "zoho_inventory", "ZohoInventory.fullaccess.all", "ZohoBooks.invoices.READ"
        ),
        service="INVENTORY",
    )
    head = finance(
        used_connection(
            "stock", "zoho_inventory", "ZohoInventory.items.READ", "zohobooks.INVOICES.read"
        ),
        service="INVENTORY",
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 0, changes(report)
    assert kinds(report) == ["scope-narrowed", "scope-recased"]
    assert not any(blocks for _, _, _, blocks in changes(report))


# --- Catalyst: client.scope, one string ----------------------------------------------------------


def test_catalyst_client_scope_escalates_whatever_the_separator(tmp_path, capsys):
    base = catalyst("ZohoCatalyst.tables.rows.READ,ZohoCatalyst.cache.READ")
    head = catalyst(
        "ZohoCatalyst.tables.rows.ALL ZohoCatalyst.cache.READ  ZohoCatalyst.files.CREATE"
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    assert sorted((k, s, b) for k, s, _, b in changes(report)) == [
        ("scope-added", "ZohoCatalyst.files.CREATE", True),
        ("scope-broadened", "ZohoCatalyst.tables.rows.ALL", True),
    ]
    added = change(report, "scope-added")
    assert added["pointer"] == "/client/scope"
    assert added["connection"] == "client 1000.ABCDEF"
    # the catalogue does not list Catalyst's families: unknown, and a write, so never low
    assert added["severity"] == "high"
    [row] = report["manifests"][0]["connections"]
    assert (row["declared_in"], row["name"]) == ("client", "client 1000.ABCDEF")


def test_catalyst_separators_alone_change_nothing(tmp_path, capsys):
    base = catalyst("ZohoCatalyst.tables.rows.READ,ZohoCatalyst.cache.READ")
    head = catalyst("ZohoCatalyst.cache.READ ZohoCatalyst.tables.rows.READ")
    code, report = diff(tmp_path, capsys, base, head)
    assert (code, changes(report)) == (0, [])


def test_a_new_catalyst_client_is_a_new_grant(tmp_path, capsys):
    code, report = diff(
        tmp_path, capsys, {"service": "CATALYST"}, catalyst("ZohoCatalyst.tables.rows.READ")
    )
    assert code == 1
    new = change(report, "connection-added")
    assert new["detail"] == 'connection "client 1000.ABCDEF" is new in client (1 scope)'
    assert change(report, "scope-added")["subject"] == "ZohoCatalyst.tables.rows.READ"


# --- Creator: authConfig.scopes ------------------------------------------------------------------


def test_creator_auth_config_scopes_escalate(tmp_path, capsys):
    code, report = diff(
        tmp_path,
        capsys,
        creator("ZohoCreator.report.READ"),
        creator("ZohoCreator.report.READ", "ZohoCreator.form.CREATE", "ZohoCreator.report.Read"),
    )
    assert code == 1
    assert kinds(report) == ["scope-added", "scope-recased"]
    added = change(report, "scope-added")
    assert (added["subject"], added["pointer"], added["connection"]) == (
        "ZohoCreator.form.CREATE",
        "/authConfig/scopes/1",
        "authConfig",
    )
    assert added["blocks"]


# --- Projects: connectors ------------------------------------------------------------------------


def test_projects_connectors_escalate(tmp_path, capsys):
    base = projects(connector("crm", "zlabs_integration", "ZohoCRM.modules.leads.READ"))
    head = projects(
        connector("crm", "zlabs_integration", "ZohoCRM.modules.ALL"),
        connector("people", "zoho_people", "ZOHOPEOPLE.forms.READ"),
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    broadened = change(report, "scope-broadened")
    assert (broadened["subject"], broadened["severity"]) == ("ZohoCRM.modules.ALL", "critical")
    assert change(report, "connection-added")["connection"] == "people"
    assert change(report, "scope-added")["subject"] == "ZOHOPEOPLE.forms.READ"


# --- Desk connectors of Zoho services (zoho_desk, zoho_crm, zoho_books) --------------------------


@pytest.mark.parametrize("service", ["zoho_desk", "zoho_crm", "zoho_books", "zlabs_integration"])
def test_narrowing_on_a_zoho_service_connector_does_not_block(tmp_path, capsys, service):
    base = desk(connector("zd", service, "Desk.tickets.ALL", "Desk.contacts.READ"))
    head = desk(connector("zd", service, "Desk.tickets.READ", "desk.CONTACTS.read"))
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 0, changes(report)
    narrowed = change(report, "scope-narrowed")
    assert (narrowed["subject"], narrowed["after"]) == ("Desk.tickets.ALL", "Desk.tickets.READ")
    assert change(report, "scope-recased")["before"] == "Desk.contacts.READ"
    assert kinds(report) == ["scope-narrowed", "scope-recased"]


def test_broadening_on_a_zoho_desk_connector_blocks_as_broadening(tmp_path, capsys):
    base = desk(connector("zd", "zoho_desk", "Desk.tickets.READ"))
    head = desk(connector("zd", "zoho_desk", "Desk.tickets.ALL", "Desk.tickets.READ"))
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    assert [(k, s, sev) for k, s, sev, _ in changes(report)] == [
        ("scope-broadened", "Desk.tickets.ALL", "critical")
    ]


def test_near_misses_stay_escalations(tmp_path, capsys):
    base = desk(
        connector("zd", "zoho_desk", "Desk.tickets.READ"),
        connector("graph", "microsoft", "Files.Read.All"),
        connector("box", "dropbox", "files.content.write"),
    )
    head = desk(
        # another resource, not a narrowing
        connector("zd", "zoho_desk", "Desk.contacts.READ"),
        # third-party scopes compare exactly: a case change is a new scope string
        connector("graph", "microsoft", "files.read.all"),
        # WRITE never covers READ, and Dropbox scopes are not Zoho's anyway
        connector("box", "dropbox", "files.content.read"),
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    blocking = sorted(s for k, s, _, b in changes(report) if b)
    assert blocking == ["Desk.contacts.READ", "files.content.read", "files.read.all"]
    assert "scope-narrowed" not in kinds(report)
    assert "scope-recased" not in kinds(report)


# --- severities are the catalogue's tiers --------------------------------------------------------


def test_severities_follow_the_catalogue_tier(tmp_path, capsys):
    base = desk(zohoAuthorisation=zoho("Desk.tickets.READ", "AaaServer.profile.READ"))
    head = desk(
        zohoAuthorisation=zoho(
            "Desk.tickets.READ",
            "AaaServer.profile.READ",
            "Desk.settings.ALL",
            "AaaServer.profile.ALL",
            "Desk.accounts.READ",
        )
    )
    code, report = diff(tmp_path, capsys, base, head)
    assert code == 1
    severity = {s: sev for k, s, sev, _ in changes(report)}
    assert severity == {
        "Desk.settings.ALL": "critical",
        "AaaServer.profile.ALL": "low",
        "Desk.accounts.READ": "medium",  # unknown to the catalogue: fails closed at medium
    }
    assert change(report, "scope-broadened")["subject"] == "AaaServer.profile.ALL"


def test_a_first_low_tier_scope_stays_low(tmp_path, capsys):
    base = desk(zohoAuthorisation=zoho("Desk.tickets.READ"))
    head = desk(zohoAuthorisation=zoho("Desk.tickets.READ", "AaaServer.profile.READ"))
    code, report = diff(tmp_path, capsys, base, head)
    added = change(report, "scope-added")
    assert (code, added["severity"]) == (1, "low")
    assert "the first AaaServer scope in this manifest" in added["detail"]


def test_an_unknown_family_is_a_scope_unknown_notice_in_diff_too(tmp_path, capsys):
    base = desk(zohoAuthorisation=zoho("Desk.tickets.READ"))
    head = desk(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.accounts.READ"))
    _, report = diff(tmp_path, capsys, base, head)
    added = change(report, "scope-added")
    assert 'does not know the family "Desk.accounts": see scope-unknown' in added["detail"]
    [notice] = [f for f in report["manifests"][0]["findings"] if f["rule"] == "scope-unknown"]
    assert notice["severity"] == "notice"
    assert notice["pointer"] == added["pointer"] == "/zohoAuthorisation/scope/1"
    assert "use Desk.contacts.READ instead" in notice["message"]


# --- policy patterns on every Zoho prefix and grant shape ----------------------------------------

BOOKS_BASE = finance(used_connection("books", "zoho_books", "ZohoBooks.invoices.READ"))


def books_head(*scopes: str) -> dict[str, Any]:
    return finance(used_connection("books", "zoho_books", "ZohoBooks.invoices.READ", *scopes))


def test_an_allow_pattern_for_a_books_family_lets_it_pass(tmp_path, capsys):
    head = books_head("ZohoBooks.salesorders.ALL")
    code, report = diff(
        tmp_path, capsys, BOOKS_BASE, head, policy="allow:\n  - ZohoBooks.salesorders.*\n"
    )
    assert code == 0
    decision = change(report, "scope-added")["decision"]
    assert (decision["reason"], decision["blocks"]) == ("allowed", False)


def test_an_allow_pattern_does_not_reach_a_sibling_family(tmp_path, capsys):
    head = books_head("ZohoBooks.salesorders.ALL", "ZohoBooks.settings.READ")
    code, report = diff(
        tmp_path, capsys, BOOKS_BASE, head, policy="allow:\n  - ZohoBooks.salesorders.*\n"
    )
    assert code == 1
    assert [(s, b) for _, s, _, b in changes(report)] == [
        ("ZohoBooks.salesorders.ALL", False),
        ("ZohoBooks.settings.READ", True),
    ]


def test_a_deny_pattern_for_a_books_family_blocks_even_when_approved(tmp_path, capsys):
    policy = "deny:\n  - ZohoBooks.salesorders.*\n"
    # fullaccess covers every sales order: a broader grant must not slip past the deny
    for scope, kind in (
        ("ZohoBooks.salesorders.CREATE", "scope-added"),
        ("zohobooks.FULLACCESS.all", "scope-broadened"),  # it covers invoices.READ too
    ):
        code, report = diff(
            tmp_path, capsys, BOOKS_BASE, books_head(scope), "--approved", policy=policy
        )
        assert code == 1, scope
        assert change(report, kind, scope)["decision"]["reason"] == "deny"


def test_a_deny_pattern_spares_other_services_and_families(tmp_path, capsys):
    policy = "deny:\n  - ZohoBooks.salesorders.*\n"
    head = books_head("ZohoInventory.salesorders.ALL", "ZohoBooks.salesordersx.READ")
    code, report = diff(tmp_path, capsys, BOOKS_BASE, head, "--approved", policy=policy)
    assert code == 0
    assert {c[1] for c in changes(report)} == {
        "ZohoInventory.salesorders.ALL",
        "ZohoBooks.salesordersx.READ",
    }


@pytest.mark.parametrize(
    ("base", "head", "pattern"),
    [
        (
            projects(connector("crm", "zlabs_integration", "ZohoCRM.modules.leads.READ")),
            projects(connector("crm", "zlabs_integration", "ZohoCRM.modules.ALL")),
            "ZohoCRM.modules.ALL",
        ),
        (
            catalyst("ZohoCatalyst.cache.READ"),
            catalyst("ZohoCatalyst.cache.READ,ZohoCatalyst.tables.rows.DELETE"),
            "ZohoCatalyst.tables.*",
        ),
        (
            creator("ZohoCreator.report.READ"),
            creator("ZohoCreator.report.READ", "ZohoCreator.form.CREATE"),
            "ZohoCreator.form",
        ),
        (
            desk(connector("zd", "zoho_desk", "Desk.tickets.READ")),
            desk(connector("zd", "zoho_desk", "Desk.tickets.READ", "Desk.settings.UPDATE")),
            "Desk.settings.*",
        ),
    ],
    ids=["projects-connectors", "catalyst-client", "creator-auth-config", "desk-zoho-desk"],
)
def test_deny_patterns_reach_every_grant_shape(tmp_path, capsys, base, head, pattern):
    code, report = diff(tmp_path, capsys, base, head, "--approved", policy=f"deny: ['{pattern}']\n")
    assert code == 1
    denied = [c for m in report["manifests"] for c in m["changes"] if c["blocks"]]
    assert [c["decision"]["reason"] for c in denied] == ["deny"]
