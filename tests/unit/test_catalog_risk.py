"""A scope's tier as granted: the catalogue's where it knows the scope, fail-closed elsewhere;
and which scopes follow Zoho's grammar whatever connection holds them."""

from __future__ import annotations

import pytest

from checker.catalog.risk import (
    comparison_form,
    follows_zoho_grammar,
    read_only,
    scope_tier,
    unknown_family,
    zoho_named,
)
from checker.catalog.scopes import lookup
from checker.changes import Risk


@pytest.mark.parametrize(
    ("scope", "tier"),
    [
        ("Desk.settings.ALL", Risk.CRITICAL),
        ("ZohoBooks.fullaccess.all", Risk.CRITICAL),
        ("ZohoCRM.modules.ALL", Risk.CRITICAL),
        ("Desk.tickets.READ", Risk.MEDIUM),
        ("desk.TICKETS.read", Risk.MEDIUM),  # Zoho compares names ignoring case
        ("ZohoBooks.salesorders.ALL", Risk.HIGH),
        ("AaaServer.profile.READ", Risk.LOW),
        ("Desk.extensions.READ", Risk.LOW),
    ],
)
def test_a_known_scope_has_its_catalogue_tier_on_any_connection(scope: str, tier: Risk) -> None:
    entry = lookup(scope)
    assert entry is not None
    assert entry.tier is tier
    assert scope_tier(scope, zoho_grant=True) is tier
    assert scope_tier(scope, zoho_grant=False) is tier  # a zoho_desk connector, say


@pytest.mark.parametrize(
    ("scope", "tier"),
    [
        ("Desk.accounts.READ", Risk.MEDIUM),  # unknown family: READ is medium (rule 4)
        ("Desk.accounts.UPDATE", Risk.HIGH),  # ... any write is high, never low
        ("Desk.accounts.ALL", Risk.HIGH),
        ("Desk.accounts", Risk.HIGH),  # no operation: whatever the family allows
        ("ZohoCatalyst.tables.rows.CREATE", Risk.HIGH),
        ("ZohoNew.fullaccess.all", Risk.CRITICAL),  # the whole of an unknown service
        ("Desk.tickets.READ ,x", Risk.MEDIUM),  # not a scope at all: scope-grammar's business
    ],
)
def test_an_unknown_zoho_scope_fails_closed(scope: str, tier: Risk) -> None:
    assert lookup(scope) is None
    assert scope_tier(scope, zoho_grant=True) is tier


@pytest.mark.parametrize(
    ("scope", "service", "tier"),
    [
        ("repo", "github", Risk.CRITICAL),  # catalogue: exact entry of the connection's provider
        ("repo", "bitbucket", Risk.HIGH),  # not GitHub's: unknown, its word says admin
        ("repo", None, Risk.HIGH),
        ("read:org", "github", Risk.LOW),
        ("read:org", "gitlab", Risk.MEDIUM),  # an unknown scope is never low
        ("forms:read", "typeform1", Risk.LOW),
        ("forms:read", "formstack", Risk.MEDIUM),
        ("files.content.read", "dropbox", Risk.MEDIUM),
        ("Files.Read.All", "custom_files", Risk.HIGH),  # its word "all" says so
        ("email", None, Risk.LOW),  # OpenID Connect: any connection
        ("email", "bitbucket", Risk.LOW),
        ("https://mail.google.com/", "custom_mail", Risk.CRITICAL),  # the URL names Google
        ("admin:things", None, Risk.HIGH),  # unknown, but its words say admin
        ("calendar.write", None, Risk.HIGH),
        ("https://example.com/*", None, Risk.HIGH),
        ("things.list", None, Risk.MEDIUM),
    ],
)
def test_third_party_scopes_by_their_providers_entry_or_their_words(
    scope: str, service: str | None, tier: Risk
) -> None:
    assert scope_tier(scope, zoho_grant=False, service=service) is tier


@pytest.mark.parametrize("scope", ["read", "write", "repo", "chat:write", "forms:read"])
def test_no_third_party_scope_on_an_unknown_service_is_low(scope: str) -> None:
    for service in (None, "bitbucket", "dhl_api_service", "zlabs_integration"):
        assert scope_tier(scope, zoho_grant=False, service=service).rank > Risk.LOW.rank


def test_only_zoho_service_names_bring_the_grammar_to_other_connections() -> None:
    assert zoho_named("Desk.tickets.READ") is not None
    assert zoho_named("zohobooks.salesorders.all") is not None
    assert zoho_named("ZOHOPEOPLE.forms.READ") is not None
    # Microsoft Graph and Dropbox scopes have the same dotted shape and are not Zoho's
    assert zoho_named("Files.Read.All") is None
    assert zoho_named("files.content.read") is None
    assert not follows_zoho_grammar("Files.Read.All", zoho_grant=False)
    assert follows_zoho_grammar("Files.Read.All", zoho_grant=True)
    assert follows_zoho_grammar("Desk.tickets.READ", zoho_grant=False)


def test_comparison_form_folds_case_for_zoho_scopes_only() -> None:
    assert comparison_form(" Desk.Tickets.read", zoho_grant=False) == "desk.tickets.read"
    assert comparison_form("Files.Read.All", zoho_grant=False) == "Files.Read.All"
    assert comparison_form("Files.Read.All", zoho_grant=True) == "files.read.all"


def test_unknown_family_names_the_family_the_catalogue_lacks() -> None:
    assert unknown_family("Desk.accounts.READ", zoho_grant=True) == "Desk.accounts"
    assert unknown_family("Desk.accounts.READ", zoho_grant=False) == "Desk.accounts"
    assert unknown_family("Desk.tickets.READ", zoho_grant=True) is None
    assert unknown_family("Files.Read.All", zoho_grant=False) is None  # not Zoho's
    assert unknown_family("not a scope", zoho_grant=True) is None


def test_read_only_third_party_words() -> None:
    assert read_only("read:user")
    assert read_only("drive.readonly")
    assert not read_only("admin:read")
    assert not read_only("gist")
