"""URLs with holes: their host and path, Zoho data-centre switches, and allow-list matching."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from checker.calls.model import HostKind, Url
from checker.calls.values import Hole, Text

DC = "{dc}"
# A hole right after one of these stems inside a host is a data-centre switch
# (`desk.zoho.${dc}`, `books.zoho${ext}`, `www.zohoapis.${tld}`): code-usage.md, section b.
_DC_STEM = re.compile(r"(?:^|\.)(zoho|zohoapis|zohocloud|zohopublic|zohostatic)\.?\Z")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def to_url(value: Text) -> Url:
    """What a string alternative says about the request's destination."""
    parts = value.parts
    shown = value.shown()
    if not parts:
        return Url(shown, HostKind.UNKNOWN)
    head = parts[0]
    if not isinstance(head, str):
        return Url(shown, HostKind.UNKNOWN)
    if head.startswith("//"):
        scheme, rest = "https", head[2:]  # protocol-relative: the widget is served over https
    else:
        match = _SCHEME.match(head)
        if match is None:
            return Url(shown, HostKind.SELF, path=_path([head.split("?")[0]]))
        scheme = match.group(1).lower()
        rest = head[match.end() :]
        if not rest.startswith("//"):
            return Url(shown, HostKind.UNKNOWN)  # data:, blob:, javascript: ...
        rest = rest[2:]
    # the host runs to the first '/', '?' or '#', across holes only for a data-centre switch
    host = ""
    remaining: list[str | Hole] = [rest, *parts[1:]]
    index = 0
    after: list[str | Hole] = []
    while index < len(remaining):
        part = remaining[index]
        if isinstance(part, str):
            cut = re.search(r"[/?#]", part)
            if cut is None:
                host += part
                index += 1
                continue
            host += part[: cut.start()]
            after = [part[cut.start() :], *remaining[index + 1 :]]
            break
        following = remaining[index + 1] if index + 1 < len(remaining) else ""
        if (
            _DC_STEM.search(host)
            and DC not in host
            and (following == "" or (isinstance(following, str) and following[:1] in "/?#:"))
        ):
            host = host.rstrip(".") + "." + DC
            index += 1
            continue
        return Url(shown, HostKind.UNKNOWN)
    host, port = _host_and_port(host, scheme)
    if not host:
        return Url(shown, HostKind.UNKNOWN)
    return Url(shown, HostKind.ABSOLUTE, scheme, host, port, _path(after))


def _host_and_port(authority: str, scheme: str) -> tuple[str, str]:
    """An authority's host, lower-cased and without user info, and its port ("" when absent
    or the scheme's default)."""
    host = authority.lower()
    if "@" in host:  # user:password@host
        host = host.rsplit("@", 1)[1]
    port = ""
    if ":" in host and not host.endswith("]"):
        host, port = host.rsplit(":", 1)
        if port == _DEFAULT_PORTS.get(scheme):
            port = ""
    return host, port


def _path(parts: list[str | Hole]) -> str:
    """The path's text with ``*`` for holes, up to a literal '?' or '#'."""
    out = []
    for part in parts:
        if isinstance(part, str):
            cut = re.search(r"[?#]", part)
            if cut is not None:
                out.append(part[: cut.start()])
                break
            out.append(part)
        else:
            out.append("*")
    return "".join(out)


def hosts(url: Url, data_centres: Iterable[str]) -> tuple[str, ...]:
    """The concrete hosts a URL can reach: one per data centre for a ``{dc}`` switch."""
    if DC not in url.host:
        return (url.host,)
    return tuple(url.host.replace(DC, dc) for dc in data_centres)


@dataclass(frozen=True, slots=True)
class Source:
    """One allow-list entry: a whiteListedDomains URL or a connect-src source expression.

    ``any_host`` is set for ``*`` and scheme-only sources (``https:``); ``keyword`` for
    quoted CSP keywords such as ``'self'``, which name no host.
    """

    raw: str
    scheme: str = ""
    host: str = ""
    port: str = ""
    any_host: bool = False
    keyword: bool = False


def parse_source(raw: str) -> Source | None:
    """An allow-list entry, or None when it names nothing a request can match."""
    text = raw.strip()
    if not text:
        return None
    if text.startswith("'"):
        return Source(raw, keyword=True)
    if text == "*":
        return Source(raw, any_host=True)
    scheme = ""
    match = _SCHEME.match(text)
    if match is not None and (text[match.end() :].startswith("//") or match.end() == len(text)):
        scheme = match.group(1).lower()
        text = text[match.end() :]
        if not text:
            return Source(raw, scheme=scheme, any_host=True)
        text = text[2:]
    host, port = _host_and_port(re.split(r"[/?#]", text, maxsplit=1)[0], scheme)
    if not host:
        return None
    return Source(raw, scheme, host, port)


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return pattern == host


def _scheme_matches(source: str, call: str, *, csp: bool) -> bool:
    if not source:
        return True
    if not csp:
        return source == call
    # CSP Level 3, "scheme-part matching": http allows https, ws allows wss, and so on
    upgrades = {"http": {"http", "https"}, "ws": {"ws", "wss"}, "https": {"https", "wss"}}
    return call in upgrades.get(source, {source})


def allowed(url: Url, host: str, source: Source, *, csp: bool) -> bool:
    """Whether a request to ``host`` (one concrete host of ``url``) matches ``source``.

    Paths are not compared (Zoho documents none for whiteListedDomains; for connect-src the
    check stays at origins, which never reports a request the browser would allow).
    """
    if source.keyword:
        return False
    if not _scheme_matches(source.scheme, url.scheme, csp=csp):
        return False
    if source.any_host:
        return True
    if not _host_matches(source.host, host):
        return False
    return source.port in ("*", url.port)
