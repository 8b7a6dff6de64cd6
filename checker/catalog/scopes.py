"""The scope catalogue: what an OAuth scope lets an extension do, how risky it is, where documented.

Data lives in ``scopes.json`` beside this module (schema: ``scopes.schema.json``), loaded once.
Zoho scopes are parsed with :mod:`checker.scopes` and matched by family ignoring ASCII case, as
Zoho does, on any connection. Third-party scopes are matched exactly (reference a.2), and only on
a connection of their provider: a bare ``repo`` is GitHub's on a GitHub connection and an unknown
scope on a Bitbucket or custom one, so the entry's meaning, docs and tier must not follow it
there. The rule (data in ``scopes.json``, see :func:`service_key`):

- a connection belongs to a provider when its ``serviceName``, ASCII-lower-cased with every
  character but ``a-z`` and ``0-9`` removed, contains one of the provider's ``services`` names
  (``typeform`` matches ``typeform1`` and ``new_typeform``: Zoho's predefined connectors and
  developers' custom services are named after the provider, with suffixes);
- an entry marked ``any_service`` applies on every connection, known service or not: a scope
  that names its provider itself (Google's ``https://www.googleapis.com/auth/...``) or a
  standard scope any provider of the protocol accepts (OpenID Connect's ``openid``, ``email``);
- a scope two matching providers both list is ambiguous and stays unknown (fails closed), as
  does any entry on a connection whose service is unknown or matches no provider.

A scope's tier follows the tier rules of ``scope-catalogue.md`` section 0, computed from its
family's base tier:

- READ keeps the base tier (the tier of the family's READ form);
- CREATE, UPDATE and DELETE raise it one step; never for ``own`` data (the user's identity, the
  extension's own storage); at least ``high`` on ``records``; DELETE is ``critical`` on
  ``all-records`` (every record of a core module, such as all Desk tickets);
- an ``admin`` family is ``critical`` for every write. Its READ keeps the base tier: the
  reference's own tables rate the READ of some admin families below high (``Desk.basic.READ``
  medium, ``Desk.layouts.READ`` low), and those per-family ratings are the more specific evidence;
- WRITE is the highest of CREATE, UPDATE and DELETE; ALL, CUSTOM and no operation are the highest
  of the family's operations.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checker.changes import Risk
from checker.errors import CheckerError
from checker.package_data import read_text
from checker.scopes import ASCII_SPACE, ZohoScope, ascii_lower, parse_zoho_scope

CATALOGUE_FILE = "scopes.json"
SCHEMA_FILE = "scopes.schema.json"
VERSION = 1
TIERS = (Risk.LOW, Risk.MEDIUM, Risk.HIGH, Risk.CRITICAL)
ATOMIC = ("READ", "CREATE", "UPDATE", "DELETE")
VERBS = {"READ": "read", "CREATE": "create", "UPDATE": "change", "DELETE": "delete"}
WRITE_OPS = ("CREATE", "UPDATE", "DELETE")
WILDCARD = "*"
_URL = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?\Z")
_FAMILY = re.compile(r"[A-Za-z][A-Za-z0-9]*(\.([A-Za-z0-9_]+|\*))+\Z")
_VERB = re.compile(r"[a-z]+\Z")
_SERVICE_NAME = re.compile(r"[a-z0-9]{3,}\Z")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


class CatalogueError(CheckerError):
    """The shipped catalogue is malformed (a packaging bug: internal error, exit 3)."""


class Data(enum.Enum):
    """What a family holds, which decides how much an operation raises its tier."""

    OWN = "own"
    METADATA = "metadata"
    RECORDS = "records"
    ALL_RECORDS = "all-records"


class Evidence(enum.Enum):
    """Where the catalogue's knowledge of an entry comes from (reference evidence labels)."""

    DOC = "doc"
    OAS = "oas"
    OBS = "obs"
    INF = "inf"


@dataclass(frozen=True, slots=True)
class Product:
    """A product or provider: display name, its scope documentation page, and for a
    third-party provider the names a connection's service key contains to be its own."""

    key: str
    name: str
    docs: str
    services: tuple[str, ...] = ()

    def serves(self, key: str) -> bool:
        """Whether a connection with service key ``key`` (:func:`service_key`) is this
        provider's: the key contains one of the provider's names."""
        return any(name in key for name in self.services)


@dataclass(frozen=True, slots=True)
class Family:
    """A Zoho scope family: ``Service.resource[.sub...]``; a ``*`` segment matches any one."""

    name: str
    product: Product
    covers: str
    operations: tuple[str, ...]
    tier: Risk
    data: Data
    admin: bool
    evidence: Evidence
    docs: str
    verb: str | None

    @property
    def service(self) -> str:
        """The service prefix as the catalogue spells it (``Desk``, ``ZohoCRM``)."""
        return self.name.split(".", 1)[0]

    @property
    def resource(self) -> tuple[str, ...]:
        """The resource path after the service."""
        return tuple(self.name.split(".")[1:])

    def tier_for(self, operation: str | None) -> Risk:
        """The tier of this family's scope with ``operation`` (section 0 of the reference)."""
        if operation == "READ":
            return self.tier
        if operation in WRITE_OPS:
            return self._write_tier(operation)
        if operation == "WRITE":
            return _highest(self._write_tier(op) for op in WRITE_OPS)
        # ALL, CUSTOM and operation-less scopes: the highest of the family's operations
        return _highest((self.tier_for(op) for op in self.operations), self.tier)

    def _write_tier(self, operation: str) -> Risk:
        if self.data is Data.OWN:
            return self.tier
        if self.admin:
            return Risk.CRITICAL
        if operation == "DELETE" and self.data is Data.ALL_RECORDS:
            return Risk.CRITICAL
        tier = _step(self.tier)
        if self.data in (Data.RECORDS, Data.ALL_RECORDS):
            tier = _highest((tier,), Risk.HIGH)
        return tier

    def meaning_for(self, operation: str | None) -> str:
        """``<verbs> <covers>``, with the verbs of the operation (the reference's template)."""
        return f"{self._verbs(operation)} {self.covers}"

    def _verbs(self, operation: str | None) -> str:
        if operation in VERBS:
            return VERBS[operation]
        if operation == "WRITE":
            return join_words([VERBS[op] for op in WRITE_OPS])
        if not self.operations:
            return self.verb or "use"
        return join_words([VERBS[op] for op in ATOMIC if op in self.operations])


@dataclass(frozen=True, slots=True)
class ThirdPartyScope:
    """A third-party scope, matched exactly: its meaning is written out whole.

    It applies on a connection of its product's services only, unless ``any_service`` (a scope
    that names its provider itself, or a standard OpenID Connect scope)."""

    scope: str
    product: Product
    meaning: str
    operations: tuple[str, ...]
    tier: Risk
    evidence: Evidence
    docs: str
    any_service: bool = False

    def applies(self, providers: frozenset[str]) -> bool:
        """Whether the entry holds on a connection of the providers (product keys) given."""
        return self.any_service or self.product.key in providers


@dataclass(frozen=True, slots=True)
class UnknownFamily:
    """A Zoho family seen in real manifests that Zoho does not document."""

    name: str
    instead: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class ScopeEntry:
    """What the catalogue says about one scope as written in a manifest."""

    scope: str
    family: str
    product: str
    meaning: str
    docs: str
    tier: Risk
    operations: tuple[str, ...]
    admin: bool
    zoho: bool


def join_words(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _highest(tiers: Iterable[Risk], default: Risk | None = None) -> Risk:
    found = list(tiers)
    if default is not None:
        found.append(default)
    return max(found, key=lambda tier: tier.rank)


def _step(tier: Risk) -> Risk:
    return TIERS[min(TIERS.index(tier) + 1, len(TIERS) - 1)]


def _fold(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(ascii_lower(part) for part in parts)


def service_key(service: str) -> str:
    """A connection's ``serviceName`` as provider names are matched against it: ASCII letters
    lower-cased, everything but ``a-z`` and ``0-9`` dropped (``New_TypeForm-1`` is
    ``newtypeform1``). Non-ASCII letters are dropped rather than folded, so a look-alike
    (``github`` spelt with a Cyrillic i, U+0456) does not pass for the provider's name."""
    return _NOT_ALNUM.sub("", ascii_lower(service))


class Catalogue:
    """The loaded catalogue with its lookup indexes."""

    def __init__(
        self,
        products: tuple[Product, ...],
        families: tuple[Family, ...],
        third_party: tuple[ThirdPartyScope, ...],
        unknown: tuple[UnknownFamily, ...],
    ) -> None:
        self.products = products
        self.families = families
        self.third_party = third_party
        self.unknown = unknown
        self._exact: dict[tuple[str, ...], Family] = {}
        wild: dict[str, list[Family]] = {}
        for family in families:
            key = _fold((family.service, *family.resource))
            if WILDCARD in family.resource:
                wild.setdefault(key[0], []).append(family)
            else:
                self._exact[key] = family
        self._wild = {
            service: tuple(sorted(found, key=lambda f: f.resource.count(WILDCARD)))
            for service, found in wild.items()
        }
        self._third: dict[str, tuple[ThirdPartyScope, ...]] = {}
        for entry in third_party:
            self._third[entry.scope] = (*self._third.get(entry.scope, ()), entry)
        self._serving = tuple(product for product in products if product.services)
        self._unknown = {_fold(tuple(u.name.split("."))): u for u in unknown}
        self.services = frozenset(ascii_lower(f.service) for f in families)
        self.family_names = tuple(f.name for f in families if WILDCARD not in f.resource)

    def family_of(self, scope: ZohoScope) -> Family | None:
        """The family a parsed Zoho scope belongs to; exact names win over ``*`` patterns."""
        key = _fold((scope.service, *scope.resource))
        found = self._exact.get(key)
        if found is not None:
            return found
        if key in self._unknown:
            return None
        for family in self._wild.get(key[0], ()):
            pattern = _fold(family.resource)
            if len(pattern) == len(key) - 1 and all(
                p in (WILDCARD, k) for p, k in zip(pattern, key[1:], strict=True)
            ):
                return family
        return None

    def unknown_family(self, scope: ZohoScope) -> UnknownFamily | None:
        """What the catalogue knows about a family Zoho does not document, if anything."""
        return self._unknown.get(_fold((scope.service, *scope.resource)))

    def zoho(self, raw: str) -> ScopeEntry | None:
        """The entry for a Zoho scope, or None when it does not parse or its family is unknown."""
        scope = parse_zoho_scope(raw)
        if scope is None:
            return None
        family = self.family_of(scope)
        if family is None:
            return None
        return ScopeEntry(
            scope=raw,
            family=family.name,
            product=family.product.name,
            meaning=family.meaning_for(scope.operation),
            docs=family.docs,
            tier=family.tier_for(scope.operation),
            operations=family.operations,
            admin=family.admin,
            zoho=True,
        )

    def providers(self, service: str | None) -> frozenset[str]:
        """The keys of the products a connection with this ``serviceName`` belongs to (usually
        none or one); none for an unknown service (None, or nothing left of it as a key)."""
        key = service_key(service) if service is not None else ""
        if not key:
            return frozenset()
        return frozenset(product.key for product in self._serving if product.serves(key))

    def exact(self, raw: str, *, service: str | None = None) -> ScopeEntry | None:
        """The entry for a third-party scope, compared exactly (surrounding spaces aside), as
        held on a connection with this ``serviceName``: an entry of the connection's provider,
        or an ``any_service`` one. None when no entry applies there, or when two do (a scope
        two providers the service matches both list: which one is meant is unknown)."""
        candidates = self._third.get(raw.strip(ASCII_SPACE), ())
        if not candidates:
            return None
        providers = self.providers(service)
        applying = [entry for entry in candidates if entry.applies(providers)]
        if len(applying) != 1:
            return None
        entry = applying[0]
        return ScopeEntry(
            scope=raw,
            family=entry.scope,
            product=entry.product.name,
            meaning=entry.meaning,
            docs=entry.docs,
            tier=entry.tier,
            operations=entry.operations,
            admin=False,
            zoho=False,
        )

    def lookup(self, raw: str, *, service: str | None = None) -> ScopeEntry | None:
        """A third-party scope by exact string first (on ``service``'s provider only, see
        :meth:`exact`), then a Zoho scope by family (on any connection)."""
        return self.exact(raw, service=service) or self.zoho(raw)


# --- loading ---------------------------------------------------------------------------------


class _Reader:
    """Typed access to the parsed JSON that fails with the file and place named."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.source}: {where}: {problem}")

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be an array")
        return value

    def text(self, item: Mapping[str, Any], key: str, where: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            raise self.fail(f"{where}.{key}", "must be a non-blank string without spaces around")
        return value

    def url(self, item: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(item, key, where)
        if not _URL.match(value):
            raise self.fail(f"{where}.{key}", f"{value!r} is not an https URL with a host")
        return value

    def choice(self, item: Mapping[str, Any], key: str, where: str, kind: type[enum.Enum]) -> Any:
        value = item.get(key)
        allowed = _members(kind)
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
        return allowed[value]

    def tier(self, item: Mapping[str, Any], key: str, where: str) -> Risk:
        value = item.get(key)
        names = _tiers()
        if not isinstance(value, str) or value not in names:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(names)}")
        return names[value]

    def operations(self, item: Mapping[str, Any], where: str) -> tuple[str, ...]:
        value = self.array(item.get("operations"), f"{where}.operations")
        if any(op not in ATOMIC for op in value) or len(set(value)) != len(value):
            raise self.fail(
                f"{where}.operations", f"must list distinct ones of {', '.join(ATOMIC)}"
            )
        return tuple(value)


# Every family is read with these: iterating an enum costs more than a dict lookup, and the
# catalogue is parsed on every cold start (the members are looked up once per process).
@functools.cache
def _members(kind: type[enum.Enum]) -> dict[str, Any]:
    return {str(member.value): member for member in kind}


@functools.cache
def _tiers() -> dict[str, Risk]:
    return {tier.value: tier for tier in TIERS}


def _products(read: _Reader, value: Any) -> dict[str, Product]:
    products: dict[str, Product] = {}
    for key, value_of_key in read.obj(value, "products").items():
        where = f"products.{key}"
        item = read.obj(value_of_key, where)
        products[key] = Product(
            key,
            read.text(item, "name", where),
            read.url(item, "docs", where),
            _services(read, item, where),
        )
    _no_shared_service_names(read, products)
    return products


def _services(read: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    if "services" not in item:
        return ()
    names = read.array(item["services"], f"{where}.services")
    if (
        not names
        or not all(isinstance(name, str) and _SERVICE_NAME.match(name) for name in names)
        or len(set(names)) != len(names)
    ):
        raise read.fail(
            f"{where}.services", "must list distinct names of three or more of a-z and 0-9"
        )
    return tuple(names)


def _no_shared_service_names(read: _Reader, products: Mapping[str, Product]) -> None:
    """No provider's name contains another provider's: its own service would match both
    (``box`` beside ``dropbox`` would make every Dropbox connection a Box one too)."""
    for product in products.values():
        for name in product.services:
            for other in products.values():
                shared = [n for n in other.services if n in name] if other is not product else []
                if shared:
                    raise read.fail(
                        f"products.{product.key}.services",
                        f"{name!r} contains {shared[0]!r} of products.{other.key}.services",
                    )


def _product(
    read: _Reader, item: Mapping[str, Any], where: str, products: Mapping[str, Product]
) -> Product:
    key = item.get("product")
    if not isinstance(key, str) or key not in products:
        raise read.fail(f"{where}.product", f"{key!r} is not a key of products")
    return products[key]


def _docs(read: _Reader, item: Mapping[str, Any], where: str, product: Product) -> str:
    return read.url(item, "docs", where) if "docs" in item else product.docs


def _family(read: _Reader, item: Any, where: str, products: Mapping[str, Product]) -> Family:
    item = read.obj(item, where)
    name = read.text(item, "family", where)
    if not _FAMILY.match(name):
        raise read.fail(f"{where}.family", f"{name!r} is not Service.resource[.sub...]")
    product = _product(read, item, where, products)
    operations = read.operations(item, where)
    verb = item.get("verb")
    if operations and verb is not None:
        raise read.fail(f"{where}.verb", "only a family without operations has a verb")
    if not operations and (not isinstance(verb, str) or not _VERB.match(verb)):
        raise read.fail(f"{where}.verb", "a family without operations needs a lower-case verb")
    admin = item.get("admin")
    if not isinstance(admin, bool):
        raise read.fail(f"{where}.admin", "must be true or false")
    return Family(
        name=name,
        product=product,
        covers=read.text(item, "covers", where),
        operations=operations,
        tier=read.tier(item, "tier", where),
        data=read.choice(item, "data", where, Data),
        admin=admin,
        evidence=read.choice(item, "evidence", where, Evidence),
        docs=_docs(read, item, where, product),
        verb=verb,
    )


def _third_party(
    read: _Reader, item: Any, where: str, products: Mapping[str, Product]
) -> ThirdPartyScope:
    item = read.obj(item, where)
    product = _product(read, item, where, products)
    operations = read.operations(item, where)
    if not operations:
        raise read.fail(f"{where}.operations", "must not be empty")
    any_service = item.get("any_service", False)
    if not isinstance(any_service, bool):
        raise read.fail(f"{where}.any_service", "must be true or false")
    if not any_service and not product.services:
        raise read.fail(
            f"{where}.product",
            f"products.{product.key} lists no services, so the entry applies nowhere "
            "(list the provider's services, or mark the entry any_service)",
        )
    return ThirdPartyScope(
        scope=read.text(item, "scope", where),
        product=product,
        meaning=read.text(item, "meaning", where),
        operations=operations,
        tier=read.tier(item, "tier", where),
        evidence=read.choice(item, "evidence", where, Evidence),
        docs=_docs(read, item, where, product),
        any_service=any_service,
    )


def _unknown(read: _Reader, item: Any, where: str) -> UnknownFamily:
    item = read.obj(item, where)
    instead = read.array(item.get("instead"), f"{where}.instead")
    if not all(isinstance(name, str) and _FAMILY.match(name) for name in instead):
        raise read.fail(f"{where}.instead", "must list family names")
    return UnknownFamily(
        read.text(item, "family", where), tuple(instead), read.text(item, "note", where)
    )


def parse_catalogue(text: str, source: str = CATALOGUE_FILE) -> Catalogue:
    """Build a :class:`Catalogue` from the JSON text; a malformed file raises CatalogueError."""
    read = _Reader(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise read.fail(f"line {error.lineno}", f"not valid JSON: {error.msg}") from None
    data = read.obj(data, "(top level)")
    if data.get("version") != VERSION:
        raise read.fail("version", f"{data.get('version')!r} is not the supported {VERSION}")
    products = _products(read, data.get("products"))
    families = tuple(
        _family(read, item, f"families[{i}]", products)
        for i, item in enumerate(read.array(data.get("families"), "families"))
    )
    third = tuple(
        _third_party(read, item, f"third_party[{i}]", products)
        for i, item in enumerate(read.array(data.get("third_party"), "third_party"))
    )
    unknown = tuple(
        _unknown(read, item, f"unknown[{i}]")
        for i, item in enumerate(read.array(data.get("unknown"), "unknown"))
    )
    _no_repeats(
        read,
        [("families", ascii_lower(f.name)) for f in families]
        + [("unknown", ascii_lower(u.name)) for u in unknown],
    )
    _no_repeats(
        read,
        [("third_party", f"{t.scope} of {t.product.key}") for t in third],
        "a scope is listed once per provider",
    )
    _any_service_alone(read, third)
    return Catalogue(tuple(products.values()), families, third, unknown)


def _no_repeats(
    read: _Reader, keys: list[tuple[str, str]], rule: str = "names compare ignoring case"
) -> None:
    seen: set[str] = set()
    for where, key in keys:
        if key in seen:
            raise read.fail(where, f"{key!r} is listed twice ({rule})")
        seen.add(key)


def _any_service_alone(read: _Reader, third: tuple[ThirdPartyScope, ...]) -> None:
    """An ``any_service`` entry is the only entry of its scope: on a connection of the other
    entry's provider both would apply and the scope would never be explained."""
    by_scope: dict[str, list[ThirdPartyScope]] = {}
    for entry in third:
        by_scope.setdefault(entry.scope, []).append(entry)
    for scope, entries in by_scope.items():
        if len(entries) > 1 and any(entry.any_service for entry in entries):
            raise read.fail("third_party", f"{scope!r} is any_service and listed twice")


def catalogue_text() -> str:
    """The shipped catalogue file's text."""
    return read_text(f"catalog/{CATALOGUE_FILE}")


@functools.cache
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded on first use."""
    return parse_catalogue(catalogue_text(), f"checker/catalog/{CATALOGUE_FILE}")


# --- lookups any module can call -------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def lookup(raw: str, *, service: str | None = None) -> ScopeEntry | None:
    """What a scope means, its tier and docs, as held on a connection whose ``serviceName`` is
    ``service``; None when the catalogue does not know it there.

    ``service`` None means the connection's provider is unknown (deskOauth, a TPAOauth client):
    Zoho scopes and ``any_service`` entries are found, other third-party scopes are not, so a
    caller that omits the service fails closed rather than borrowing another provider's entry.
    """
    return catalogue().lookup(raw, service=service)


def fallback_tier(raw: str) -> Risk | None:
    """The tier of a Zoho scope the catalogue does not know (rule 4): medium READ, high else.

    None when ``raw`` is not a Zoho scope; callers use :func:`lookup` first.
    """
    scope = parse_zoho_scope(raw)
    if scope is None:
        return None
    return Risk.MEDIUM if scope.operation == "READ" else Risk.HIGH
