"""resources.json rules: Zoho's toolkit parity, the stricter checks, and hostile values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.extension import Extension, FileTree
from checker.findings import Severity
from checker.rules import resources
from checker.rules.base import Hit, Rule
from checker.source import parse

MANIFEST = {"service": "DESK", "type": "org"}
TREE = FileTree(
    {
        "plugin-manifest.json": 100,
        "resources.json": 10,
        "app/widget.html": 10,
        "app/img/channel.png": 10,
        "app/img/upper.PNG": 10,
    },
    frozenset({"app", "app/img"}),
)
UUID = "2df92c1a-973a-48f5-95b7-5792c68b9c36"
WEBHOOK = {
    "resourceName": "ticketHook",
    "url": "https://hooks.example.com/desk",
    "name": "Ticket events",
    "subscriptions": {"Ticket_Add": None, "Ticket_Update": {"includePrevState": True}},
    "ignoreSourceId": UUID,
}
PERMISSION = {
    "apiName": "viewOrders",
    "displayName": "View orders",
    "description": "See the orders panel",
    "defaultState": True,
}
TARGET = {
    "resourceName": "orderTarget",
    "targetName": "Orders API",
    "url": "https://api.example.com/orders",
    "httpMethod": "POST",
}
ACTION = {
    "resourceName": "createOrder",
    "customActionName": "Create order",
    "targetId": "orderTarget",
    "inputFields": [{"displayName": "Amount", "type": "DECIMAL"}],
}
VALID = {
    "channel": {
        "channelLogoPath": "/app/img/channel.png",
        "contentTypes": ["text/html", "text/plain"],
        "redirectUrl": "https://example.com/back",
        "sync": {},
    },
    "permissions": [PERMISSION],
    "fields": [{"resourceName": "orderIdField", "displayLabel": "Order ID"}],
    "webhook": WEBHOOK,
    "customActions": [ACTION],
    "targets": [TARGET],
}


def _extension(
    resources_value: Any | None = None,
    *,
    text: str | None = None,
    manifest: dict[str, Any] | None = None,
    tree: FileTree | None = TREE,
    present: bool = True,
) -> Extension:
    manifest_doc = parse("plugin-manifest.json", json.dumps(manifest or MANIFEST).encode())
    assert manifest_doc.document is not None
    document = None
    if text is None and resources_value is not None:
        text = json.dumps(resources_value, indent=1)
    if text is not None:
        document = parse("resources.json", text.encode()).document
    return Extension(manifest_doc.document, "", tree, document, present)


def _hits(rule: Rule, ext: Extension) -> list[Hit]:
    hits = list(rule.run(ext))
    assert all(hit.file == "resources.json" for hit in hits)
    return hits


def _all(ext: Extension) -> list[tuple[str, Hit]]:
    return [(r.id, hit) for r in resources.RULES for hit in _hits(r, ext)]


def test_a_complete_valid_resources_file_passes_every_rule() -> None:
    assert _all(_extension(VALID)) == []


def test_an_empty_object_passes_every_rule() -> None:
    assert _all(_extension({})) == []


def test_missing_file_is_reported_only_when_the_folder_is_known() -> None:
    hits = _hits(resources.resources_missing, _extension(present=False))
    assert [(h.pointer, h.file) for h in hits] == [("", "resources.json")]
    assert "resources.json" in hits[0].message
    assert _hits(resources.resources_missing, _extension(tree=None, present=False)) == []
    assert _hits(resources.resources_missing, _extension({})) == []


def test_unknown_top_level_key_suggests_the_known_one() -> None:
    hits = _hits(resources.resources_unknown_key, _extension({"webhooks": {}, "fields": []}))
    assert len(hits) == 1
    assert hits[0].pointer == "/webhooks"
    assert hits[0].key
    assert 'did you mean "webhook"' in hits[0].message


@pytest.mark.parametrize(
    ("channel", "pointer", "fragment"),
    [
        (None, "/channel", "null"),
        ("x", "/channel", "a string"),
        ([], "/channel", "an array"),
        ({}, "/channel/channelLogoPath", 'no "channelLogoPath"'),
        ({"channelLogoPath": 5}, "/channel/channelLogoPath", "a number"),
        ({"channelLogoPath": "/app/img/upper.PNG"}, "/channel/channelLogoPath", "not an image"),
        ({"channelLogoPath": "app/img/channel.png"}, "/channel/channelLogoPath", 'start with "/"'),
        ({"channelLogoPath": "/app/img/none.png"}, "/channel/channelLogoPath", "names no file"),
        (
            {"channelLogoPath": "/app/img/channel.png", "contentTypes": "text/html"},
            "/channel/contentTypes",
            "expected an array",
        ),
        (
            {"channelLogoPath": "/app/img/channel.png", "contentTypes": ["text/html", None]},
            "/channel/contentTypes/1",
            "not supported",
        ),
        (
            {"channelLogoPath": "/app/img/channel.png", "redirectUrl": "example.com"},
            "/channel/redirectUrl",
            "not a valid URL",
        ),
        (
            {"channelLogoPath": "/app/img/channel.png", "redirectUrl": None},
            "/channel/redirectUrl",
            "not a valid URL",
        ),
        ({"channelLogoPath": "/app/img/channel.png", "sync": None}, "/channel/sync", "null"),
        ({"channelLogoPath": "/app/img/channel.png", "sync": []}, "/channel/sync", "an array"),
    ],
)
def test_channel_problems(channel: Any, pointer: str, fragment: str) -> None:
    hits = _hits(resources.resources_channel, _extension({"channel": channel}))
    assert [h.pointer for h in hits] == [pointer], hits
    assert fragment in hits[0].message


def test_channel_logo_path_can_give_several_problems_at_once() -> None:
    hits = _hits(
        resources.resources_channel, _extension({"channel": {"channelLogoPath": "logo.bmp"}})
    )
    assert len(hits) == 3


def test_channel_logo_file_is_not_checked_without_a_folder() -> None:
    ext = _extension({"channel": {"channelLogoPath": "/app/img/none.png"}}, tree=None)
    assert _hits(resources.resources_channel, ext) == []


def test_channel_logo_path_is_normalised_like_node_path_join() -> None:
    ext = _extension({"channel": {"channelLogoPath": "/app/x/../img/channel.png"}})
    assert _hits(resources.resources_channel, ext) == []


@pytest.mark.parametrize(
    ("permissions", "pointers"),
    [
        (None, ["/permissions"]),
        ({}, ["/permissions"]),
        ([], ["/permissions"]),
        ([PERMISSION] * 1 + [dict(PERMISSION, apiName=f"p{i}") for i in range(10)], None),
        ([None], ["/permissions/0"]),
        ([5, "x"], ["/permissions/0", "/permissions/1"]),
        (
            [{}],
            [
                "/permissions/0/apiName",
                "/permissions/0/displayName",
                "/permissions/0/description",
                "/permissions/0/defaultState",
            ],
        ),
        ([dict(PERMISSION, apiName=" ")], ["/permissions/0/apiName"]),
        ([dict(PERMISSION, apiName=None)], ["/permissions/0/apiName"]),
        ([dict(PERMISSION, displayName="")], ["/permissions/0/displayName"]),
        ([dict(PERMISSION, description=[])], ["/permissions/0/description"]),
        ([dict(PERMISSION, defaultState="true")], ["/permissions/0/defaultState"]),
        ([dict(PERMISSION, defaultState=None)], ["/permissions/0/defaultState"]),
        ([PERMISSION, dict(PERMISSION, apiName=" viewOrders ")], ["/permissions/1/apiName"]),
    ],
)
def test_permission_problems(permissions: Any, pointers: list[str] | None) -> None:
    hits = _hits(resources.resources_permissions, _extension({"permissions": permissions}))
    if pointers is None:  # 11 entries: only the count
        assert [h.pointer for h in hits] == ["/permissions"]
        assert "at most 10" in hits[0].message
        return
    assert [h.pointer for h in hits] == pointers, hits


def test_duplicate_permission_points_back_at_the_first() -> None:
    hits = _hits(
        resources.resources_permissions, _extension({"permissions": [PERMISSION, PERMISSION]})
    )
    assert len(hits) == 1
    assert hits[0].related == ("/permissions/0/apiName",)


def test_ten_permissions_pass() -> None:
    many = [dict(PERMISSION, apiName=f"p{i}") for i in range(10)]
    assert _hits(resources.resources_permissions, _extension({"permissions": many})) == []


@pytest.mark.parametrize(
    ("fields", "pointers"),
    [
        ("x", ["/fields"]),
        (None, ["/fields"]),
        ([], ["/fields"]),
        ([{"resourceName": f"f{i}"} for i in range(11)], ["/fields"]),
        ([{"resourceName": "a"}, None, 3], ["/fields/1", "/fields/2"]),
    ],
)
def test_field_problems(fields: Any, pointers: list[str]) -> None:
    hits = _hits(resources.resources_fields, _extension({"fields": fields}))
    assert [h.pointer for h in hits] == pointers


@pytest.mark.parametrize(
    ("change", "pointer", "fragment"),
    [
        ({"url": None}, "/webhook/url", "null"),
        ({"url": ""}, "/webhook/url", "empty"),
        ({"url": "hooks.example.com"}, "/webhook/url", "not a valid URL"),
        ({"url": "ftp://hooks.example.com"}, "/webhook/url", "not a valid URL"),
        ({"url": "http://hooks.example.com"}, "/webhook/url", "use https://"),
        ({"url": "wss://hooks.example.com"}, "/webhook/url", "use https://"),
        ({"name": " "}, "/webhook/name", "non-empty"),
        ({"name": 5}, "/webhook/name", "non-empty"),
        ({"subscriptions": None}, "/webhook/subscriptions", "null"),
        ({"subscriptions": []}, "/webhook/subscriptions", "an array"),
        ({"subscriptions": {}}, "/webhook/subscriptions", "empty"),
        ({"ignoreSourceId": 5}, "/webhook/ignoreSourceId", "a number"),
    ],
)
def test_webhook_problems(change: dict[str, Any], pointer: str, fragment: str) -> None:
    hits = _hits(resources.resources_webhook, _extension({"webhook": {**WEBHOOK, **change}}))
    assert [h.pointer for h in hits] == [pointer], hits
    assert fragment in hits[0].message
    assert hits[0].severity is None


@pytest.mark.parametrize("member", ["url", "name", "subscriptions", "ignoreSourceId"])
def test_webhook_missing_members(member: str) -> None:
    webhook = {k: v for k, v in WEBHOOK.items() if k != member}
    hits = _hits(resources.resources_webhook, _extension({"webhook": webhook}))
    assert [h.pointer for h in hits] == [f"/webhook/{member}"]
    assert "has no" in hits[0].message


def test_webhook_ignore_source_id_not_a_uuid_is_only_a_warning() -> None:
    ext = _extension({"webhook": {**WEBHOOK, "ignoreSourceId": "my-client"}})
    hits = _hits(resources.resources_webhook, ext)
    assert [(h.pointer, h.severity) for h in hits] == [
        ("/webhook/ignoreSourceId", Severity.WARNING)
    ]


@pytest.mark.parametrize("webhook", [None, "x", 5, [], [WEBHOOK]])
def test_webhook_of_the_wrong_type(webhook: Any) -> None:
    hits = _hits(resources.resources_webhook, _extension({"webhook": webhook}))
    assert [h.pointer for h in hits] == ["/webhook"]


@pytest.mark.parametrize(
    ("manifest", "fragment"),
    [
        ({"service": "DESK", "type": "personal"}, '"type": "personal"'),
        ({"service": "DESK"}, 'has no "type"'),
        ({"service": "DESK", "type": None}, '"type": null'),
        ({"service": "DESK", "type": "ORG"}, '"type": "ORG"'),
    ],
)
def test_webhook_needs_an_org_extension(manifest: dict[str, Any], fragment: str) -> None:
    ext = _extension({"webhook": WEBHOOK}, manifest=manifest)
    hits = _hits(resources.resources_webhook_org, ext)
    assert [(h.pointer, h.key) for h in hits] == [("/webhook", True)]
    assert fragment in hits[0].message


def test_org_extension_without_webhook_is_fine() -> None:
    ext = _extension({}, manifest={"service": "DESK", "type": "personal"})
    assert _hits(resources.resources_webhook_org, ext) == []


def test_subscription_shapes() -> None:
    subscriptions = {
        "Ticket_Add": None,
        "IM_Message_Add": {},
        "ticket.add": None,
        "TicketAdd": None,
        "Ticket_Update": True,
        "Contact_Update": {"departmentIds": ["1"]},
    }
    ext = _extension({"webhook": {**WEBHOOK, "subscriptions": subscriptions}})
    hits = _hits(resources.resources_webhook_subscriptions, ext)
    assert [h.pointer for h in hits] == [
        "/webhook/subscriptions/ticket.add",
        "/webhook/subscriptions/TicketAdd",
        "/webhook/subscriptions/Ticket_Update",
        "/webhook/subscriptions/Contact_Update/departmentIds",
    ]
    assert resources.resources_webhook_subscriptions.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("actions", "pointers"),
    [
        ({}, ["/customActions"]),
        (None, ["/customActions"]),
        ([None, "x"], ["/customActions/0", "/customActions/1"]),
        (
            [{"resourceName": "a"}],
            ["/customActions/0/customActionName", "/customActions/0/targetId"],
        ),
        ([dict(ACTION, customActionName=5)], ["/customActions/0/customActionName"]),
        ([dict(ACTION, customActionName="x" * 251)], ["/customActions/0/customActionName"]),
        ([dict(ACTION, resourceName="r" * 251)], ["/customActions/0/resourceName"]),
        ([dict(ACTION, targetId=None)], ["/customActions/0/targetId"]),
        ([dict(ACTION, inputFields="x")], ["/customActions/0/inputFields"]),
        ([dict(ACTION, inputFields=None)], ["/customActions/0/inputFields"]),
        ([dict(ACTION, inputFields=[None])], ["/customActions/0/inputFields/0"]),
        (
            [dict(ACTION, inputFields=[{}])],
            [
                "/customActions/0/inputFields/0/displayName",
                "/customActions/0/inputFields/0/type",
            ],
        ),
        (
            [dict(ACTION, inputFields=[{"displayName": None, "type": "string"}])],
            [
                "/customActions/0/inputFields/0/displayName",
                "/customActions/0/inputFields/0/type",
            ],
        ),
        (
            [dict(ACTION, inputFields=[{"displayName": "d" * 251, "type": ["STRING"]}])],
            [
                "/customActions/0/inputFields/0/displayName",
                "/customActions/0/inputFields/0/type",
            ],
        ),
    ],
)
def test_custom_action_problems(actions: Any, pointers: list[str]) -> None:
    hits = _hits(resources.resources_custom_actions, _extension({"customActions": actions}))
    assert [h.pointer for h in hits] == pointers, hits


def test_input_field_type_suggests_upper_case() -> None:
    action = dict(ACTION, inputFields=[{"displayName": "Amount", "type": "decimal"}])
    hits = _hits(resources.resources_custom_actions, _extension({"customActions": [action]}))
    assert 'did you mean "DECIMAL"' in hits[0].message


def test_names_are_measured_in_utf16_units_like_javascript() -> None:
    # 125 emoji are 250 UTF-16 code units: allowed; one more is too long.
    ok = dict(ACTION, customActionName="\U0001f600" * 125)
    long = dict(ACTION, customActionName="\U0001f600" * 126)
    assert _hits(resources.resources_custom_actions, _extension({"customActions": [ok]})) == []
    hits = _hits(resources.resources_custom_actions, _extension({"customActions": [long]}))
    assert "252 characters" in hits[0].message


@pytest.mark.parametrize(
    ("change", "pointer", "fragment"),
    [
        ({"url": "http://api.example.com"}, "/targets/0/url", "use https://"),
        ({"url": "not a url"}, "/targets/0/url", "not a valid URL"),
        ({"url": None}, "/targets/0/url", "null"),
        ({"httpMethod": "post"}, "/targets/0/httpMethod", 'did you mean "POST"'),
        ({"httpMethod": "HEAD"}, "/targets/0/httpMethod", "not supported"),
        ({"httpMethod": None}, "/targets/0/httpMethod", "not supported"),
        ({"targetName": ""}, "/targets/0/targetName", "non-empty"),
        ({"targetName": "t" * 251}, "/targets/0/targetName", "at most 250"),
    ],
)
def test_target_problems(change: dict[str, Any], pointer: str, fragment: str) -> None:
    hits = _hits(resources.resources_targets, _extension({"targets": [{**TARGET, **change}]}))
    assert [h.pointer for h in hits] == [pointer], hits
    assert fragment in hits[0].message


def test_target_missing_members_and_wrong_types() -> None:
    hits = _hits(resources.resources_targets, _extension({"targets": [{}, None, 4]}))
    assert [h.pointer for h in hits] == [
        "/targets/0/targetName",
        "/targets/0/url",
        "/targets/0/httpMethod",
        "/targets/1",
        "/targets/2",
    ]
    assert _hits(resources.resources_targets, _extension({"targets": {}}))[0].pointer == "/targets"


def test_resource_names_are_required_and_unique_across_containers() -> None:
    value = {
        "customActions": [dict(ACTION, resourceName="shared")],
        "fields": [{"resourceName": " shared "}, {}, {"resourceName": None}, None],
        "targets": [dict(TARGET, resourceName="")],
        "webhook": dict(WEBHOOK, resourceName="shared"),
    }
    hits = _hits(resources.resources_resource_name, _extension(value))
    assert [h.pointer for h in hits] == [
        "/fields/0/resourceName",
        "/fields/1/resourceName",
        "/fields/2/resourceName",
        "/targets/0/resourceName",
        "/webhook/resourceName",
    ]
    assert hits[0].related == ("/customActions/0/resourceName",)
    assert "custom action #1" in hits[0].message
    assert "already used by custom action #1" in hits[-1].message


def test_resource_names_after_an_error_are_still_compared() -> None:
    # Zoho's toolkit stops recording names after its first error; this rule does not.
    value = {"fields": [{}, {"resourceName": "a"}, {"resourceName": "a"}]}
    hits = _hits(resources.resources_resource_name, _extension(value))
    assert [h.pointer for h in hits] == ["/fields/0/resourceName", "/fields/2/resourceName"]


INPUT_TYPES = ", ".join(resources.INPUT_FIELD_TYPES)


@pytest.mark.parametrize(
    ("rule", "value", "messages"),
    [
        (
            resources.resources_permissions,
            {"permissions": {}},
            ['"permissions" is an object; expected an array of permission objects'],
        ),
        (
            resources.resources_fields,
            {"fields": []},
            ['"fields" is empty; add at least one field or remove the member'],
        ),
        (
            resources.resources_custom_actions,
            {"customActions": [1]},
            [
                "custom action #1 is a number; expected an object with "
                '"customActionName" and "targetId"'
            ],
        ),
        (
            resources.resources_custom_actions,
            {"customActions": [dict(ACTION, inputFields="x")]},
            [
                '"inputFields" of custom action "createOrder" is a string; expected an array '
                "of input-field objects"
            ],
        ),
        (
            resources.resources_custom_actions,
            {
                "customActions": [
                    dict(ACTION, inputFields=[None, {"displayName": " ", "type": "decimal"}])
                ]
            },
            [
                'input field #1 of custom action "createOrder" is null; expected an object '
                'with "displayName" and "type"',
                '"displayName" of input field #2 of custom action "createOrder" is " "; '
                "expected a non-empty string",
                '"type" "decimal" of input field #2 of custom action "createOrder" is not an '
                f'input-field type; did you mean "DECIMAL"? expected one of {INPUT_TYPES}',
            ],
        ),
        (
            resources.resources_targets,
            {
                "targets": [
                    dict(
                        TARGET,
                        targetName="x" * 251,
                        url="http://api.example.com",
                        httpMethod="FETCH",
                    )
                ]
            },
            [
                '"targetName" of target "orderTarget" is 251 characters long; Zoho allows at '
                "most 250: shorten it",
                '"url" of target "orderTarget" "http://api.example.com" uses http://; Desk '
                "sends ticket data and security contexts there, so it must be encrypted: use "
                "https://",
                '"httpMethod" "FETCH" of target "orderTarget" is not supported; expected one of '
                "GET, POST, PUT, PATCH, DELETE",
            ],
        ),
        (
            resources.resources_permissions,
            {"permissions": [{"apiName": "a", "displayName": "", "defaultState": "yes"}]},
            [
                '"displayName" of permission "a" is ""; expected a non-empty string',
                'permission "a" has no "description"; add one',
                '"defaultState" of permission "a" is "yes"; expected true or false',
            ],
        ),
    ],
)
def test_messages_of_the_shared_array_and_member_checks(
    rule: Rule, value: dict[str, Any], messages: list[str]
) -> None:
    # The arrays and members of several rules share one implementation: pin its wording.
    assert [h.message for h in _hits(rule, _extension(value))] == messages


HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1.5,
    "",
    "\x00\u202e",
    [],
    [None],
    [[None]],
    {},
    {"": None},
    {"resourceName": {"resourceName": None}},
]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("member", [*resources.KNOWN_KEYS, "other"])
def test_hostile_values_never_crash(member: str, value: Any) -> None:
    ext = _extension({member: value})
    for found in _all(ext):
        assert isinstance(found[1].message, str)
    nested = _extension({member: [value, {"inputFields": [value], "subscriptions": value}]})
    _all(nested)
    inside = _extension({member: {"subscriptions": {"X": value}, "channelLogoPath": value}})
    _all(inside)


def test_resources_that_are_not_an_object_are_skipped() -> None:
    for text in ("[]", "null", "5"):
        ext = _extension(text=text)
        assert ext.resources is None
        assert _all(ext) == []
