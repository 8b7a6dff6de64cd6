"""ServiceDesk Plus Cloud: widget names and pages, as the toolkit's SDP rule checks them."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.pages import page_problem
from checker.rules.values import name_hits, objects, quote_url, widget_label
from checker.services import Service
from checker.source import join_pointer

SDP = frozenset({Service.SDP})


@rule(
    "sdp-widget-name",
    Severity.ERROR,
    summary="SDP: widget names must be non-blank, well-formed and unique.",
    doc="""
Zoho's toolkit requires each ServiceDesk Plus widget (in the top-level `widgets` array) to
have a non-blank `name` (`Invalid "name" property found for the widget - `) that starts with
an ASCII letter followed by letters, digits, spaces, `-` and `_`, and is unique after
trimming, with letter case counting (`The "name" property should be unique for 'widgets'`).
It checks nothing else of a widget whose name fails. A missing or non-string name is
reported by `manifest-schema`.

**Fix:** rename the widget.

```json
{"service": "SDP", "type": "personal", "widgets": [{"name": "Stats"}, {"name": "Stats "}]}
```
""",
    zet=Zet.SAME,
    services=SDP,
)
def check_widget_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed and duplicate widget names."""
    yield from name_hits(objects(ext.value.get("widgets"), "/widgets"), "name", "widget")


@rule(
    "sdp-widget-path-url",
    Severity.ERROR,
    summary="SDP: a widget `path_url` must be an absolute URL or a path to a bundled file.",
    doc="""
Zoho's toolkit accepts an absolute `http`, `https` or `wss` URL, or a path starting with `/`
from the extension folder (so `/app/widget.html`, not `/widget.html`) whose file exists
(`File specified in the "path_url" property is not found in the app source.`); any other
string is rejected (`The "path_url" property value is invalid for the widget - `). A missing
or non-string `path_url` is reported by `manifest-schema`. The file check runs only when the
extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** the path must name a file inside the extension
folder; a folder (the toolkit accepts `/app`), or a path that climbs out with `..`, is an
error.

**Fix:** start the path with `/app/` and point it at an existing file.

```json
{"name": "Stats", "description": "Ticket stats", "locations": ["dashboard"],
 "path_url": "widget.html"}
```
becomes `"path_url": "/app/widget.html"`.
""",
    zet=Zet.STRICTER,
    services=SDP,
)
def check_widget_pages(ext: Extension) -> Iterator[Hit]:
    """path_url: an absolute URL or an existing bundled file."""
    for pointer, widget in objects(ext.value.get("widgets"), "/widgets"):
        page = widget.get("path_url")
        if not isinstance(page, str):
            continue
        problem = page_problem(ext.tree, page)
        if problem is not None:
            yield Hit(
                join_pointer(pointer, "path_url"),
                f"{widget_label(pointer, widget)}: path_url {quote_url(page)} {problem}",
            )


RULES: tuple[Rule, ...] = (check_widget_names, check_widget_pages)
