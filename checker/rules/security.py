"""Plain-text secrets, plain-http endpoints and localhost leftovers anywhere in the manifest."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.urls import Url, parse_url
from checker.rules.values import (
    JS_WHITESPACE,
    display_pointer,
    is_credential_name,
    js_trim,
    objects,
    quote_text,
    quote_url,
    strings,
    widgets,
)
from checker.source import join_pointer

_TOKENS = re.compile(f"[{JS_WHITESPACE}]+")
_PLACEHOLDER_MARKS = re.compile(r"[<>{}\[\]]|\$\(|\$\{|%[A-Za-z_]+%|\*\*|x{4,}", re.IGNORECASE)
_PLACEHOLDER_WORDS = (
    "your",
    "change",
    "placeholder",
    "example",
    "dummy",
    "sample",
    "redacted",
    "replace",
    "insert",
    "enter_",
    "todo",
    "fixme",
    "here",
    "xxx",
)
_KEY_NAMES = frozenset(
    {
        "secret",
        "clientsecret",
        "client_secret",
        "password",
        "token",
        "apikey",
        "api_key",
        "none",
        "null",
        "undefined",
        "test",
        "testing",
    }
)
MIN_SECRET_LENGTH = 8


def looks_like_real_secret(value: str) -> bool:
    """True unless the value is short, repetitive or an obvious placeholder."""
    text = value.strip()
    if len(text) < MIN_SECRET_LENGTH or len(set(text)) <= 2:
        return False
    lowered = text.lower()
    if lowered in _KEY_NAMES or _PLACEHOLDER_MARKS.search(text):
        return False
    return not any(word in lowered for word in _PLACEHOLDER_WORDS)


class UrlPlace(NamedTuple):
    """A URL-valued member (or one token of a CSP entry); ``what`` names it in messages.

    A named tuple, not a frozen dataclass: every manifest has several, and making one cost
    a microsecond and a half, most of the time of building them.
    """

    pointer: str
    text: str
    kind: str
    show_value: bool = True

    @property
    def what(self) -> str:
        """``whiteListedDomains entry "https://..."`` (passwords masked)."""
        return f"{self.kind} {quote_url(self.text)}" if self.show_value else self.kind


def url_places(ext: Extension) -> Iterator[UrlPlace]:
    """Every URL-valued place except widget code URLs."""
    for at, entry in strings(ext.value.get("whiteListedDomains"), "/whiteListedDomains"):
        yield UrlPlace(at, entry, "whiteListedDomains entry")
    csp = ext.value.get("cspDomains")
    if isinstance(csp, dict):
        for directive, sources in csp.items():
            pointer = join_pointer("/cspDomains", directive)
            for at, entry in strings(sources, pointer):
                for token in _TOKENS.split(js_trim(entry)):
                    if "://" in token:
                        yield UrlPlace(at, token, f"cspDomains {directive} entry")
    listener = ext.value.get("callbackListener")
    if isinstance(listener, dict):
        for key, value in listener.items():
            if isinstance(value, str):
                at = join_pointer("/callbackListener", key)
                yield UrlPlace(at, value, f"callbackListener {key}", show_value=False)
    for pointer, tpa in objects(ext.value.get("TPAOauth"), "/TPAOauth"):
        for key in ("authoriseUrl", "tokenUrl", "revokeUrl"):
            endpoint = tpa.get(key)
            if isinstance(endpoint, str):
                yield UrlPlace(join_pointer(pointer, key), endpoint, f"TPAOauth {key}")


def _widget_places(ext: Extension) -> Iterator[UrlPlace]:
    for pointer, widget in widgets(ext):
        url = widget.get("url")
        if isinstance(url, str):
            yield UrlPlace(join_pointer(pointer, "url"), url, "widget url")


def _parsed(places: Iterable[UrlPlace]) -> Iterator[tuple[UrlPlace, Url]]:
    for place in places:
        if ":" in place.text:  # no scheme, no URL
            url = parse_url(place.text)
            if url is not None:
                yield place, url


Parsed = tuple[tuple[UrlPlace, Url], ...]
# (extension, its parsed url_places, its parsed widget URLs) for the last extension: the
# three rules below run on the same extension one after another and each needs them.
# Recognised by identity; only the last one is kept.
_LAST: list[tuple[Extension, Parsed, Parsed] | None] = [None]


def _urls(ext: Extension) -> tuple[Parsed, Parsed]:
    """Parsed URL places and widget URLs of ``ext``, built once per extension."""
    last = _LAST[0]
    if last is not None and last[0] is ext:
        return last[1], last[2]
    places, widget_urls = tuple(_parsed(url_places(ext))), tuple(_parsed(_widget_places(ext)))
    _LAST[0] = (ext, places, widget_urls)
    return places, widget_urls


@rule(
    "plain-text-secret",
    Severity.WARNING,
    summary="A real-looking credential is committed in plain text.",
    doc="""
`secret` (with which Desk's calls to the extension and the extension's calls to Desk's
invoke API are signed), `deskOauth.clientSecret` and `TPAOauth[].clientSecret` are
credentials. Committed to a repository they are readable by everyone with access to it, for
ever (git history keeps them after they are removed). The same holds for the `default` of a
config option named like a credential and for a password inside a URL
(`https://user:password@host`). Zoho's toolkit requires some of these members but never
warns. This rule reports values that look real, never echoing them, and skips obvious
placeholders (shorter than 8 characters, `<...>`, `{{...}}`, `${...}`, `*****`, `xxxx`,
`your_secret_here`, `changeme`).

**Fix:** commit a placeholder, inject the real value when packaging (for example from a CI
secret), and rotate the exposed credential.

```json
{"secret": "9f8c2e7d41b3a6f0", "deskOauth": {"clientSecret": "1000.c2f9a1e7b3d4"}}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_plain_text_secrets(ext: Extension) -> Iterator[Hit]:
    """Real-looking secrets in secret, client secrets, credential config defaults and URLs."""
    value = ext.value
    secret = value.get("secret")
    if isinstance(secret, str) and looks_like_real_secret(secret):
        yield Hit(
            "/secret",
            f'"secret" holds what looks like a real signing secret ({len(secret)} characters) '
            "in plain text; anyone who can read the repository can sign requests as the "
            "extension; commit a placeholder, inject the value when packaging, and rotate it",
        )
    desk_oauth = value.get("deskOauth")
    if isinstance(desk_oauth, dict):
        yield from _client_secret("/deskOauth", desk_oauth.get("clientSecret"), "deskOauth")
    for pointer, entry in objects(value.get("TPAOauth"), "/TPAOauth"):
        yield from _client_secret(pointer, entry.get("clientSecret"), display_pointer(pointer))
    for pointer, option in objects(value.get("config"), "/config"):
        name = option.get("name")
        default = option.get("default")
        if not (isinstance(name, str) and is_credential_name(name)):
            continue
        if isinstance(default, str) and looks_like_real_secret(default):
            yield Hit(
                join_pointer(pointer, "default"),
                f"config option {quote_text(name, 60)} has a default that looks like a real "
                f"credential ({len(default)} characters) in plain text; leave the default "
                "empty so each installation enters its own, and rotate the exposed value",
            )
    for place, url in itertools.chain(*_urls(ext)):
        if url.password:
            yield Hit(
                place.pointer,
                f"the URL at {display_pointer(place.pointer)} carries a password before its "
                "host in plain text; remove the credentials from the URL and rotate the password",
            )


def _client_secret(pointer: str, value: object, owner: str) -> Iterator[Hit]:
    if isinstance(value, str) and looks_like_real_secret(value):
        yield Hit(
            join_pointer(pointer, "clientSecret"),
            f"{owner} clientSecret looks like a real OAuth client secret ({len(value)} "
            "characters) in plain text; anyone who can read the repository can act as this "
            "OAuth client; commit a placeholder, inject the value when packaging, and rotate it",
        )


@rule(
    "insecure-http",
    Severity.WARNING,
    summary="An allow-list entry, callback or OAuth endpoint uses plain `http://`.",
    doc="""
Zoho's toolkit accepts `http://` wherever it accepts a URL. Over plain http, requests,
OAuth codes and tokens and Desk's signed event calls can be read and changed by anyone on
the network path. This rule warns about `http://` in `whiteListedDomains`, `cspDomains`,
`callbackListener` and `TPAOauth` endpoints. Hosts on `localhost` are left to
`localhost-url`, remote widget code to `widget-remote-url`.

**Fix:** use `https://` (and `wss://` for web sockets).

```json
{"whiteListedDomains": ["http://api.example.com"]}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_insecure_http(ext: Extension) -> Iterator[Hit]:
    """http:// URLs (not loopback) outside widget code URLs."""
    for place, url in _urls(ext)[0]:
        if url.scheme != "http" or url.is_loopback:
            continue
        yield Hit(
            place.pointer,
            f"{place.what} uses plain http, so traffic to {url.host} can be read and changed on "
            "the way; use https://",
        )


@rule(
    "localhost-url",
    Severity.WARNING,
    summary="A URL points at `localhost`, which exists only on the developer's machine.",
    doc="""
`http://localhost:3000`, `https://127.0.0.1:5000` and `[::1]` are development leftovers: for
every user of the published extension they point at their own computer, so the call fails,
or worse, reaches whatever runs there. Zoho's toolkit accepts them. This rule warns about
loopback hosts in `whiteListedDomains`, `cspDomains`, `callbackListener`, `TPAOauth`
endpoints and widget URLs.

**Fix:** remove the entry before publishing, or replace it with the production host.

```json
{"cspDomains": {"connect-src": ["http://localhost:4001"]}}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_localhost(ext: Extension) -> Iterator[Hit]:
    """Loopback hosts in any URL-valued place."""
    for place, url in itertools.chain(*_urls(ext)):
        if url.is_loopback:
            yield Hit(
                place.pointer,
                f"{place.what} points at {url.host}, which for every user is their own machine; "
                "remove it before publishing or use the production host",
            )


RULES: tuple[Rule, ...] = (check_plain_text_secrets, check_insecure_http, check_localhost)
