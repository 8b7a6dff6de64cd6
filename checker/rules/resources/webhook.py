"""resources.json's webhook: its members, the org-only rule and its subscriptions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, is_string, quote, rule
from checker.rules.resources.common import hit, is_blank, missing, resources_of, url_member
from checker.source import join_pointer, json_type

# Desk webhook events are Module_Action words: Ticket_Add, Ticket_Comment_Update, IM_Message_Add
# (https://desk.zoho.com/support/WebhookDocument.do).
EVENT_NAME = re.compile(r"[A-Z][A-Za-z]*(?:_[A-Z][A-Za-z]*)+\Z")
UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")


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
    doc = resources_of(ext)
    if doc is None or "webhook" not in doc:
        return
    webhook = doc["webhook"]
    if not isinstance(webhook, dict):
        yield hit(
            "/webhook",
            f'"webhook" is {json_type(webhook)}; expected an object with "resourceName", '
            '"url", "name", "subscriptions" and "ignoreSourceId"',
        )
        return
    yield from url_member("/webhook", webhook, '"webhook"', 'webhook "url"')
    if "name" not in webhook:
        yield missing("/webhook", '"webhook"', "name")
    elif is_blank(webhook["name"]):
        yield hit(
            "/webhook/name",
            f'webhook "name" is {quote(webhook["name"])}; expected a non-empty string',
        )
    if "subscriptions" not in webhook:
        yield missing(
            "/webhook",
            '"webhook"',
            "subscriptions",
            'add the events to receive, e.g. {"Ticket_Add": null}',
        )
    else:
        subscriptions = webhook["subscriptions"]
        if not isinstance(subscriptions, dict):
            yield hit(
                "/webhook/subscriptions",
                f'webhook "subscriptions" is {json_type(subscriptions)}; expected an object '
                'of events, e.g. {"Ticket_Add": null}',
            )
        elif not subscriptions:
            yield hit(
                "/webhook/subscriptions",
                'webhook "subscriptions" is empty, so the webhook receives nothing; add '
                "events or remove the webhook",
            )
    if "ignoreSourceId" not in webhook:
        yield missing(
            "/webhook",
            '"webhook"',
            "ignoreSourceId",
            "add the UUID your own API calls send so they do not trigger the webhook",
        )
    else:
        source_id = webhook["ignoreSourceId"]
        if not is_string(source_id):
            yield hit(
                "/webhook/ignoreSourceId",
                f'webhook "ignoreSourceId" is {json_type(source_id)}; expected a UUID string',
            )
        elif not UUID.match(source_id):
            yield hit(
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
    doc = resources_of(ext)
    if doc is None or "webhook" not in doc:
        return
    kind = ext.value.get("type")
    if kind == "org":
        return
    stated = f'has "type": {quote(kind)}' if "type" in ext.value else 'has no "type"'
    yield hit(
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
    doc = resources_of(ext)
    if doc is None or not isinstance(doc.get("webhook"), dict):
        return
    subscriptions = doc["webhook"].get("subscriptions")
    if not isinstance(subscriptions, dict):
        return
    for event, options in subscriptions.items():
        pointer = join_pointer("/webhook/subscriptions", event)
        if not EVENT_NAME.match(event):
            yield hit(
                pointer,
                f"{quote(event)} does not look like a Desk webhook event (Module_Action, "
                'e.g. "Ticket_Add", "Ticket_Comment_Update"); check the event name',
                key=True,
            )
        if options is not None and not isinstance(options, dict):
            yield hit(
                pointer,
                f"the options of event {quote(event)} are {json_type(options)}; expected "
                'null or an object such as {"includePrevState": true}',
            )
        elif isinstance(options, dict) and "departmentIds" in options:
            yield hit(
                join_pointer(pointer, "departmentIds"),
                f'event {quote(event)} sets "departmentIds", which Zoho\'s webhook guide says '
                "to leave out (the extension's department configuration filters events); "
                "remove it",
                key=True,
            )
