"""No rule and no service schema fails on any JSON value in manifests of the other services."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import TREE, check
from test_rules_hostile import HOSTILE, JSON, _pointers, _replace, _run_every_rule

from checker.validate import CRASH_RULE

CONNECTION = {
    "connectionName": "crm",
    "connectionLinkName": "crm_link",
    "serviceName": "zoho_crm",
    "userAccess": True,
    "isUserDefinedService": False,
    "sharedBy": "123",
    "scope": ["ZohoCRM.modules.READ"],
}
RICH: dict[str, dict[str, Any]] = {
    "PROJECTS": {
        "locale": ["en"],
        "service": "PROJECTS",
        "storage": False,
        "type": "org",
        "whiteListedDomains": ["https://api.example.com"],
        "modules": {
            "widgets": [
                {"location": "task_tab", "url": "/app/widget.html", "name": "Tasks"},
                {
                    "location": "attachment_picker",
                    "url": "https://w.example.com",
                    "name": "Pick",
                    "icon": "/app/img/icon.png",
                },
            ]
        },
        "cspDomains": {"connect-src": ["https://api.example.com"]},
        "connectors": [CONNECTION],
        "config": [
            {
                "name": "region",
                "type": "selectbox",
                "is_mandatory": True,
                "is_secure": False,
                "options": ["eu", "us"],
                "default": "eu",
            },
            {
                "name": "n",
                "type": "number",
                "is_mandatory": True,
                "is_secure": False,
                "default": "1",
            },
        ],
    },
    "SDP": {
        "service": "SDP",
        "type": "personal",
        "widgets": [
            {
                "name": "Stats",
                "description": "d",
                "path_url": "/app/widget.html",
                "locations": ["dashboard"],
                "show_widget_header_in_dashboard": True,
                "icons": {"30x30": "/app/img/icon.png"},
            }
        ],
    },
    "CREATOR": {
        "service": "CREATOR",
        "cspDomains": {"connect-src": ["https://a.com"]},
        "config": [
            {"name": "r", "type": "Report", "placeholder": "p", "defaultValue": "d", "help": "h"}
        ],
        "authConfig": {"type": "oauth", "scopes": ["ZohoCreator.report.READ"]},
    },
    "CATALYST": {
        "service": "CATALYST",
        "client": {
            "id": "1",
            "scope": "A.b.READ B.c.ALL",
            "accounts-url": "https://accounts.zoho.eu",
        },
        "file_location": "/app/widget.html",
    },
    "BIGIN": {"service": "BIGIN", "cspDomains": {"connect-src": ["https://a.com"]}},
    "MAIL": {
        "locale": ["en"],
        "defaultLocale": "en",
        "service": "MAIL",
        "storage": False,
        "whiteListedDomains": ["https://mail.zoho.com"],
        "modules": {
            "widgets": [
                {
                    "location": "zoho.mail.preview.rightpanel",
                    "name": "Viewer",
                    "url": "https://mail.zoho.com/w",
                    "logo": "/app/img/logo.png",
                    "icon": "/app/img/icon.png",
                }
            ]
        },
        "cspDomains": {"connect-src": []},
        "connectors": [{"serviceName": "docs"}],
        "config": [{"name": "a", "inputType": "text", "mandatory": True, "secure": True}],
    },
    "FINANCE": {
        "locale": ["en"],
        "service": "FINANCE",
        "modules": {
            "widgets": [{"name": "W", "location": "invoice.details.sidebar", "url": "/app/w.html"}]
        },
        "usedConnections": [CONNECTION],
    },
}
PLACES = [
    (service, pointer, path)
    for service, value in RICH.items()
    for pointer, path in _pointers(value)
]


@pytest.mark.parametrize(
    ("service", "pointer", "path"), PLACES, ids=[f"{s}{p}" for s, p, _ in PLACES]
)
def test_hostile_values_at_every_member(service: str, pointer: str, path: Any) -> None:
    for hostile in HOSTILE:
        value = _replace(RICH[service], path, hostile)
        _run_every_rule(value)
        if path != ("service",):
            assert not [f for f in check(value) if f.rule == CRASH_RULE], (pointer, hostile)


@pytest.mark.parametrize("service", sorted(RICH))
def test_hostile_values_as_whole_members_end_to_end(service: str) -> None:
    for hostile in HOSTILE:
        value = dict.fromkeys(RICH[service], hostile)
        value["service"] = service
        for tree in (TREE, None):
            assert not [f for f in check(value, tree) if f.rule == CRASH_RULE]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), new=JSON)
def test_random_json_anywhere_never_crashes_a_rule(place: tuple[str, str, Any], new: Any) -> None:
    service, _, path = place
    value = _replace(RICH[service], path, new)
    assert not [f for f in check(value) if f.rule == CRASH_RULE]
