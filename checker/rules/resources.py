"""resources.json rules: channel, permissions, fields, webhook, custom actions and targets."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from checker.extension import RESOURCES_NAME, Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, is_bool, is_string, quote, rule
from checker.rules.urls import is_valid_url, parse_url
from checker.source import join_pointer, json_type

FILE = RESOURCES_NAME
# The top-level members Zoho's toolkit reads from resources.json (DESK.PluginManifestRule.js,
# validateResourcesJson) and Zoho's resources guide documents.
KNOWN_KEYS = ("channel", "permissions", "fields", "webhook", "customActions", "targets")
# ALLOWED_EXTNS.DESK.images in ZET's constants.js; compared case-sensitively, like Node.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".svg"})
CONTENT_TYPES = ("text/html", "text/plain")
MAX_PERMISSIONS = 10
MAX_FIELDS = 10
MAX_NAME_LENGTH = 250
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
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Containers whose members carry a resourceName, in the order ZET walks them
# (validateResourceJSONNames({customActions, fields, targets, webhook})).
NAMED_RESOURCES = ("customActions", "fields", "targets", "webhook")
# Desk webhook events are Module_Action words: Ticket_Add, Ticket_Comment_Update, IM_Message_Add
# (https://desk.zoho.com/support/WebhookDocument.do).
EVENT_NAME = re.compile(r"[A-Z][A-Za-z]*(?:_[A-Z][A-Za-z]*)+\Z")
UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")


def _resources(ext: Extension) -> dict[str, Any] | None:
    """resources.json's top-level object, when the file was read and is one."""
    if ext.resources is None or not isinstance(ext.resources.value, dict):
        return None
    return ext.resources.value


def _hit(pointer: str, message: str, *, key: bool = False, **kwargs: Any) -> Hit:
    return Hit(pointer, message, key=key, file=FILE, **kwargs)


def js_length(text: str) -> int:
    """JavaScript's ``String.length``: UTF-16 code units, as ZET measures names."""
    return len(text.encode("utf-16-le")) // 2


def node_extname(path: str) -> str:
    """Node's ``path.extname``: from the last dot of the last segment; "" for dot-files."""
    base = path.rstrip("/").rsplit("/", 1)[-1]
    if base == "..":
        return ""
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def _is_blank(value: Any) -> bool:
    return not is_string(value) or not value.strip()


def _file_exists(ext: Extension, reference: str) -> bool:
    """Whether a manifest path such as ``/app/img/logo.png`` names a file in the folder."""
    assert ext.tree is not None
    relative = posixpath.normpath("/" + reference).lstrip("/")
    return ext.tree.exists(relative) or ext.tree.has_dir(relative)


def _https_problem(value: Any, what: str) -> str | None:
    """Why ``value`` is not a valid absolute HTTPS URL, or None when it is one."""
    if not is_string(value):
        return f"{what} is {json_type(value)}; expected an absolute https:// URL"
    if not value.strip():
        return f"{what} is empty; expected an absolute https:// URL"
    url = parse_url(value)
    if url is None or not is_valid_url(value):
        return f"{what} {quote(value)} is not a valid URL; expected an absolute https:// URL"
    if url.scheme != "https":
        return (
            f"{what} {quote(value)} uses {url.scheme}://; Desk sends ticket data and "
            "security contexts there, so it must be encrypted: use https://"
        )
    return None


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
    yield _hit(
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
    doc = _resources(ext)
    if doc is None:
        return
    for name in doc:
        if name in KNOWN_KEYS:
            continue
        guess = did_you_mean(name, KNOWN_KEYS)
        hint = f'did you mean "{guess}"? ' if guess else ""
        yield _hit(
            join_pointer("", name),
            f"unknown member {quote(name)} in resources.json is ignored by Zoho; {hint}"
            f"expected one of {', '.join(KNOWN_KEYS)}",
            key=True,
        )


RESOURCES_CHANNEL_DOC = """
**What.** The `channel` object of `resources.json` (a Desk channel integration):
`channelLogoPath` is required, a string, an image (`.jpg .jpeg .png .gif .svg`, lower case),
starts with `/` and names a file of the extension; `contentTypes`, when given, is an array of
`"text/html"` / `"text/plain"`; `redirectUrl`, when given, is a valid URL; `sync`, when
given, is an object.

**Why.** Zoho creates the channel from these values when the extension is installed; a bad
logo path or content type makes the installation or the channel fail.

**Fix.** Correct the member the message names.

```json
{"channel": {"channelLogoPath": "/app/img/channel.png", "contentTypes": ["text/plain"]}}
```

**Zoho's toolkit** checks the same members. It crashes (and exits 0) when `channel` is
`null`, and accepts `"sync": null` and `"sync": []`; this rule rejects those too.
"""


@rule(
    "resources-channel",
    Severity.ERROR,
    summary="The channel integration in resources.json is malformed.",
    doc=RESOURCES_CHANNEL_DOC,
    zet=Zet.STRICTER,
)
def resources_channel(ext: Extension) -> Iterator[Hit]:
    """ZET's channel checks: logo path, content types, redirect URL, sync."""
    doc = _resources(ext)
    if doc is None or "channel" not in doc:
        return
    channel = doc["channel"]
    if not isinstance(channel, dict):
        yield _hit(
            "/channel",
            f'"channel" is {json_type(channel)}; expected an object with at least '
            '"channelLogoPath"',
        )
        return
    logo_pointer = "/channel/channelLogoPath"
    if "channelLogoPath" not in channel:
        yield _hit(
            logo_pointer,
            '"channel" has no "channelLogoPath"; add the path of the channel logo, '
            'e.g. "/app/img/channel.png"',
        )
    else:
        logo = channel["channelLogoPath"]
        if not is_string(logo):
            yield _hit(
                logo_pointer,
                f'"channelLogoPath" is {json_type(logo)}; expected a path string such as '
                '"/app/img/channel.png"',
            )
        else:
            if node_extname(logo) not in IMAGE_EXTENSIONS:
                yield _hit(
                    logo_pointer,
                    f'"channelLogoPath" {quote(logo)} is not an image; use a .png, .jpg, '
                    ".jpeg, .gif or .svg file (lower-case extension)",
                )
            if not logo.startswith("/"):
                yield _hit(
                    logo_pointer,
                    f'"channelLogoPath" {quote(logo)} must start with "/" (a path from the '
                    'extension folder, e.g. "/app/img/channel.png")',
                )
            if ext.tree is not None and not _file_exists(ext, logo):
                yield _hit(
                    logo_pointer,
                    f'"channelLogoPath" {quote(logo)} names no file of the extension; '
                    "add the image or correct the path",
                )
    if "contentTypes" in channel:
        types = channel["contentTypes"]
        pointer = "/channel/contentTypes"
        if not isinstance(types, list):
            yield _hit(
                pointer,
                f'"contentTypes" is {json_type(types)}; expected an array of '
                '"text/html" and/or "text/plain"',
            )
        else:
            for index, item in enumerate(types):
                if item not in CONTENT_TYPES or not is_string(item):
                    yield _hit(
                        join_pointer(pointer, index),
                        f"content type {quote(item)} is not supported; use "
                        '"text/html" or "text/plain"',
                    )
    if "redirectUrl" in channel:
        redirect = channel["redirectUrl"]
        if not is_valid_url(redirect):
            yield _hit(
                "/channel/redirectUrl",
                f'"redirectUrl" {quote(redirect)} is not a valid URL; expected an absolute '
                "https:// URL",
            )
    if "sync" in channel and not isinstance(channel["sync"], dict):
        yield _hit(
            "/channel/sync",
            f'"sync" is {json_type(channel["sync"])}; expected an object',
        )


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
    doc = _resources(ext)
    if doc is None or "permissions" not in doc:
        return
    permissions = doc["permissions"]
    if not isinstance(permissions, list):
        yield _hit(
            "/permissions",
            f'"permissions" is {json_type(permissions)}; expected an array of permission objects',
        )
        return
    if not permissions:
        yield _hit(
            "/permissions",
            '"permissions" is empty; add at least one permission or remove the member',
        )
    elif len(permissions) > MAX_PERMISSIONS:
        yield _hit(
            "/permissions",
            f'"permissions" has {len(permissions)} entries; Zoho allows at most '
            f"{MAX_PERMISSIONS}: remove some",
        )
    seen: dict[str, str] = {}
    for index, permission in enumerate(permissions):
        pointer = join_pointer("/permissions", index)
        if not isinstance(permission, dict):
            yield _hit(
                pointer,
                f"permission #{index + 1} is {json_type(permission)}; expected an object "
                'with "apiName", "displayName", "description" and "defaultState"',
            )
            continue
        label = f"permission #{index + 1}"
        if "apiName" not in permission:
            yield _hit(join_pointer(pointer, "apiName"), f'{label} has no "apiName"; add one')
        else:
            api_name = permission["apiName"]
            api_pointer = join_pointer(pointer, "apiName")
            if _is_blank(api_name):
                yield _hit(
                    api_pointer,
                    f'"apiName" of {label} is {quote(api_name)}; expected a non-empty string',
                )
            if is_string(api_name):
                label = f"permission {quote(api_name)}"
                first = seen.get(api_name.strip())
                if first is not None:
                    yield _hit(
                        api_pointer,
                        f'"apiName" {quote(api_name)} is used by an earlier permission; '
                        "each permission needs its own apiName",
                        related=(first,),
                    )
                else:
                    seen[api_name.strip()] = api_pointer
        for member in ("displayName", "description"):
            member_pointer = join_pointer(pointer, member)
            if member not in permission:
                yield _hit(member_pointer, f'{label} has no "{member}"; add one')
            elif _is_blank(permission[member]):
                yield _hit(
                    member_pointer,
                    f'"{member}" of {label} is {quote(permission[member])}; expected a '
                    "non-empty string",
                )
        state_pointer = join_pointer(pointer, "defaultState")
        if "defaultState" not in permission:
            yield _hit(state_pointer, f'{label} has no "defaultState"; add true or false')
        elif not is_bool(permission["defaultState"]):
            yield _hit(
                state_pointer,
                f'"defaultState" of {label} is {quote(permission["defaultState"])}; expected '
                "true or false",
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
    doc = _resources(ext)
    if doc is None or "fields" not in doc:
        return
    fields = doc["fields"]
    if not isinstance(fields, list):
        yield _hit(
            "/fields",
            f'"fields" is {json_type(fields)}; expected an array of field objects',
        )
        return
    if not fields:
        yield _hit("/fields", '"fields" is empty; add at least one field or remove the member')
    elif len(fields) > MAX_FIELDS:
        yield _hit(
            "/fields",
            f'"fields" has {len(fields)} entries; Zoho allows at most {MAX_FIELDS}: remove some',
        )
    for index, field in enumerate(fields):
        if not isinstance(field, dict):
            yield _hit(
                join_pointer("/fields", index),
                f"field #{index + 1} is {json_type(field)}; expected an object",
            )


RESOURCES_WEBHOOK_DOC = """
**What.** The `webhook` object: `url` (an absolute **https://** URL), `name` (non-blank
string), `subscriptions` (a non-empty object of events) and `ignoreSourceId` (a string; Zoho's
webhook guide says a UUID, so anything else is a warning) are required. Its `resourceName` is
checked by `resources-resource-name`.

**Why.** Desk creates this webhook when the extension is authorised and then pushes ticket,
contact and other event data, with the installation's security context, to `url`. A plain
`http://` endpoint sends that data unencrypted; a missing member makes the installation fail.

**Fix.** Complete the webhook and serve the endpoint over HTTPS.

```json
{"webhook": {"resourceName": "ticketHook", "url": "https://hooks.example.com/desk",
             "name": "Ticket events", "subscriptions": {"Ticket_Add": null},
             "ignoreSourceId": "2df92c1a-973a-48f5-95b7-5792c68b9c36"}}
```

**Zoho's toolkit** checks that the members exist and are strings/objects. It does not check
that `url` is a URL at all, nor HTTPS; it accepts `"subscriptions": null` and `[]`, and
crashes (exits 0) on `"webhook": null`. This rule is stricter on all of these on purpose.
"""


@rule(
    "resources-webhook",
    Severity.ERROR,
    summary="The webhook in resources.json is incomplete or not HTTPS.",
    doc=RESOURCES_WEBHOOK_DOC,
    zet=Zet.STRICTER,
)
def resources_webhook(ext: Extension) -> Iterator[Hit]:
    """ZET's webhook checks plus a valid HTTPS url and a real subscriptions object."""
    doc = _resources(ext)
    if doc is None or "webhook" not in doc:
        return
    webhook = doc["webhook"]
    if not isinstance(webhook, dict):
        yield _hit(
            "/webhook",
            f'"webhook" is {json_type(webhook)}; expected an object with "resourceName", '
            '"url", "name", "subscriptions" and "ignoreSourceId"',
        )
        return
    if "url" not in webhook:
        yield _hit("/webhook/url", '"webhook" has no "url"; add the https:// endpoint')
    else:
        problem = _https_problem(webhook["url"], 'webhook "url"')
        if problem:
            yield _hit("/webhook/url", problem)
    if "name" not in webhook:
        yield _hit("/webhook/name", '"webhook" has no "name"; add one')
    elif _is_blank(webhook["name"]):
        yield _hit(
            "/webhook/name",
            f'webhook "name" is {quote(webhook["name"])}; expected a non-empty string',
        )
    if "subscriptions" not in webhook:
        yield _hit(
            "/webhook/subscriptions",
            '"webhook" has no "subscriptions"; add the events to receive, e.g. '
            '{"Ticket_Add": null}',
        )
    else:
        subscriptions = webhook["subscriptions"]
        if not isinstance(subscriptions, dict):
            yield _hit(
                "/webhook/subscriptions",
                f'webhook "subscriptions" is {json_type(subscriptions)}; expected an object '
                'of events, e.g. {"Ticket_Add": null}',
            )
        elif not subscriptions:
            yield _hit(
                "/webhook/subscriptions",
                'webhook "subscriptions" is empty, so the webhook receives nothing; add '
                "events or remove the webhook",
            )
    if "ignoreSourceId" not in webhook:
        yield _hit(
            "/webhook/ignoreSourceId",
            '"webhook" has no "ignoreSourceId"; add the UUID your own API calls send so '
            "they do not trigger the webhook",
        )
    else:
        source_id = webhook["ignoreSourceId"]
        if not is_string(source_id):
            yield _hit(
                "/webhook/ignoreSourceId",
                f'webhook "ignoreSourceId" is {json_type(source_id)}; expected a UUID string',
            )
        elif not UUID.match(source_id):
            yield _hit(
                "/webhook/ignoreSourceId",
                f'webhook "ignoreSourceId" {quote(source_id)} is not a UUID; Zoho\'s webhook '
                'guide requires one, e.g. "2df92c1a-973a-48f5-95b7-5792c68b9c36"',
                severity=Severity.WARNING,
            )


RESOURCES_WEBHOOK_ORG_DOC = """
**What.** `resources.json` defines a `webhook` but `plugin-manifest.json` does not say
`"type": "org"`.

**Why.** Zoho's webhook guide: "Extension webhooks are allowed only for org-based
extensions". A personal extension with a webhook fails at installation or never receives
events.

**Fix.** Set `"type": "org"` in the manifest (the webhook also needs the `Desk.events.ALL`
scope in `zohoAuthorisation`), or remove the webhook.

```json
{"type": "personal"}
```

**Zoho's toolkit** does not check this.
"""


@rule(
    "resources-webhook-org",
    Severity.ERROR,
    summary="A webhook is defined but the extension is not org-based.",
    doc=RESOURCES_WEBHOOK_ORG_DOC,
    zet=Zet.NOT_CHECKED,
)
def resources_webhook_org(ext: Extension) -> Iterator[Hit]:
    """Webhooks need ``"type": "org"`` in the manifest (Zoho's webhook guide)."""
    doc = _resources(ext)
    if doc is None or "webhook" not in doc:
        return
    kind = ext.value.get("type")
    if kind == "org":
        return
    stated = f'has "type": {quote(kind)}' if "type" in ext.value else 'has no "type"'
    yield _hit(
        "/webhook",
        f"extension webhooks are allowed only for org-based extensions, but "
        f'plugin-manifest.json {stated}; set "type": "org" or remove the webhook',
        key=True,
    )


RESOURCES_WEBHOOK_SUBSCRIPTIONS_DOC = """
**What.** Each member of `webhook.subscriptions` should be a Desk event name of the
`Module_Action` form (`Ticket_Add`, `Ticket_Comment_Update`, `Contact_Delete`) whose value is
`null` or an object of options (e.g. `{"includePrevState": true}`), without `departmentIds`.

**Why.** An event name with the wrong shape (`ticket.add`, `TicketAdd`) subscribes to
nothing. Zoho's webhook guide says to leave `departmentIds` out: the extension's department
configuration filters the events.

**Fix.** Use the event names of the Desk webhook reference; use `null` or an options object.

```json
{"subscriptions": {"Ticket_Add": null, "Ticket_Update": {"includePrevState": true}}}
```

**Zoho's toolkit** does not check this.
"""


@rule(
    "resources-webhook-subscriptions",
    Severity.WARNING,
    summary="A webhook subscription has an unexpected shape.",
    doc=RESOURCES_WEBHOOK_SUBSCRIPTIONS_DOC,
    zet=Zet.NOT_CHECKED,
)
def resources_webhook_subscriptions(ext: Extension) -> Iterator[Hit]:
    """Event names of the Module_Action form, null/object options, no departmentIds."""
    doc = _resources(ext)
    if doc is None or not isinstance(doc.get("webhook"), dict):
        return
    subscriptions = doc["webhook"].get("subscriptions")
    if not isinstance(subscriptions, dict):
        return
    for event, options in subscriptions.items():
        pointer = join_pointer("/webhook/subscriptions", event)
        if not EVENT_NAME.match(event):
            yield _hit(
                pointer,
                f"{quote(event)} does not look like a Desk webhook event (Module_Action, "
                'e.g. "Ticket_Add", "Ticket_Comment_Update"); check the event name',
                key=True,
            )
        if options is not None and not isinstance(options, dict):
            yield _hit(
                pointer,
                f"the options of event {quote(event)} are {json_type(options)}; expected "
                'null or an object such as {"includePrevState": true}',
            )
        elif isinstance(options, dict) and "departmentIds" in options:
            yield _hit(
                join_pointer(pointer, "departmentIds"),
                f'event {quote(event)} sets "departmentIds", which Zoho\'s webhook guide says '
                "to leave out (the extension's department configuration filters events); "
                "remove it",
                key=True,
            )


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
    doc = _resources(ext)
    if doc is None or "customActions" not in doc:
        return
    actions = doc["customActions"]
    if not isinstance(actions, list):
        yield _hit(
            "/customActions",
            f'"customActions" is {json_type(actions)}; expected an array of custom-action objects',
        )
        return
    for index, action in enumerate(actions):
        pointer = join_pointer("/customActions", index)
        if not isinstance(action, dict):
            yield _hit(
                pointer,
                f"custom action #{index + 1} is {json_type(action)}; expected an object with "
                '"customActionName" and "targetId"',
            )
            continue
        label = _label("custom action", index, action)
        yield from _long_resource_name(pointer, action, label)
        name_pointer = join_pointer(pointer, "customActionName")
        if "customActionName" not in action:
            yield _hit(name_pointer, f'{label} has no "customActionName"; add one')
        else:
            yield from _bounded_name(name_pointer, action["customActionName"], label)
        if "targetId" not in action or action["targetId"] is None:
            yield _hit(
                join_pointer(pointer, "targetId"),
                f'{label} has no "targetId"; name the target the action calls',
            )
        if "inputFields" not in action:
            continue
        fields = action["inputFields"]
        fields_pointer = join_pointer(pointer, "inputFields")
        if not isinstance(fields, list):
            yield _hit(
                fields_pointer,
                f'"inputFields" of {label} is {json_type(fields)}; expected an array of '
                "input-field objects",
            )
            continue
        for number, field in enumerate(fields):
            field_pointer = join_pointer(fields_pointer, number)
            if not isinstance(field, dict):
                yield _hit(
                    field_pointer,
                    f"input field #{number + 1} of {label} is {json_type(field)}; expected an "
                    'object with "displayName" and "type"',
                )
                continue
            field_label = f"input field #{number + 1} of {label}"
            display_pointer = join_pointer(field_pointer, "displayName")
            if "displayName" not in field:
                yield _hit(display_pointer, f'{field_label} has no "displayName"; add one')
            else:
                yield from _bounded_name(display_pointer, field["displayName"], field_label)
            type_pointer = join_pointer(field_pointer, "type")
            if "type" not in field:
                yield _hit(type_pointer, f'{field_label} has no "type"; add one')
            elif field["type"] not in INPUT_FIELD_TYPES or not is_string(field["type"]):
                guess = (
                    did_you_mean(field["type"], INPUT_FIELD_TYPES)
                    if is_string(field["type"])
                    else None
                )
                hint = f'did you mean "{guess}"? ' if guess else ""
                yield _hit(
                    type_pointer,
                    f'"type" {quote(field["type"])} of {field_label} is not an input-field '
                    f"type; {hint}expected one of {', '.join(INPUT_FIELD_TYPES)}",
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
    doc = _resources(ext)
    if doc is None or "targets" not in doc:
        return
    targets = doc["targets"]
    if not isinstance(targets, list):
        yield _hit(
            "/targets",
            f'"targets" is {json_type(targets)}; expected an array of target objects',
        )
        return
    for index, target in enumerate(targets):
        pointer = join_pointer("/targets", index)
        if not isinstance(target, dict):
            yield _hit(
                pointer,
                f"target #{index + 1} is {json_type(target)}; expected an object with "
                '"targetName", "url" and "httpMethod"',
            )
            continue
        label = _label("target", index, target)
        yield from _long_resource_name(pointer, target, label)
        name_pointer = join_pointer(pointer, "targetName")
        if "targetName" not in target:
            yield _hit(name_pointer, f'{label} has no "targetName"; add one')
        else:
            yield from _bounded_name(name_pointer, target["targetName"], label)
        url_pointer = join_pointer(pointer, "url")
        if "url" not in target:
            yield _hit(url_pointer, f'{label} has no "url"; add the https:// endpoint')
        else:
            problem = _https_problem(target["url"], f'"url" of {label}')
            if problem:
                yield _hit(url_pointer, problem)
        method_pointer = join_pointer(pointer, "httpMethod")
        if "httpMethod" not in target:
            yield _hit(method_pointer, f'{label} has no "httpMethod"; add one such as "POST"')
        elif target["httpMethod"] not in HTTP_METHODS or not is_string(target["httpMethod"]):
            method = target["httpMethod"]
            guess = did_you_mean(method, HTTP_METHODS) if is_string(method) else None
            hint = f'did you mean "{guess}"? ' if guess else ""
            yield _hit(
                method_pointer,
                f'"httpMethod" {quote(method)} of {label} is not supported; {hint}expected '
                f"one of {', '.join(HTTP_METHODS)}",
            )


def _label(kind: str, index: int, item: dict[str, Any]) -> str:
    name = item.get("resourceName")
    if isinstance(name, str) and name.strip():
        return f"{kind} {quote(name)}"
    return f"{kind} #{index + 1}"


def _long_resource_name(pointer: str, item: dict[str, Any], label: str) -> Iterator[Hit]:
    name = item.get("resourceName")
    if isinstance(name, str) and js_length(name) > MAX_NAME_LENGTH:
        yield _hit(
            join_pointer(pointer, "resourceName"),
            f'"resourceName" of {label} is {js_length(name)} characters long; Zoho allows at '
            f"most {MAX_NAME_LENGTH}",
        )


def _bounded_name(pointer: str, value: Any, label: str) -> Iterator[Hit]:
    member = pointer.rsplit("/", 1)[-1]
    if _is_blank(value):
        yield _hit(pointer, f'"{member}" of {label} is {quote(value)}; expected a non-empty string')
    elif js_length(value) > MAX_NAME_LENGTH:
        yield _hit(
            pointer,
            f'"{member}" of {label} is {js_length(value)} characters long; Zoho allows at most '
            f"{MAX_NAME_LENGTH}: shorten it",
        )


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
    doc = _resources(ext)
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
            name_pointer = join_pointer(pointer, "resourceName")
            if "resourceName" not in item:
                yield _hit(
                    name_pointer,
                    f'{_describe(pointer)} has no "resourceName"; add a unique one '
                    "(it identifies the resource in every portal that installs the extension)",
                )
                continue
            name = item["resourceName"]
            if _is_blank(name):
                yield _hit(
                    name_pointer,
                    f'"resourceName" of {_describe(pointer)} is {quote(name)}; '
                    "expected a non-empty string",
                )
                continue
            first = seen.get(name.strip())
            if first is not None:
                yield _hit(
                    name_pointer,
                    f'"resourceName" {quote(name)} is already used by {_describe(first)}; each '
                    "resource needs its own name",
                    related=(first,),
                )
            else:
                seen[name.strip()] = name_pointer


_KIND = {"customActions": "custom action", "fields": "field", "targets": "target"}


def _describe(pointer: str) -> str:
    """The resource a pointer into it names: "the webhook", "field #2"."""
    container, *rest = pointer.split("/")[1:]
    if container == "webhook":
        return "the webhook"
    return f"{_KIND[container]} #{int(rest[0]) + 1}"


RULES: tuple[Rule, ...] = (
    resources_missing,
    resources_unknown_key,
    resources_channel,
    resources_permissions,
    resources_fields,
    resources_resource_name,
    resources_webhook,
    resources_webhook_org,
    resources_webhook_subscriptions,
    resources_custom_actions,
    resources_targets,
)
