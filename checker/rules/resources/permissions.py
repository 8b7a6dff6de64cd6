"""resources.json's custom permissions and extension fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, is_bool, quote, rule
from checker.rules.resources.common import entries, hit, missing, resources_of, text_member
from checker.source import join_pointer

MAX_PERMISSIONS = 10
MAX_FIELDS = 10


RESOURCES_PERMISSIONS_DOC = """
**What.** `permissions` (custom permissions of the extension) must be an array of 1 to 10
objects, each with a unique non-blank string `apiName`, non-blank string `displayName` and
`description`, and a boolean `defaultState`.

**Why.** Desk creates one permission per entry at installation; a missing or duplicated
`apiName` makes the permission impossible to refer to, and Zoho rejects more than 10.

**Fix.** Complete or correct the entry the message names.

```json
{"permissions": [{"apiName": "viewOrders", "displayName": "View orders",
                  "description": "See the orders panel", "defaultState": true}]}
```

**Zoho's toolkit** checks the same, but skips the entries when there are more than 10 and
crashes (exits 0) on a `null` entry; this rule checks every entry whatever the count.
"""


@rule(
    "resources-permissions",
    Severity.ERROR,
    summary="The custom permissions in resources.json are malformed.",
    doc=RESOURCES_PERMISSIONS_DOC,
    zet=Zet.STRICTER,
)
def resources_permissions(ext: Extension) -> Iterator[Hit]:
    """ZET's permission checks: array of 1..10 complete entries with unique apiName."""
    doc = resources_of(ext)
    if doc is None:
        return
    seen: dict[str, str] = {}

    def permission(pointer: str, label: str, item: dict[str, Any]) -> Iterator[Hit]:
        yield from text_member(pointer, item, "apiName", label)
        api_name = item.get("apiName")
        if isinstance(api_name, str):
            label = f"permission {quote(api_name)}"
            api_pointer = join_pointer(pointer, "apiName")
            first = seen.setdefault(api_name.strip(), api_pointer)
            if first != api_pointer:
                yield hit(
                    api_pointer,
                    f'"apiName" {quote(api_name)} is used by an earlier permission; '
                    "each permission needs its own apiName",
                    related=(first,),
                )
        yield from text_member(pointer, item, "displayName", label)
        yield from text_member(pointer, item, "description", label)
        if "defaultState" not in item:
            yield missing(pointer, label, "defaultState", "add true or false")
        elif not is_bool(item["defaultState"]):
            yield hit(
                join_pointer(pointer, "defaultState"),
                f'"defaultState" of {label} is {quote(item["defaultState"])}; expected '
                "true or false",
            )

    yield from entries(
        doc,
        "",
        "permissions",
        "permission",
        needs='"apiName", "displayName", "description" and "defaultState"',
        maximum=MAX_PERMISSIONS,
        check=permission,
    )


RESOURCES_FIELDS_DOC = """
**What.** `fields` (extension-specific Desk fields) must be an array of 1 to 10 objects.
Their `resourceName` is checked by `resources-resource-name`.

**Why.** Desk creates these fields in every portal that installs the extension and limits
an extension to 10.

**Fix.** Make `fields` an array of field objects, at most 10, or remove the member.

```json
{"fields": [{"resourceName": "orderIdField", "displayLabel": "Order ID", "type": "Text"}]}
```

**Zoho's toolkit** checks the type and the count. It does not say when an entry is not an
object (a `null` entry crashes it); this rule does.
"""


@rule(
    "resources-fields",
    Severity.ERROR,
    summary="The fields in resources.json are malformed.",
    doc=RESOURCES_FIELDS_DOC,
    zet=Zet.STRICTER,
)
def resources_fields(ext: Extension) -> Iterator[Hit]:
    """ZET's field checks: array of 1..10 entries, each an object."""
    doc = resources_of(ext)
    if doc is not None:
        yield from entries(doc, "", "fields", "field", maximum=MAX_FIELDS)
