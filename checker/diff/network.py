"""The network aspects: whiteListedDomains, cspDomains and callbackListener URLs, and why a
new host is riskier than usual (reference table (d), rows 16 and 17).

Imports the shared modules of this package (sides, collect) and the pure core; no other
aspect.
"""

from __future__ import annotations

import re

from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Comparison
from checker.diff.sides import DocumentSide, host, member, missing_from, quote, trim
from checker.rules.urls import parse_url
from checker.source import join_pointer

K = ChangeKind
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}\Z")


def _host_reasons(entry: str, known_hosts: set[str] | None = None) -> list[str]:
    """Why a new domain is riskier than usual (reference table (d), rows 16 and 17)."""
    text = trim(entry)
    url = parse_url(text)
    if url is None:
        if "*" in text:
            return ["a wildcard"]
        return []
    reasons: list[str] = []
    if "*" in url.host:
        reasons.append("a wildcard host")
    if url.scheme in ("http", "ws"):
        reasons.append(f"plain {url.scheme} without TLS")
    if url.host.startswith("[") or _IPV4.match(url.host):
        reasons.append("an IP address")
    if url.is_loopback:
        reasons.append("a localhost address")
    if known_hosts and not reasons and _site(url.host) not in known_hosts:
        reasons.append("a host unrelated to the ones already listed")
    return reasons


def _site(name: str) -> str:
    """The last two labels of a host name (``api.example.com`` -> ``example.com``)."""
    labels = name.rstrip(".").split(".")
    return ".".join(labels[-2:])


def domains(diff: Comparison) -> None:
    """whiteListedDomains entries added (server-side requests through Desk) or removed."""
    base = diff.base.strings("", diff.base.root, "whiteListedDomains")
    head = diff.head.strings("", diff.head.root, "whiteListedDomains")
    known = {_site(h) for v, _ in base if (h := host(v))}
    for value, pointer in missing_from(base, head):
        reasons = _host_reasons(value, known)
        because = f" ({', '.join(reasons)})" if reasons else ""
        diff.gained(
            K.DOMAIN_ADDED,
            f"whiteListedDomains gains {quote(value)}{because}: the extension can send "
            "server-side requests there through Desk",
            Risk.HIGH if reasons else Risk.MEDIUM,
            pointer,
            trim(value),
        )
    for value, pointer in missing_from(head, base):
        diff.dropped(
            K.DOMAIN_REMOVED,
            f"whiteListedDomains no longer lists {quote(value)}",
            Risk.INFO,
            pointer,
            trim(value),
        )


def _csp_entries(side: DocumentSide) -> dict[str, list[tuple[str, str]]]:
    """cspDomains entries by directive, with pointers."""
    entries: dict[str, list[tuple[str, str]]] = {}
    for value in side.values("", side.root, "cspDomains"):
        if not isinstance(value, dict):
            continue
        for directive in value:
            found = side.strings("/cspDomains", value, directive)
            entries.setdefault(directive, []).extend(found)
    return entries


def csp(diff: Comparison) -> None:
    """cspDomains entries added to a directive (what widget code may reach or load) or removed."""
    base = _csp_entries(diff.base)
    head = _csp_entries(diff.head)
    for directive, entries in head.items():
        for value, pointer in missing_from(base.get(directive, []), entries):
            reasons = _host_reasons(value)
            connect = directive == "connect-src"
            because = f" ({', '.join(reasons)})" if reasons else ""
            effect = (
                "widget code can send data there"
                if connect
                else "it lets remote content run or load in the widget"
            )
            diff.gained(
                K.CSP_DOMAIN_ADDED,
                f"{member('cspDomains', directive)} gains {quote(value)}{because}: {effect}",
                Risk.HIGH if reasons or not connect else Risk.MEDIUM,
                pointer,
                trim(value),
            )
    for directive, entries in base.items():
        for value, pointer in missing_from(head.get(directive, []), entries):
            diff.dropped(
                K.CSP_DOMAIN_REMOVED,
                f"{member('cspDomains', directive)} no longer lists {quote(value)}",
                Risk.INFO,
                pointer,
                trim(value),
            )


def _callback_urls(side: DocumentSide) -> dict[tuple[str, str], str]:
    """Every (listener key, trimmed URL) a side declares, with the pointer of its first."""
    urls: dict[tuple[str, str], str] = {}
    for value in side.values("", side.root, "callbackListener"):
        if not isinstance(value, dict):
            continue
        for key in value:
            for url in side.values("/callbackListener", value, key):
                if isinstance(url, str) and trim(url):
                    urls.setdefault((key, trim(url)), join_pointer("/callbackListener", key))
    return urls


def callbacks(diff: Comparison) -> None:
    """callbackListener URLs (where Desk posts events) added, moved or removed."""
    base = _callback_urls(diff.base)
    head = _callback_urls(diff.head)
    base_by_key: dict[str, list[str]] = {}
    for key, url in base:
        base_by_key.setdefault(key, []).append(url)
    for (key, url), pointer in head.items():
        if (key, url) in base:
            continue
        listener = member("callbackListener", key)
        olds = base_by_key.get(key, [])
        if not olds:
            diff.gained(
                K.CALLBACK_ADDED,
                f"{listener} is new: Desk will post events and a security context to {quote(url)}",
                Risk.HIGH,
                pointer,
                url,
            )
            continue
        same_host = host(url) is not None and host(url) in {host(o) for o in olds}
        diff.add(
            K.CALLBACK_MOVED,
            f"{listener} now points to {quote(url)} instead of {quote(olds[0])}"
            + (" (same host, another path)" if same_host else " (another host)"),
            Risk.MEDIUM if same_host else Risk.HIGH,
            Side.HEAD,
            pointer,
            subject=url,
            before=olds[0],
            after=url,
        )
    head_keys = {key for key, _url in head}
    for (key, url), pointer in base.items():
        if key not in head_keys:
            diff.add(
                K.CALLBACK_REMOVED,
                f"{member('callbackListener', key)} was removed",
                Risk.INFO,
                Side.BASE,
                pointer,
                before=url,
            )
