"""Connections (connectors, zohoAuthorisation, usedConnections) and their scopes (2.7, 2.11)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.values import (
    connection_label,
    display_pointer,
    is_blank,
    is_zlabs,
    js_trim,
    name_hits,
    objects,
    once_per_extension,
    quote_text,
)
from checker.scopes import ASCII_SPACE, ascii_lower, normalise, scope_problems
from checker.source import join_pointer

# Pure functions of one scope string; the same scopes recur in every extension of a repository.
_scope_problems = functools.lru_cache(maxsize=4096)(scope_problems)
_normalise = functools.lru_cache(maxsize=4096)(normalise)

ZLABS = "zlabs_integration"
LINK_NAME = re.compile(r"[a-z0-9_]+\Z")
# zohoAuthorisation.type values: "connectors" (Desk docs), "oauth" (ZET's commented-out check).
AUTHORISATION_TYPES = ("connectors", "oauth")
_DIGITS = re.compile(r"[0-9]+\Z")
_PLACEHOLDER = re.compile(r"[*<>{}$]|x{3,}|^\.+$|sharedby|zuid|your|user.?id", re.IGNORECASE)


def connections(ext: Extension) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every connection object: a non-empty zohoAuthorisation, connectors, usedConnections."""
    return iter(once_per_extension(ext, "connections", _all_connections))


def _all_connections(ext: Extension) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(_connections(ext))


def _connections(ext: Extension) -> Iterator[tuple[str, dict[str, Any]]]:
    authorisation = ext.value.get("zohoAuthorisation")
    if isinstance(authorisation, dict) and authorisation:
        yield "/zohoAuthorisation", authorisation
    yield from objects(ext.value.get("connectors"), "/connectors")
    yield from objects(ext.value.get("usedConnections"), "/usedConnections")


class ScopeList(NamedTuple):
    """One list of OAuth scopes, where it is, whose it is, and which grammar applies.

    A named tuple, not a frozen dataclass: one is made for every connection of every
    manifest, and a named tuple costs a quarter as much to make.
    """

    pointer: str
    scopes: list[Any]
    holder: str
    holder_value: dict[str, Any]
    zoho: bool

    @property
    def owner(self) -> str:
        """Who holds the scopes, for messages: ``connector "GitHub"``, ``deskOauth``."""
        if self.holder == "/deskOauth":
            return "deskOauth"
        return connection_label(self.holder, self.holder_value)


# The scope lists of the last extension, recognised by identity: the scope rules run one
# after another on the same extension.
_LAST: list[tuple[Extension, tuple[ScopeList, ...]] | None] = [None]


def scope_lists(ext: Extension) -> tuple[ScopeList, ...]:
    """:func:`_scope_lists`, built once per extension."""
    last = _LAST[0]
    if last is not None and last[0] is ext:
        return last[1]
    found = tuple(_scope_lists(ext))
    _LAST[0] = (ext, found)
    return found


def _scope_lists(ext: Extension) -> Iterator[ScopeList]:
    """Every scope array of the manifest with the grammar it follows.

    Zoho's grammar applies to zohoAuthorisation, to connectors whose serviceName means
    zlabs_integration (any case or spacing), to deskOauth.scopes, and to usedConnections that
    are not user-defined services and name a Zoho service (zlabs_integration or zoho_*).
    """
    for pointer, connection in connections(ext):
        scopes = connection.get("scope")
        if not isinstance(scopes, list):
            continue
        service = connection.get("serviceName")
        if pointer == "/zohoAuthorisation":
            zoho = True
        elif pointer.startswith("/usedConnections/"):
            zoho = connection.get("isUserDefinedService") is not True and (
                is_zlabs(service)
                or (isinstance(service, str) and ascii_lower(service.strip()).startswith("zoho"))
            )
        else:
            zoho = is_zlabs(service)
        yield ScopeList(join_pointer(pointer, "scope"), scopes, pointer, connection, zoho)
    desk_oauth = ext.value.get("deskOauth")
    if isinstance(desk_oauth, dict) and isinstance(desk_oauth.get("scopes"), list):
        yield ScopeList("/deskOauth/scopes", desk_oauth["scopes"], "/deskOauth", desk_oauth, True)


@rule(
    "connector-name",
    Severity.ERROR,
    summary="Each connector's `connectionName` must be non-blank, well-formed and unique.",
    doc="""
Zoho's toolkit requires every connector to have a `connectionName` that is a non-blank
string (`The "name" property should be a string for the connectors.`), starts with a letter
and holds only letters, digits, spaces, `-` and `_`, and is unique among the connectors after
trimming (`The "name" property should be unique for 'connectors'`). When the name is
missing or blank the toolkit checks nothing else of that connector; this tool checks the rest
anyway. A missing `connectionName` is reported by `manifest-schema`.

**Fix:** paste the connection JSON from Sigma again, or rename the connection.

```json
{"connectors": [{"connectionName": "2nd-crm", "serviceName": "crm", "connectionLinkName": "crm"}]}
```
""",
    zet=Zet.SAME,
)
def check_connector_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed and duplicate connectionName of connectors."""
    yield from name_hits(
        objects(ext.value.get("connectors"), "/connectors"),
        "connectionName",
        "connector",
    )


@rule(
    "connector-service",
    Severity.ERROR,
    summary="Each connector's `serviceName` must be non-blank and used by one connector only.",
    doc="""
`serviceName` says which service a connector authenticates against (a predefined service
such as `github`, or the link name of a custom service). Zoho's toolkit rejects a blank one
(`The "serviceName" property should be a string for the connection`) and two connectors with
the same service after trimming (`The "serviceName" property should be unique for
'connectors'`). It crashes on a non-string `serviceName`, which `manifest-schema` reports.

**Fix:** keep one connector per service and put all the scopes it needs on it.

```json
{"connectors": [{"connectionName": "GitHub", "serviceName": "github"},
                {"connectionName": "GitHub2", "serviceName": "github"}]}
```
""",
    zet=Zet.SAME,
)
def check_connector_services(ext: Extension) -> Iterator[Hit]:
    """Blank and duplicate serviceName among connectors (zlabs ones are another rule's)."""
    seen: dict[str, str] = {}
    for pointer, connector in objects(ext.value.get("connectors"), "/connectors"):
        service = connector.get("serviceName")
        if not isinstance(service, str):
            continue
        at = join_pointer(pointer, "serviceName")
        if is_blank(service):
            label = connection_label(pointer, connector)
            yield Hit(
                at,
                f"{label} has a blank serviceName; it must name the service the connection "
                "authenticates against; paste the connection JSON from Sigma again",
            )
            continue
        if service == ZLABS:
            continue
        trimmed = js_trim(service)
        first = seen.get(trimmed)
        if first is None:
            seen[trimmed] = at
            continue
        label = connection_label(pointer, connector)
        yield Hit(
            at,
            f"{label} uses serviceName {quote_text(service)} like the connector at "
            f"{display_pointer(first)}; Zoho allows one connector per service; merge them",
            related=(first,),
        )


@rule(
    "zlabs-in-connectors",
    Severity.ERROR,
    summary="A Zoho OAuth (`zlabs_integration`) connection belongs in `zohoAuthorisation`.",
    doc="""
For Desk, connections to Zoho products (service `zlabs_integration`, "Zoho OAuth" in Sigma)
go in `zohoAuthorisation`; `connectors` is for third-party services. Zoho's toolkit rejects a
connector with `"serviceName": "zlabs_integration"` (`The zoho services connection should be
under the zohoAuthorisation key`), but only when spelled exactly so: `" zlabs_integration"`
or `"ZLABS_INTEGRATION"` slip through. This rule catches every spelling that reads as
`zlabs_integration` once spaces are removed and letters lower-cased.

**Stricter than Zoho's toolkit, on purpose:** every spelling of `zlabs_integration` is caught,
not only the exact one.

**Fix:** move the connection object into `zohoAuthorisation` (one object, not an array).

```json
{"connectors": [{"connectionName": "desk", "serviceName": "ZLABS_INTEGRATION"}]}
```
""",
    zet=Zet.STRICTER,
)
def check_zlabs_in_connectors(ext: Extension) -> Iterator[Hit]:
    """zlabs_integration (in any spelling) inside connectors."""
    for pointer, connector in objects(ext.value.get("connectors"), "/connectors"):
        service = connector.get("serviceName")
        if not is_zlabs(service):
            continue
        spelled = "" if service == ZLABS else f", a spelling of {ZLABS}"
        label = connection_label(pointer, connector)
        yield Hit(
            join_pointer(pointer, "serviceName"),
            f"{label} uses serviceName {quote_text(service, 40)}"
            f"{spelled}: it is a Zoho OAuth connection, which for Desk belongs in "
            "zohoAuthorisation, not in connectors; move it there",
        )


@rule(
    "zoho-authorisation",
    Severity.ERROR,
    summary="`zohoAuthorisation` must be a complete Zoho OAuth (`zlabs_integration`) connection.",
    doc="""
`zohoAuthorisation` holds the extension's one connection to Zoho products. Zoho's toolkit
requires its `serviceName`, when present, to be exactly `zlabs_integration` (`Only the Zoho
Services related connection should be in zohoAuthorisation.`); the official
`multidc-desk-extension` sample's `"zoho_desk"` fails this. (A missing `type` is reported by
`manifest-schema`.) The toolkit checks nothing else; this rule also warns when a non-empty
`zohoAuthorisation` has no `serviceName` or no `scope` list, or when `type` is not
`connectors` (Desk's documentation) or `oauth`.

**Stricter than Zoho's toolkit, on purpose:** a missing `serviceName` or `scope` and an unusual
`type` get warnings.

**Fix:** paste the Zoho OAuth connection JSON from Sigma; keep third-party services in
`connectors`.

```json
{"zohoAuthorisation": {"type": "connectors", "connectionLinkName": "desk",
  "serviceName": "zoho_desk", "scope": ["Desk.tickets.READ"]}}
```
""",
    zet=Zet.STRICTER,
)
def check_zoho_authorisation(ext: Extension) -> Iterator[Hit]:
    """serviceName is zlabs_integration; type, serviceName and scope are sensible."""
    authorisation = ext.value.get("zohoAuthorisation")
    if not isinstance(authorisation, dict) or not authorisation:
        return
    if "serviceName" in authorisation:
        service = authorisation["serviceName"]
        at = "/zohoAuthorisation/serviceName"
        if service == ZLABS:
            pass
        elif is_zlabs(service):
            yield Hit(
                at,
                f"zohoAuthorisation serviceName {quote_text(service, 40)} must be written exactly "
                f'"{ZLABS}" (Zoho compares it exactly); fix the spelling',
            )
        elif isinstance(service, str):  # another JSON type is manifest-schema's
            yield Hit(
                at,
                f'zohoAuthorisation serviceName {quote_text(service, 40)} is not "{ZLABS}"; only '
                "the Zoho OAuth connection belongs here; move a third-party connection to "
                f'connectors, or use "{ZLABS}"',
            )
    else:
        yield Hit(
            "/zohoAuthorisation",
            f'zohoAuthorisation has no serviceName; add "serviceName": "{ZLABS}" (paste the '
            "connection JSON from Sigma)",
            severity=Severity.WARNING,
        )
    kind = authorisation.get("type")
    if isinstance(kind, str) and kind not in AUTHORISATION_TYPES:
        yield Hit(
            "/zohoAuthorisation/type",
            f'zohoAuthorisation type {quote_text(kind, 40)} is neither "connectors" (what Desk\'s '
            'documentation uses) nor "oauth"; use "connectors"',
            severity=Severity.WARNING,
        )
    if "scope" not in authorisation:
        yield Hit(
            "/zohoAuthorisation",
            "zohoAuthorisation has no scope list, so reviewers cannot see what it may access; "
            "paste the connection JSON from Sigma with its scope array",
            severity=Severity.WARNING,
        )


@rule(
    "connection-link-name",
    Severity.ERROR,
    summary="`connectionLinkName` must be present, non-empty, unique and lower_snake_case.",
    doc="""
`connectionLinkName` is the handle the extension's code uses to call a connection (for
example the `connectionLinkName` of Desk's invoke API). Two connections with the same link
name make it ambiguous which credential a call uses, and an empty one cannot be called at
all. Zoho's toolkit accepts both (it only checks that the value is a string), and does not
compare `zohoAuthorisation` with `connectors` at all. This rule, for every product:

- errors on an empty link name, and on a link name used by two connections across
  `zohoAuthorisation`, `connectors` and `usedConnections` (compared ignoring case and
  surrounding spaces);
- warns when it is missing from `zohoAuthorisation` or `usedConnections` (for Desk and
  Projects connectors `manifest-schema` reports it), and when it is not made of lower-case
  letters, digits and underscores, which is how Sigma writes link names.

For Projects, whose toolkit means to reject repeated link names but compares them with
connection names instead (see `projects-connector`), a repeated link name is an error here
although the toolkit lets it through: **stricter on purpose**.

**Fix:** give each connection its own link name as Sigma shows it.

```json
{"zohoAuthorisation": {"connectionLinkName": "desk", "serviceName": "zlabs_integration"},
 "connectors": [{"connectionLinkName": "desk", "serviceName": "github"}]}
```
""",
    zet=Zet.NOT_CHECKED,
    services=None,
)
def check_link_names(ext: Extension) -> Iterator[Hit]:
    """Empty, malformed, missing and duplicate link names across all connections."""
    seen: dict[str, str] = {}
    for pointer, connection in connections(ext):
        if "connectionLinkName" not in connection:
            # the Desk and Projects schemas require it of connectors
            if pointer.startswith("/connectors/") and ext.service in ("DESK", "PROJECTS"):
                continue
            label = connection_label(pointer, connection)
            yield Hit(
                pointer,
                f"{label} has no connectionLinkName, so code cannot call it; paste the "
                "connection JSON from Sigma again",
                severity=Severity.WARNING,
            )
            continue
        link = connection["connectionLinkName"]
        if not isinstance(link, str):
            continue
        if is_blank(link):
            label = connection_label(pointer, connection)
            yield Hit(
                join_pointer(pointer, "connectionLinkName"),
                f"{label} has an empty connectionLinkName, so code cannot call it; use the "
                "link name Sigma shows for the connection",
            )
            continue
        key = ascii_lower(js_trim(link))
        first = seen.get(key)
        if first is not None:
            label = connection_label(pointer, connection)
            yield Hit(
                join_pointer(pointer, "connectionLinkName"),
                f"connectionLinkName {quote_text(link, 60)} of {label} is already used at "
                f"{display_pointer(first)}; a link name must identify one connection; give "
                "each connection its own",
                related=(first,),
            )
            continue
        seen[key] = join_pointer(pointer, "connectionLinkName")
        if not LINK_NAME.match(link):
            label = connection_label(pointer, connection)
            yield Hit(
                join_pointer(pointer, "connectionLinkName"),
                f"connectionLinkName {quote_text(link, 60)} of {label} is not lower-case letters, "
                "digits and underscores, which is how Sigma writes link names; use the link "
                f'name exactly as Sigma shows it, e.g. "{_link_suggestion(link)}"',
                severity=Severity.WARNING,
            )


def _link_suggestion(link: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_]+", "_", ascii_lower(link[:200].strip())).strip("_")[:60]
    return cleaned.rstrip("_") or "my_connection"


@rule(
    "connection-shared-by",
    Severity.WARNING,
    summary="`sharedBy` should be the numeric Zoho user id of the connection's owner.",
    doc="""
`sharedBy` records which Sigma user (by numeric Zoho user id, ZUID) created or shared the
connection. Zoho's documentation writes it as a string of digits, real manifests also use a
JSON integer; Zoho's toolkit does not check it for Desk. Samples often carry placeholders
such as `"*******"` or `"<sharedBy>"`, which then get copied into real extensions and point
the connection at nobody. This rule warns on placeholders, empty values and anything that is
not a positive integer or a string of digits.

**Fix:** paste the connection JSON from Sigma, which holds the real id.

```json
{"sharedBy": "<sharedBy>"}
```
""",
    zet=Zet.NOT_CHECKED,
    services=None,
)
def check_shared_by(ext: Extension) -> Iterator[Hit]:
    """sharedBy is a positive integer or a digit string."""
    for pointer, connection in connections(ext):
        if "sharedBy" not in connection:
            continue
        value = connection["sharedBy"]
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            continue
        if isinstance(value, str) and _DIGITS.match(value) and value.strip("0"):
            continue  # the common case: a numeric user id
        at = join_pointer(pointer, "sharedBy")
        if isinstance(value, int):
            if value <= 0:
                label = connection_label(pointer, connection)
                yield Hit(
                    at,
                    f"sharedBy {value} of {label} is not a Zoho user id (a positive number); "
                    "paste the connection JSON from Sigma",
                )
            continue
        if not value.strip(ASCII_SPACE):
            problem = "is empty"
        elif _PLACEHOLDER.search(value):
            problem = "looks like a placeholder from a sample"
        else:
            problem = "is not a numeric Zoho user id"
        label = connection_label(pointer, connection)
        yield Hit(
            at,
            f"sharedBy {quote_text(value, 40)} of {label} {problem}; it should be the id of the "
            "Sigma user who shares the connection; paste the connection JSON from Sigma",
        )


@rule(
    "scope-grammar",
    Severity.ERROR,
    summary="OAuth scopes must be well-formed: Zoho scopes as `Service.resource.OPERATION`.",
    doc="""
A Zoho OAuth scope is `Service.resource[.sub...].OPERATION` (`Desk.tickets.READ`,
`ZohoCRM.modules.leads.ALL`), ASCII only, without spaces or commas. Zoho's toolkit only
rejects blank scope strings (`The "scope" property should not be empty.`); `"not a scope!!"`
passes and fails later at authorisation time, and a lookalike letter (a Cyrillic e) makes a
different scope that a reviewer cannot see. This rule applies Zoho's grammar to
`zohoAuthorisation.scope`, `deskOauth.scopes`, connectors whose service is
`zlabs_integration` and `usedConnections` of Zoho services, for every product:

- errors: empty, spaces around or inside, a comma (two scopes in one string), non-ASCII
  characters, empty segments, no dots;
- warnings: a near-miss operation (`Desk.tickets.REED`) and non-canonical case
  (`desk.tickets.read`; Zoho matches case-insensitively, but mixed spellings hide duplicates
  and make diffs noisy).

Third-party scopes (GitHub's `repo`, Typeform's `forms:read`) follow their provider's rules:
only an empty scope is an error there, and spaces around one a warning.

**Stricter than Zoho's toolkit, on purpose:** the whole Zoho scope grammar is checked; the
toolkit only rejects blank scopes.

**Fix:** one scope per array entry, written as Zoho documents it.

```json
{"scope": ["Desk.tickets.READ,Desk.tickets.UPDATE", " Desk.contacts.READ", "desk.basic.read"]}
```
""",
    zet=Zet.STRICTER,
    services=None,
)
def check_scope_grammar(ext: Extension) -> Iterator[Hit]:
    """Zoho scope grammar (errors and warnings) and blank third-party scopes."""
    for scopes in scope_lists(ext):
        # strings() without its generator and a pointer per scope: most scopes are fine
        for index, raw in enumerate(scopes.scopes):
            if not isinstance(raw, str):
                continue
            if scopes.zoho:
                for problem in _scope_problems(raw):
                    yield Hit(
                        f"{scopes.pointer}/{index}",
                        f"scope {quote_text(raw, 60)} of {scopes.owner} {problem.message}"
                        f"{_fix(raw, problem.message)}",
                        severity=None if problem.error else Severity.WARNING,
                    )
            elif is_blank(raw):
                yield Hit(
                    f"{scopes.pointer}/{index}", f"{scopes.owner} has an empty scope; remove it"
                )
            elif raw != raw.strip(ASCII_SPACE):
                yield Hit(
                    f"{scopes.pointer}/{index}",
                    f"scope {quote_text(raw, 60)} of {scopes.owner} has spaces around it; write "
                    f"{quote_text(raw.strip(ASCII_SPACE), 60)}",
                    severity=Severity.WARNING,
                )


def _fix(raw: str, message: str) -> str:
    if message == "is empty":
        return "; remove it"
    if message == "has spaces around it":
        return f"; write {quote_text(raw.strip(ASCII_SPACE), 60)}"
    return ""


@rule(
    "scope-duplicate",
    Severity.WARNING,
    summary="The same scope is listed twice in one connection.",
    doc="""
A scope listed twice (for Zoho scopes: equal after trimming and ignoring letter case, as
Zoho compares them) adds nothing, and in a diff a re-cased copy can look like a new
permission. Zoho's toolkit does not notice.

**Fix:** keep one entry, in canonical case.

```json
{"scope": ["Desk.tickets.READ", "desk.tickets.read"]}
```
""",
    zet=Zet.NOT_CHECKED,
    services=None,
)
def check_scope_duplicates(ext: Extension) -> Iterator[Hit]:
    """Repeated scopes within one scope list."""
    for scopes in scope_lists(ext):
        seen: dict[str, int] = {}
        for index, raw in enumerate(scopes.scopes):
            if not isinstance(raw, str):
                continue
            key = _normalise(raw) if scopes.zoho else raw.strip(ASCII_SPACE)
            if not key:
                continue
            place = seen.get(key)
            if place is None:
                seen[key] = index
                continue
            at = f"{scopes.pointer}/{index}"
            first = f"{scopes.pointer}/{place}"
            yield Hit(
                at,
                f"scope {quote_text(raw, 60)} of {scopes.owner} repeats the one at "
                f"{display_pointer(first)}; remove the repeat",
                related=(first,),
            )


RULES: tuple[Rule, ...] = (
    check_connector_names,
    check_connector_services,
    check_zlabs_in_connectors,
    check_zoho_authorisation,
    check_link_names,
    check_shared_by,
    check_scope_grammar,
    check_scope_duplicates,
)
