"""The scope catalogue: its data against its schema, each entry's shape, the tier rules, lookups."""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import CORPUS
from jsonschema import Draft202012Validator

from checker.catalog import scopes as catalog
from checker.catalog.scopes import (
    ATOMIC,
    CatalogueError,
    Family,
    catalogue,
    fallback_tier,
    lookup,
    parse_catalogue,
    service_key,
)
from checker.changes import Risk
from checker.scopes import KNOWN_SERVICES, normalise, parse_zoho_scope

RAW: dict[str, Any] = json.loads(catalog.catalogue_text())
FAMILIES = catalogue().families
THIRD_PARTY = catalogue().third_party
VERB_WORDS = {"read", "create", "change", "delete", "and"}
HISTORY = CORPUS / "history"


def _schema() -> dict[str, Any]:
    text = resources.files("checker.catalog").joinpath(catalog.SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _example(family: Family) -> str:
    """A concrete scope of the family: ``*`` segments filled in."""
    return ".".join(part if part != "*" else "custom_one" for part in family.name.split("."))


def _is_sentence(text: str) -> bool:
    """One line, starting with a letter, ending with a word, no doubled spaces, a few words."""
    return (
        bool(re.fullmatch(r"[A-Za-z][^\n\r]*[A-Za-z0-9)]", text))
        and "  " not in text
        and len(text.split()) >= 3
    )


def _service_of(entry: catalog.ThirdPartyScope) -> str | None:
    """A serviceName on which the entry applies: its product's first name, else none at all."""
    return entry.product.services[0] if entry.product.services else None


def _https_with_host(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and "." in parts.hostname if parts.hostname else False


# --- the file -----------------------------------------------------------------------------------


def test_the_catalogue_file_is_valid_against_its_own_schema() -> None:
    schema = _schema()
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(RAW), key=lambda e: e.json_path)
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors[:5]]
    assert RAW["version"] == catalog.VERSION


def test_the_schema_rejects_what_the_rules_forbid() -> None:
    validator = Draft202012Validator(_schema())
    family = dict(RAW["families"][0])
    for bad in (
        {"tier": "severe"},
        {"operations": ["READ", "ALL"]},
        {"docs": "http://desk.zoho.com/"},
        {"covers": "ends with a full stop."},
        {"verb": "import"},  # a family with operations has no verb
        {"data": "everything"},
    ):
        broken = {**RAW, "families": [{**family, **bad}]}
        assert list(validator.iter_errors(broken)), bad
    github = RAW["products"]["github"]
    for services in ([], ["GitHub"], ["git-hub"], ["gh"], ["github", "github"], "github"):
        broken = {
            **RAW,
            "products": {**RAW["products"], "github": {**github, "services": services}},
        }
        assert list(validator.iter_errors(broken)), services
    entry = RAW["third_party"][0]
    broken = {**RAW, "third_party": [{**entry, "any_service": "yes"}]}
    assert list(validator.iter_errors(broken))


def test_no_family_is_listed_twice_after_case_folding() -> None:
    names = [f["family"].lower() for f in RAW["families"]] + [
        u["family"].lower() for u in RAW["unknown"]
    ]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    scopes = [(t["scope"], t["product"]) for t in RAW["third_party"]]
    assert len(scopes) == len(set(scopes))


# --- each entry's shape -------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_family_has_a_valid_shape(family: Family) -> None:
    assert family.tier in catalog.TIERS
    assert set(family.operations) <= set(ATOMIC)
    assert _https_with_host(family.docs), family.docs
    assert family.product.name.strip()
    # the family name is a Zoho scope, and a scope of it finds this very family (not shadowed)
    example = _example(family)
    forms = (
        [f"{example}.{op}" for op in (*family.operations, "ALL")]
        if family.operations
        else [example]
    )
    for form in forms:
        assert parse_zoho_scope(form) is not None, form
        entry = lookup(form)
        assert entry is not None, form
        assert entry.family == family.name, form
        assert entry.tier in catalog.TIERS
        assert _is_sentence(entry.meaning), entry.meaning
        assert entry.meaning.split(" ", 1)[0].rstrip(",") in VERB_WORDS | {family.verb}
        assert entry.docs == family.docs
        assert entry.operations == family.operations


@pytest.mark.parametrize("entry", THIRD_PARTY, ids=lambda e: e.scope)
def test_every_third_party_scope_has_a_valid_shape(entry: catalog.ThirdPartyScope) -> None:
    assert entry.tier in catalog.TIERS
    assert entry.operations
    assert set(entry.operations) <= set(ATOMIC)
    assert _is_sentence(entry.meaning), entry.meaning
    assert entry.meaning[0].islower(), entry.meaning
    assert _https_with_host(entry.docs), entry.docs
    found = lookup(entry.scope, service=_service_of(entry))
    assert found is not None
    assert found.family == entry.scope
    assert found.product == entry.product.name
    assert not found.zoho
    # on a connection of no provider the entry holds only when it says so
    assert (lookup(entry.scope, service="unrelated_api_service") is not None) is entry.any_service
    assert (lookup(entry.scope) is not None) is entry.any_service


def test_only_self_naming_and_openid_scopes_apply_on_any_service() -> None:
    everywhere = {entry.scope for entry in THIRD_PARTY if entry.any_service}
    assert {"openid", "email", "profile", "offline_access"} <= everywhere
    for scope in everywhere - {"openid", "email", "profile", "offline_access"}:
        # a URL on the provider's own host names the provider by itself
        assert scope.startswith(("https://www.googleapis.com/", "https://mail.google.com/")), scope
    assert {"repo", "chat:write", "forms:read", "Files.Read.All"}.isdisjoint(everywhere)


def test_every_third_party_product_answers_to_service_names() -> None:
    for entry in THIRD_PARTY:
        if not entry.any_service:
            assert entry.product.services, entry.product.key
    providers = catalogue().providers
    assert providers("github") == {"github"}
    assert providers("typeform1") == {"typeform"}
    assert providers("new_typeform") == {"typeform"}
    assert providers("Microsoft-Office365") == {"microsoft-graph"}
    assert providers("google_drive") == {"google"}
    assert providers("bitbucket") == frozenset()
    assert providers(None) == frozenset()
    assert providers("") == frozenset()


def test_no_zoho_service_name_belongs_to_a_third_party_provider() -> None:
    zoho = {"zlabs_integration", "zoho_desk", "zoho_crm", "zoho_books", "zoho_inventory"}
    zoho |= {f"zoho_{name}" for name in KNOWN_SERVICES} | set(KNOWN_SERVICES)
    for service in zoho:
        assert catalogue().providers(service) == frozenset(), service


def test_the_service_key_keeps_ascii_letters_and_digits_only() -> None:
    assert service_key("New_TypeForm-1") == "newtypeform1"
    assert service_key("g\u0456thub") == "gthub"  # a Cyrillic i is dropped, not folded
    assert service_key("  ") == ""


def test_every_unknown_family_names_real_replacements() -> None:
    for unknown in catalogue().unknown:
        scope = parse_zoho_scope(unknown.name + ".READ")
        assert scope is not None, unknown.name
        assert catalogue().family_of(scope) is None, unknown.name
        assert _is_sentence(unknown.note)
        for name in unknown.instead:
            assert lookup(name + ".READ") is not None, name


def test_products_cover_the_families_the_issue_asks_for() -> None:
    names = {f.product.name for f in FAMILIES} | {t.product.name for t in THIRD_PARTY}
    wanted = {
        "Zoho Desk", "Zoho CRM", "Zoho Books", "Zoho Inventory", "Zoho Invoice", "Zoho Billing",
        "Zoho Expense", "Zoho Projects", "Zoho Creator", "Zoho Sign", "Zoho WorkDrive",
        "Zoho Mail", "Zoho Cliq", "Google", "Microsoft Graph", "Dropbox", "Slack", "GitHub",
    }  # fmt: skip
    assert wanted <= names, wanted - names


# --- the tier rules -----------------------------------------------------------------------------

TIER_EXAMPLES = [
    # the issue's acceptance examples
    ("Desk.settings.ALL", Risk.CRITICAL),
    ("ZohoBooks.fullaccess.all", Risk.CRITICAL),
    ("AaaServer.profile.READ", Risk.LOW),
    ("Desk.tickets.READ", Risk.MEDIUM),
    # READ keeps the base tier
    ("Desk.settings.READ", Risk.HIGH),
    ("Desk.basic.READ", Risk.MEDIUM),
    ("Desk.extensions.READ", Risk.LOW),
    ("Desk.search.READ", Risk.MEDIUM),
    ("ZohoCRM.coql.READ", Risk.MEDIUM),
    # a write raises one step, at least high on records
    ("Desk.tickets.UPDATE", Risk.HIGH),
    ("Desk.tickets.CREATE", Risk.HIGH),
    ("ZohoCRM.modules.leads.CREATE", Risk.HIGH),
    ("Desk.articles.UPDATE", Risk.HIGH),
    ("Desk.products.UPDATE", Risk.MEDIUM),
    ("ZohoSign.templates.CREATE", Risk.MEDIUM),
    # DELETE on every record of a core module is critical; on one module it is high
    ("Desk.tickets.DELETE", Risk.CRITICAL),
    ("Desk.contacts.DELETE", Risk.CRITICAL),
    ("Desk.tasks.DELETE", Risk.HIGH),
    ("ZohoCRM.modules.deals.DELETE", Risk.HIGH),
    # admin families: every write is critical
    ("Desk.basic.CREATE", Risk.CRITICAL),
    ("Desk.layouts.UPDATE", Risk.CRITICAL),
    ("ZohoCRM.users.ALL", Risk.CRITICAL),
    ("ZohoCRM.settings.roles.UPDATE", Risk.CRITICAL),
    ("ZohoCRM.org.READ", Risk.LOW),
    ("ZohoCRM.org.ALL", Risk.CRITICAL),
    ("ZohoMail.organization.READ", Risk.HIGH),
    # the extension's own storage never rises
    ("Desk.extensions.ALL", Risk.LOW),
    ("Desk.extensions.WRITE", Risk.LOW),
    # ALL / WRITE / no operation: the highest of the family's operations
    ("Desk.tickets.ALL", Risk.CRITICAL),
    ("Desk.tasks.ALL", Risk.HIGH),
    ("Desk.tickets.WRITE", Risk.CRITICAL),
    ("Desk.contacts.WRITE", Risk.CRITICAL),
    ("Desk.search.ALL", Risk.MEDIUM),
    ("ZohoCRM.modules.ALL", Risk.CRITICAL),
    ("ZohoCRM.modules.READ", Risk.MEDIUM),
    ("ZohoCRM.settings.fields.ALL", Risk.HIGH),
    ("Desk.imports", Risk.CRITICAL),
    ("Desk.exports", Risk.CRITICAL),
    ("ZohoBooks.banking.CREATE", Risk.CRITICAL),
    ("ZohoBooks.invoices.ALL", Risk.HIGH),
    ("ZohoInventory.FullAccess.all", Risk.CRITICAL),
    ("ZohoCRM.bulk.READ", Risk.CRITICAL),
]

# third-party tiers are the catalogue's own, on a connection of the provider
THIRD_PARTY_TIERS = [
    ("https://mail.google.com/", None, Risk.CRITICAL),
    ("https://www.googleapis.com/auth/gmail.send", "gmail", Risk.HIGH),
    ("https://www.googleapis.com/auth/drive.readonly", "custom_drive", Risk.MEDIUM),
    ("Directory.ReadWrite.All", "microsoft", Risk.CRITICAL),
    ("files.content.write", "dropbox", Risk.HIGH),
    ("chat:write", "slack", Risk.HIGH),
    ("openid", None, Risk.LOW),
    ("repo", "github", Risk.CRITICAL),
]


@pytest.mark.parametrize(("scope", "tier"), TIER_EXAMPLES)
def test_tier_rules(scope: str, tier: Risk) -> None:
    entry = lookup(scope)
    assert entry is not None, scope
    assert entry.tier is tier, (scope, entry.tier)


@pytest.mark.parametrize(("scope", "service", "tier"), THIRD_PARTY_TIERS)
def test_third_party_tiers(scope: str, service: str | None, tier: Risk) -> None:
    entry = lookup(scope, service=service)
    assert entry is not None, scope
    assert entry.tier is tier, (scope, entry.tier)


def test_the_tier_maps_onto_the_diff_risk_scale() -> None:
    ranks = [tier.rank for tier in catalog.TIERS]
    assert ranks == sorted(ranks)
    assert Risk.INFO not in catalog.TIERS


def test_meaning_follows_the_template_verbs() -> None:
    meanings = {s: lookup(s) for s in ("Desk.settings.ALL", "Desk.tickets.WRITE", "Desk.exports")}
    settings = meanings["Desk.settings.ALL"]
    assert settings is not None
    assert settings.meaning.startswith(
        "read, create, change and delete all Zoho Desk settings: layouts, fields, automations"
    )
    write = meanings["Desk.tickets.WRITE"]
    assert write is not None
    assert write.meaning.startswith("create, change and delete ")
    exports = meanings["Desk.exports"]
    assert exports is not None
    assert exports.meaning.startswith("export ")
    update = lookup("Desk.tickets.UPDATE")
    assert update is not None
    assert update.meaning.startswith("change every Zoho Desk ticket")
    search = lookup("Desk.search.ALL")  # ALL of a read-only family only reads
    assert search is not None
    assert search.meaning.startswith("read search results")


# --- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["Desk.tickets.READ", "desk.TICKETS.read", "DESK.tickets.Read", " Desk.tickets.READ"],
)
def test_zoho_scopes_match_ignoring_case(spelling: str) -> None:
    entry = lookup(spelling)
    assert entry is not None
    assert entry.family == "Desk.tickets"
    assert entry.zoho
    assert entry.scope == spelling
    assert entry.tier is Risk.MEDIUM


def test_case_is_folded_for_ascii_letters_only() -> None:
    # a Cyrillic small ie (U+0435) or a long s (U+017F) is not the scope it imitates
    assert lookup("Desk.tick\u0435ts.READ") is None
    assert lookup("Desk.\u017fettings.ALL") is None


@pytest.mark.parametrize(
    ("spelling", "service"),
    [
        ("https://MAIL.google.com/", "gmail"),
        ("Repo", "github"),
        ("CHAT:WRITE", "slack"),
        ("user.read", "microsoft"),
        ("https://mail.google.com", "gmail"),
    ],
)
def test_third_party_scopes_match_exactly(spelling: str, service: str) -> None:
    assert lookup(spelling, service=service) is None


@pytest.mark.parametrize(
    "scope",
    [
        "Desk.accounts.READ",
        "Desk.custommodule.ALL",
        "ZohoCRM.modules.Activities.ALL",
        "ZohoProjects.settings.ALL",
        "Desk.tickets.threads.READ",
        "Desk.ticket.READ",
        "Foo.bar.READ",
        "not a scope",
        "",
        "Desk",
    ],
)
def test_unknown_scopes_have_no_entry(scope: str) -> None:
    assert lookup(scope) is None


def test_exact_family_names_win_over_wildcards() -> None:
    leads = lookup("ZohoCRM.modules.leads.READ")
    custom = lookup("ZohoCRM.modules.Invoices_X.READ")
    emails = lookup("ZohoCRM.modules.emails.READ")
    assert leads is not None
    assert leads.family == "ZohoCRM.modules.leads"
    assert custom is not None
    assert custom.family == "ZohoCRM.modules.*"
    assert emails is not None
    assert emails.family == "ZohoCRM.modules.emails"


def test_fallback_tier_for_unknown_zoho_scopes() -> None:
    assert fallback_tier("Desk.accounts.READ") is Risk.MEDIUM
    assert fallback_tier("Desk.accounts.ALL") is Risk.HIGH
    assert fallback_tier("Desk.custommodule") is Risk.HIGH
    assert fallback_tier("repo") is None


def test_the_catalogue_loads_once() -> None:
    assert catalogue() is catalogue()


# --- a broken catalogue fails closed, naming the place -------------------------------------------


def _broken(**changes: Any) -> str:
    data = json.loads(catalog.catalogue_text())
    for where, value in changes.items():
        section, _, field = where.partition("__")
        if field:
            data[section][0][field] = value
        else:
            data[section] = value
    return json.dumps(data)


def _product(*, key: str = "github", **changes: Any) -> str:
    data = json.loads(catalog.catalogue_text())
    data["products"].setdefault(key, {"name": key, "docs": "https://x.example/"}).update(changes)
    return json.dumps(data)


def _third(*, scope: str, product: str) -> str:
    """The catalogue with one more entry: the first entry of ``product`` under ``scope``."""
    data = json.loads(catalog.catalogue_text())
    entry = next(e for e in data["third_party"] if e["product"] == product)
    data["third_party"].append({**entry, "scope": scope})
    return json.dumps(data)


def test_a_scope_may_be_listed_once_per_provider() -> None:
    """Two providers may share a scope string; each explains it on its own connections, and a
    service that matches both leaves it unknown."""
    loaded = parse_catalogue(_third(scope="repo", product="slack"), "scopes.json")
    github = loaded.lookup("repo", service="github")
    slack = loaded.lookup("repo", service="slack")
    assert github is not None
    assert github.product == "GitHub"
    assert slack is not None
    assert slack.product == "Slack"
    assert loaded.lookup("repo", service="github_to_slack") is None
    assert loaded.lookup("repo", service="gitlab") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "scopes.json: line 1: not valid JSON"),
        ("[]", "(top level): must be an object"),
        (_broken(version=2), "version: 2 is not the supported 1"),
        (_broken(families__tier="hihg"), "families[0].tier: 'hihg' is not one of"),
        (_broken(families__product="nope"), "families[0].product: 'nope' is not a key"),
        (_broken(families__operations=["READ", "ALL"]), "families[0].operations: must list"),
        (_broken(families__docs="http://x.example/"), "families[0].docs: 'http://x.example/'"),
        (_broken(families__data="all"), "families[0].data: 'all' is not one of"),
        (_broken(families__family="Desk tickets"), "families[0].family: 'Desk tickets'"),
        (_broken(families__admin="yes"), "families[0].admin: must be true or false"),
        (_broken(families__covers=" padded"), "families[0].covers: must be a non-blank"),
        (_broken(third_party__operations=[]), "third_party[0].operations: must not be empty"),
        (_broken(third_party__any_service="yes"), "third_party[0].any_service: must be true"),
        (_broken(third_party__any_service=False), "third_party[0].product: products.openid"),
        (_product(services=["GitHub"]), "products.github.services: must list distinct names"),
        (_product(services=[]), "products.github.services: must list distinct names"),
        (_product(services=["github", "github"]), "products.github.services: must list"),
        (_product(services=["github", "gmail"]), "'gmail' contains 'gmail' of products.github"),
        (_product(key="box", services=["box"]), "'dropbox' contains 'box' of products.box"),
        (_third(scope="repo", product="github"), "'repo of github' is listed twice"),
        (_third(scope="openid", product="github"), "'openid' is any_service and listed twice"),
        (_broken(unknown__family="Desk.TICKETS"), "'desk.tickets' is listed twice"),
        (_broken(products={}), "families[0].product"),
    ],
)
def test_a_broken_catalogue_raises_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(text, "scopes.json")
    assert message in str(raised.value)
    assert str(raised.value).startswith("scopes.json: ")


# --- real data: the scopes the corpus history adds ----------------------------------------------


# A scope as held: the scope string and its connection's serviceName (None for deskOauth).
Held = tuple[str, str | None]


def _connections(value: Any) -> dict[str, set[Held]]:
    """Scopes by connection (link name, lower-cased), as the diff pairs connections, each with
    its connection's serviceName (the catalogue explains third-party scopes by it)."""
    found: dict[str, set[Held]] = {}
    holders: list[tuple[str, Any, Any]] = []
    authorisation = value.get("zohoAuthorisation")
    if isinstance(authorisation, dict):
        holders.append(
            (
                str(authorisation.get("connectionLinkName", "")),
                authorisation.get("serviceName"),
                authorisation.get("scope"),
            )
        )
    for key in ("connectors", "usedConnections"):
        for item in value.get(key) or []:
            if isinstance(item, dict):
                link = str(item.get("connectionLinkName", ""))
                holders.append((link, item.get("serviceName"), item.get("scope")))
    if isinstance(value.get("deskOauth"), dict):
        holders.append(("deskOauth", None, value["deskOauth"].get("scopes")))
    for link, service, scopes in holders:
        if isinstance(scopes, list):
            held = service if isinstance(service, str) else None
            found.setdefault(link.lower(), set()).update(
                (s, held) for s in scopes if isinstance(s, str)
            )
    return found


def _added_by_history_pairs() -> set[Held]:
    """Every scope a head manifest holds on a connection whose base did not hold it."""
    with (HISTORY / "INDEX.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    added: set[Held] = set()
    for row in rows:
        base = _connections(json.loads((HISTORY / row["base_file"]).read_text(encoding="utf-8")))
        head = _connections(json.loads((HISTORY / row["head_file"]).read_text(encoding="utf-8")))
        for link, scopes in head.items():
            before = {normalise(s) for s, _service in base.get(link, set())}
            added.update(held for held in scopes if normalise(held[0]) not in before)
    return added


def test_every_scope_the_history_pairs_add_has_a_meaning() -> None:
    if not (HISTORY / "INDEX.tsv").is_file():
        reason = f"shared corpus history not present at {HISTORY}"
        print(reason)
        pytest.skip(reason)
    added = _added_by_history_pairs()
    # the corpus adds Desk, CRM and Inventory scopes (INDEX.tsv describes them)
    wanted = {"Desk.tickets.READ", "Desk.basic.ALL", "ZohoCRM.modules.accounts.READ"}
    assert wanted <= {scope for scope, _service in added}
    missing = sorted(held for held in added if lookup(held[0], service=held[1]) is None)
    assert not missing, f"scopes added by the history pairs without a catalogue meaning: {missing}"
    entries = [lookup(scope, service=service) for scope, service in added]
    assert any(entry is not None and entry.zoho for entry in entries)


def test_every_scope_in_the_corpus_is_known_or_a_documented_unknown() -> None:
    manifests = sorted(CORPUS.glob("code/**/plugin-manifest.json")) + sorted(
        HISTORY.glob("*/*.json")
    )
    if not manifests:
        reason = f"shared corpus not present at {CORPUS}"
        print(reason)
        pytest.skip(reason)
    scopes: set[Held] = set()
    for path in manifests:
        for held in _connections(json.loads(path.read_text(encoding="utf-8"))).values():
            scopes.update(held)
    unknown = sorted(
        (held for held in scopes if lookup(held[0], service=held[1]) is None),
        key=lambda held: (held[0], held[1] or ""),
    )
    undocumented = [held for held in unknown if _documented_unknown(held[0]) is None]
    assert not undocumented, (
        f"corpus scopes the catalogue neither knows nor explains: {undocumented}"
    )
    assert len(scopes) - len(unknown) >= 30  # Desk, CRM, Books, Inventory, Typeform scopes


def _documented_unknown(raw: str) -> catalog.UnknownFamily | None:
    scope = parse_zoho_scope(raw)
    return None if scope is None else catalogue().unknown_family(scope)
