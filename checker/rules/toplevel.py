"""The service gate, the non-Desk notice, and unknown (usually misspelt) member names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.values import display_pointer, quote_text
from checker.services import SERVICE_NAMES, UNCHECKED, info_of
from checker.source import join_pointer, json_type

# ZET's CLI gate (manifest-facts 1.2): exact, case-sensitive service names.
SERVICES = SERVICE_NAMES
_SERVICE_SET = frozenset(SERVICES)

# Top-level members of a Desk manifest: ZET's mandatory and optional keys (manifest-facts 2.1)
# plus Sigma's usedConnections.
DESK_KEYS = (
    "locale",
    "storage",
    "service",
    "type",
    "modules",
    "connectors",
    "config",
    "whiteListedDomains",
    "cspDomains",
    "zohoAuthorisation",
    "usedConnections",
    "callbackListener",
    "secret",
    "deskOauth",
    "TPAOauth",
    "moduleSupport",
)
_DESK_KEY_SET = frozenset(DESK_KEYS)

_CONNECTION_KEYS = (
    "connectionLinkName",
    "connectionName",
    "serviceName",
    "userAccess",
    "isUserDefinedService",
    "sharedBy",
    "scope",
)
# Documented members of nested objects; only near-misses of these are reported, because
# Zoho's samples carry extra members (e.g. a widget's other_dc_urls) that are harmless.
NESTED_KEYS: dict[str, tuple[str, ...]] = {
    "widget": ("name", "url", "location", "logo", "icon", "other_dc_urls"),
    "connector": _CONNECTION_KEYS,
    "zohoAuthorisation": ("type", *_CONNECTION_KEYS),
    "config": (
        "name",
        "displayName",
        "description",
        "type",
        "userdefined",
        "mandatory",
        "secure",
        "default",
        "options",
    ),
    "deskOauth": ("clientId", "name", "clientSecret", "scopes", "params"),
    "TPAOauth": (
        "name",
        "clientId",
        "clientSecret",
        "authoriseUrl",
        "tokenUrl",
        "revokeUrl",
        "params",
    ),
    "modules": ("widgets",),
}
_KNOWN_SETS = {kind: frozenset(keys) for kind, keys in NESTED_KEYS.items()}


@rule(
    "service",
    Severity.ERROR,
    summary="`service` must name a Zoho product exactly as Zoho's toolkit spells it.",
    doc="""
Zoho's toolkit refuses to validate or pack an extension whose `service` is not one of
`CRM, CATALYST, PROJECTS, DESK, QNTRL, MAIL, CREATOR, TEAMINBOX, SDP, IOT, FINANCE, EXPENSE,
INVENTORY, PEOPLE, BIGIN, BILLING, RECRUIT, FSM, LOGS360CLOUD`, compared exactly and
case-sensitively (`Invalid service. Allowed services are : ...`). A missing `service` fails
the same way. The service also decides which checks apply: every Desk rule of this tool
needs `"service": "DESK"`.

**Fix:** write the product name in capitals.

```json
{"service": "desk"}
```
becomes `{"service": "DESK"}`.
""",
    zet=Zet.SAME,
    services=None,
)
def check_service(ext: Extension) -> Iterator[Hit]:
    """The CLI service gate of ZET (manifest-facts 1.2)."""
    if "service" not in ext.value:
        yield Hit(
            "",
            'the manifest has no "service"; Zoho\'s toolkit rejects it; add "service": "DESK" '
            "(or the Zoho product the extension is for)",
        )
        return
    service = ext.value["service"]
    if not isinstance(service, str):
        yield Hit(
            "/service",
            f'"service" is {json_type(service)}; it must be a product name string such as "DESK"',
        )
        return
    if service in _SERVICE_SET:
        return
    guess = did_you_mean(service.strip(), SERVICES)
    hint = f'; did you mean "{guess}"?' if guess else f"; allowed: {', '.join(SERVICES)}"
    yield Hit(
        "/service",
        f"service {quote_text(service, 40)} is not a Zoho product name Zoho's toolkit accepts "
        f"(exact, case-sensitive){hint}",
    )


@rule(
    "generic-checks-only",
    Severity.NOTICE,
    summary="Zoho's toolkit checks nothing in this product's manifests; only shared checks ran.",
    doc="""
For CRM, RECRUIT, FINANCE, INVENTORY, PEOPLE, EXPENSE, BILLING, FSM, IOT, TEAMINBOX, QNTRL and
LOGS360CLOUD, Zoho's toolkit checks the app/ folder and its files but nothing in the manifest:
any JSON object with one of these `service` values passes `zet validate`. This tool then
runs the same app/ checks (`app-*`), the service gate, and its own connection and scope rules
(`connection-link-name`, `connection-shared-by`, `scope-grammar`, `scope-duplicate`), and
nothing else. The notice makes that visible, so a clean result is not mistaken for a full
review. (Desk, Projects, SDP, Creator, Catalyst and Bigin get their own rules; Mail gets
`mail-validated-online`.)

**Fix:** nothing to fix; it is informational.

```json
{"service": "INVENTORY"}
```
""",
    zet=Zet.NOT_CHECKED,
    services=UNCHECKED,
)
def check_generic_only(ext: Extension) -> Iterator[Hit]:
    """A notice for manifests of products the toolkit does not check."""
    info = info_of(ext.service)
    if info is not None:
        yield Hit(
            "/service",
            f'service "{info.service.value}" ({info.product}): Zoho\'s toolkit checks nothing in '
            "this manifest, so only the shared checks ran (app/ files, service, connection link "
            "names, sharedBy, OAuth scope grammar)",
        )


@rule(
    "unknown-key",
    Severity.WARNING,
    summary="A member name Zoho does not know, usually a misspelling that silently disables it.",
    doc="""
Zoho's toolkit and Desk ignore member names they do not know, so a misspelt key quietly turns
a setting off: `whitelistedDomains` (lower-case l) leaves the real allow-list empty,
`zohoAuthorization` (American z) hides the Zoho OAuth connection from review, `deskOAuth`
and `callbackListeners` are never read. Every unknown top-level member is reported with the
closest known name. Inside widgets, connectors, `zohoAuthorisation`, config options,
`deskOauth` and `TPAOauth` entries only near-misses of a documented member that is absent
are reported (`scopes` for `scope`, `authorizeUrl` for `authoriseUrl`), because extra
members there are common and harmless.

**Fix:** rename the member to the suggested spelling, or remove it.

```json
{"whitelistedDomains": ["https://api.example.com"]}
```
becomes `"whiteListedDomains"`.
""",
    zet=Zet.NOT_CHECKED,
)
def check_unknown_keys(ext: Extension) -> Iterator[Hit]:
    """Unknown top-level members, and misspelt members of nested objects."""
    unknown = ext.value.keys() - _DESK_KEY_SET  # in C; empty for nearly every manifest
    for key in ext.value if unknown else ():
        if key in _DESK_KEY_SET:
            continue
        guess = did_you_mean(key, DESK_KEYS)
        if guess is not None and guess in ext.value:
            hint = f'; remove it or merge it into "{guess}", which the manifest also has'
        elif guess is not None:
            hint = f'; did you mean "{guess}"?'
        else:
            hint = "; remove it or check the spelling against Zoho's manifest guide"
        yield Hit(
            join_pointer("", key),
            f"top-level member {quote_text(key, 60)} is not a manifest key Zoho knows, so it is "
            f"ignored{hint}",
            key=True,
        )
    value = ext.value
    modules = value.get("modules")
    if isinstance(modules, dict):
        yield from _near_misses("/modules", modules, "modules")
        yield from _each(modules.get("widgets"), "/modules/widgets", "widget")
    yield from _each(value.get("connectors"), "/connectors", "connector")
    yield from _each(value.get("usedConnections"), "/usedConnections", "connector")
    yield from _each(value.get("config"), "/config", "config")
    yield from _each(value.get("TPAOauth"), "/TPAOauth", "TPAOauth")
    for key in ("zohoAuthorisation", "deskOauth"):
        nested = value.get(key)
        if isinstance(nested, dict):
            yield from _near_misses(join_pointer("", key), nested, key)


def _each(array: Any, pointer: str, kind: str) -> Iterator[Hit]:
    """:func:`_near_misses` of the object items of ``array``; items with known members only
    (nearly all) are passed over with one set comparison each."""
    if not isinstance(array, list):
        return
    known = _KNOWN_SETS[kind]
    for index, item in enumerate(array):
        if isinstance(item, dict) and not item.keys() <= known:
            yield from _near_misses(f"{pointer}/{index}", item, kind)  # join_pointer for an index


def _near_misses(pointer: str, item: dict[str, Any], kind: str) -> Iterator[Hit]:
    known = NESTED_KEYS[kind]
    if item.keys() <= _KNOWN_SETS[kind]:  # in C: the common case, every member known
        return
    for key in item:
        if key in known:
            continue
        guess = did_you_mean(key, known)
        if guess is None or guess in item:
            continue
        yield Hit(
            join_pointer(pointer, key),
            f"member {quote_text(key, 60)} of {display_pointer(pointer)} is not one Zoho reads, so "
            f'it is ignored; did you mean "{guess}"?',
            key=True,
        )


RULES: tuple[Rule, ...] = (check_service, check_generic_only, check_unknown_keys)
