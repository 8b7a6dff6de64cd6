"""Widgets: names, code URLs, logo and icon files, and locations (manifest-facts 2.5, 8.1)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from checker.extension import Extension, FileTree
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.urls import parse_url
from checker.rules.values import (
    display_pointer,
    is_blank,
    name_hits,
    quote_text,
    quote_url,
    widget_label,
    widgets,
)
from checker.source import join_pointer

# ZET's declared (unused) location list, which matches Zoho's Widget Locations page plus the
# help-center and knowledge-base places (manifest-facts 2.5, 8.1).
LOCATIONS = (
    "desk.ticket.detail.rightpanel",
    "desk.ticket.detail.subtab",
    "desk.bottomband",
    "desk.topband",
    "desk.background",
    "desk.contact.detail.rightpanel",
    "desk.contact.detail.subtab",
    "desk.extension.preference",
    "desk.account.detail.rightpanel",
    "desk.account.detail.subtab",
    "desk.ticket.detail.lefttab",
    "desk.contact.detail.lefttab",
    "desk.account.detail.lefttab",
    "desk.ticket.detail.moreaction",
    "desk.ticket.thread.moreaction",
    "desk.ticket.form.rightpanel",
    "desk.ticket.form.sidepanel",
    "desk.contact.form.rightpanel",
    "desk.contact.form.sidepanel",
    "desk.account.form.rightpanel",
    "desk.account.form.sidepanel",
    "helpcenter.ticket.detail",
    "desk.extension.telephony",
    "helpcenter.ticket.form",
    "helpcenter.ticket.list",
    "helpcenter.invisible",
    "desk.invisible",
    "helpcenter.homepage",
    "helpcenter.kb.homepage",
    "helpcenter.kb.article.list",
    "helpcenter.kb.article.detail",
    "helpcenter.community.homepage",
    "helpcenter.community.topic.list",
    "helpcenter.community.topic.detail",
    "desk.kb.article.detail.subtab",
    "desk.kb.managekb.lefttab",
    "desk.ticket.blueprint.transition",
)
_LOCATION_SET = frozenset(LOCATIONS)
# Documented custom-module location: desk.${moduleApiName}.detail.subtab (Widget Locations page).
CUSTOM_MODULE = re.compile(r"desk\.([A-Za-z][A-Za-z0-9_]*)\.detail\.subtab\Z")
_BUILTIN_MODULES = ("ticket", "contact", "account", "kb")
# ZET's unused "single location" list: places where a second widget makes no sense.
SINGLE_LOCATIONS = ("desk.background", "desk.extension.preference", "desk.extension.telephony")
# ALLOWED_EXTNS.DESK.images, compared case-sensitively by ZET.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".svg")


@rule(
    "widget-name",
    Severity.ERROR,
    summary="Widget names must be non-blank, well-formed and unique.",
    doc="""
Each widget needs a name that starts with an ASCII letter and holds only letters, digits,
spaces, `-` and `_` (Zoho's toolkit: `The "name" property should contain only alphabets,
numbers, hypen and underscore ...`; despite the text, spaces are allowed). Names must be
unique after trimming (`The "name" property should be unique for 'widgets'`). A blank name
is rejected (`Invalid "name" property found for the widget`). This rule also warns when two
names differ only in letter case, which the toolkit accepts but users cannot tell apart.

**Stricter than Zoho's toolkit, on purpose:** two names that differ only in letter case get a
warning.

**Fix:** rename the widget.

```json
{"widgets": [{"name": "1st panel"}, {"name": "Panel"}, {"name": "panel"}]}
```
""",
    zet=Zet.STRICTER,
)
def check_widget_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed and duplicate widget names."""
    yield from name_hits(
        widgets(ext),
        "name",
        "widget",
        case_insensitive_warning=True,
    )


@rule(
    "widget-url",
    Severity.ERROR,
    summary="A widget `url` must be an absolute URL or a path to a file in the extension.",
    doc="""
A widget's code is either bundled (`"/app/widget.html"`: a path from the extension folder,
starting with `/`) or remote (an absolute `https://` URL). Zoho's toolkit rejects anything
else (`Invalid "url" property found for the widget`) and a path whose file does not exist
(`File specified in the "url" property is not found in the app source.`). A value starting
with `{` is accepted as a build-time placeholder such as `{{baseUrl}}/app/widget.html`. The
file check runs only when the extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** a path that climbs out of the extension folder
with `..` is an error even when a file exists there, because it is not part of the package.

**Fix:** start bundled paths with `/` and point them at an existing file.

```json
{"name": "Ticket panel", "url": "widget.html"}
```
becomes `"url": "/app/widget.html"`.
""",
    zet=Zet.STRICTER,
)
def check_widget_urls(ext: Extension) -> Iterator[Hit]:
    """Widget url: absolute URL, placeholder, or an existing bundled file."""
    for pointer, widget in widgets(ext):
        url = widget.get("url")
        if not isinstance(url, str):
            continue
        parsed = parse_url(url) if ":" in url else None
        if parsed is not None and parsed.scheme in ("http", "https", "wss"):
            continue
        if url.startswith("{"):
            continue
        if url.startswith("/"):
            problem = _file_problem(ext.tree, url)
            if problem:
                label = widget_label(pointer, widget)
                yield Hit(
                    join_pointer(pointer, "url"), f"{label} has url {quote_url(url)}{problem}"
                )
            continue
        at = join_pointer(pointer, "url")
        label = widget_label(pointer, widget)
        if is_blank(url):
            yield Hit(
                at, f'{label} has an empty url; use a bundled file such as "/app/widget.html"'
            )
            continue
        if parsed is not None:
            yield Hit(
                at,
                f"{label} has url {quote_url(url)} with the scheme {parsed.scheme}:, which Zoho "
                "does not accept; use https:// or a bundled file path starting with /",
            )
            continue
        if _LOOKS_LIKE_PATH.match(url):
            suggestion = quote_text(_suggest_path(ext.tree, url))
        else:
            suggestion = 'a bundled path such as "/app/widget.html" or an https:// URL'
        yield Hit(
            at,
            f"{label} has url {quote_url(url)}, which is neither an absolute https URL nor a path "
            f'starting with "/" inside the extension; use {suggestion}',
        )


_LOOKS_LIKE_PATH = re.compile(r"[A-Za-z0-9_.\-/]+\Z")


def _suggest_path(tree: FileTree | None, url: str) -> str:
    relative = url.lstrip("./")
    if tree is not None:
        for candidate in (relative, f"app/{relative}"):
            if tree.exists(candidate):
                return f"/{candidate}"
    return f"/{relative}" if relative.startswith("app/") else f"/app/{relative}"


def _file_problem(tree: FileTree | None, path: str) -> str | None:
    """What is wrong with a path to a bundled file (a clause to append), or None."""
    if tree is None:
        return None
    relative = relative_path(path)
    if relative is None:
        return ", which does not name a file inside the extension; fix the path"
    if tree.exists(relative):
        return None
    extra = ""
    if "?" in relative or "#" in relative:
        extra = " (Zoho looks the path up literally: remove the ? or # part)"
    return f", but the extension has no file {relative}{extra}; add it or fix the path"


def relative_path(path: str) -> str | None:
    """The extension-relative POSIX path a "/..." value names; None if it leaves the folder."""
    if len(path) <= _CACHE_PATH_LIMIT:
        return _relative_path_cached(path)
    return _relative_path(path)


# Widget urls, logos and icons repeat across extensions ("/app/img/logo.png"): the answers
# for short ones are remembered.
_CACHE_PATH_LIMIT = 512


@functools.lru_cache(maxsize=4096)
def _relative_path_cached(path: str) -> str | None:
    return _relative_path(path)


def _relative_path(path: str) -> str | None:
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    return "/".join(parts) or None


@rule(
    "widget-image",
    Severity.ERROR,
    summary="Widget `logo` and `icon` must be image files in the extension, given as `/...` paths.",
    doc="""
`logo` and `icon` are optional, but when given Zoho's toolkit makes three independent checks:
the file extension is one of `.jpg .jpeg .png .gif .svg`, compared case-sensitively (`.PNG`
and `.webp` fail: `The "logo" property should be an image format.`); the value starts with
`/` (`It has to be an absolute url that should start with '/'`); and the file exists in the
extension (`File specified in the "logo" property is not found in the app source.`). The
file check runs only when the extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** a path that climbs out of the extension folder
with `..` is an error even when a file exists there, because it is not part of the package.

**Fix:** bundle the image under `app/` and refer to it from the extension folder.

```json
{"logo": "app/img/logo.PNG"}
```
becomes `"logo": "/app/img/logo.png"` (with the file renamed).
""",
    zet=Zet.STRICTER,
)
def check_widget_images(ext: Extension) -> Iterator[Hit]:
    """Extension, leading slash and file existence of logo and icon."""
    for pointer, widget in widgets(ext):
        for key in ("logo", "icon"):
            value = widget.get(key)
            if not isinstance(value, str):
                continue
            extension = _extname(value)
            problem = _file_problem(ext.tree, value)
            slash = value.startswith("/")
            if extension in IMAGE_EXTENSIONS and slash and problem is None:
                continue
            at = join_pointer(pointer, key)
            what = f"{key} {quote_text(value)} of {widget_label(pointer, widget)}"
            if extension not in IMAGE_EXTENSIONS:
                lower = extension.lower()
                hint = (
                    f'; rename the file to end in "{lower}" (the check is case-sensitive)'
                    if lower in IMAGE_EXTENSIONS
                    else ""
                )
                shown = f'"{extension}"' if extension else "no extension"
                yield Hit(
                    at,
                    f"{what} has {shown}; Zoho accepts only {', '.join(IMAGE_EXTENSIONS)}{hint}",
                )
            if not slash:
                yield Hit(
                    at,
                    f"{what} must be a path from the extension folder starting with /; "
                    f'write "/{value.lstrip("./")}"',
                )
            if problem is not None:
                yield Hit(at, f"{what}{problem}")


def _extname(path: str) -> str:
    """Node's ``path.extname``: from the last dot of the last segment, '' for dot-files."""
    base = path.rstrip("/").rsplit("/", 1)[-1]
    index = base.rfind(".")
    if index <= 0 or base == "..":
        return ""
    return base[index:]


@rule(
    "widget-location",
    Severity.WARNING,
    summary="A widget's `location` should be one of Desk's documented places.",
    doc="""
`location` decides where Desk shows the widget (`desk.ticket.detail.rightpanel`,
`desk.topband`, ...). Zoho's toolkit declares the list of 37 locations but never checks it,
so a typo such as `desk.ticket.details.rightpanel` passes validation and the widget never
appears. This rule accepts the 37 declared locations (which include every place on Zoho's
Widget Locations page) and the documented custom-module pattern
`desk.<moduleApiName>.detail.subtab`; anything else, a blank value or a missing `location` is
reported with the closest known location. A custom-module name that is a near-miss of a
built-in module (`desk.tickets.detail.subtab`) is reported too.

**Fix:** use a location from https://www.zoho.com/desk/extensions/guide/WidgetLocations.html.

```json
{"name": "Panel", "url": "/app/widget.html", "location": "desk.ticket.details.rightpanel"}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_widget_locations(ext: Extension) -> Iterator[Hit]:
    """Location present and known (list or custom-module pattern)."""
    for pointer, widget in widgets(ext):
        if "location" not in widget:
            yield Hit(
                pointer,
                f"{widget_label(pointer, widget)} has no location, so Desk does not know "
                'where to show it; add one such as "desk.ticket.detail.rightpanel"',
            )
            continue
        location = widget["location"]
        if not isinstance(location, str) or location in _LOCATION_SET:
            continue
        at = join_pointer(pointer, "location")
        label = widget_label(pointer, widget)
        custom = CUSTOM_MODULE.match(location)
        if custom is not None:
            module = custom.group(1)
            near = did_you_mean(module, _BUILTIN_MODULES)
            if near is None or near == module or module.lower().startswith("cm_"):
                continue
            yield Hit(
                at,
                f"{label} has location {quote_text(location)}, which reads as the custom module "
                f'"{module}"; did you mean the built-in "desk.{near}.detail.subtab"?',
            )
            continue
        guess = did_you_mean(location.strip(), LOCATIONS)
        hint = (
            f'; did you mean "{guess}"?'
            if guess
            else "; see https://www.zoho.com/desk/extensions/guide/WidgetLocations.html"
        )
        yield Hit(
            at,
            f"{label} has location {quote_text(location)}, which is not a Desk widget location, so "
            f"the widget is never shown{hint}",
        )


@rule(
    "widget-single-location",
    Severity.WARNING,
    summary="At most one widget per single-instance location (background, preference, telephony).",
    doc="""
`desk.background` (a hidden widget that runs for the whole session),
`desk.extension.preference` (the extension's settings page) and `desk.extension.telephony`
(the telephony bar) hold one widget each. Zoho's toolkit declares this list but never checks
it, and a second widget there is at best never shown.

**Fix:** keep one widget per such location and merge the code of the others into it.

```json
{"widgets": [{"name": "Sync", "location": "desk.background"},
             {"name": "Poller", "location": "desk.background"}]}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_single_locations(ext: Extension) -> Iterator[Hit]:
    """A second widget at a single-instance location."""
    first: dict[str, str] = {}
    for pointer, widget in widgets(ext):
        location = widget.get("location")
        if not isinstance(location, str) or location not in SINGLE_LOCATIONS:
            continue
        at = join_pointer(pointer, "location")
        earlier = first.get(location)
        if earlier is None:
            first[location] = at
            continue
        yield Hit(
            at,
            f'{widget_label(pointer, widget)} is a second widget at "{location}" (the first is '
            f"at {display_pointer(earlier)}); that location holds one widget; merge them",
            related=(earlier,),
        )


@rule(
    "widget-remote-url",
    Severity.NOTICE,
    summary="A widget loads its code from a remote URL instead of the extension package.",
    doc="""
A widget whose `url` is an absolute URL runs code that is neither in the repository nor in
the package Zoho reviews; whoever controls that host controls the widget, and its code can
change without a new extension version. Zoho's toolkit accepts any `http:`, `https:` or
`wss:` URL here. This rule gives a notice for `https://` and a warning for any other scheme,
because code fetched without TLS can be altered on the way. URLs on `localhost` are left to
`localhost-url`. URLs in a widget's `other_dc_urls` are checked the same way.

**Fix:** bundle the code under `app/` and use `/app/...`; if it must stay remote, serve it
over `https://` from a host you control.

```json
{"name": "Panel", "url": "http://widgets.example.com/panel.html"}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_remote_urls(ext: Extension) -> Iterator[Hit]:
    """Notice for remote widget code; warning when it is not fetched over https."""
    for pointer, widget in widgets(ext):
        places: list[tuple[str, str]] = []
        url = widget.get("url")
        if isinstance(url, str):
            places.append((join_pointer(pointer, "url"), url))
        if "other_dc_urls" in widget:
            others = join_pointer(pointer, "other_dc_urls")
            places.extend(_nested_strings(widget["other_dc_urls"], others))
        for at, text in places:
            parsed = parse_url(text) if ":" in text else None
            if parsed is None or parsed.scheme not in ("http", "https", "wss"):
                continue
            if parsed.is_loopback:
                continue
            label = widget_label(pointer, widget)
            if parsed.scheme == "https":
                yield Hit(
                    at,
                    f"{label} loads its code from {parsed.host}, outside the extension package; "
                    "that code is not reviewed with this repository; bundle it under /app/ if "
                    "you can",
                )
            else:
                yield Hit(
                    at,
                    f"{label} loads its code from {parsed.scheme}://{parsed.host} without TLS, "
                    "so anyone on the network path can change it; use https://",
                    severity=Severity.WARNING,
                )


def _nested_strings(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield pointer, value
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _nested_strings(item, join_pointer(pointer, key), depth + 1)
    elif depth < 4 and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nested_strings(item, join_pointer(pointer, index), depth + 1)


RULES: tuple[Rule, ...] = (
    check_widget_names,
    check_widget_urls,
    check_widget_images,
    check_widget_locations,
    check_single_locations,
    check_remote_urls,
)
