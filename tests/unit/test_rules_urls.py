"""is_valid_url against the behaviour of Zoho's toolkit (Node's WHATWG parser), and helpers."""

from __future__ import annotations

import pytest

from checker.rules.urls import is_valid_url, parse_url, redact_credentials

# manifest-facts section 3: accepted by `new URL` with scheme http, https or wss.
ACCEPTED = [
    "HTTPS://A.COM",
    "  https://a.com  ",
    "https:example.com",
    "http:/a.com",
    "https:\\\\a.com",
    "https://*.zoho.com",
    "https://exa_mple.com",
    "https://-a.com",
    "https://a..com",
    "https://%41.com",
    "https://[::1]/",
    "https://192.168.0.1",
    "https://user:pw@a.com",
    "https://a.com:0",
    "https://a.com:65535/x?y#z",
    "wss://socket.example.com",
    "https://a.com/path with spaces",
    "https://a.com:",
    "https://a.com\t/x",
    "https://m\u00fcller.de",
]
REJECTED = [
    "ws://a.com",
    "ftp://a.com",
    "blob:",
    "example.com",
    "http://",
    "https://",
    "https://a b.com",
    "https://a.com:65536",
    "https://a.com:8x",
    "",
    "   ",
    "'self'",
    "*",
    "data:",
    "javascript:alert(1)",
    "https://1.2.3.256",
    "https://a.1",
    "https://[::1",
    "https://[fe80::1%25eth0]/",
    "https://user@",
    "https://%zz.com",
    "https://a%20b.com",
    "https://a<b.com",
    "https://a^b.com",
    "https://a|b.com",
    "https://\u3000.com",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_like_node(text: str) -> None:
    assert is_valid_url(text)


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_like_node(text: str) -> None:
    assert not is_valid_url(text)


@pytest.mark.parametrize("value", [None, 5, 1.5, True, [], {}, ["https://a.com"]])
def test_non_strings_are_not_urls(value: object) -> None:
    assert not is_valid_url(value)


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        ("https://API.Example.COM/x", "api.example.com", None),
        ("https://0x7f.1", "127.0.0.1", None),
        ("http://127.1:80/", "127.0.0.1", None),
        ("https://a.com:8443", "a.com", 8443),
        ("https://[0:0::1]:1", "[::1]", 1),
        ("https://m\u00fcller.de", "xn--mller-kva.de", None),
    ],
)
def test_host_and_port_are_serialised_like_whatwg(text: str, host: str, port: int | None) -> None:
    url = parse_url(text)
    assert url is not None
    assert (url.host, url.port) == (host, port)


@pytest.mark.parametrize(
    ("text", "loopback"),
    [
        ("http://localhost:3000", True),
        ("http://app.localhost", True),
        ("https://127.0.0.1:5000", True),
        ("https://127.1", True),
        ("https://[::1]:8443", True),
        ("https://localhost.example.com", False),
        ("https://128.0.0.1", False),
        ("https://api.example.com", False),
    ],
)
def test_loopback_hosts(text: str, loopback: bool) -> None:
    url = parse_url(text)
    assert url is not None
    assert url.is_loopback is loopback


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://u:pw@x.com/a", "https://u:***@x.com/a"),
        ("https://u:p@ss@x.com", "https://u:***@x.com"),
        ("https://x.com/a:b@c", "https://x.com/a:b@c"),
        ("https://user@x.com", "https://user@x.com"),
        ("not a url", "not a url"),
        ("user:pw@b.com", "user:***@b.com"),
        ("https:u:pw@b.com", "https:u:***@b.com"),
        (" https://u:pw@b.com/x@y", " https://u:***@b.com/x@y"),
    ],
)
def test_passwords_are_redacted(text: str, expected: str) -> None:
    assert redact_credentials(text) == expected


def test_huge_and_odd_inputs_do_not_raise() -> None:
    for text in (
        "https://" + "a" * 100_000,
        "https://" + "/" * 50_000,
        "\ud800://x",
        "https://\ud800",
    ):
        assert is_valid_url(text) in (True, False)
