"""Base vs head classification: every escalation kind, every non-escalation kind, a.4's examples."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from rules_support import VALID
from rules_support import connector as valid_connector
from rules_support import zoho_authorisation as zoho

from checker.changes import Change, ChangeKind, Risk, Side
from checker.diff import diff_documents, diff_manifests
from checker.scopes import covers, parse_zoho_scope, zoho_covers
from checker.source import Document, parse

K = ChangeKind

# The rules' valid manifest as a personal extension without storage, so that turning either
# on is a change of its own.
BASE: dict[str, Any] = copy.deepcopy({**VALID, "storage": False, "type": "personal"})


def connector(link: str, service: str, *scopes: str, **extra: Any) -> dict[str, Any]:
    """A connector object named by its link name, with these scopes."""
    return valid_connector(
        link.title(), service, connectionLinkName=link, scope=list(scopes), **extra
    )


def manifest(**members: Any) -> dict[str, Any]:
    """A Desk manifest: BASE with members replaced."""
    value = copy.deepcopy(BASE)
    value.update(copy.deepcopy(members))
    return value


def doc(value: Any, path: str = "plugin-manifest.json") -> Document:
    """A parsed document of a value (indented, so every member has its own line)."""
    return text_doc(json.dumps(value, indent=2), path)


def text_doc(text: str, path: str = "plugin-manifest.json") -> Document:
    """A parsed document of raw JSON text (for duplicate keys and formatting)."""
    parsed = parse(path, text.encode())
    assert parsed.document is not None, parsed.findings
    return parsed.document


def run(base: Any, head: Any, **resources: Any) -> tuple[Change, ...]:
    """Changes between two manifest values (None: that side does not exist)."""
    extra = {k: doc(v, "resources.json") for k, v in resources.items()}
    return diff_documents(
        doc(base) if base is not None else None,
        doc(head) if head is not None else None,
        **extra,
    )


def kinds(changes: tuple[Change, ...]) -> list[str]:
    return sorted(c.kind.value for c in changes)


def one(changes: tuple[Change, ...], kind: ChangeKind) -> Change:
    found = [c for c in changes if c.kind is kind]
    assert len(found) == 1, [(c.kind.value, c.detail) for c in changes]
    return found[0]


def escalations(changes: tuple[Change, ...]) -> list[str]:
    return sorted(c.kind.value for c in changes if c.escalation)


# --- escalations ------------------------------------------------------------------------------


def test_new_scope_is_an_escalation_with_one_sentence_and_a_head_pointer():
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.settings.ALL")),
    )
    change = one(changes, K.SCOPE_ADDED)
    assert change.escalation
    assert change.detail == 'scope "Desk.settings.ALL" is new on connection "zoho_desk"'
    assert change.location.pointer == "/zohoAuthorisation/scope/1"
    assert change.side is Side.HEAD
    span = change.location.span
    assert span is not None
    line = json.dumps(
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.settings.ALL")), indent=2
    ).splitlines()[span.line - 1]
    assert '"Desk.settings.ALL"' in line
    assert change.risk is Risk.CRITICAL  # the catalogue's tier: admin control of the help desk
    assert (change.subject, change.service, change.connection) == (
        "Desk.settings.ALL",
        "zlabs_integration",
        "zoho_desk",
    )
    assert escalations(changes) == ["scope-added"]


@pytest.mark.parametrize(
    ("scope", "risk"),
    [
        # the scope catalogue's tier (checker/catalog/scopes.json)
        ("Desk.tickets.UPDATE", Risk.HIGH),  # writes customer data
        ("Desk.contacts.READ", Risk.MEDIUM),  # reads customer data
        ("Desk.settings.READ", Risk.HIGH),  # an admin family
        ("Desk.settings.ALL", Risk.CRITICAL),
        ("Desk.imports", Risk.CRITICAL),  # mass write of customer data
        ("Desk.extensions.READ", Risk.LOW),  # the extension's own storage
        ("ZohoBooks.fullaccess.all", Risk.CRITICAL),
        # table (d) row 3: the first ZohoCRM scope is at least high, a low tier stays low
        ("ZohoCRM.modules.leads.READ", Risk.HIGH),
        ("AaaServer.profile.READ", Risk.LOW),
        # not in the catalogue: fail closed, never low
        ("Desk.accounts.READ", Risk.MEDIUM),
        ("Desk.accounts.UPDATE", Risk.HIGH),
    ],
)
def test_new_scope_severity_is_the_catalogue_tier(scope, risk):
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ", scope)),
    )
    change = one(changes, K.SCOPE_ADDED)
    assert change.risk is risk


def test_first_scope_of_a_service_family_says_so():
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "ZohoCRM.modules.leads.READ")),
    )
    assert "the first ZohoCRM scope in this manifest" in one(changes, K.SCOPE_ADDED).detail


def test_a_capability_held_by_another_connection_is_lower_severity():
    base = manifest(
        zohoAuthorisation=zoho("Desk.tickets.ALL"),
        connectors=[connector("helper", "zlabs_integration", "Desk.contacts.READ")],
    )
    head = manifest(
        zohoAuthorisation=zoho("Desk.tickets.ALL"),
        connectors=[
            connector("helper", "zlabs_integration", "Desk.contacts.READ", "Desk.tickets.UPDATE")
        ],
    )
    change = one(run(base, head), K.SCOPE_ADDED)
    assert change.escalation
    assert change.risk is Risk.MEDIUM
    assert 'already granted to connection "zoho_desk"' in change.detail


@pytest.mark.parametrize(
    ("old", "new", "risk", "words"),
    [
        # the broader scope's tier: deleting every ticket, every CRM module, ...
        ("Desk.tickets.READ", "Desk.tickets.ALL", Risk.CRITICAL, "(READ to ALL)"),
        ("Desk.tasks.UPDATE", "Desk.tasks.WRITE", Risk.HIGH, "(UPDATE to WRITE)"),
        # still an escalation, rated as what it grants: the extension's own storage
        ("Desk.extensions.READ", "Desk.extensions.ALL", Risk.LOW, "(READ to ALL)"),
        (
            "ZohoCRM.modules.leads.READ",
            "ZohoCRM.modules.ALL",
            Risk.CRITICAL,
            "now all of ZohoCRM.modules, every operation",
        ),
        (
            "ZohoBooks.invoices.READ",
            "ZohoBooks.fullaccess.all",
            Risk.CRITICAL,
            "now full access to every ZohoBooks resource",
        ),
    ],
)
def test_broadening_is_stated_as_such(old, new, risk, words):
    changes = run(
        manifest(zohoAuthorisation=zoho(old)),
        manifest(zohoAuthorisation=zoho(new)),
    )
    change = one(changes, K.SCOPE_BROADENED)
    assert change.escalation
    assert change.risk is risk
    assert change.detail.startswith(f'scope "{new}" on connection "zoho_desk" broadens "{old}"')
    assert words in change.detail
    assert change.before == old
    assert change.after == new
    # the replaced scope is not reported a second time as removed
    assert kinds(changes) == ["scope-broadened"]


def test_new_connection_is_an_escalation_and_each_of_its_scopes_too():
    base = manifest()
    head = manifest(connectors=[connector("github", "github", "repo")])
    changes = run(base, head)
    added = one(changes, K.CONNECTION_ADDED)
    assert added.detail.startswith('connection "github" is new in connectors (service "github"')
    assert added.location.pointer == "/connectors/0"
    assert added.risk is Risk.HIGH  # "repo" is an admin-like third-party scope
    assert escalations(changes) == ["connection-added", "scope-added"]


@pytest.mark.parametrize(
    ("item", "risk"),
    [
        (connector("forms", "typeform", "forms:read"), Risk.MEDIUM),
        (connector("forms", "typeform", "forms:read", "webhooks:write"), Risk.HIGH),
        (connector("forms", "typeform", "forms:read", isUserDefinedService=True), Risk.HIGH),
        (connector("crm", "zoho_crm", "ZohoCRM.modules.leads.READ"), Risk.HIGH),
        (connector("z", "zlabs_integration", "Desk.tickets.READ"), Risk.HIGH),
    ],
)
def test_new_connection_severity(item, risk):
    change = one(run(manifest(), manifest(connectors=[item])), K.CONNECTION_ADDED)
    assert change.risk is risk


def test_a_renamed_connection_is_still_new_and_says_what_it_may_replace():
    old = connector("forms_old", "typeform", "forms:read", "responses:read")
    renamed = connector("forms_v2", "typeform", "responses:read", "forms:read")
    changes = run(manifest(connectors=[old]), manifest(connectors=[renamed]))
    added = one(changes, K.CONNECTION_ADDED)
    assert added.escalation  # a new link name needs a new authorisation
    assert 'a rename of removed connection "forms_old"' in added.detail
    assert "connection-removed" in kinds(changes)
    wider = connector("forms_v2", "typeform", "forms:read", "responses:write")
    changes = run(manifest(connectors=[old]), manifest(connectors=[wider]))
    assert "rename" not in one(changes, K.CONNECTION_ADDED).detail


def test_new_shared_connection_says_it_is_shared():
    item = connector("forms", "typeform", "forms:read", userAccess=False)
    change = one(run(manifest(), manifest(connectors=[item])), K.CONNECTION_ADDED)
    assert "authorised once and shared by every user" in change.detail


def test_service_name_change_is_an_escalation():
    base = manifest(connectors=[connector("forms", "typeform1", "forms:read")])
    head = manifest(connectors=[connector("forms", "typeform", "forms:read")])
    change = one(run(base, head), K.SERVICE_CHANGED)
    assert change.escalation
    assert change.risk is Risk.HIGH
    assert (change.before, change.after) == ("typeform1", "typeform")
    assert change.location.pointer == "/connectors/0/serviceName"


def test_service_name_case_only_change_is_not_a_new_service():
    base = manifest(connectors=[connector("forms", "typeform", "forms:read")])
    head = manifest(connectors=[connector("forms", " TypeForm ", "forms:read")])
    assert run(base, head) == ()


def test_user_defined_service_false_to_true_is_an_escalation():
    base = manifest(connectors=[connector("forms", "typeform", "forms:read")])
    head = manifest(
        connectors=[connector("forms", "typeform", "forms:read", isUserDefinedService=True)]
    )
    change = one(run(base, head), K.USER_DEFINED_SERVICE_ENABLED)
    assert change.escalation
    assert change.risk is Risk.HIGH


def test_user_access_true_to_false_is_an_escalation():
    base = manifest(zohoAuthorisation=zoho("Desk.tickets.READ"))
    head = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", userAccess=False))
    change = one(run(base, head), K.USER_ACCESS_SHARED)
    assert change.escalation
    assert change.risk is Risk.HIGH
    assert change.location.pointer == "/zohoAuthorisation/userAccess"
    assert "(userAccess true to false)" in change.detail


def test_zoho_authorisation_from_empty_to_granting_is_an_escalation():
    changes = run(manifest(), manifest(zohoAuthorisation=zoho("Desk.tickets.READ")))
    added = one(changes, K.ZOHO_AUTHORISATION_ADDED)
    assert added.escalation
    assert added.risk is Risk.HIGH
    assert added.detail == (
        'zohoAuthorisation now grants connection "zoho_desk" '
        '(service "zlabs_integration", 1 scope); it was empty'
    )
    # the connection itself is not reported twice, its scope is
    assert escalations(changes) == ["scope-added", "zoho-authorisation-added"]


def test_moving_a_connection_into_zoho_authorisation_keeps_its_identity():
    base = manifest(connectors=[connector("checklist", "zlabs_integration", "Desk.basic.READ")])
    head = manifest(zohoAuthorisation=zoho("Desk.basic.READ", link="checklist"))
    changes = run(base, head)
    assert escalations(changes) == ["zoho-authorisation-added"]
    assert "declared elsewhere before" in one(changes, K.ZOHO_AUTHORISATION_ADDED).detail
    assert K.CONNECTION_REMOVED not in {c.kind for c in changes}


def test_desk_oauth_added_and_gaining_scopes():
    oauth = {"clientId": "1000.X", "name": "srv", "clientSecret": "s", "scopes": []}
    added = run(manifest(), manifest(deskOauth={**oauth, "scopes": ["Desk.tickets.READ"]}))
    assert escalations(added) == ["desk-oauth-added", "scope-added"]
    gained = run(
        manifest(deskOauth={**oauth, "scopes": ["Desk.tickets.READ"]}),
        manifest(deskOauth={**oauth, "scopes": ["Desk.tickets.READ", "Desk.contacts.READ"]}),
    )
    change = one(gained, K.SCOPE_ADDED)
    assert change.connection == "deskOauth"
    assert change.location.pointer == "/deskOauth/scopes/1"


TPA = {
    "name": "github",
    "clientId": "id",
    "clientSecret": "secret",
    "authoriseUrl": "https://github.com/login/oauth/authorize",
    "tokenUrl": "https://github.com/login/oauth/access_token",
}


def test_tpa_oauth_added_is_an_escalation():
    changes = run(manifest(), manifest(TPAOauth=[TPA]))
    change = one(changes, K.TPA_OAUTH_ADDED)
    assert change.escalation
    assert '"github.com"' in change.detail


def test_tpa_oauth_token_url_host_change_is_an_escalation():
    moved = {**TPA, "tokenUrl": "https://collector.example.net/token"}
    change = one(
        run(manifest(TPAOauth=[TPA]), manifest(TPAOauth=[moved])), K.OAUTH_URL_HOST_CHANGED
    )
    assert change.escalation
    assert (change.before, change.after) == ("github.com", "collector.example.net")
    assert change.location.pointer == "/TPAOauth/0/tokenUrl"


def test_tpa_oauth_gaining_scopes_compares_them_exactly():
    before = {**TPA, "params": {"scope": "read:user repo"}}
    after = {**TPA, "params": {"scope": "read:user,repo admin:org"}}
    changes = run(manifest(TPAOauth=[before]), manifest(TPAOauth=[after]))
    change = one(changes, K.SCOPE_ADDED)
    assert (change.connection, change.subject) == ("TPAOauth github", "admin:org")
    assert change.escalation
    assert change.location.pointer == "/TPAOauth/0/params/scope"


def test_tpa_oauth_path_change_on_the_same_host_is_nothing():
    same_host = {**TPA, "tokenUrl": "https://github.com/login/oauth/token2"}
    assert run(manifest(TPAOauth=[TPA]), manifest(TPAOauth=[same_host])) == ()


def test_third_party_scopes_compare_exactly():
    base = manifest(connectors=[connector("gh", "github", "repo")])
    head = manifest(connectors=[connector("gh", "github", "Repo", "repo", "admin:org_hook")])
    changes = run(base, head)
    assert sorted(c.subject for c in changes if c.kind is K.SCOPE_ADDED) == [
        "Repo",
        "admin:org_hook",
    ]
    # the catalogue's exact entries: reading the user's profile is low; unknown ones by words
    assert (
        one(
            run(base, manifest(connectors=[connector("gh", "github", "read:user")])), K.SCOPE_ADDED
        ).risk
        is Risk.LOW
    )
    assert (
        one(
            run(base, manifest(connectors=[connector("gh", "github", "things:list")])),
            K.SCOPE_ADDED,
        ).risk
        is Risk.MEDIUM
    )


def test_unicode_lookalike_is_a_different_scope_and_is_shown_escaped():
    lookalike = "Desk.tick\u0435ts.ALL"  # Cyrillic ie
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL", lookalike)),
    )
    change = one(changes, K.SCOPE_ADDED)
    assert change.escalation
    assert "\\u0435" in change.detail
    assert "\u0435" not in change.detail


# --- other risk changes (not escalations) --------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "risk", "reason"),
    [
        ("https://api.other.com", Risk.HIGH, "unrelated"),
        ("https://eu.example.com", Risk.MEDIUM, None),
        ("https://*.example.com", Risk.HIGH, "wildcard"),
        ("http://api.example.com", Risk.HIGH, "plain http"),
        ("https://10.0.0.7", Risk.HIGH, "an IP address"),
        ("https://localhost:3000", Risk.HIGH, "localhost"),
    ],
)
def test_new_whitelisted_domain(entry, risk, reason):
    base = manifest()
    head = manifest(whiteListedDomains=["https://api.example.com", entry])
    change = one(run(base, head), K.DOMAIN_ADDED)
    assert not change.escalation
    assert change.risk is risk
    assert change.subject == entry
    if reason:
        assert reason in change.detail
    assert change.location.pointer == "/whiteListedDomains/1"


@pytest.mark.parametrize(
    ("directive", "entry", "risk"),
    [
        ("connect-src", "https://api.example.org", Risk.MEDIUM),
        ("connect-src", "http://localhost:3000", Risk.HIGH),
        ("connect-src", "https://*.example.org", Risk.HIGH),
        ("script-src", "https://cdn.example.org", Risk.HIGH),
    ],
)
def test_new_csp_entry(directive, entry, risk):
    csp = {"connect-src": ["https://api.example.com"]}
    head_csp = copy.deepcopy(csp)
    head_csp.setdefault(directive, []).append(entry)
    change = one(run(manifest(cspDomains=csp), manifest(cspDomains=head_csp)), K.CSP_DOMAIN_ADDED)
    assert not change.escalation
    assert change.risk is risk
    assert f"cspDomains.{directive} gains" in change.detail


def test_storage_false_to_true():
    change = one(run(manifest(storage=False), manifest(storage=True)), K.STORAGE_ENABLED)
    assert (change.escalation, change.risk) == (False, Risk.MEDIUM)


CALLBACK = {"onInstall": "https://hooks.example.com/install"}


def test_callback_listener_added():
    added = one(run(manifest(), manifest(callbackListener=CALLBACK, secret="x")), K.CALLBACK_ADDED)
    assert (added.escalation, added.risk) == (False, Risk.HIGH)


@pytest.mark.parametrize(
    ("url", "risk"),
    [
        ("https://collector.example.net/install", Risk.HIGH),  # another host
        ("https://hooks.example.com/v2/install", Risk.MEDIUM),  # the same host, another path
    ],
)
def test_callback_listener_moved(url, risk):
    base = manifest(callbackListener=CALLBACK, secret="x")
    head = manifest(callbackListener={"onInstall": url}, secret="x")
    assert one(run(base, head), K.CALLBACK_MOVED).risk is risk


def test_config_secure_true_to_false_and_insecure_credentials():
    item = {"name": "apiToken", "userdefined": True, "secure": True, "type": "text"}
    insecure = {**item, "secure": False}
    change = one(
        run(manifest(config=[item]), manifest(config=[insecure])), K.CONFIG_SECURE_DISABLED
    )
    assert (change.escalation, change.risk) == (False, Risk.HIGH)
    assert change.location.pointer == "/config/0/secure"
    new = one(run(manifest(), manifest(config=[insecure])), K.CONFIG_CREDENTIAL_INSECURE)
    assert new.risk is Risk.HIGH
    harmless = {"name": "colour", "userdefined": True, "secure": False, "type": "text"}
    assert run(manifest(), manifest(config=[harmless])) == ()


def test_shared_by_changed_is_medium_not_an_escalation():
    base = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", sharedBy=710306485))
    head = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", sharedBy="711770823"))
    change = one(run(base, head), K.SHARED_BY_CHANGED)
    assert (change.escalation, change.risk) == (False, Risk.MEDIUM)
    assert (change.before, change.after) == ("710306485", "711770823")
    same = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", sharedBy="710306485"))
    assert run(base, same) == ()  # a number written as a string is the same id


def test_type_personal_to_org_and_back():
    change = one(run(manifest(type="personal"), manifest(type="org")), K.TYPE_ORG)
    assert change.risk is Risk.MEDIUM
    shared = manifest(type="org", zohoAuthorisation=zoho("Desk.tickets.READ", userAccess=False))
    base = manifest(type="personal", zohoAuthorisation=zoho("Desk.tickets.READ", userAccess=False))
    assert one(run(base, shared), K.TYPE_ORG).risk is Risk.HIGH
    back = one(run(manifest(type="org"), manifest(type="personal")), K.TYPE_PERSONAL)
    assert (back.escalation, back.risk) == (False, Risk.LOW)


def _widgets(*widgets: dict[str, Any]) -> dict[str, Any]:
    return {"widgets": [BASE["modules"]["widgets"][0], *widgets]}


@pytest.mark.parametrize(
    ("location", "kind", "risk"),
    [
        ("desk.background", K.WIDGET_INVISIBLE_ADDED, Risk.MEDIUM),
        ("helpcenter.invisible", K.WIDGET_INVISIBLE_ADDED, Risk.MEDIUM),
        ("helpcenter.kb.article.view", K.WIDGET_HELPCENTER_ADDED, Risk.MEDIUM),
        ("desk.ticket.detail.lefttab", K.WIDGET_ADDED, Risk.INFO),
    ],
)
def test_new_widget_locations(location, kind, risk):
    widget = {"name": "W", "url": "/app/w.html", "location": location}
    change = one(run(manifest(), manifest(modules=_widgets(widget))), kind)
    assert (change.escalation, change.risk, change.subject) == (False, risk, location)


def test_widget_code_moving_to_a_remote_url():
    remote = copy.deepcopy(BASE["modules"])
    remote["widgets"][0]["url"] = "https://cdn.example.net/widget.html"
    change = one(run(manifest(), manifest(modules=remote)), K.WIDGET_REMOTE_CODE)
    assert (change.escalation, change.risk) == (False, Risk.HIGH)
    assert change.location.pointer == "/modules/widgets/0/url"
    local = copy.deepcopy(BASE["modules"])
    local["widgets"][0]["url"] = "/app/other.html"
    assert kinds(run(manifest(), manifest(modules=local))) == ["widget-url-changed"]
    dc = copy.deepcopy(BASE["modules"])
    dc["widgets"][0]["other_dc_urls"] = {"eu": "https://eu.cdn.example.net/w.html"}
    assert kinds(run(manifest(), manifest(modules=dc))) == ["widget-remote-code"]


def test_new_webhook_in_resources_json():
    hook = {
        "webhook": {
            "name": "hook",
            "url": "https://hooks.example.net/x",
            "subscriptions": {"Ticket_Add": None},
        }
    }
    change = one(
        run(manifest(), manifest(), base_resources={}, head_resources=hook), K.WEBHOOK_ADDED
    )
    assert (change.escalation, change.risk) == (False, Risk.HIGH)
    more = copy.deepcopy(hook)
    more["webhook"]["subscriptions"]["Contact_Add"] = None
    grown = one(
        run(manifest(), manifest(), base_resources=hook, head_resources=more), K.WEBHOOK_ADDED
    )
    assert '"Contact_Add"' in grown.detail
    gone = run(manifest(), manifest(), base_resources=hook, head_resources={})
    assert kinds(gone) == ["webhook-removed"]


def test_credential_config_no_longer_set_by_the_admin_is_medium():
    item = {"name": "apiToken", "userdefined": True, "secure": True, "type": "text"}
    fixed = {**item, "userdefined": False}
    change = one(
        run(manifest(config=[item]), manifest(config=[fixed])), K.CONFIG_USERDEFINED_DISABLED
    )
    assert (change.escalation, change.risk) == (False, Risk.MEDIUM)
    assert change.location.pointer == "/config/0/userdefined"
    assert (change.before, change.after) == ("true", "false")
    # only for what looks like a credential, and only in that direction
    colour = {"name": "colour", "userdefined": True, "secure": False, "type": "text"}
    assert run(manifest(config=[colour]), manifest(config=[{**colour, "userdefined": False}])) == ()
    assert run(manifest(config=[fixed]), manifest(config=[item])) == ()


def test_new_target_or_target_host_in_resources_json():
    hook = {"name": "h", "url": "https://api.example.net/hook", "subscriptions": {}}
    base = {
        "webhook": hook,
        "targets": [{"targetName": "sync", "url": "https://api.example.net/a"}],
    }
    same_host = copy.deepcopy(base)
    same_host["targets"].append({"targetName": "push", "url": "https://api.example.net/b"})
    change = one(
        run(manifest(), manifest(), base_resources=base, head_resources=same_host),
        K.TARGET_ADDED,
    )
    assert (change.escalation, change.risk) == (False, Risk.MEDIUM)
    assert change.location.pointer == "/targets/1"
    assert change.location.file == "resources.json"
    elsewhere = copy.deepcopy(base)
    elsewhere["targets"].append({"targetName": "push", "url": "https://collector.example.org/"})
    change = one(
        run(manifest(), manifest(), base_resources=base, head_resources=elsewhere),
        K.TARGET_ADDED,
    )
    assert change.risk is Risk.HIGH
    assert "a host resources.json did not use before" in change.detail
    moved = copy.deepcopy(base)
    moved["targets"][0]["url"] = "https://collector.example.org/a"
    change = one(
        run(manifest(), manifest(), base_resources=base, head_resources=moved), K.TARGET_ADDED
    )
    assert change.location.pointer == "/targets/0/url"
    assert change.before == "https://api.example.net/a"
    path_only = copy.deepcopy(base)
    path_only["targets"][0]["url"] = "https://api.example.net/other"
    assert run(manifest(), manifest(), base_resources=base, head_resources=path_only) == ()
    gone = run(manifest(), manifest(), base_resources=base, head_resources={"webhook": hook})
    assert kinds(gone) == ["target-removed"]
    assert not gone[0].escalation


def test_new_permission_or_permission_granted_by_default():
    perm = {"apiName": "export", "displayName": "Export", "description": "d", "defaultState": False}
    base = {"permissions": [perm]}
    more = {"permissions": [perm, {**perm, "apiName": "delete", "defaultState": True}]}
    change = one(
        run(manifest(), manifest(), base_resources=base, head_resources=more),
        K.PERMISSION_ADDED,
    )
    assert (change.escalation, change.risk) == (False, Risk.MEDIUM)
    assert "granted by default" in change.detail
    on = {"permissions": [{**perm, "defaultState": True}]}
    change = one(
        run(manifest(), manifest(), base_resources=base, head_resources=on),
        K.PERMISSION_DEFAULT_ON,
    )
    assert change.location.pointer == "/permissions/0/defaultState"
    assert kinds(run(manifest(), manifest(), base_resources=on, head_resources=base)) == []
    assert kinds(run(manifest(), manifest(), base_resources=base, head_resources={})) == [
        "permission-removed"
    ]


def test_secret_added_or_changed_never_shows_the_value():
    added = one(run(manifest(), manifest(secret="hunter2-signing")), K.SECRET_CHANGED)
    assert "hunter2" not in added.detail
    assert added.risk is Risk.MEDIUM
    changed = one(
        run(manifest(secret="hunter2-signing"), manifest(secret="other-value")), K.SECRET_CHANGED
    )
    assert "changed" in changed.detail
    assert run(manifest(secret="same"), manifest(secret="same")) == ()


def test_case_or_space_only_scope_difference_is_its_own_warning_not_an_escalation():
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL", "Desk.contacts.READ")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.all", " Desk.contacts.READ ")),
    )
    assert kinds(changes) == ["scope-recased", "scope-recased"]
    assert all(not c.escalation and c.risk is Risk.LOW for c in changes)


# --- not escalations ---------------------------------------------------------------------------


def test_removals_are_info_and_never_escalations():
    base = manifest(
        storage=True,
        zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.contacts.READ"),
        connectors=[connector("gh", "github", "repo")],
        whiteListedDomains=["https://api.example.com", "https://b.example.com"],
        cspDomains={"connect-src": ["https://api.example.com", "https://b.example.com"]},
        callbackListener={"onInstall": "https://hooks.example.com/i"},
        deskOauth={
            "clientId": "1",
            "name": "n",
            "clientSecret": "s",
            "scopes": ["Desk.basic.READ"],
        },
        TPAOauth=[TPA],
        secret="x",
    )
    head = manifest(
        storage=False,
        zohoAuthorisation=zoho("Desk.tickets.READ"),
        secret="x",
    )
    changes = run(base, head)
    assert not escalations(changes)
    assert {c.risk for c in changes} == {Risk.INFO}
    assert kinds(changes) == sorted(
        [
            "callback-removed",
            "connection-removed",
            "csp-domain-removed",
            "desk-oauth-removed",
            "domain-removed",
            "scope-removed",
            "scope-removed",
            "storage-disabled",
            "tpa-oauth-removed",
        ]
    )
    removed = next(c for c in changes if c.kind is K.SCOPE_REMOVED and c.connection == "zoho_desk")
    assert removed.side is Side.BASE
    assert removed.location.pointer == "/zohoAuthorisation/scope/1"


def test_zoho_authorisation_emptied_is_info():
    changes = run(manifest(zohoAuthorisation=zoho("Desk.tickets.READ")), manifest())
    assert kinds(changes) == ["connection-removed", "zoho-authorisation-removed"]
    assert not escalations(changes)


def test_narrowing_is_not_an_escalation():
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.READ")),
    )
    change = one(changes, K.SCOPE_NARROWED)
    assert change.detail == (
        'scope "Desk.tickets.ALL" on connection "zoho_desk" is narrowed to "Desk.tickets.READ"'
    )
    assert kinds(changes) == ["scope-narrowed"]


def test_a_redundant_new_scope_is_info():
    changes = run(
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL")),
        manifest(zohoAuthorisation=zoho("Desk.tickets.ALL", "Desk.tickets.READ")),
    )
    change = one(changes, K.SCOPE_ADDED_COVERED)
    assert not change.escalation
    assert '"Desk.tickets.ALL" already covers it' in change.detail


def test_reordering_and_formatting_report_nothing():
    base = manifest(
        zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.contacts.READ"),
        whiteListedDomains=["https://a.example.com", "https://b.example.com"],
    )
    head = manifest(
        zohoAuthorisation=zoho("Desk.contacts.READ", "Desk.tickets.READ"),
        whiteListedDomains=["https://b.example.com", "https://a.example.com"],
    )
    assert run(base, head) == ()
    reformatted = text_doc(json.dumps(dict(reversed(list(base.items()))), separators=(",", ":")))
    assert diff_documents(doc(base), reformatted) == ()


def test_display_name_changes_are_not_escalations():
    base = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", connectionName="Old name"))
    head = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", connectionName="New name"))
    change = one(run(base, head), K.CONNECTION_NAME_CHANGED)
    assert (change.escalation, change.risk) == (False, Risk.INFO)
    assert (change.before, change.after) == ("Old name", "New name")


def test_reductions_of_connection_flags_are_info():
    base = manifest(
        connectors=[
            connector("f", "typeform", "forms:read", userAccess=False, isUserDefinedService=True)
        ]
    )
    head = manifest(connectors=[connector("f", "typeform", "forms:read")])
    assert kinds(run(base, head)) == ["user-access-per-user", "user-defined-service-disabled"]
    assert not escalations(run(base, head))


def test_widget_added_removed_and_url_changes_are_info():
    moved = copy.deepcopy(BASE["modules"])
    moved["widgets"][0]["location"] = "desk.ticket.detail.lefttab"
    changes = run(manifest(), manifest(modules=moved))
    assert kinds(changes) == ["widget-added", "widget-removed"]
    assert not escalations(changes)


def test_new_and_deleted_manifests():
    head = manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.settings.ALL"))
    new = run(None, head)
    assert "manifest-added" in kinds(new)
    assert sorted(c.subject for c in new if c.kind is K.SCOPE_ADDED) == [
        "Desk.settings.ALL",
        "Desk.tickets.READ",
    ]
    gone = run(head, None)
    assert not escalations(gone)
    assert "manifest-removed" in kinds(gone)
    assert diff_documents(None, None) == ()


# --- identity and duplicate keys ---------------------------------------------------------------


def test_connections_are_identified_by_link_name_case_and_space_insensitively():
    base = manifest(connectors=[connector("forms", "typeform", "forms:read")])
    head = manifest(connectors=[connector(" Forms ", "typeform", "forms:read")])
    assert run(base, head) == ()


def test_used_connections_are_connections_too():
    item = {
        "connectionLinkName": "inv",
        "connectionName": "inv",
        "serviceName": "zoho_inventory",
        "userAccess": True,
        "isUserDefinedService": False,
        "sharedBy": "1",
    }
    base = {"service": "INVENTORY", "usedConnections": [item]}
    head = {"service": "INVENTORY", "usedConnections": [{**item, "userAccess": False}]}
    change = one(run(base, head), K.USER_ACCESS_SHARED)
    assert change.location.pointer == "/usedConnections/0/userAccess"
    fuller = {**item, "connectionLinkName": "inv2", "scope": ["ZohoInventory.FullAccess.all"]}
    added = run(base, {"service": "INVENTORY", "usedConnections": [item, fuller]})
    assert one(added, K.SCOPE_ADDED).risk is Risk.CRITICAL


HEAD_DUPLICATE_SCOPE = """{
  "service": "DESK",
  "zohoAuthorisation": {
    "connectionLinkName": "zoho_desk",
    "serviceName": "zlabs_integration",
    "scope": ["Desk.settings.ALL"],
    "scope": ["Desk.tickets.READ"]
  }
}"""


def test_head_duplicate_keys_count_every_value():
    base = doc({"service": "DESK", "zohoAuthorisation": zoho("Desk.tickets.READ")})
    changes = diff_documents(base, text_doc(HEAD_DUPLICATE_SCOPE))
    change = one(changes, K.SCOPE_ADDED)
    assert change.subject == "Desk.settings.ALL"
    assert change.escalation


def test_head_duplicate_user_access_counts_the_false_one():
    base = doc({"service": "DESK", "zohoAuthorisation": zoho("Desk.tickets.READ")})
    text = json.dumps({"service": "DESK", "zohoAuthorisation": zoho("Desk.tickets.READ")})
    text = text.replace('"userAccess": true', '"userAccess": false, "userAccess": true')
    # JSON parsers keep the last value (true), but a reviewer may have read the false one
    assert text_doc(text).value["zohoAuthorisation"]["userAccess"] is True
    assert escalations(diff_documents(base, text_doc(text))) == ["user-access-shared"]


def test_base_duplicate_keys_count_only_the_effective_value():
    # the base's first "scope" was never granted (parsers keep the last), so it covers nothing
    base_text = HEAD_DUPLICATE_SCOPE
    head = doc(
        {
            "service": "DESK",
            "zohoAuthorisation": {
                "connectionLinkName": "zoho_desk",
                "serviceName": "zlabs_integration",
                "scope": ["Desk.tickets.READ", "Desk.settings.ALL"],
            },
        }
    )
    assert escalations(diff_documents(text_doc(base_text), head)) == ["scope-added"]


def test_duplicate_link_names_are_merged():
    base = manifest(
        connectors=[
            connector("inv", "typeform", "forms:read"),
            connector("inv", "typeform", "webhooks:read", userAccess=False),
        ]
    )
    head = manifest(connectors=[connector("inv", "typeform", "forms:read", "webhooks:read")])
    # the union of both declarations is the base; nothing in head goes beyond it
    assert escalations(run(base, head)) == []


def test_connection_table_marks_added_and_removed_scopes():
    diff = diff_manifests(
        doc(manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.contacts.ALL"))),
        doc(manifest(zohoAuthorisation=zoho("Desk.tickets.ALL", "Desk.contacts.all"))),
    )
    (row,) = diff.connections
    assert row.name == "zoho_desk"
    assert [(s.scope, s.mark.value) for s in row.before] == [
        ("Desk.tickets.READ", "-"),
        ("Desk.contacts.ALL", " "),
    ]
    assert [(s.scope, s.mark.value) for s in row.after] == [
        ("Desk.tickets.ALL", "+"),
        ("Desk.contacts.all", " "),
    ]
    assert row.changed


# --- the worked examples of reference section a.4 ---------------------------------------------

WORKED_EXAMPLES = [
    (["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.tickets.UPDATE"], ["scope-added"], None),
    (["Desk.tickets.READ"], ["Desk.tickets.ALL"], ["scope-broadened"], None),
    (["Desk.tickets.ALL"], ["Desk.tickets.READ"], [], ["scope-narrowed"]),
    (["Desk.tickets.ALL"], ["Desk.tickets.all"], [], ["scope-recased"]),
    (["ZohoCRM.modules.ALL"], ["ZohoCRM.modules.leads.READ"], [], ["scope-narrowed"]),
    (["ZohoCRM.modules.leads.READ"], ["ZohoCRM.modules.ALL"], ["scope-broadened"], None),
    (["Desk.contacts.WRITE"], ["Desk.contacts.READ"], ["scope-added"], None),
    (["Desk.settings.READ"], ["Desk.contracts.READ"], ["scope-added"], None),
    (["ZohoBooks.invoices.READ"], ["ZohoBooks.fullaccess.all"], ["scope-broadened"], None),
]


@pytest.mark.parametrize(("base", "head", "escalating", "others"), WORKED_EXAMPLES)
def test_worked_examples_of_section_a4(base, head, escalating, others):
    changes = run(manifest(zohoAuthorisation=zoho(*base)), manifest(zohoAuthorisation=zoho(*head)))
    assert escalations(changes) == escalating
    if others is not None:
        assert kinds(changes) == others


def test_worked_example_severities():
    def risk_of(base: list[str], head: list[str]) -> Risk:
        changes = run(
            manifest(zohoAuthorisation=zoho(*base)), manifest(zohoAuthorisation=zoho(*head))
        )
        return max((c.risk for c in changes if c.escalation), key=lambda r: r.rank)

    assert risk_of(["Desk.settings.READ"], ["Desk.contracts.READ"]) is Risk.LOW
    assert risk_of(["ZohoBooks.invoices.READ"], ["ZohoBooks.fullaccess.all"]) is Risk.CRITICAL
    assert risk_of(["Desk.tickets.READ"], ["Desk.tickets.ALL"]) is Risk.CRITICAL


def test_worked_example_third_party():
    changes = run(
        manifest(connectors=[connector("gh", "github", "repo")]),
        manifest(connectors=[connector("gh", "github", "repo", "admin:org_hook")]),
    )
    assert [c.subject for c in changes if c.escalation] == ["admin:org_hook"]


@pytest.mark.parametrize(
    ("held", "wanted", "expected"),
    [
        ("Desk.tickets.read", "Desk.tickets.READ", True),  # R1
        ("Desk.tickets.ALL", "Desk.tickets.DELETE", True),  # R2
        ("Desk.contacts.WRITE", "Desk.contacts.UPDATE", True),  # R3
        ("Desk.contacts.WRITE", "Desk.contacts.READ", False),  # R3: never READ
        ("ZohoCRM.modules.ALL", "ZohoCRM.modules.leads.READ", True),  # R4
        ("ZohoCRM.modules.READ", "ZohoCRM.modules.deals.READ", True),  # R4
        ("ZohoCRM.settings.ALL", "ZohoCRM.settings.fields.READ", True),  # R4
        ("Desk.activities.READ", "Desk.activities.calls.READ", True),  # R4
        ("Desk.settings.ALL", "Desk.settingsx.READ", False),  # segments, not string prefixes
        ("ZohoBooks.fullaccess.all", "ZohoBooks.invoices.CREATE", True),  # R5
        ("ZohoBooks.fullaccess.all", "ZohoCRM.modules.ALL", False),  # R6: other service
        ("Desk.settings.READ", "Desk.contracts.READ", False),  # R6: siblings
        ("Desk.tickets.READ", "Desk.tickets.UPDATE", False),  # R6: operations
        ("Desk.imports", "Desk.imports", True),  # operation-less: only itself
        ("Desk.ALL.imports", "Desk.imports", False),
        ("Desk.tick\u0435ts.ALL", "Desk.tickets.READ", False),  # lookalike
    ],
)
def test_covers_relation_of_section_a4(held, wanted, expected):
    assert zoho_covers(held, wanted) is expected


def test_covers_is_reflexive_on_parsed_scopes():
    scope = parse_zoho_scope("ZohoCRM.modules.leads.READ")
    assert scope is not None
    assert covers(scope, scope)


def test_listener_and_directive_names_with_odd_characters_are_quoted_and_kept_whole() -> None:
    import json as _json

    from checker.diff import diff_documents
    from checker.source import parse

    def doc(listener: dict[str, str], csp: dict[str, list[str]]):
        value = {"service": "DESK", "callbackListener": listener, "cspDomains": csp}
        return parse("m.json", _json.dumps(value).encode()).document

    key = "onUpdate\nx"
    base = doc({key: "https://a.example/old"}, {"connect-src": []})
    head = doc(
        {key: "https://a.example/new"}, {"connect-src": [], "img\nsrc": ["https://b.example"]}
    )
    changes = diff_documents(base, head)
    details = sorted(c.detail for c in changes)
    assert [c.kind for c in changes if "callback" in c.kind] == ["callback-moved"]
    assert any(d.startswith('callbackListener["onUpdate\\nx"] now points to') for d in details)
    assert any(d.startswith('cspDomains["img\\nsrc"] gains') for d in details)
    assert all("\n" not in d for d in details)
