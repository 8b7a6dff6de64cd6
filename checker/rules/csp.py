"""cspDomains: connect-src as Zoho's toolkit checks it, and the directives it ignores (2.13)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.urls import is_valid_url, parse_host, redact_credentials
from checker.rules.values import (
    JS_WHITESPACE,
    display_pointer,
    js_trim,
    quote_text,
    quote_url,
    strings,
)
from checker.services import CSP_DOMAINS
from checker.source import join_pointer

CONNECT_SRC = "connect-src"
# Directive names of CSP Level 3 that take source lists or are commonly set.
DIRECTIVES = (
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "prefetch-src",
    "form-action",
    "frame-ancestors",
    "base-uri",
)
_DIRECTIVE_SET = frozenset(DIRECTIVES)
# Directives whose sources run code or embed documents in the widget.
_CODE_DIRECTIVES = frozenset(
    {
        "default-src",
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "worker-src",
        "object-src",
        "frame-src",
        "child-src",
    }
)
_RISKY = {
    "'unsafe-inline'": "lets injected inline scripts and event handlers run and defeats the "
    "policy; move inline code into bundled .js files",
    "'unsafe-eval'": "lets strings run as code (eval, new Function); remove it and avoid eval",
    "'unsafe-hashes'": "lets inline event handlers run; move them into bundled .js files",
    "*": "lets any host on the internet supply code or frames; list the hosts you need",
    "data:": "lets code or frames come from data: URLs, which an attacker can write inline; "
    "remove it",
    "http:": "lets any host supply code or frames over plain http; list the https hosts you need",
    "https:": "lets any https host supply code or frames; list the hosts you need",
    "javascript:": "lets javascript: URLs run; remove it",
}
_KEYWORDS = frozenset(
    {
        "'self'",
        "'none'",
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'unsafe-hashes'",
        "'strict-dynamic'",
        "'report-sample'",
        "'wasm-unsafe-eval'",
        "'inline-speculation-rules'",
    }
)
_NONCE_OR_HASH = re.compile(r"'(?:nonce-[A-Za-z0-9+/_=-]+|sha(?:256|384|512)-[A-Za-z0-9+/_=-]+)'\Z")
_SCHEME_SOURCE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\Z")
_HOST_SOURCE = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://)?"
    r"(?P<host>\*|(?:\*\.)?[^\s:/?#]+)"
    r"(?::(?P<port>[0-9]+|\*))?"
    r"(?P<path>/[^\s?#]*)?\Z"
)
_WHITESPACE = re.compile(f"[{JS_WHITESPACE}]+")


@rule(
    "csp-connect-src",
    Severity.ERROR,
    summary="`connect-src` entries must be http(s)/wss URLs or `blob:`, without repeats.",
    doc="""
`connect-src` lists where the widget's scripts may send requests. Zoho's toolkit splits
each entry on single spaces and requires every part to be a URL with an `http:`, `https:` or
`wss:` scheme, or the literal `blob:`; CSP keywords such as `'self'`, `*` and `data:` are
rejected. It reports the whole list in one line (`... - found to be invalid URL(s) in
connect-src`), and crashes on an entry that is not a string. It also rejects repeated entries
(`Duplicate entry found in connect-src`). This rule reports each bad entry and each repeat at
its own line. (At most 10 entries, and the presence of `connect-src`, are checked by
`manifest-schema`.) The toolkit makes this check for Desk, Projects, Creator and Bigin (its
offline Mail rule makes it too), and so does this rule.

**Fix:** list the exact origins the widget calls.

```json
{"cspDomains": {"connect-src": ["'self'", "api.example.com"]}}
```
becomes `{"connect-src": ["https://api.example.com"]}`.
""",
    zet=Zet.SAME,
    services=CSP_DOMAINS,
)
def check_connect_src(ext: Extension) -> Iterator[Hit]:
    """ZET's validateCspDomains on connect-src, one finding per entry."""
    csp = ext.value.get("cspDomains")
    if not isinstance(csp, dict):
        return
    seen: dict[str, str] = {}
    for pointer, entry in strings(csp.get(CONNECT_SRC), join_pointer("/cspDomains", CONNECT_SRC)):
        trimmed = js_trim(entry)
        tokens = trimmed.split(" ")
        bad = [token for token in tokens if token != "blob:" and not is_valid_url(token)]
        if bad:
            yield Hit(pointer, _connect_message(entry, bad[0]))
        first = seen.get(trimmed)
        if first is not None:
            yield Hit(
                pointer,
                f"connect-src entry {quote_url(entry)} repeats the one at "
                f"{display_pointer(first)}; Zoho rejects repeated entries; remove it",
                related=(first,),
            )
        else:
            seen[trimmed] = pointer


def _connect_message(entry: str, token: str) -> str:
    shown = quote_url(entry)
    if not js_trim(entry):
        return "connect-src has an empty entry, which Zoho rejects; remove it"
    if token == "":
        return (
            f"connect-src entry {shown} has two spaces in a row; Zoho splits entries on single "
            "spaces and rejects the empty part; separate URLs with one space or use one entry each"
        )
    if token in _KEYWORDS or token in ("*", "data:") or _SCHEME_SOURCE.match(token):
        part = "" if js_trim(entry) == token else f": {quote_url(token)}"
        return (
            f"connect-src entry {shown}{part} is a CSP keyword or scheme, which Zoho's "
            "connect-src does not accept (only http, https and wss URLs, and blob:); list the "
            'origins the widget calls, e.g. "https://api.example.com"'
        )
    if is_valid_url(f"https://{token}"):
        return f'connect-src entry {shown} has no scheme, so Zoho rejects it; write "https://{redact_credentials(token)}"'
    part = "" if js_trim(entry) == token else f": {quote_url(token)}"
    return (
        f"connect-src entry {shown}{part} is not an http(s) or wss URL, so Zoho "
        'rejects it; write an origin such as "https://api.example.com"'
    )


@rule(
    "csp-directive",
    Severity.WARNING,
    summary="cspDomains directives other than connect-src: known names, valid and safe sources.",
    doc="""
Zoho's toolkit examines only `connect-src`; every other directive in `cspDomains` passes
whatever it holds, including `script-src: ["javascript:alert(1)"]`. Yet `script-src`,
`frame-src` and friends are the riskiest part of a content security policy. This rule
warns about

- directive names that are not CSP directives (`conect-src`, `scriptSrc`), with the closest
  name: a misspelt directive is silently ignored;
- entries that are not CSP source expressions (a URL or host such as
  `https://cdn.example.com` or `*.example.com`, a scheme such as `https:`, a keyword such as
  `'self'`, a nonce or hash);
- in directives that run code or embed pages (`default-src`, `script-src*`, `worker-src`,
  `object-src`, `frame-src`, `child-src`): `'unsafe-inline'`, `'unsafe-eval'`,
  `'unsafe-hashes'`, `*`, `data:`, `http:`, `https:` and `javascript:`, which let injected or
  arbitrary code run inside the widget.

**Fix:** spell directives as in CSP, list exact hosts, and move inline code into bundled
files.

It runs for the services whose `cspDomains` the toolkit examines (Desk, Projects, Creator,
Bigin, and Mail).

```json
{"cspDomains": {"connect-src": [], "script-src": ["'unsafe-inline'", "*"]}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=CSP_DOMAINS,
)
def check_other_directives(ext: Extension) -> Iterator[Hit]:
    """Names, syntax and risky sources of directives ZET ignores."""
    csp = ext.value.get("cspDomains")
    if not isinstance(csp, dict):
        return
    for directive, sources in csp.items():
        if directive == CONNECT_SRC:
            continue
        pointer = join_pointer("/cspDomains", directive)
        if directive not in _DIRECTIVE_SET:
            guess = did_you_mean(directive, DIRECTIVES)
            hint = f'; did you mean "{guess}"?' if guess else "; use a CSP directive name"
            yield Hit(
                pointer,
                f"cspDomains directive {quote_text(directive, 60)} is not a CSP directive, so "
                f"it has no effect{hint}",
                key=True,
            )
        code = directive in _CODE_DIRECTIVES
        for at, entry in strings(sources, pointer):
            for token in _WHITESPACE.split(js_trim(entry)):
                problem = _source_problem(token)
                if problem is not None:
                    part = "" if js_trim(entry) == token else f": {quote_url(token)}"
                    yield Hit(at, f"{directive} entry {quote_url(entry)}{part} {problem}")
                    break
                lowered = token.lower()
                if code and lowered in _RISKY:
                    yield Hit(at, f"{directive} allows {token}, which {_RISKY[lowered]}")


def _source_problem(token: str) -> str | None:
    """Why ``token`` is not a CSP source expression, or None when it is one."""
    if not token:
        return "is empty; remove it"
    lowered = token.lower()
    if lowered in _KEYWORDS or _NONCE_OR_HASH.match(token) or token == "*":
        return None
    if _SCHEME_SOURCE.match(token):
        return None
    if token.startswith("'"):
        return (
            "is not a CSP keyword ('self', 'none', 'unsafe-inline', ...); check the spelling "
            "and the quotes"
        )
    match = _HOST_SOURCE.match(token)
    if match is not None:
        host = match.group("host")
        bare = host[2:] if host.startswith("*.") else host
        if host == "*" or parse_host(bare) is not None:
            return None
    return "is not a valid CSP source; write a host such as https://cdn.example.com"


RULES: tuple[Rule, ...] = (check_connect_src, check_other_directives)
