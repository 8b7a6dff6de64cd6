"""resources.json's resourceName: present on every resource and unique across the file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, quote, rule
from checker.rules.resources.common import hit, is_blank, resources_of, text_member
from checker.source import join_pointer

# Containers whose members carry a resourceName, in the order ZET walks them
# (validateResourceJSONNames({customActions, fields, targets, webhook})).
NAMED_RESOURCES = ("customActions", "fields", "targets", "webhook")


RESOURCES_RESOURCE_NAME_DOC = """
**What.** Every custom action, field, target and the webhook needs a `resourceName`: a
non-blank string, unique across all of them (compared after trimming spaces).

**Why.** Zoho's resources guide: the resourceName is the identifier of the resource in every
portal that installs the extension, and the extension looks the created resource (its id and
apiName) up by it. Two resources with one name make one of them unreachable.

**Fix.** Give every resource its own name.

```json
{"fields": [{"resourceName": "orderId"}], "targets": [{"resourceName": "orderId"}]}
```

**Zoho's toolkit** checks presence, type and uniqueness, but stops recording names after its
first resourceName error (later duplicates go unnoticed), compares untrimmed names and
crashes (exits 0) on a `null` entry; this rule checks every entry.
"""


@rule(
    "resources-resource-name",
    Severity.ERROR,
    summary="A resource in resources.json has no resourceName, or shares one.",
    doc=RESOURCES_RESOURCE_NAME_DOC,
    zet=Zet.STRICTER,
)
def resources_resource_name(ext: Extension) -> Iterator[Hit]:
    """Every named resource has a non-blank resourceName, unique across the file."""
    doc = resources_of(ext)
    if doc is None:
        return
    seen: dict[str, str] = {}
    for container in NAMED_RESOURCES:
        value = doc.get(container)
        items: list[tuple[str, Any]]
        if isinstance(value, list) and container != "webhook":
            items = [(join_pointer("", container, i), item) for i, item in enumerate(value)]
        elif isinstance(value, dict) and container == "webhook":
            items = [(join_pointer("", container), value)]
        else:
            continue  # a wrong container type is reported by the container's own rule
        for pointer, item in items:
            if not isinstance(item, dict):
                continue
            yield from text_member(
                pointer,
                item,
                "resourceName",
                _describe(pointer),
                fix="add a unique one (it identifies the resource in every portal that "
                "installs the extension)",
            )
            name = item.get("resourceName")
            if not isinstance(name, str) or is_blank(name):
                continue  # reported just above
            name_pointer = join_pointer(pointer, "resourceName")
            first = seen.setdefault(name.strip(), name_pointer)
            if first != name_pointer:
                yield hit(
                    name_pointer,
                    f'"resourceName" {quote(name)} is already used by {_describe(first)}; each '
                    "resource needs its own name",
                    related=(first,),
                )


_KIND = {"customActions": "custom action", "fields": "field", "targets": "target"}


def _describe(pointer: str) -> str:
    """The resource a pointer into it names: "the webhook", "field #2"."""
    container, *rest = pointer.split("/")[1:]
    if container == "webhook":
        return "the webhook"
    return f"{_KIND[container]} #{int(rest[0]) + 1}"
