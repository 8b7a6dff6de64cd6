"""resources.json's custom actions (with input fields) and the targets they call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, quote, rule
from checker.rules.resources.common import (
    choice_member,
    entries,
    hit,
    js_length,
    missing,
    resources_of,
    text_member,
    url_member,
)
from checker.source import join_pointer

INPUT_FIELD_TYPES = (
    "STRING",
    "LOOKUP",
    "TEXT",
    "NUMBER",
    "DECIMAL",
    "PICKLIST",
    "URL",
    "MULTIPICKLIST",
    "CONTENT",
    "BOOLEAN",
    "DYNAMICPICKLIST",
    "ARRAY",
    "OBJECT",
)
MAX_NAME_LENGTH = 250
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


RESOURCES_CUSTOM_ACTIONS_DOC = """
**What.** `customActions` must be an array of objects, each with `customActionName` (a
non-blank string of at most 250 characters) and `targetId`; `resourceName` is at most 250
characters; `inputFields`, when given, is an array of objects with `displayName` (non-blank
string, at most 250 characters) and `type`, one of `STRING LOOKUP TEXT NUMBER DECIMAL
PICKLIST URL MULTIPICKLIST CONTENT BOOLEAN DYNAMICPICKLIST ARRAY OBJECT`.

**Why.** Desk creates the custom actions from these values; a missing member or an unknown
input type makes the installation fail.

**Fix.** Complete or correct the member the message names (types are upper case).

```json
{"customActions": [{"resourceName": "createOrder", "customActionName": "Create order",
                    "targetId": "orderTarget",
                    "inputFields": [{"displayName": "Amount", "type": "DECIMAL"}]}]}
```

**Zoho's toolkit** checks the same members (its message says 200 characters for
`displayName`, its code allows 250, and so does this rule). It crashes (exits 0) on `null`
entries and on a non-array `inputFields`, and accepts a number as `customActionName`; this
rule reports those.
"""


@rule(
    "resources-custom-actions",
    Severity.ERROR,
    summary="The custom actions in resources.json are malformed.",
    doc=RESOURCES_CUSTOM_ACTIONS_DOC,
    zet=Zet.STRICTER,
)
def resources_custom_actions(ext: Extension) -> Iterator[Hit]:
    """ZET's custom-action checks: names, targetId, input fields and their types."""
    doc = resources_of(ext)
    if doc is not None:
        yield from entries(
            doc,
            "",
            "customActions",
            "custom action",
            needs='"customActionName" and "targetId"',
            check=_custom_action,
        )


def _custom_action(pointer: str, numbered: str, action: dict[str, Any]) -> Iterator[Hit]:
    label = _label("custom action", action, numbered)
    yield from _long_resource_name(pointer, action, label)
    yield from text_member(pointer, action, "customActionName", label, max_length=MAX_NAME_LENGTH)
    if action.get("targetId") is None:
        yield missing(pointer, label, "targetId", "name the target the action calls")
    yield from entries(
        action,
        pointer,
        "inputFields",
        "input field",
        needs='"displayName" and "type"',
        of=f" of {label}",
        check=_input_field,
    )


def _input_field(pointer: str, label: str, field: dict[str, Any]) -> Iterator[Hit]:
    yield from text_member(pointer, field, "displayName", label, max_length=MAX_NAME_LENGTH)
    yield from choice_member(
        pointer,
        field,
        "type",
        label,
        choices=INPUT_FIELD_TYPES,
        problem="is not an input-field type",
    )


RESOURCES_TARGETS_DOC = """
**What.** `targets` must be an array of objects, each with `targetName` (a non-blank string
of at most 250 characters), `url` (an absolute **https://** URL) and `httpMethod` (`GET`,
`POST`, `PUT`, `PATCH` or `DELETE`); `resourceName` is at most 250 characters.

**Why.** A target is the endpoint Desk calls for a custom action, with ticket data; a plain
`http://` target sends that data unencrypted, and a missing member makes the installation
fail.

**Fix.** Complete the target and serve it over HTTPS.

```json
{"targets": [{"resourceName": "orderTarget", "targetName": "Orders API",
              "url": "https://api.example.com/orders", "httpMethod": "POST"}]}
```

**Zoho's toolkit** checks that the members exist (its message for a missing `url` is the raw
key `desk_target_url_missing`) and the method list. It does not check that `url` is a URL,
nor HTTPS, and crashes (exits 0) on a `null` entry; this rule is stricter on purpose.
"""


@rule(
    "resources-targets",
    Severity.ERROR,
    summary="The targets in resources.json are malformed or not HTTPS.",
    doc=RESOURCES_TARGETS_DOC,
    zet=Zet.STRICTER,
)
def resources_targets(ext: Extension) -> Iterator[Hit]:
    """ZET's target checks plus a valid HTTPS url."""
    doc = resources_of(ext)
    if doc is not None:
        yield from entries(
            doc,
            "",
            "targets",
            "target",
            needs='"targetName", "url" and "httpMethod"',
            check=_target,
        )


def _target(pointer: str, numbered: str, target: dict[str, Any]) -> Iterator[Hit]:
    label = _label("target", target, numbered)
    yield from _long_resource_name(pointer, target, label)
    yield from text_member(pointer, target, "targetName", label, max_length=MAX_NAME_LENGTH)
    yield from url_member(pointer, target, label, f'"url" of {label}')
    yield from choice_member(
        pointer,
        target,
        "httpMethod",
        label,
        choices=HTTP_METHODS,
        problem="is not supported",
        fix='add one such as "POST"',
    )


def _label(kind: str, item: dict[str, Any], numbered: str) -> str:
    """How messages name a resource: by its resourceName when it has one, else ``numbered``."""
    name = item.get("resourceName")
    if isinstance(name, str) and name.strip():
        return f"{kind} {quote(name)}"
    return numbered


def _long_resource_name(pointer: str, item: dict[str, Any], label: str) -> Iterator[Hit]:
    name = item.get("resourceName")
    if isinstance(name, str) and js_length(name) > MAX_NAME_LENGTH:
        yield hit(
            join_pointer(pointer, "resourceName"),
            f'"resourceName" of {label} is {js_length(name)} characters long; Zoho allows at '
            f"most {MAX_NAME_LENGTH}",
        )
