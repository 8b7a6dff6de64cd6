"""Plain-text secrets, plain http and localhost URLs."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import check, found, manifest, pointers, with_widgets

from checker.rules.security import looks_like_real_secret

REAL = "9f8c2e7d41b3a6f0"
TPA = {
    "name": "GitHub",
    "clientId": "Iv1.0123",
    "clientSecret": "<secret>",
    "authoriseUrl": "https://github.com/login/oauth/authorize",
    "tokenUrl": "https://github.com/login/oauth/access_token",
}


@pytest.mark.parametrize(
    "value",
    [REAL, "Typeform", "1000.c2f9a1e7b3d4e5f6", "ghs_8fK2pQ7vL1xZ9mN4", "sk_live_4eC39HqLyjWDarjt"],
)
def test_real_looking_secrets(value: str) -> None:
    assert looks_like_real_secret(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "short",
        "********",
        "xxxxxxxxxxxx",
        "<secret>",
        "{{CLIENT_SECRET}}",
        "${DESK_SECRET}",
        "YOUR_CLIENT_SECRET",
        "your-secret-here",
        "changeme123",
        "client_secret",
        "placeholder",
        "00000000",
        "%SECRET_VALUE%",
    ],
)
def test_placeholders_are_not_secrets(value: str) -> None:
    assert not looks_like_real_secret(value)


def test_every_secret_place_is_reported_without_echoing_the_value() -> None:
    value = manifest(
        secret=REAL,
        callbackListener={"onUninstall": "https://hooks.example.com"},
        deskOauth={"clientId": "a", "name": "b", "clientSecret": REAL + "1"},
        TPAOauth=[{**TPA, "clientSecret": REAL + "2"}],
        config=[
            {"name": "apiKey", "default": REAL + "3", "secure": True},
            {"name": "region", "default": REAL},
        ],
        whiteListedDomains=[f"https://deploy:{REAL}4@api.example.com"],
    )
    findings = found(value, "plain-text-secret")
    assert [f.location.pointer for f in findings] == [
        "/config/0/default",
        "/whiteListedDomains/0",
        "/secret",
        "/deskOauth/clientSecret",
        "/TPAOauth/0/clientSecret",
    ]
    for finding in check(value):
        assert REAL not in finding.message, finding


def test_placeholders_are_not_reported() -> None:
    value = manifest(
        secret="<secret>",
        callbackListener={},
        deskOauth={"clientId": "a", "name": "b", "clientSecret": "YOUR_CLIENT_SECRET"},
        TPAOauth=[TPA],
        config=[{"name": "apiKey", "default": "", "secure": True}],
    )
    assert found(value, "plain-text-secret") == []


@pytest.mark.parametrize("secret", [None, 5, [], {}, True])
def test_secrets_of_other_types_are_left_to_the_schema(secret: Any) -> None:
    value = manifest(
        secret=secret, deskOauth={"clientSecret": secret}, TPAOauth=[{"clientSecret": secret}]
    )
    assert found(value, "plain-text-secret") == []


def test_http_is_reported_everywhere_but_widget_code_and_localhost() -> None:
    value = manifest(
        whiteListedDomains=[
            "http://a.example.com",
            "http://localhost:3000",
            "https://b.example.com",
        ],
        cspDomains={
            "connect-src": ["http://c.example.com blob:"],
            "img-src": ["http://d.example.com", "e.com"],
        },
        callbackListener={
            "onUpdate": "http://hooks.example.com",
            "onInstall": "http://x.example.com",
        },
        secret="<s>",
        TPAOauth=[{**TPA, "revokeUrl": "http://github.com/revoke"}],
        modules={
            "widgets": [
                {"name": "W", "url": "http://cdn.example.com/w.html", "location": "desk.topband"}
            ]
        },
    )
    assert pointers(value, "insecure-http") == [
        "/whiteListedDomains/0",
        "/cspDomains/connect-src/0",
        "/cspDomains/img-src/0",
        "/callbackListener/onUpdate",
        "/callbackListener/onInstall",
        "/TPAOauth/0/revokeUrl",
    ]


def test_localhost_is_reported_everywhere() -> None:
    value = with_widgets(
        {"name": "W", "url": "http://127.0.0.1:8080/w.html", "location": "desk.topband"},
        whiteListedDomains=["https://localhost", "https://localhost.example.com"],
        cspDomains={"connect-src": ["https://[::1]:9000", "http://app.localhost"]},
        callbackListener={"onUpdate": "http://localhost/hook"},
        secret="<s>",
        TPAOauth=[{**TPA, "tokenUrl": "https://127.0.0.1/token"}],
    )
    assert pointers(value, "localhost-url") == [
        "/modules/widgets/0/url",
        "/whiteListedDomains/0",
        "/cspDomains/connect-src/0",
        "/cspDomains/connect-src/1",
        "/callbackListener/onUpdate",
        "/TPAOauth/0/tokenUrl",
    ]
    assert found(value, "insecure-http") == []


def test_passwords_in_urls_are_masked_in_every_message() -> None:
    value = manifest(
        whiteListedDomains=["http://user:hunter2hunter2@a.com", "user:hunter2hunter2@b.com"],
        cspDomains={"connect-src": ["ftp://user:hunter2hunter2@c.com"]},
    )
    findings = check(value)
    assert findings
    for finding in findings:
        assert "hunter2" not in finding.message, finding
