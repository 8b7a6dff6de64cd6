"""resources.json as a whole: the file is present, and its top-level members are known."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, quote, rule
from checker.rules.resources.common import hint, hit, resources_of
from checker.source import join_pointer

# The top-level members Zoho's toolkit reads from resources.json (DESK.PluginManifestRule.js,
# validateResourcesJson) and Zoho's resources guide documents.
KNOWN_KEYS = ("channel", "permissions", "fields", "webhook", "customActions", "targets")


RESOURCES_MISSING_DOC = """
**What.** The extension folder has no `resources.json` beside `plugin-manifest.json`.

**Why.** Zoho's toolkit refuses to validate or pack a Desk extension without it
(`'resources.json' file is missing.`); the Marketplace reads the Desk resources (fields,
webhook, permissions, channel) the extension creates from it.

**Fix.** Add the file; when the extension creates no resources, `{}` is enough.

```json
{}
```

**Zoho's toolkit** checks this too, but only once every mandatory manifest key is present;
this rule always runs when the folder is known (not for a manifest read from a git blob).
"""


@rule(
    "resources-missing",
    Severity.ERROR,
    summary="The extension folder has no resources.json.",
    doc=RESOURCES_MISSING_DOC,
    zet=Zet.SAME,
)
def resources_missing(ext: Extension) -> Iterator[Hit]:
    """resources.json must exist in the extension folder."""
    if ext.tree is None or ext.resources_present:
        return
    yield hit(
        "",
        "the extension has no resources.json beside plugin-manifest.json; Zoho's toolkit "
        "requires it: add the file (an empty object {} is enough)",
    )


RESOURCES_UNKNOWN_KEY_DOC = """
**What.** A top-level member of `resources.json` that Zoho does not read, such as `webhooks`
for `webhook` or `customAction` for `customActions`.

**Why.** Unknown members are ignored silently: a misspelt `webhook` is never created and
none of its checks run, so a broken definition passes review.

**Fix.** Use one of `channel`, `permissions`, `fields`, `webhook`, `customActions`, `targets`
(the message suggests the closest), or remove the member.

```json
{"webhooks": {"resourceName": "ticketHook"}}
```

**Zoho's toolkit** does not check this.
"""


@rule(
    "resources-unknown-key",
    Severity.WARNING,
    summary="resources.json has a top-level member Zoho does not read.",
    doc=RESOURCES_UNKNOWN_KEY_DOC,
    zet=Zet.NOT_CHECKED,
)
def resources_unknown_key(ext: Extension) -> Iterator[Hit]:
    """Top-level members of resources.json that nothing reads."""
    doc = resources_of(ext)
    if doc is None:
        return
    for name in doc:
        if name in KNOWN_KEYS:
            continue
        yield hit(
            join_pointer("", name),
            f"unknown member {quote(name)} in resources.json is ignored by Zoho; "
            f"{hint(name, KNOWN_KEYS)}"
            f"expected one of {', '.join(KNOWN_KEYS)}",
            key=True,
        )
