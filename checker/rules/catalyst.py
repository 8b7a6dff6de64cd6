"""Catalyst: the OAuth client's values and the extension page, as the toolkit's rule checks them."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.pages import bundled_file_problem
from checker.rules.values import is_blank, quote_url
from checker.services import Service

CATALYST = frozenset({Service.CATALYST})


@rule(
    "catalyst-client",
    Severity.ERROR,
    summary="Catalyst: the OAuth client's `id` and `scope` must not be blank.",
    doc="""
A Catalyst extension signs in with the OAuth client in `client`. Zoho's toolkit rejects a
blank `id` (`'id' property of client object provided is invalid.`) and a blank `scope`
(`'scope' property of client object provided is invalid.`). `scope` is one string with the
scopes separated by spaces or commas (an array is rejected). The shape (`client` an object
with `id`, `scope` and an `accounts-url` from the toolkit's list of six servers) is checked by
`manifest-schema`.

**Fix:** copy the client id and scopes from the Catalyst console.

```json
{"service": "CATALYST", "client": {"id": " ", "scope": "",
  "accounts-url": "https://accounts.zoho.com"}, "file_location": "/app/app_file.html"}
```
""",
    zet=Zet.SAME,
    services=CATALYST,
)
def check_client(ext: Extension) -> Iterator[Hit]:
    """Blank id and scope of the client."""
    client = ext.value.get("client")
    if not isinstance(client, dict):
        return
    for key, what in (("id", "client id"), ("scope", "scope list")):
        value = client.get(key)
        if isinstance(value, str) and is_blank(value):
            yield Hit(
                f"/client/{key}",
                f"client {key} is blank; Zoho's toolkit rejects it: write the {what} of the "
                "extension's OAuth client",
            )


@rule(
    "catalyst-file-location",
    Severity.ERROR,
    summary="Catalyst: `file_location` must be a `/` path to a file of the extension.",
    doc="""
`file_location` is the page a Catalyst extension opens, given from the extension folder.
Zoho's toolkit rejects a blank value (`'file_location' property is expected to be a string
with file path.`) and a path whose file does not exist (`File specified in the
'file_location' property does not exists in the app source.`); on a value that does not
start with `/` it crashes (`name is not defined`) and exits 0 without validating, which this
rule reports as an error. A missing or non-string value is reported by `manifest-schema`. The
file check runs only when the extension folder is known.

**Stricter than Zoho's toolkit, on purpose:** the path must name a file inside the extension
folder; a folder, or a path that climbs out with `..`, is an error.

**Fix:** write the path from the extension folder, starting with `/`.

```json
{"service": "CATALYST", "file_location": "app/app_file.html"}
```
becomes `"file_location": "/app/app_file.html"`.
""",
    zet=Zet.STRICTER,
    services=CATALYST,
)
def check_file_location(ext: Extension) -> Iterator[Hit]:
    """Blank, relative and missing file_location."""
    value = ext.value.get("file_location")
    if not isinstance(value, str):
        return
    if is_blank(value):
        yield Hit(
            "/file_location",
            "file_location is blank; write the path of the extension page, e.g. "
            '"/app/app_file.html"',
        )
        return
    if not value.startswith("/"):
        yield Hit(
            "/file_location",
            f"file_location {quote_url(value)} does not start with /; Zoho's toolkit crashes on "
            f'it and validates nothing; write "/{value.lstrip("./")}"',
        )
        return
    problem = bundled_file_problem(ext.tree, value)
    if problem is not None:
        yield Hit("/file_location", f"file_location {quote_url(value)} {problem}")


RULES: tuple[Rule, ...] = (check_client, check_file_location)
