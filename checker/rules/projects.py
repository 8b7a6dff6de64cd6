"""Zoho Projects: the checks of the toolkit's PROJECTS rule that a schema cannot express."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.pages import page_problem
from checker.rules.values import (
    NAME_RULE,
    connection_label,
    display_pointer,
    is_blank,
    is_js_number,
    is_valid_name,
    item_label,
    js_trim,
    member,
    name_hits,
    name_suggestion,
    objects,
    quote_text,
    quote_url,
    strings,
    widget_label,
)
from checker.services import Service
from checker.source import join_pointer

PROJECTS = frozenset({Service.PROJECTS})
# Locations at which the toolkit requires a widget icon (PROJECTS.PluginManifestRule.js).
ICON_LOCATIONS = ("attachment_picker", "projectdetails_rightpanel")
CONFIG_TYPES = ("text", "password", "checkbox", "url", "number", "multiline", "selectbox", "hidden")


def _widgets(ext: Extension) -> Iterator[tuple[str, dict[str, Any]]]:
    return objects(member(ext.value.get("modules"), "widgets"), "/modules/widgets")


@rule(
    "projects-locale-file",
    Severity.ERROR,
    summary="Projects: each `locale` entry needs its `app/translations/<code>.json` file.",
    doc="""
For a Zoho Projects extension, Zoho's toolkit looks up `app/translations/<entry>.json` for
every entry of `locale` and rejects the extension when one is missing (`The "locale" property
is not found in the following folder /app/translations.`, without saying which). Unlike Desk
there is no list of language codes and no required `en`. This rule names the missing file.
The check runs only when the extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** a code that leads out of `app/translations`
(`../en`) is an error even when a file exists there.

**Fix:** add the file, or remove the code.

```json
{"service": "PROJECTS", "locale": ["en", "fr"]}
```
needs `app/translations/en.json` and `app/translations/fr.json`.
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_locale_files(ext: Extension) -> Iterator[Hit]:
    """app/translations/<entry>.json exists for each string entry of locale."""
    tree = ext.tree
    if tree is None:
        return
    for pointer, code in strings(ext.value.get("locale"), "/locale"):
        path = posixpath.normpath(f"app/translations/{code}.json")
        if path.startswith("app/translations/") and tree.exists(path):
            continue
        if not path.startswith("app/translations/"):
            detail = f"leads out of app/translations ({path})"
        else:
            detail = f"has no translation file: {path} is missing from the extension"
        yield Hit(
            pointer, f"locale {quote_text(code, 40)} {detail}; add the file or remove the code"
        )


@rule(
    "projects-widget-name",
    Severity.ERROR,
    summary="Projects: widget names must be non-blank and well-formed.",
    doc="""
Zoho's toolkit rejects a Projects widget whose `name` is blank (`Invalid "name" property found
for the widget - `) or does not start with an ASCII letter followed by letters, digits,
spaces, `-` and `_` (`The "name" property should contain only alphabets, numbers, hypen and
underscore with alphabet in first position of `). Unlike Desk it does not require names to
be unique. A missing or non-string `name` is reported by `manifest-schema`.

**Fix:** rename the widget.

```json
{"service": "PROJECTS", "modules": {"widgets": [{"name": "1st tab", "location": "task_tab",
  "url": "/app/index.html"}]}}
```
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_widget_names(ext: Extension) -> Iterator[Hit]:
    """Blank and malformed widget names (no uniqueness for Projects)."""
    for pointer, widget in _widgets(ext):
        name = widget.get("name")
        if not isinstance(name, str):
            continue
        at = join_pointer(pointer, "name")
        if is_blank(name):
            yield Hit(
                at, f"widget at {display_pointer(pointer)} has a blank name; it must {NAME_RULE}"
            )
        elif not is_valid_name(name):
            hint = name_suggestion(name)
            fix = f', e.g. "{hint}"' if hint else ""
            yield Hit(
                at,
                f"widget name {quote_text(name, 60)} is not accepted by Zoho: a name must "
                f"{NAME_RULE}; rename it{fix}",
            )


@rule(
    "projects-widget-location",
    Severity.ERROR,
    summary="Projects: each widget location may be used by one widget only.",
    doc="""
Zoho Projects shows one widget per location, and Zoho's toolkit rejects a location used by an
earlier widget (`The "location" property should be unique. `). (An unknown location is
reported by `manifest-schema`, which lists the ten Projects locations.)

**Fix:** keep one widget per location and merge the others into it.

```json
{"service": "PROJECTS", "modules": {"widgets": [
  {"name": "Tasks", "location": "task_tab", "url": "/app/index.html"},
  {"name": "More tasks", "location": "task_tab", "url": "/app/more.html"}]}}
```
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_widget_locations(ext: Extension) -> Iterator[Hit]:
    """A location used by an earlier widget."""
    first: dict[str, str] = {}
    for pointer, widget in _widgets(ext):
        location = widget.get("location")
        if not isinstance(location, str):
            continue
        at = join_pointer(pointer, "location")
        earlier = first.setdefault(location, at)
        if earlier != at:
            yield Hit(
                at,
                f"{widget_label(pointer, widget)} uses location {quote_text(location, 40)} like "
                f"the widget at {display_pointer(earlier)}; Zoho Projects allows one widget per "
                "location; merge them",
                related=(earlier,),
            )


@rule(
    "projects-widget-url",
    Severity.ERROR,
    summary="Projects: a widget `url` must be an absolute URL or a path to a bundled file.",
    doc="""
Zoho's toolkit accepts an absolute `http`, `https` or `wss` URL, or a path starting with `/`
from the extension folder whose file exists (`File specified in the "url" property is not
found in the app source.`); anything else is rejected (`Invalid "url" property found for the
widget - `). Unlike Desk, a value starting with `{` (a build-time placeholder) is not
accepted for Projects. A missing or non-string `url` is reported by `manifest-schema`. The
file check runs only when the extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** the path must name a file inside the extension
folder; a folder, or a path that climbs out with `..`, is an error.

**Fix:** start bundled paths with `/` and point them at an existing file.

```json
{"name": "Tasks", "location": "task_tab", "url": "app/index.html"}
```
becomes `"url": "/app/index.html"`.
""",
    zet=Zet.STRICTER,
    services=PROJECTS,
)
def check_widget_urls(ext: Extension) -> Iterator[Hit]:
    """Widget url: an absolute URL or an existing bundled file."""
    for pointer, widget in _widgets(ext):
        url = widget.get("url")
        if not isinstance(url, str):
            continue
        problem = page_problem(ext.tree, url)
        if problem is not None:
            label = widget_label(pointer, widget)
            yield Hit(join_pointer(pointer, "url"), f"{label}: url {quote_url(url)} {problem}")


@rule(
    "projects-widget-icon",
    Severity.ERROR,
    summary="Projects: widgets at attachment_picker and projectdetails_rightpanel need an icon.",
    doc="""
At the `attachment_picker` and `projectdetails_rightpanel` locations Zoho Projects shows the
widget's `icon`, and Zoho's toolkit requires it: a blank one is rejected (`The "icon" property
is missing for the widget - `), and so is a path starting with `/` whose file does not exist
(`File specified in the "icon" property is not found in the app source.`) or a value that is
neither such a path nor an absolute URL (`File specified in the "icon" property is not found -
`). A missing or non-string `icon` there is reported by `manifest-schema`. Icons of widgets
at other locations are not checked, by either tool.

**Stricter than Zoho's toolkit, on purpose:** the path must name a file inside the extension
folder; a folder, or a path that climbs out with `..`, is an error.

**Fix:** bundle the icon and refer to it from the extension folder.

```json
{"name": "Attach", "location": "attachment_picker", "url": "/app/index.html",
 "icon": "img/icon.svg"}
```
becomes `"icon": "/app/img/icon.svg"`.
""",
    zet=Zet.STRICTER,
    services=PROJECTS,
)
def check_widget_icons(ext: Extension) -> Iterator[Hit]:
    """icon of widgets at the two locations that show it."""
    for pointer, widget in _widgets(ext):
        location = widget.get("location")
        icon = widget.get("icon")
        if location not in ICON_LOCATIONS or not isinstance(icon, str):
            continue
        at = join_pointer(pointer, "icon")
        label = widget_label(pointer, widget)
        if is_blank(icon):
            yield Hit(
                at,
                f'{label} at "{location}" has a blank icon; Zoho Projects shows the icon there: '
                'add one such as "/app/img/icon.svg"',
            )
            continue
        problem = page_problem(ext.tree, icon, "/app/img/icon.svg")
        if problem is not None:
            yield Hit(at, f"{label}: icon {quote_url(icon)} {problem}")


@rule(
    "projects-connector",
    Severity.ERROR,
    summary="Projects: connector names, services and link names must be non-blank and distinct.",
    doc="""
Zoho's toolkit checks each Projects connector (after its shape, which `manifest-schema`
checks: required `connectionName`, `serviceName`, `connectionLinkName`, and boolean
`userAccess` and `isUserDefinedService`): `connectionName` must not be blank (`'connectionName'
value in connectors cannot be empty ...`) and must start with a letter followed by letters,
digits, spaces, `-` and `_` (`... should be of alpha numeric characters.`); `serviceName` and
`connectionLinkName` must not be blank. Blank scope entries are reported by `scope-grammar`.

**A bug of the toolkit, kept:** it means to require unique link names, but compares each
`connectionLinkName` with the `connectionName` of the connectors before it (`'connectionLinkName'
value in connectors  shoudld be unique ...`). So a link name equal to an earlier connection's
name is rejected, and this rule rejects it too (the toolkit would refuse to pack the
extension). Repeated link names, which the toolkit lets through, are rejected by
`connection-link-name`.

**Fix:** paste the connection JSON from Sigma again, or rename the connection.

```json
{"connectors": [
  {"connectionName": "crm", "connectionLinkName": "crm_link", "serviceName": "zohocrm",
   "userAccess": true, "isUserDefinedService": false},
  {"connectionName": "books", "connectionLinkName": "crm", "serviceName": "zohobooks",
   "userAccess": true, "isUserDefinedService": false}]}
```
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_connectors(ext: Extension) -> Iterator[Hit]:
    """Blank and malformed members, and the toolkit's link-name-against-names comparison."""
    names: dict[str, str] = {}
    for pointer, connector in objects(ext.value.get("connectors"), "/connectors"):
        label = connection_label(pointer, connector)
        name = connector.get("connectionName")
        if isinstance(name, str):
            at = join_pointer(pointer, "connectionName")
            if is_blank(name):
                yield Hit(
                    at,
                    f"{label} has a blank connectionName; paste the connection JSON from Sigma "
                    "again",
                )
            elif not is_valid_name(name):
                yield Hit(
                    at,
                    f"connectionName {quote_text(name, 60)} is not accepted by Zoho: a name must "
                    f"{NAME_RULE}; rename the connection",
                )
        for key in ("serviceName", "connectionLinkName"):
            value = connector.get(key)
            if isinstance(value, str) and is_blank(value):
                yield Hit(
                    join_pointer(pointer, key),
                    f"{label} has a blank {key}; paste the connection JSON from Sigma again",
                )
        link = connector.get("connectionLinkName")
        if isinstance(link, str) and not is_blank(link):
            clash = names.get(js_trim(link))
            if clash is not None:
                yield Hit(
                    join_pointer(pointer, "connectionLinkName"),
                    f"{label} has the link name {quote_text(link, 60)}, which is the "
                    f"connectionName of the connector at {display_pointer(clash)}; Zoho's toolkit "
                    "compares link names with earlier connection names and rejects this; rename "
                    "the link or the connection",
                    related=(join_pointer(clash, "connectionName"),),
                )
        if isinstance(name, str) and not is_blank(name):
            names.setdefault(js_trim(name), pointer)


@rule(
    "projects-config-name",
    Severity.ERROR,
    summary="Projects: config option names must be non-blank, well-formed and unique.",
    doc="""
Zoho's toolkit requires the `name` of each Projects config option to be a non-blank string
(`The "name" property should be a string type for the config options.`) that starts with a
letter followed by letters, digits, spaces, `-` and `_`, and is unique after trimming
(`The "name" property should be unique for `). A missing name is reported by
`manifest-schema`.

**Fix:** rename the option, and the code that reads it.

```json
{"service": "PROJECTS", "config": [
  {"name": "api key!", "type": "text", "is_mandatory": true, "is_secure": true}]}
```
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_config_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed and duplicate config names."""
    yield from name_hits(objects(ext.value.get("config"), "/config"), "name", "config option")


@rule(
    "projects-config-default",
    Severity.ERROR,
    summary="Projects: a config option's `default` must be one Zoho's toolkit can accept.",
    doc="""
Zoho's toolkit checks a string `default` against the option's `type` (a non-string `default`
is reported by `manifest-schema`):

- `number`: it must read as a number (`The "default" property should be an Integer.`;
  JavaScript's rules: `"12"`, `" 1e3 "` and `"0x1F"` pass, `"12px"` does not).
- `checkbox`: **a bug of the toolkit:** it requires a string, then rejects every value that
  is not a boolean (`The "default" property should be either 'true' or 'false'.`), so no
  `default` can pass.
- `url`: **a bug of the toolkit:** the check calls a function that does not exist, so any
  `default` crashes it (`isValidURL is not defined`) and it exits 0 without validating
  anything else.
- `selectbox`: **a bug of the toolkit:** its test is inverted: it rejects a `default` that
  *is* one of the `options` (`The "default" property should be an in options array of
  config.`) and accepts one that is not.

**Decided, so that nothing the toolkit refuses passes:** a `default` of a checkbox or url
option is an error (leave it out: Zoho then shows an empty field or an unticked box); a
selectbox `default` that is one of the options is an error, and one that is not gets a
warning, because users cannot pick it. In short: leave `default` out of checkbox, url and
selectbox options.

**Fix:** remove the `default`, or write a number for a number option.

```json
{"name": "notify", "type": "checkbox", "is_mandatory": false, "is_secure": false,
 "default": "true"}
```
""",
    zet=Zet.SAME,
    services=PROJECTS,
)
def check_config_defaults(ext: Extension) -> Iterator[Hit]:
    """The toolkit's default checks by type, with its three bugs decided as documented."""
    for pointer, option in objects(ext.value.get("config"), "/config"):
        default = option.get("default")
        kind = option.get("type")
        if not isinstance(default, str) or kind not in CONFIG_TYPES:
            continue
        at = join_pointer(pointer, "default")
        label = item_label("config option", pointer, option.get("name"))
        shown = quote_text(default, 40)
        if kind == "number" and not is_js_number(default):
            yield Hit(
                at,
                f"{label} is a number option, but its default {shown} is not a number; write "
                'one such as "10"',
            )
        elif kind == "checkbox":
            yield Hit(
                at,
                f"{label} is a checkbox with the default {shown}; Zoho's toolkit rejects every "
                "default of a checkbox (it wants a string, then a boolean), so remove the default",
            )
        elif kind == "url":
            yield Hit(
                at,
                f"{label} is a url option with a default; Zoho's toolkit crashes on any default of "
                "a url option (isValidURL is not defined) and then validates nothing else, so "
                "remove the default",
            )
        elif kind == "selectbox" and isinstance(option.get("options"), list):
            if default in option["options"]:
                yield Hit(
                    at,
                    f"{label} has the default {shown}, one of its options; Zoho's toolkit rejects "
                    "that (its check is inverted), so remove the default",
                    related=(join_pointer(pointer, "options"),),
                )
            else:
                yield Hit(
                    at,
                    f"{label} has the default {shown}, which is not one of its options, so users "
                    "cannot pick it; remove the default (Zoho's toolkit rejects a default that is "
                    "one of the options)",
                    related=(join_pointer(pointer, "options"),),
                    severity=Severity.WARNING,
                )


RULES: tuple[Rule, ...] = (
    check_locale_files,
    check_widget_names,
    check_widget_locations,
    check_widget_urls,
    check_widget_icons,
    check_connectors,
    check_config_names,
    check_config_defaults,
)
