"""What an extension's calls need: its connections, the calls of each link name, their scopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.calls.model import CallSite, CodeAnalysis, HostKind, Url
from checker.catalog.api_paths import Catalogue
from checker.extension import Extension
from checker.rules.base import quote
from checker.rules.connections import connections
from checker.scopes import KNOWN_SERVICES, ZohoScope, ascii_lower, covers, parse_zoho_scope


@dataclass(frozen=True, slots=True)
class Declared:
    """A connection of the manifest: its link name and where it stands."""

    link: str
    pointer: str
    label: str
    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Need:
    """One requirement of one call: any one of ``scopes`` serves it."""

    scopes: tuple[str, ...]
    call: CallSite
    request: str  # "GET https://desk.zoho.com/api/v1/tickets/*"


class CodeNeeds:
    """The manifest's connections beside the code's calls, and what those calls need.

    Shared by the audit of ``check`` (:mod:`checker.calls.audit`) and the diff's
    ``used_by_code`` (:mod:`checker.calls.usage`), so both read the code the same way: a call
    belongs to a connection when it names the connection's link name exactly; a proxied call
    whose link name the reader could not follow may belong to any of them.
    """

    def __init__(self, extension: Extension, analysis: CodeAnalysis, table: Catalogue) -> None:
        self.ext = extension
        self.analysis = analysis
        self.table = table
        self.declared = [
            Declared(value["connectionLinkName"], pointer, _label(pointer, value), value)
            for pointer, value in connections(extension)
            if isinstance(value.get("connectionLinkName"), str)
        ]
        self.proxied = [c for c in analysis.calls if c.kind.proxied]
        self.browser = [c for c in analysis.calls if c.kind.browser]
        self.by_link: dict[str, list[CallSite]] = {}
        for call in self.proxied:
            for link in call.links or ():
                if link:
                    self.by_link.setdefault(link, []).append(call)
        # a call whose link name is unknown may use any connection
        self.links_known = analysis.complete and all(c.links is not None for c in self.proxied)
        # some code was read and none of it was left unread: only then can "no call" mean
        # "unused" (an extension without code files may be used by a server, or Deluge)
        self.read_all = analysis.complete and bool(analysis.files)

    def needs(self, call: CallSite, url: Url) -> tuple[list[Need] | None, str]:
        """What one URL alternative of a call needs (every method), or None and why."""
        if url.kind is not HostKind.ABSOLUTE:
            return None, "its host is not known"
        if not call.methods:
            return None, "its HTTP method is not known"
        out: list[Need] = []
        for method in call.methods:
            found = self.table.needs(url.host, url.path, method)
            if found.requirements is None:
                return None, found.reason
            request = f"{method} {url.text}"
            out.extend(Need(r, call, request) for r in found.requirements)
        return out, ""

    def near_miss(self, link: str) -> bool:
        """A call names a link name that is this one but for case or surrounding spaces."""
        folded = ascii_lower(link.strip())
        return any(
            other != link and ascii_lower(other.strip()) == folded
            for call in self.proxied
            for other in call.links or ()
        )

    def connection_needs(self, calls: list[CallSite]) -> tuple[list[Need], bool]:
        """Every requirement of the calls of one connection, and whether all are known."""
        out: list[Need] = []
        complete = True
        for call in calls:
            if call.reasons or not call.urls:
                complete = False
                continue
            for url in call.urls:
                found, _ = self.needs(call, url)
                if found is None:
                    complete = False
                else:
                    out.extend(found)
        return out, complete


def zoho_grammar(declared_zoho: bool, scopes: list[Any]) -> bool:
    """Whether a scope list follows Zoho's grammar: as the manifest rules decide, or (for
    connectors of a predefined Zoho service such as ``zoho_desk``) when every scope parses
    and names a known Zoho service."""
    if declared_zoho:
        return True
    parsed = [parse_zoho_scope(s) if isinstance(s, str) else None for s in scopes]
    return bool(parsed) and all(
        p is not None and ascii_lower(p.service) in KNOWN_SERVICES for p in parsed
    )


def serves(held: ZohoScope, wanted: str) -> bool:
    """Whether a granted scope covers one alternative of a requirement (Zoho's lattice)."""
    scope = parse_zoho_scope(wanted)
    return scope is not None and covers(held, scope)


def _label(pointer: str, value: dict[str, Any]) -> str:
    if pointer == "/zohoAuthorisation":
        return f"the zohoAuthorisation connection {quote(value['connectionLinkName'])}"
    return f"connection {quote(value['connectionLinkName'])}"
