"""Which Zoho service a manifest is for, and what Zoho's toolkit runs for each one (pure)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.errors import UsageError
from checker.wording import printable


class Service(str, enum.Enum):
    """The nineteen ``service`` values ``zet`` (v1.0.24) accepts, in the order it lists them.

    A ``str`` enum: ``"DESK" == Service.DESK`` and both hash alike, so a rule's set of
    services can be looked up with the manifest's plain string.
    """

    CRM = "CRM"
    CATALYST = "CATALYST"
    PROJECTS = "PROJECTS"
    DESK = "DESK"
    QNTRL = "QNTRL"
    MAIL = "MAIL"
    CREATOR = "CREATOR"
    TEAMINBOX = "TEAMINBOX"
    SDP = "SDP"
    IOT = "IOT"
    FINANCE = "FINANCE"
    EXPENSE = "EXPENSE"
    INVENTORY = "INVENTORY"
    PEOPLE = "PEOPLE"
    BIGIN = "BIGIN"
    BILLING = "BILLING"
    RECRUIT = "RECRUIT"
    FSM = "FSM"
    LOGS360CLOUD = "LOGS360CLOUD"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        # Python 3.11 formats a str-mixin enum member as "Service.CRM"; 3.12 as "CRM".
        return format(self.value, spec)


class Route(enum.Enum):
    """What ``zet validate`` runs for a service (its ``rulesconfig.js`` entry).

    Every route that validates locally starts with the app/ folder and file checks.
    """

    SERVICE_RULE = "the app/ file checks and a manifest rule of its own"
    FILES_ONLY = "the app/ file checks only"
    GENERIC = "the app/ file checks and a generic manifest rule that can never fail"
    ONLINE = "nothing locally: Zoho's servers validate the extension (after `zet login`)"


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What this tool knows about one service.

    ``schema`` names the shipped JSON Schema file (``checker/schemas``), or None when neither
    the toolkit nor Zoho's docs define a shape; ``schema_enforced`` says whether
    ``manifest-schema`` checks manifests of the service with it (otherwise it is only printed
    by ``zoho-manifest-guard schema --service``). ``doc`` is the service's section of
    docs/rules.md: how the toolkit treats it and what this tool does differently.
    """

    service: Service
    product: str
    route: Route
    schema: str | None = None
    schema_enforced: bool = False
    doc: str = ""

    @property
    def file_name_limit(self) -> int:
        """The longest app/ file name the toolkit accepts (its MAX_FILE_NAME_LEN[_CRM])."""
        return CRM_FILE_NAME_LIMIT if self.service is Service.CRM else FILE_NAME_LIMIT


FILE_NAME_LIMIT = 50
CRM_FILE_NAME_LIMIT = 250

_FINANCE_SCHEMA = "finance.schema.json"
_CSP_STRICTER = """
**Stricter than Zoho's toolkit, on purpose:** a `cspDomains` that is `null`, `false`, `0` or
`""` is an error (the toolkit skips a falsy value without a word), and directives other than
`connect-src` must be arrays of strings (the toolkit ignores them), as for Desk.
"""
_NO_CHECKS = """
Zoho's toolkit checks nothing in the manifest of this service beyond the service name:
any JSON object passes `zet validate`; only the app/ folder and its files are checked. This
tool runs the same app/ checks and the other rules shared by every service (the service
gate, connection link names, `sharedBy`, scope grammar and repeats), says so with the
`generic-checks-only` notice, and nothing else: no other rule of this tool can fail such a
manifest.
"""
_FINANCE = """
Zoho documents the manifest of the Finance family (Books, Inventory, Billing, Expense) on
its key-configuration pages: `locale`, `service`, `modules.widgets` (`name`, `location`,
`url`, optional `logo`, `widget_type`, `popup`), `whiteListedDomains`, `config` and
`usedConnections`. That shape is shipped as a JSON Schema and printed by
`zoho-manifest-guard schema --service FINANCE` (or INVENTORY, BILLING, EXPENSE) for editors;
it is **not enforced**, because the toolkit accepts any manifest of these services. `diff`
reads `usedConnections` as it reads Desk's connectors: scopes of Zoho services
(`zoho_books`, `zoho_inventory`, ...) compare as Zoho scopes, so `ZohoBooks.salesorders.READ`
to `ZohoBooks.salesorders.ALL` is a broadening and the reverse a narrowing.
"""

REGISTRY: Mapping[Service, ServiceInfo] = {
    info.service: info
    for info in (
        ServiceInfo(
            Service.CRM,
            "Zoho CRM",
            Route.FILES_ONLY,
            doc=_NO_CHECKS
            + """
The toolkit allows app/ file names of up to 250 characters for CRM (50 elsewhere), and
`zet pack` leaves `plugin-manifest.json` out of a CRM package: CRM widgets get their
connections and scopes in CRM itself.
""",
        ),
        ServiceInfo(
            Service.CATALYST,
            "Catalyst",
            Route.SERVICE_RULE,
            "catalyst.schema.json",
            True,
            """
The toolkit requires `service`, `client` and `file_location`. `client` is an OAuth client:
a non-blank string `id`, a non-blank string `scope` (one string, scopes separated by spaces
or commas) and an `accounts-url` from a fixed list of six Zoho accounts servers.
`file_location` is a path starting with `/` to a file of the extension. Shapes are checked by
`manifest-schema` (Catalyst schema), blank values by `catalyst-client`, the path by
`catalyst-file-location`. The toolkit crashes (and still exits 0) on a `null` `client` and on
a `file_location` that does not start with `/`; both are errors here.

**Stricter than Zoho's toolkit, on purpose:** `file_location` must name a file inside the
extension folder (the toolkit accepts a folder such as `/app`). `client.scope` is not read
by the scope rules here; `diff` reads it as a grant (the Catalyst client, one connection
named `client <id>`) and compares its scopes as Zoho scopes, whichever separator is used.
""",
        ),
        ServiceInfo(
            Service.PROJECTS,
            "Zoho Projects",
            Route.SERVICE_RULE,
            "projects.schema.json",
            True,
            """
The toolkit's largest rule after Desk's. Required: `locale`, `storage`, `service`,
`modules`, `whiteListedDomains`. Shapes (types, required members, at most 5 connectors and
10 config options, the config types, `options` for a selectbox) are checked by
`manifest-schema` (Projects schema); `projects-locale-file`, `projects-widget-*`,
`projects-connector`, `projects-config-name` and `projects-config-default` check the rest,
`whitelisted-domain` and `csp-connect-src` the domains as for Desk. No locale-code list and no
`en` requirement; widget names need not be unique, locations must be. Toolkit bugs and what
this tool does: a connector's `connectionLinkName` is compared with the *connection names* of
earlier connectors (rejected like the toolkit, and repeated link names rejected too); a
string `default` of a checkbox option can never pass, one of a url option crashes the
toolkit, and a selectbox `default` is rejected when it *is* one of the options: all three are
errors here, so that nothing the toolkit refuses passes (see `projects-config-default`).
The toolkit crashes, and still exits 0, on a `null` `modules`, widget, connector or config
option: errors here.
"""
            + _CSP_STRICTER
            + """Likewise a falsy `locale` or `whiteListedDomains` is an error, their entries must
be strings, paths must name files inside the extension folder (not folders), and two
connectors may not share a link name (`connection-link-name`).
""",
        ),
        ServiceInfo(
            Service.DESK,
            "Zoho Desk",
            Route.SERVICE_RULE,
            "plugin-manifest.schema.json",
            True,
            """
The service this tool knows in depth: the rules listed here run for Desk manifests, with
the Desk schema (`manifest-schema`); each rule's section says how the toolkit's Desk rule
behaves.
""",
        ),
        ServiceInfo(Service.QNTRL, "Qntrl", Route.GENERIC, doc=_NO_CHECKS),
        ServiceInfo(
            Service.MAIL,
            "Zoho Mail",
            Route.ONLINE,
            doc="""
`zet validate` does not validate Mail extensions locally: it sends them to Zoho's servers,
and without `zet login` it always fails with `You are not currently logged in.` What the
servers check is not published. This tool reports that with the `mail-validated-online`
notice and runs, as its own rules, the checks of the toolkit's offline Mail rule (which
`zet validate` never reaches): `mail-manifest`, `mail-widget`, `mail-connector`,
`mail-config`, plus `whitelisted-domain` and `csp-connect-src`. They are not parity with
anything Zoho runs: where that rule's lists may be out of date (widget locations, config
input types, the Zoho host of a remote widget) the findings are warnings.
""",
        ),
        ServiceInfo(
            Service.CREATOR,
            "Zoho Creator",
            Route.SERVICE_RULE,
            "creator.schema.json",
            True,
            """
The toolkit checks `cspDomains` (as for Desk) and `config`: at most 20 options, each an
object with only `name`, `type`, `placeholder`, `defaultValue` and `help`; `name` (required)
compared without letter case; `type` (required) one of `string, integer, float, boolean,
Application, Form, Report, Field`. Shapes are checked by `manifest-schema` (Creator schema),
the rest by `creator-config-key`, `creator-config-name` and `creator-config-length`. It
crashes (and still exits 0) on a config item that is `null` or has no string `name`: errors
here. `authConfig` is not checked by the toolkit; `diff` reads `authConfig.scopes` as a
grant (one connection named `authConfig`) and compares them as Zoho scopes.
"""
            + _CSP_STRICTER,
        ),
        ServiceInfo(Service.TEAMINBOX, "Zoho TeamInbox", Route.GENERIC, doc=_NO_CHECKS),
        ServiceInfo(
            Service.SDP,
            "ServiceDesk Plus Cloud",
            Route.SERVICE_RULE,
            "sdp.schema.json",
            True,
            """
A layout of its own: a top-level `widgets` array (no `modules`), each widget with `name`,
`description`, `path_url`, `locations` (an array) and optional
`show_widget_header_in_dashboard` and `icons`. Required: `service`, `type`, `widgets`.
`type` must be `personal`: the toolkit's message says "either 'personal' or 'org'" but its
check refuses `org`, and so does this tool (the message says so). Shapes are checked by
`manifest-schema` (SDP schema), the rest by `sdp-widget-name`, `sdp-widget-location` and
`sdp-widget-path-url`. The toolkit crashes (and still exits 0) on a `null` widget: an error
here. Connections, config and cspDomains are not checked.

**Stricter than Zoho's toolkit, on purpose:** `path_url` must name a file inside the
extension folder (the toolkit accepts a folder such as `/app`).
""",
        ),
        ServiceInfo(Service.IOT, "Zoho IoT", Route.GENERIC, doc=_NO_CHECKS),
        ServiceInfo(
            Service.FINANCE,
            "Zoho Books (Finance)",
            Route.GENERIC,
            _FINANCE_SCHEMA,
            doc=_NO_CHECKS + _FINANCE,
        ),
        ServiceInfo(
            Service.EXPENSE,
            "Zoho Expense",
            Route.GENERIC,
            _FINANCE_SCHEMA,
            doc=_NO_CHECKS + _FINANCE,
        ),
        ServiceInfo(
            Service.INVENTORY,
            "Zoho Inventory",
            Route.GENERIC,
            _FINANCE_SCHEMA,
            doc=_NO_CHECKS + _FINANCE,
        ),
        ServiceInfo(Service.PEOPLE, "Zoho People", Route.GENERIC, doc=_NO_CHECKS),
        ServiceInfo(
            Service.BIGIN,
            "Bigin",
            Route.SERVICE_RULE,
            "bigin.schema.json",
            True,
            """
The toolkit's Bigin rule checks only `cspDomains`, exactly as for Desk: `manifest-schema`
(Bigin schema) checks its shape, `csp-connect-src` its entries.
"""
            + _CSP_STRICTER,
        ),
        ServiceInfo(
            Service.BILLING,
            "Zoho Billing",
            Route.GENERIC,
            _FINANCE_SCHEMA,
            doc=_NO_CHECKS + _FINANCE,
        ),
        ServiceInfo(Service.RECRUIT, "Zoho Recruit", Route.FILES_ONLY, doc=_NO_CHECKS),
        ServiceInfo(Service.FSM, "Zoho FSM", Route.GENERIC, doc=_NO_CHECKS),
        ServiceInfo(Service.LOGS360CLOUD, "Log360 Cloud", Route.GENERIC, doc=_NO_CHECKS),
    )
}

SERVICE_NAMES: tuple[str, ...] = tuple(service.value for service in Service)
_BY_NAME: Mapping[str, Service] = {service.value: service for service in Service}

# Services whose manifest Zoho's toolkit validates with a rule of its own.
VALIDATED = frozenset(s for s, info in REGISTRY.items() if info.route is Route.SERVICE_RULE)
# Services whose manifest the toolkit does not check at all (the app/ files only).
UNCHECKED = frozenset(
    s for s, info in REGISTRY.items() if info.route in (Route.FILES_ONLY, Route.GENERIC)
)


# Services whose cspDomains the toolkit checks (the Desk rule's validateCspDomains, shared by
# the Projects, Creator and Bigin rules and by the offline Mail rule).
CSP_DOMAINS = frozenset(
    {Service.DESK, Service.PROJECTS, Service.CREATOR, Service.BIGIN, Service.MAIL}
)
# Services whose whiteListedDomains entries the toolkit checks as URLs.
WHITELISTED_DOMAINS = frozenset({Service.DESK, Service.PROJECTS, Service.MAIL})


def manifest_service(manifest: Any) -> str | None:
    """The ``service`` string of a parsed manifest, whatever it says; None when there is none.

    The one answer to "which service is this manifest for" (an unknown string is returned
    as written: reports show it, and the service gate rejects it).
    """
    service = manifest.get("service") if isinstance(manifest, dict) else None
    return service if isinstance(service, str) else None


def known_service(name: str | None) -> Service | None:
    """The service a ``service`` string names, compared exactly as the toolkit does."""
    return _BY_NAME.get(name) if name is not None else None


def info_of(name: str | None) -> ServiceInfo | None:
    """The registry entry of a ``service`` string, or None for an unknown one."""
    service = known_service(name)
    return REGISTRY[service] if service is not None else None


def file_name_limit(name: str | None) -> int:
    """The longest app/ file name the toolkit accepts for this ``service`` string."""
    return CRM_FILE_NAME_LIMIT if name == Service.CRM.value else FILE_NAME_LIMIT


def schema_file(name: str | None, *, enforced_only: bool = False) -> str | None:
    """The shipped schema file of a service (only an enforced one with ``enforced_only``)."""
    info = info_of(name)
    if info is None or info.schema is None:
        return None
    if enforced_only and not info.schema_enforced:
        return None
    return info.schema


def schema_file_for_cli(name: str | None) -> str:
    """The schema file ``schema --service NAME`` prints; the Desk one without a name.

    An unknown service, or one without a schema, is a usage error that lists the choices.
    """
    if name is None:
        return REGISTRY[Service.DESK].schema or ""
    found = schema_file(name)
    if found is not None:
        return found
    choices = ", ".join(services_with_schema())
    if known_service(name) is None:
        raise UsageError(
            f"--service {printable(name)!r} is not a Zoho service; the services with a schema "
            f"are {choices} (names are upper case)"
        )
    raise UsageError(
        f"--service {name}: neither Zoho's toolkit nor Zoho's documentation defines the "
        f"shape of a {name} manifest, so there is no schema; the services with one are {choices}"
    )


def services_with_schema() -> tuple[str, ...]:
    """Service names that have a shipped schema, in the toolkit's order."""
    return tuple(s.value for s, info in REGISTRY.items() if info.schema is not None)
