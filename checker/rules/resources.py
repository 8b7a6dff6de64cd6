"""resources.json rules: channel, permissions, fields, webhook, custom actions and targets."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
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


def _hint(value: Any, choices: tuple[str, ...]) -> str:
    """``did you mean "X"? `` when a string value is close to one of ``choices``, else ""."""
    guess = did_you_mean(value, choices) if is_string(value) else None
    return f'did you mean "{guess}"? ' if guess else ""


def _missing(pointer: str, label: str, member: str, fix: str = "add one") -> Hit:
    """``member`` is missing from the object at ``pointer``, which messages call ``label``."""
    return _hit(join_pointer(pointer, member), f'{label} has no "{member}"; {fix}')


def _text_member(
    pointer: str,
    item: dict[str, Any],
    member: str,
    label: str,
    *,
    fix: str = "add one",
    max_length: int | None = None,
) -> Iterator[Hit]:
    """A required non-blank string (of at most ``max_length`` UTF-16 units, as ZET counts)."""
    if member not in item:
        yield _missing(pointer, label, member, fix)
        return
    value = item[member]
    if _is_blank(value):
        yield _hit(
            join_pointer(pointer, member),
            f'"{member}" of {label} is {quote(value)}; expected a non-empty string',
        )
    elif max_length is not None and js_length(value) > max_length:
        yield _hit(
            join_pointer(pointer, member),
            f'"{member}" of {label} is {js_length(value)} characters long; Zoho allows at most '
            f"{max_length}: shorten it",
        )


def _choice_member(
    pointer: str,
    item: dict[str, Any],
    member: str,
    label: str,
    *,
    choices: tuple[str, ...],
    problem: str,
    fix: str = "add one",
) -> Iterator[Hit]:
    """A required member that is one of ``choices``; ``problem`` says what else it is."""
    if member not in item:
        yield _missing(pointer, label, member, fix)
        return
    value = item[member]
    if is_string(value) and value in choices:
        return
    yield _hit(
        join_pointer(pointer, member),
        f'"{member}" {quote(value)} of {label} {problem}; {_hint(value, choices)}expected '
        f"one of {', '.join(choices)}",
    )


def _url_member(pointer: str, item: dict[str, Any], label: str, what: str) -> Iterator[Hit]:
    """A required ``url`` that is an absolute HTTPS URL; ``what`` names it in messages."""
    if "url" not in item:
        yield _missing(pointer, label, "url", "add the https:// endpoint")
    elif problem := _https_problem(item["url"], what):
        yield _hit(join_pointer(pointer, "url"), problem)


# Checks one object entry of an array: (its pointer, its label such as "target #2", the entry).
_EntryCheck = Callable[[str, str, dict[str, Any]], Iterator[Hit]]


def _entries(
    owner: dict[str, Any],
    pointer: str,
    member: str,
    kind: str,
    *,
    needs: str = "",
    maximum: int | None = None,
    of: str = "",
    check: _EntryCheck | None = None,
) -> Iterator[Hit]:
    """``owner[member]``, when present, is an array of objects, each handed to ``check``.

    ``kind`` names one entry ("custom action #2"), ``needs`` the members an entry that is no
    object should have, ``of`` the resource the array belongs to (" of custom action #1"). With a
    ``maximum``, the array holds 1 to ``maximum`` entries.
    """
    if member not in owner:
        return
    items = owner[member]
    pointer = join_pointer(pointer, member)
    name = f'"{member}"{of}'
    if not isinstance(items, list):
        noun = kind.replace(" ", "-")
        yield _hit(pointer, f"{name} is {json_type(items)}; expected an array of {noun} objects")
        return
    if maximum is not None and not items:
        yield _hit(pointer, f"{name} is empty; add at least one {kind} or remove the member")
    elif maximum is not None and len(items) > maximum:
        yield _hit(
            pointer,
            f"{name} has {len(items)} entries; Zoho allows at most {maximum}: remove some",
        )
    expected = f"an object with {needs}" if needs else "an object"
    for index, item in enumerate(items):
        entry = join_pointer(pointer, index)
        label = f"{kind} #{index + 1}{of}"
        if not isinstance(item, dict):
            yield _hit(entry, f"{label} is {json_type(item)}; expected {expected}")
        elif check is not None:
            yield from check(entry, label, item)


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
        yield _hit(
            join_pointer("", name),
            f"unknown member {quote(name)} in resources.json is ignored by Zoho; "
            f"{_hint(name, KNOWN_KEYS)}"
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
    if "channelLogoPath" not in channel:
        yield _missing(
            "/channel",
            '"channel"',
            "channelLogoPath",
            'add the path of the channel logo, e.g. "/app/img/channel.png"',
        )
    else:
        yield from _channel_logo(ext, channel["channelLogoPath"])
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


def _channel_logo(ext: Extension, logo: Any) -> Iterator[Hit]:
    """``channelLogoPath``: a path from the extension folder to one of its images."""
    pointer = "/channel/channelLogoPath"
    if not is_string(logo):
        yield _hit(
            pointer,
            f'"channelLogoPath" is {json_type(logo)}; expected a path string such as '
            '"/app/img/channel.png"',
        )
        return
    if node_extname(logo) not in IMAGE_EXTENSIONS:
        yield _hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} is not an image; use a .png, .jpg, '
            ".jpeg, .gif or .svg file (lower-case extension)",
        )
    if not logo.startswith("/"):
        yield _hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} must start with "/" (a path from the '
            'extension folder, e.g. "/app/img/channel.png")',
        )
    if ext.tree is not None and not _file_exists(ext, logo):
        yield _hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} names no file of the extension; '
            "add the image or correct the path",
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
    if doc is None:
        return
    seen: dict[str, str] = {}

    def permission(pointer: str, label: str, item: dict[str, Any]) -> Iterator[Hit]:
        yield from _text_member(pointer, item, "apiName", label)
        api_name = item.get("apiName")
        if isinstance(api_name, str):
            label = f"permission {quote(api_name)}"
            api_pointer = join_pointer(pointer, "apiName")
            first = seen.setdefault(api_name.strip(), api_pointer)
            if first != api_pointer:
                yield _hit(
                    api_pointer,
                    f'"apiName" {quote(api_name)} is used by an earlier permission; '
                    "each permission needs its own apiName",
                    related=(first,),
                )
        yield from _text_member(pointer, item, "displayName", label)
        yield from _text_member(pointer, item, "description", label)
        if "defaultState" not in item:
            yield _missing(pointer, label, "defaultState", "add true or false")
        elif not is_bool(item["defaultState"]):
            yield _hit(
                join_pointer(pointer, "defaultState"),
                f'"defaultState" of {label} is {quote(item["defaultState"])}; expected '
                "true or false",
            )

    yield from _entries(
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
    doc = _resources(ext)
    if doc is not None:
        yield from _entries(doc, "", "fields", "field", maximum=MAX_FIELDS)


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
    yield from _url_member("/webhook", webhook, '"webhook"', 'webhook "url"')
    if "name" not in webhook:
        yield _missing("/webhook", '"webhook"', "name")
    elif _is_blank(webhook["name"]):
        yield _hit(
            "/webhook/name",
            f'webhook "name" is {quote(webhook["name"])}; expected a non-empty string',
        )
    if "subscriptions" not in webhook:
        yield _missing(
            "/webhook",
            '"webhook"',
            "subscriptions",
            'add the events to receive, e.g. {"Ticket_Add": null}',
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
        yield _missing(
            "/webhook",
            '"webhook"',
            "ignoreSourceId",
            "add the UUID your own API calls send so they do not trigger the webhook",
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
    if doc is not None:
        yield from _entries(
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
    yield from _text_member(pointer, action, "customActionName", label, max_length=MAX_NAME_LENGTH)
    if action.get("targetId") is None:
        yield _missing(pointer, label, "targetId", "name the target the action calls")
    yield from _entries(
        action,
        pointer,
        "inputFields",
        "input field",
        needs='"displayName" and "type"',
        of=f" of {label}",
        check=_input_field,
    )


def _input_field(pointer: str, label: str, field: dict[str, Any]) -> Iterator[Hit]:
    yield from _text_member(pointer, field, "displayName", label, max_length=MAX_NAME_LENGTH)
    yield from _choice_member(
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
    doc = _resources(ext)
    if doc is not None:
        yield from _entries(
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
    yield from _text_member(pointer, target, "targetName", label, max_length=MAX_NAME_LENGTH)
    yield from _url_member(pointer, target, label, f'"url" of {label}')
    yield from _choice_member(
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
        yield _hit(
            join_pointer(pointer, "resourceName"),
            f'"resourceName" of {label} is {js_length(name)} characters long; Zoho allows at '
            f"most {MAX_NAME_LENGTH}",
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
            yield from _text_member(
                pointer,
                item,
                "resourceName",
                _describe(pointer),
                fix="add a unique one (it identifies the resource in every portal that "
                "installs the extension)",
            )
            name = item.get("resourceName")
            if not isinstance(name, str) or _is_blank(name):
                continue  # reported just above
            name_pointer = join_pointer(pointer, "resourceName")
            first = seen.setdefault(name.strip(), name_pointer)
            if first != name_pointer:
                yield _hit(
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
