"""whiteListedDomains and cspDomains (manifest-facts 2.6, 2.13)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import found, manifest, pointers

from checker.findings import Severity

# ---- whiteListedDomains ------------------------------------------------------------------


def test_every_invalid_entry_is_reported_at_its_position() -> None:
    # ZET: one generic "Invalid entries found" line, whichever entry is wrong.
    value = manifest(whiteListedDomains=["https://ok.com", "example.com", "", "ftp://a.com"])
    assert pointers(value, "whitelisted-domain") == [
        "/whiteListedDomains/1",
        "/whiteListedDomains/2",
        "/whiteListedDomains/3",
    ]


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ("example.com", 'write "https://example.com"'),
        ("", "empty entry"),
        ("ws://a.com", "uses ws:"),
        ("https://a b.com", "is not a valid URL"),
        ("http://", "is not a valid URL"),
    ],
)
def test_invalid_entry_messages(entry: str, needle: str) -> None:
    [finding] = found(manifest(whiteListedDomains=[entry]), "whitelisted-domain")
    assert finding.severity is Severity.ERROR
    assert needle in finding.message


@pytest.mark.parametrize(
    "entry", ["https://*.zoho.com", "wss://a.b", "http://a.com", "HTTPS://A.COM", "https://a.com/x"]
)
def test_valid_entries(entry: str) -> None:
    assert found(manifest(whiteListedDomains=[entry]), "whitelisted-domain") == []


def test_duplicates_compare_scheme_host_port_and_path() -> None:
    value = manifest(
        whiteListedDomains=[
            "https://a.com",
            "https://A.com/",
            "https://a.com:443",
            "https://a.com:8443",
            "http://a.com",
            "https://a.com/x",
        ]
    )
    findings = found(value, "whitelisted-domain")
    assert [f.location.pointer for f in findings] == [
        "/whiteListedDomains/1",
        "/whiteListedDomains/2",
    ]
    assert {f.severity for f in findings} == {Severity.WARNING}


@pytest.mark.parametrize("value", [None, "https://a.com", 5, {}, [5, None, ["x"], {"a": 1}]])
def test_wrong_types_are_left_to_the_schema(value: Any) -> None:
    assert found(manifest(whiteListedDomains=value), "whitelisted-domain") == []


# ---- connect-src -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "https://a.com",
        "blob:",
        "wss://a.b",
        "https://*.x.com",
        "https://a.com blob:",
        " https://a.com ",
        "http://localhost:3000",
    ],
)
def test_connect_src_accepts_what_zet_accepts(entry: str) -> None:
    value = manifest(cspDomains={"connect-src": [entry]})
    assert found(value, "csp-connect-src") == []


@pytest.mark.parametrize(
    "entry",
    ["'self'", "*", "data:", "nope", "https://a.com  blob:", "", "blob: x", "ws://a.com", "BLOB:"],
)
def test_connect_src_rejects_what_zet_rejects(entry: str) -> None:
    value = manifest(cspDomains={"connect-src": [entry]})
    [finding] = found(value, "csp-connect-src")
    assert finding.severity is Severity.ERROR
    assert finding.location.pointer == "/cspDomains/connect-src/0"


def test_connect_src_duplicates_after_trim_are_errors() -> None:
    value = manifest(
        cspDomains={"connect-src": ["https://a.com", " https://a.com", "https://A.com"]}
    )
    findings = found(value, "csp-connect-src")
    assert [f.location.pointer for f in findings] == ["/cspDomains/connect-src/1"]
    assert findings[0].related[0].pointer == "/cspDomains/connect-src/0"


@pytest.mark.parametrize(
    "csp", [None, "x", [], {"connect-src": None}, {"connect-src": [5, None, ["a"]]}, {}]
)
def test_connect_src_wrong_types_are_left_to_the_schema(csp: Any) -> None:
    assert found(manifest(cspDomains=csp), "csp-connect-src") == []


# ---- other directives --------------------------------------------------------------------


def _directive(name: str, *entries: str) -> dict[str, Any]:
    return manifest(cspDomains={"connect-src": [], name: list(entries)})


@pytest.mark.parametrize(
    "token",
    ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:", "http:", "'UNSAFE-INLINE'"],
)
@pytest.mark.parametrize("directive", ["script-src", "frame-src", "default-src", "worker-src"])
def test_risky_sources_in_code_directives(directive: str, token: str) -> None:
    [finding] = found(_directive(directive, token), "csp-directive")
    assert finding.severity is Severity.WARNING
    assert f"{directive} allows {token}" in finding.message


@pytest.mark.parametrize(
    ("directive", "entry"),
    [
        ("img-src", "*"),
        ("img-src", "data:"),
        ("style-src", "'unsafe-inline'"),
        ("script-src", "'self' https://cdn.example.com"),
        ("script-src", "'nonce-abc123=='"),
        ("script-src", "'sha256-AbC+/='"),
        ("font-src", "fonts.gstatic.com"),
        ("img-src", "*.example.com:*"),
        ("script-src", "https://cdn.example.com/lib/"),
    ],
)
def test_ordinary_sources_pass(directive: str, entry: str) -> None:
    assert found(_directive(directive, entry), "csp-directive") == []


@pytest.mark.parametrize(
    "entry", ["'slef'", "https://a^b.com", "@team", "http://[::1", "a.com?x=1"]
)
def test_invalid_sources_are_warned(entry: str) -> None:
    [finding] = found(_directive("img-src", entry), "csp-directive")
    assert finding.location.pointer == "/cspDomains/img-src/0"


@pytest.mark.parametrize(
    ("directive", "guess"),
    [("conect-src", "connect-src"), ("scriptSrc", None), ("script_src", "script-src"), ("x", None)],
)
def test_unknown_directive_names(directive: str, guess: str | None) -> None:
    findings = found(_directive(directive), "csp-directive")
    assert len(findings) == 1
    assert findings[0].location.key
    if guess:
        assert f'did you mean "{guess}"' in findings[0].message


def test_zet_ignores_other_directives_but_javascript_urls_are_flagged() -> None:
    # manifest-facts section 5: script-src ["javascript:alert(1)"] passes ZET.
    findings = found(_directive("script-src", "javascript:alert(1)"), "csp-directive")
    assert findings, "javascript: in script-src must be reported"
