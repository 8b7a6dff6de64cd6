"""scope-unknown: Zoho scopes whose family the scope catalogue does not know."""

from __future__ import annotations

from rules_support import connector, found, manifest, pointers, severities, zoho_authorisation

from checker.findings import Severity

RULE = "scope-unknown"


def test_unknown_zoho_families_get_a_notice_at_the_scope() -> None:
    value = manifest(
        zohoAuthorisation=zoho_authorisation(
            "Desk.tickets.READ", "Desk.accounts.READ", "desk.TICKETS.read", "Desk.custommodule.ALL"
        )
    )
    assert pointers(value, RULE) == ["/zohoAuthorisation/scope/1", "/zohoAuthorisation/scope/3"]
    assert severities(value, RULE) == [Severity.NOTICE, Severity.NOTICE]


def test_the_message_says_why_and_what_to_use_instead() -> None:
    value = manifest(zohoAuthorisation=zoho_authorisation("Desk.accounts.READ"))
    (finding,) = found(value, RULE)
    assert finding.message.startswith('scope "Desk.accounts.READ" of zohoAuthorisation')
    assert "(Desk.accounts)" in finding.message
    assert "Zoho may drop an unknown scope from the token without an error" in finding.message
    assert "use Desk.contacts.READ instead" in finding.message
    assert "contacts scopes" in finding.message


def test_replacements_keep_the_operation_and_list_every_choice() -> None:
    value = manifest(
        usedConnections=[
            connector("crm", "zoho_crm", scope=["ZohoCRM.modules.Activities.ALL", "Desk.imports"])
        ]
    )
    (finding,) = found(value, RULE)
    assert (
        "use ZohoCRM.modules.tasks.ALL, ZohoCRM.modules.events.ALL or ZohoCRM.modules.calls.ALL"
        in finding.message
    )


def test_a_near_miss_gets_a_suggestion_and_a_stranger_a_pointer_to_the_docs() -> None:
    value = manifest(zohoAuthorisation=zoho_authorisation("Desk.ticket.UPDATE", "Nope.thing.READ"))
    near, stranger = found(value, RULE)
    assert near.message.endswith("did you mean Desk.tickets.UPDATE?")
    assert stranger.message.endswith("check the name in the product's API documentation")


def test_scopes_naming_a_zoho_service_count_on_any_connection() -> None:
    value = manifest(
        connectors=[
            connector("desk", "zoho_desk", scope=["Desk.accounts.READ", "Desk.tickets.READ"]),
            connector("graph", "onedrive", scope=["Files.Read.All", "Sites.Nothing.All"]),
            connector("box", "dropbox", scope=["files.content.read", "files.nothing.write"]),
            connector("github", "github", scope=["repo", "admin:org_hook"]),
        ]
    )
    assert pointers(value, RULE) == ["/connectors/0/scope/0"]


def test_desk_oauth_and_used_connections_are_checked_for_every_product() -> None:
    value = manifest(
        deskOauth={"clientId": "1", "name": "x", "clientSecret": "y", "scopes": ["Desk.x.READ"]}
    )
    assert pointers(value, RULE) == ["/deskOauth/scopes/0"]
    crm = {
        "service": "CRM",
        "usedConnections": [
            connector("inv", "zoho_inventory", scope=["ZohoInventory.gadgets.READ"]),
        ],
    }
    assert pointers(crm, RULE) == ["/usedConnections/0/scope/0"]


def test_what_scope_grammar_reports_is_left_to_it() -> None:
    value = manifest(
        zohoAuthorisation=zoho_authorisation(
            "Desk.tickets.REED", " Desk.nothing.READ", "Desk.a,Desk.b", "", "Desk..READ"
        )
    )
    assert found(value, RULE) == []
    assert found(value, "scope-grammar")


def test_known_scopes_in_any_spelling_are_quiet() -> None:
    value = manifest(
        zohoAuthorisation=zoho_authorisation(
            "desk.basic.read",
            "Desk.settings.extension.READ",
            "Desk.imports",
            "AaaServer.profile.Read",
            "ZohoCRM.modules.My_Custom_Module.READ",
            "ZohoBooks.fullaccess.all",
            "email",
        )
    )
    assert found(value, RULE) == []


def test_non_strings_and_blank_lists_are_ignored() -> None:
    value = manifest(zohoAuthorisation=zoho_authorisation())
    value["zohoAuthorisation"]["scope"] = [1, None, {"a": 1}]
    assert found(value, RULE) == []
