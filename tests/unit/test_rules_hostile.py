"""No rule raises on any JSON value: hostile values substituted into every member of a manifest."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import TREE, WIDGET, ZOHO_AUTHORISATION, check, connector

from checker.extension import Extension, FileTree
from checker.rules import ALL_RULES
from checker.source import Document, escape_token
from checker.validate import CRASH_RULE

RICH: dict[str, Any] = {
    "locale": ["en", "fr"],
    "service": "DESK",
    "storage": True,
    "type": "org",
    "modules": {
        "widgets": [
            {**WIDGET, "other_dc_urls": {"eu": "https://eu.example.com/w.html"}},
            {
                "name": "Sync",
                "url": "https://cdn.example.com/w.html",
                "location": "desk.background",
            },
        ]
    },
    "connectors": [connector("GitHub", "github", scope=["repo"])],
    "usedConnections": [connector("Books", "zoho_books", scope=["ZohoBooks.invoices.READ"])],
    "zohoAuthorisation": ZOHO_AUTHORISATION,
    "config": [
        {
            "name": "apiKey",
            "displayName": "API key",
            "description": "Key",
            "userdefined": True,
            "type": "text",
            "mandatory": True,
            "secure": True,
            "default": "",
        }
    ],
    "whiteListedDomains": ["https://api.example.com"],
    "cspDomains": {"connect-src": ["https://api.example.com"], "script-src": ["'self'"]},
    "callbackListener": {"onUninstall": "https://hooks.example.com/bye"},
    "secret": "<secret>",
    "deskOauth": {
        "clientId": "1000.X",
        "name": "Sync",
        "clientSecret": "<secret>",
        "scopes": ["Desk.tickets.READ"],
        "params": {"a": "b"},
    },
    "TPAOauth": [
        {
            "name": "GitHub",
            "clientId": "Iv1",
            "clientSecret": "<secret>",
            "authoriseUrl": "https://github.com/login/oauth/authorize",
            "tokenUrl": "https://github.com/login/oauth/access_token",
            "revokeUrl": "https://github.com/revoke",
            "params": {},
        }
    ],
    "moduleSupport": True,
}

HUGE = "https://" + "a" * 20_000
HOSTILE: list[Any] = [
    None,
    0,
    -1,
    1.5,
    10**30,
    1e308,
    True,
    False,
    "",
    " ",
    "\u0000",
    "\ud800",
    "\u202e",
    "a" * 20_000,
    HUGE,
    "/" * 10_000,
    "@" * 5_000 + ":",
    [],
    {},
    [None],
    [[[]]],
    [{}],
    [1, "x", None, [], {}],
    {"": None},
    {"a": [None]},
]


def _pointers(value: Any, pointer: str = "") -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Every member and element below the root, as (pointer, path)."""
    stack: list[tuple[Any, str, tuple[str | int, ...]]] = [(value, pointer, ())]
    while stack:
        node, at, path = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                child = (f"{at}/{escape_token(key)}", (*path, key))
                yield child
                stack.append((item, *child))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                child = (f"{at}/{index}", (*path, index))
                yield child
                stack.append((item, *child))


def _replace(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    copied = copy.deepcopy(value)
    node = copied
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return copied


def _run_every_rule(value: Any, tree: FileTree | None = TREE) -> None:
    document = Document("plugin-manifest.json", json.dumps(value), value)
    extension = Extension(document, "", tree)
    for rule in ALL_RULES:
        try:
            list(rule.run(extension))
        except Exception as error:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{rule.id} raised {type(error).__name__}: {error}")


PLACES = list(_pointers(RICH))


def test_the_rich_manifest_covers_every_area() -> None:
    assert len(PLACES) > 80
    assert {p for p, _ in PLACES} >= {"/modules/widgets/0/url", "/TPAOauth/0/revokeUrl", "/secret"}


@pytest.mark.parametrize(("pointer", "path"), PLACES, ids=[p for p, _ in PLACES])
def test_hostile_values_at_every_member(pointer: str, path: tuple[str | int, ...]) -> None:
    for hostile in HOSTILE:
        _run_every_rule(_replace(RICH, path, hostile))


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda v: repr(v)[:20])
def test_hostile_values_as_whole_members_end_to_end(hostile: Any) -> None:
    value = dict.fromkeys(RICH, hostile)
    value["service"] = "DESK"
    for tree in (TREE, None):
        findings = check(value, tree)
        assert not [f for f in findings if f.rule == CRASH_RULE]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), new=JSON)
def test_random_json_anywhere_never_crashes_a_rule(
    place: tuple[str, tuple[str | int, ...]], new: Any
) -> None:
    _run_every_rule(_replace(RICH, place[1], new))
