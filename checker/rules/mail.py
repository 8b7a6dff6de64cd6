"""Zoho Mail: validated online only; the toolkit's unreachable offline Mail rule as our rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.pages import bundled_file_problem, page_problem
from checker.rules.resources import node_extname
from checker.rules.urls import parse_url
from checker.rules.values import (
    connection_label,
    is_blank,
    item_label,
    name_hits,
    quote_text,
    quote_url,
    widget_label,
)
from checker.rules.widgets import IMAGE_EXTENSIONS
from checker.services import Service
from checker.source import join_pointer, json_type

MAIL = frozenset({Service.MAIL})
# MAIL.PluginManifestRule.js (zoho-extension-toolkit 1.0.24), never run by `zet validate`.
REQUIRED = ("service", "modules", "whiteListedDomains")
LOCATIONS = ("zoho.mail.preview.rightpanel", "zoho.mail.attachment.popup")
INPUT_TYPES = ("text", "dropdown", "radio")
MAX_CONFIG = 20
MAX_CONNECT_SRC = 10
CONNECT_SRC = "connect-src"
_ZOHO_HOSTS = (".zoho.", ".localzoho.")
_NOT_RUN = (
    "`zet validate` sends Mail extensions to Zoho's servers instead and never runs this "
    "rule; this tool runs it as its own, so it is not parity with anything Zoho checks"
)


def _items(array: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(array, list):
        for index, item in enumerate(array):
            yield f"{pointer}/{index}", item


def _not_object(item: Any) -> bool:
    """True unless ``item`` is a JSON object (the toolkit crashes on null, fails arrays later)."""
    return not isinstance(item, dict)


@rule(
    "mail-validated-online",
    Severity.NOTICE,
    summary="Zoho's toolkit validates Mail only online; this tool's Mail checks are its own.",
    doc="""
For `"service": "MAIL"`, `zet validate` does not check anything locally: it sends the
extension to Zoho's servers, and without `zet login` it always fails (`You are not currently
logged in. Use command 'ZET login' to login.`). What those servers check is not published.
This tool cannot reproduce that, so it says so, and runs the checks of the toolkit's own
offline Mail rule, which `zet validate` never reaches, as its own rules: `mail-manifest`,
`mail-widget`, `mail-connector`, `mail-config` (plus `whitelisted-domain`,
`csp-connect-src` and the app/ file rules). A clean result is not a promise that Zoho will
accept the extension: run `zet validate` logged in before publishing.

**Fix:** nothing to fix; it is informational.

```json
{"service": "MAIL"}
```
""",
    zet=Zet.NOT_CHECKED,
    services=MAIL,
)
def check_online_only(ext: Extension) -> Iterator[Hit]:
    """The notice for every Mail manifest."""
    yield Hit(
        "/service",
        "service \"MAIL\": Zoho's toolkit validates Mail extensions only on Zoho's servers (after "
        "zet login); this tool ran the checks of the toolkit's offline Mail rule as its own, "
        "which is no promise that Zoho accepts the extension",
    )


@rule(
    "mail-manifest",
    Severity.ERROR,
    summary="Mail: required members and the shape of locale, storage, modules and lists.",
    doc=f"""
The toolkit's offline Mail rule requires `service`, `modules` and `whiteListedDomains`; a
truthy `locale` must be an array whose codes each have `app/translations/<code>.json`, and
then `defaultLocale` must be a non-blank string; `storage`, when present, a boolean;
`modules` an object with a non-empty `widgets` array; a truthy `whiteListedDomains` an array
(its entries: `whitelisted-domain`); `connectors` an array; `config` an array of at most 20
options; a truthy `cspDomains` an object whose `connect-src` is an array of at most 10
strings (its entries: `csp-connect-src`).

{_NOT_RUN}.

**Fix:** add the member or give it the expected type.

```json
{{"service": "MAIL", "locale": ["en"], "modules": {{"widgets": []}}}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=MAIL,
)
def check_manifest(ext: Extension) -> Iterator[Hit]:
    """The top-level checks of the offline Mail rule."""
    value = ext.value
    for key in REQUIRED:
        if key not in value:
            yield Hit("", f'the Mail manifest has no "{key}"; the toolkit\'s Mail rule requires it')
    yield from _locale(ext)
    if "storage" in value and not isinstance(value["storage"], bool):
        yield Hit("/storage", f"storage must be true or false, not {json_type(value['storage'])}")
    if "modules" in value:
        modules = value["modules"]
        widgets = modules.get("widgets") if isinstance(modules, dict) else None
        if not isinstance(modules, dict):
            yield Hit(
                "/modules",
                f"modules must be an object with a widgets array, not {json_type(modules)}",
            )
        elif "widgets" not in modules:
            yield Hit("/modules", 'modules has no "widgets"; list the widgets of the extension')
        elif not isinstance(widgets, list):
            yield Hit(
                "/modules/widgets", f"widgets must be an array of widgets, not {json_type(widgets)}"
            )
        elif not widgets:
            yield Hit("/modules/widgets", "widgets is empty; list at least one widget")
    domains = value.get("whiteListedDomains")
    if domains and not isinstance(domains, list):
        yield Hit(
            "/whiteListedDomains",
            f"whiteListedDomains must be an array of URLs, not {json_type(domains)}",
        )
    if "connectors" in value and not isinstance(value["connectors"], list):
        yield Hit(
            "/connectors", f"connectors must be an array, not {json_type(value['connectors'])}"
        )
    if "config" in value:
        config = value["config"]
        if not isinstance(config, list):
            yield Hit("/config", f"config must be an array of options, not {json_type(config)}")
        elif len(config) > MAX_CONFIG:
            yield Hit(
                "/config",
                f"config has {len(config)} options; the Mail rule allows at most {MAX_CONFIG}",
            )
    yield from _csp(value.get("cspDomains"))


def _locale(ext: Extension) -> Iterator[Hit]:
    value = ext.value
    locale = value.get("locale")
    if not locale:  # the rule checks a truthy locale only
        return
    if not isinstance(locale, list):
        yield Hit("/locale", f"locale must be an array of language codes, not {json_type(locale)}")
    elif ext.tree is not None:
        for pointer, code in _items(locale, "/locale"):
            path = f"app/translations/{code}.json" if isinstance(code, str) else None
            if path is None or bundled_file_problem(ext.tree, "/" + path) is not None:
                shown = quote_text(code, 40)
                yield Hit(
                    pointer,
                    f"locale {shown} has no translation file app/translations/{code}.json; add it",
                )
    if "defaultLocale" not in value:
        yield Hit("/locale", 'a Mail manifest with a locale needs "defaultLocale" (e.g. "en")')
    elif not isinstance(value["defaultLocale"], str) or is_blank(value["defaultLocale"]):
        yield Hit("/defaultLocale", 'defaultLocale must be a language code such as "en"')


def _csp(csp: Any) -> Iterator[Hit]:
    if not csp:  # the rule checks a truthy cspDomains only
        return
    if not isinstance(csp, dict):
        yield Hit(
            "/cspDomains", f"cspDomains must be an object of CSP directives, not {json_type(csp)}"
        )
        return
    sources = csp.get(CONNECT_SRC)
    at = join_pointer("/cspDomains", CONNECT_SRC)
    if not isinstance(sources, list):
        yield Hit("/cspDomains", f'cspDomains needs a "{CONNECT_SRC}" array of URLs')
        return
    if len(sources) > MAX_CONNECT_SRC:
        yield Hit(
            at, f"{CONNECT_SRC} has {len(sources)} entries; at most {MAX_CONNECT_SRC} are allowed"
        )
    for pointer, source in _items(sources, at):
        if not isinstance(source, str):
            yield Hit(
                pointer, f"{CONNECT_SRC} entries must be URL strings, not {json_type(source)}"
            )


@rule(
    "mail-widget",
    Severity.ERROR,
    summary="Mail: widget names, locations, pages, logos and icons.",
    doc=f"""
The toolkit's offline Mail rule requires each widget to be an object with a `name` (non-blank,
starting with a letter followed by letters, digits, spaces, `-` and `_`, unique after
trimming), a `location`, and a `url` that is either a path starting with `/` to a file of the
extension or an absolute URL; `logo` and `icon`, when present, must be paths starting with
`/` to image files (`.jpg .jpeg .png .gif .svg`) of the extension. Its list of locations
(`zoho.mail.preview.rightpanel`, `zoho.mail.attachment.popup`) and its demand that a remote
`url` be on a Zoho host (`.zoho.` or `.localzoho.` in the host name) may be out of date, so
those two are warnings.

{_NOT_RUN}.

**Fix:** complete the widget as the message says.

```json
{{"name": "Viewer", "location": "zoho.mail.preview.panel", "url": "https://example.com/w"}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=MAIL,
)
def check_widgets(ext: Extension) -> Iterator[Hit]:
    """Each widget of the offline Mail rule."""
    modules = ext.value.get("modules")
    array = modules.get("widgets") if isinstance(modules, dict) else None
    named: list[tuple[str, dict[str, Any]]] = []
    for pointer, widget in _items(array, "/modules/widgets"):
        if _not_object(widget):
            yield Hit(pointer, f"a widget must be an object, not {json_type(widget)}")
            continue
        label = widget_label(pointer, widget)
        if "name" not in widget:
            yield Hit(pointer, f"{label} has no name; add one")
        elif not isinstance(widget["name"], str):
            yield Hit(join_pointer(pointer, "name"), f"{label} has a name that is not a string")
        else:
            named.append((pointer, widget))
        yield from _widget_location(pointer, widget, label)
        yield from _widget_url(ext, pointer, widget, label)
        for key in ("logo", "icon"):
            if key in widget:
                yield from _widget_image(ext, pointer, widget[key], key, label)
    yield from name_hits(named, "name", "widget")


def _widget_location(pointer: str, widget: dict[str, Any], label: str) -> Iterator[Hit]:
    if "location" not in widget:
        yield Hit(pointer, f'{label} has no location; add one such as "{LOCATIONS[0]}"')
        return
    location = widget["location"]
    if location in LOCATIONS:
        return
    guess = did_you_mean(location.strip(), LOCATIONS) if isinstance(location, str) else None
    hint = f'; did you mean "{guess}"?' if guess else f" ({', '.join(LOCATIONS)})"
    yield Hit(
        join_pointer(pointer, "location"),
        f"{label} has location {quote_text(location, 60)}, which is not in the toolkit's list of "
        f"Mail locations{hint}",
        severity=Severity.WARNING,
    )


def _widget_url(ext: Extension, pointer: str, widget: dict[str, Any], label: str) -> Iterator[Hit]:
    if "url" not in widget:
        yield Hit(pointer, f'{label} has no url; add one such as "/app/widget.html"')
        return
    url = widget["url"]
    at = join_pointer(pointer, "url")
    if not isinstance(url, str):
        yield Hit(at, f"{label} has a url that is {json_type(url)}, not a string")
        return
    problem = page_problem(ext.tree, url)
    if problem is not None:
        yield Hit(at, f"{label}: url {quote_url(url)} {problem}")
        return
    parsed = parse_url(url) if ":" in url else None
    if parsed is not None and not any(part in parsed.host for part in _ZOHO_HOSTS):
        yield Hit(
            at,
            f"{label} loads {parsed.host}, and the toolkit's Mail rule wants remote widget pages "
            "on a Zoho host; bundle the page under /app/ if Zoho refuses it",
            severity=Severity.WARNING,
        )


def _widget_image(ext: Extension, pointer: str, value: Any, key: str, label: str) -> Iterator[Hit]:
    at = join_pointer(pointer, key)
    if not isinstance(value, str):
        yield Hit(at, f"{key} of {label} must be a path string, not {json_type(value)}")
        return
    shown = quote_text(value)
    if node_extname(value) not in IMAGE_EXTENSIONS:
        yield Hit(
            at, f"{key} {shown} of {label} is not an image file ({', '.join(IMAGE_EXTENSIONS)})"
        )
    if not value.startswith("/"):
        yield Hit(at, f'{key} {shown} of {label} must start with / (write "/{value.lstrip("./")}")')
        return
    problem = bundled_file_problem(ext.tree, value)
    if problem is not None:
        yield Hit(at, f"{key} {shown} of {label} {problem}")


@rule(
    "mail-connector",
    Severity.ERROR,
    summary="Mail: each connector is a non-empty object with a non-blank `serviceName`.",
    doc=f"""
The toolkit's offline Mail rule requires each entry of `connectors` to be a non-empty object
with a non-blank `serviceName` string; it checks nothing else of a Mail connector.

{_NOT_RUN}.

**Fix:** paste the connection JSON from Sigma.

```json
{{"service": "MAIL", "connectors": [{{}}, {{"serviceName": " "}}]}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=MAIL,
)
def check_connectors(ext: Extension) -> Iterator[Hit]:
    """Connector objects with a serviceName."""
    for pointer, connector in _items(ext.value.get("connectors"), "/connectors"):
        if _not_object(connector):
            yield Hit(pointer, f"a connector must be an object, not {json_type(connector)}")
            continue
        label = connection_label(pointer, connector)
        if not connector:
            yield Hit(
                pointer, f"{label} is an empty object; remove it or paste the connection JSON"
            )
        elif "serviceName" not in connector:
            yield Hit(pointer, f"{label} has no serviceName; paste the connection JSON from Sigma")
        elif not isinstance(connector["serviceName"], str) or is_blank(connector["serviceName"]):
            yield Hit(
                join_pointer(pointer, "serviceName"),
                f"{label} needs a non-blank serviceName string",
            )


@rule(
    "mail-config",
    Severity.ERROR,
    summary="Mail: config options need a name, `inputType`, `mandatory` and `secure`.",
    doc=f"""
The toolkit's offline Mail rule requires each config option to be a non-empty object with a
`name` (non-blank, starting with a letter followed by letters, digits, spaces, `-` and `_`,
unique after trimming) and with `inputType`, `mandatory` and `secure`: `inputType` a string,
`mandatory` and `secure` booleans. Its list of input types (`text`, `dropdown`, `radio`) may be
out of date, so another `inputType` is a warning.

{_NOT_RUN}.

**Fix:** complete the option.

```json
{{"service": "MAIL", "config": [{{"name": "apiKey", "inputType": "password"}}]}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=MAIL,
)
def check_config(ext: Extension) -> Iterator[Hit]:
    """Config options of the offline Mail rule."""
    named: list[tuple[str, dict[str, Any]]] = []
    for pointer, option in _items(ext.value.get("config"), "/config"):
        if _not_object(option):
            yield Hit(pointer, f"a config option must be an object, not {json_type(option)}")
            continue
        label = item_label("config option", pointer, option.get("name"))
        if not option:
            yield Hit(pointer, "a config option is an empty object; remove it or fill it in")
            continue
        if "name" not in option:
            yield Hit(pointer, f"{label} has no name; add one")
        elif not isinstance(option["name"], str):
            yield Hit(join_pointer(pointer, "name"), f"{label} has a name that is not a string")
        else:
            named.append((pointer, option))
        missing = [key for key in ("inputType", "mandatory", "secure") if key not in option]
        if missing:
            yield Hit(
                pointer,
                f"{label} lacks {', '.join(missing)}; the Mail rule requires inputType, mandatory "
                "and secure",
            )
            continue
        kind = option["inputType"]
        if not isinstance(kind, str):
            yield Hit(join_pointer(pointer, "inputType"), f"inputType of {label} must be a string")
        elif kind not in INPUT_TYPES:
            yield Hit(
                join_pointer(pointer, "inputType"),
                f"inputType {quote_text(kind, 40)} of {label} is not in the toolkit's list of Mail "
                f"input types ({', '.join(INPUT_TYPES)})",
                severity=Severity.WARNING,
            )
        for key in ("mandatory", "secure"):
            if not isinstance(option[key], bool):
                yield Hit(join_pointer(pointer, key), f"{key} of {label} must be true or false")
    yield from name_hits(named, "name", "config option")


RULES: tuple[Rule, ...] = (
    check_online_only,
    check_manifest,
    check_widgets,
    check_connectors,
    check_config,
)
