"""Hold the manifest's grants against the code's calls: connections, scopes, allowed hosts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.calls import rules as R
from checker.calls.model import CallKind, CallSite, CodeAnalysis, HostKind, Skipped
from checker.calls.needs import CodeNeeds, Declared, Need, serves, zoho_grammar
from checker.calls.urls import Source, allowed, hosts, parse_source
from checker.catalog.api_paths import Catalogue, catalogue
from checker.extension import Extension, join_display
from checker.findings import Finding, Location, Span
from checker.rules.base import RuleInfo, quote
from checker.rules.connections import scope_lists
from checker.scopes import ZohoScope, ascii_lower, ascii_upper, parse_zoho_scope
from checker.source import join_pointer
from checker.wording import plural

MAX_RELATED = 5
MAX_SHOWN = 4
# Services whose manifests declare the connections their widgets use (reference
# code-usage.md, section a): CRM keeps them in the CRM org instead.
DECLARING_SERVICES = frozenset({"DESK", "FINANCE"})


def audit(
    extension: Extension, analysis: CodeAnalysis, table: Catalogue | None = None
) -> list[Finding]:
    """Every least-privilege finding of one extension."""
    return list(_Audit(extension, analysis, table or catalogue()).run())


class _Audit(CodeNeeds):
    def __init__(self, extension: Extension, analysis: CodeAnalysis, table: Catalogue) -> None:
        super().__init__(extension, analysis, table)
        service = extension.service
        self.service = ascii_upper(service.strip()) if isinstance(service, str) else ""
        self.manifest = extension.manifest.path

    # ------------------------------------------------------------------ helpers

    def finding(
        self,
        rule: RuleInfo,
        message: str,
        location: Location,
        related: tuple[Location, ...] = (),
    ) -> Finding:
        return Finding(rule.id, rule.severity, message, location, related)

    def at_call(self, call: CallSite) -> Location:
        return self.in_code(call.file, call.line, call.column)

    def at_skipped(self, skipped: Skipped) -> Location:
        return self.in_code(skipped.file, skipped.line, skipped.column)

    def in_code(self, file: str, line: int | None, column: int | None) -> Location:
        """A place in a code file: a point, or the whole file when there is no line."""
        span = None if line is None else Span(line, column or 1, line, column or 1)
        return Location(join_display(self.ext.root, file), "", span=span)

    def shown(self, call: CallSite) -> str:
        return join_display(self.ext.root, call.where)

    def at_manifest(self, pointer: str) -> Location:
        return Location(self.manifest, pointer)

    def related(self, calls: list[CallSite]) -> tuple[Location, ...]:
        unique = list(dict.fromkeys(calls))
        return tuple(self.at_call(c) for c in unique[:MAX_RELATED])

    # --------------------------------------------------------------------- run

    def run(self) -> Iterator[Finding]:
        yield from self.not_analysed()
        if self.service in DECLARING_SERVICES:
            yield from self.undeclared()
        yield from self.unused_connections()
        yield from self.scopes()
        yield from self.whitelist()
        yield from self.connect_src()

    def not_analysed(self) -> Iterator[Finding]:
        for skipped in self.analysis.skipped:
            if skipped.blind:
                yield self.finding(
                    R.CODE_NOT_ANALYSED,
                    _skipped_message(skipped),
                    self.at_skipped(skipped),
                )
        for call in self.analysis.calls:
            if call.reasons:
                reasons = "; ".join(call.reasons[:MAX_SHOWN])
                yield self.finding(
                    R.CODE_NOT_ANALYSED,
                    f"{call.kind.value} call not analysed: {reasons}; it is not taken as "
                    "evidence that a connection, scope or domain is unused; check it by hand",
                    self.at_call(call),
                )

    def undeclared(self) -> Iterator[Finding]:
        names = {d.link for d in self.declared}
        folded = {ascii_lower(d.link): d.link for d in self.declared}
        where = (
            "usedConnections" if self.service == "FINANCE" else "connectors or zohoAuthorisation"
        )
        for call in self.proxied:
            for link in call.links or ():
                if not link or link in names:
                    continue
                hint = ""
                near = folded.get(ascii_lower(link))
                if near is not None:
                    hint = f" (the manifest declares {quote(near)}: link names are case-sensitive)"
                declared = ", ".join(quote(n) for n in sorted(names)) or "none"
                yield self.finding(
                    R.CONNECTION_UNDECLARED,
                    f"{call.kind.value} uses the connection link name {quote(link)}, which the "
                    f"manifest does not declare{hint}; declared: {declared}. Declare it in "
                    f"{where} or correct the name",
                    self.at_call(call),
                )

    def unused_connections(self) -> Iterator[Finding]:
        if not self.links_known or not self.analysis.files:
            return  # no code read at all is no evidence either way
        for connection in self.declared:
            if connection.link in self.by_link or self.near_miss(connection.link):
                continue  # a near miss is reported as connection-undeclared at the call
            pointer = join_pointer(connection.pointer, "connectionLinkName")
            yield self.finding(
                R.CONNECTION_UNUSED,
                f"{connection.label} (link name {quote(connection.link)}) is used by no call in "
                f"the extension's code ({plural(len(self.analysis.files), 'file')} read); "
                "remove it, or say in the pull request which server or Deluge function uses it",
                self.at_manifest(pointer),
            )

    def scopes(self) -> Iterator[Finding]:
        holders = {d.pointer: d for d in self.declared}
        for scope_list in scope_lists(self.ext):
            connection = holders.get(scope_list.holder)
            if connection is None or not zoho_grammar(scope_list.zoho, scope_list.scopes):
                continue
            calls = self.by_link.get(connection.link, [])
            granted = [
                (i, parse_zoho_scope(s))
                for i, s in enumerate(scope_list.scopes)
                if isinstance(s, str)
            ]
            parsed = [(i, s) for i, s in granted if s is not None]
            needs, complete = self.connection_needs(calls)
            yield from self.insufficient(connection, calls, parsed)
            yield from self.needs_unknown(connection, calls)
            if not calls or not complete or not self.links_known:
                continue
            for index, scope in parsed:
                pointer = join_pointer(scope_list.pointer, index)
                served = [n for n in needs if any(serves(scope, s) for s in n.scopes)]
                if not served:
                    yield self.finding(
                        R.SCOPE_UNUSED,
                        f"scope {quote(scope.raw)} of {connection.label} "
                        f"{_serves_none(calls)} {_needed(needs)}. Remove it",
                        self.at_manifest(pointer),
                        self.related(calls),
                    )
                    continue
                narrower = _narrower(scope, served)
                if narrower:
                    yield self.finding(
                        R.SCOPE_BROADER,
                        f"scope {quote(scope.raw)} of {connection.label} is wider than its "
                        f"calls need: they need {', '.join(narrower)}; grant "
                        f"{'that' if len(narrower) == 1 else 'those'} instead",
                        self.at_manifest(pointer),
                        self.related([n.call for n in served]),
                    )

    def needs_unknown(self, connection: Declared, calls: list[CallSite]) -> Iterator[Finding]:
        """A notice for each analysed call whose scopes the table cannot name."""
        for call in calls:
            if call.reasons:
                continue  # already said: not analysed
            for url in call.urls:
                found, why = self.needs(call, url)
                if found is None:
                    yield self.finding(
                        R.CODE_NOT_ANALYSED,
                        f"the scopes {call.kind.value} to {url.text} needs are not known ({why}); "
                        f"no scope of {connection.label} is reported unused or wider than needed",
                        self.at_call(call),
                    )
                    break

    def insufficient(
        self, connection: Declared, calls: list[CallSite], granted: list[tuple[int, ZohoScope]]
    ) -> Iterator[Finding]:
        scopes = [s for _, s in granted]
        for call in calls:
            missing: dict[tuple[str, ...], str] = {}
            for url in call.urls:
                found, _ = self.needs(call, url)
                for need in found or []:
                    if not any(serves(g, s) for g in scopes for s in need.scopes):
                        missing.setdefault(need.scopes, need.request)
            if not missing:
                continue
            wanted = "; ".join(
                f"{_alternatives(scopes_)} (for {request})" for scopes_, request in missing.items()
            )
            has = ", ".join(s.raw for s in scopes) or "no scope"
            yield self.finding(
                R.SCOPE_INSUFFICIENT,
                f"{call.kind.value} through {connection.label} needs {wanted}, which the "
                f"connection does not grant (it grants {has}); add the scope to the connection "
                "or change the call",
                self.at_call(call),
                (self.at_manifest(join_pointer(connection.pointer, "scope")),),
            )

    def governed_by_whitelist(self, call: CallSite) -> bool:
        """Whether Zoho's proxy holds this call against whiteListedDomains."""
        if self.service == "DESK":
            return call.kind in (CallKind.DESK_REQUEST, CallKind.SDK_REQUEST)
        if self.service == "FINANCE":
            return call.kind is CallKind.FINANCE_REQUEST and call.links == ("",)
        return False

    def whitelist(self) -> Iterator[Finding]:
        entries = self.ext.value.get("whiteListedDomains")
        if self.service not in DECLARING_SERVICES or not isinstance(entries, list):
            return
        sources = _sources(entries)
        governed = [c for c in self.proxied if self.governed_by_whitelist(c)]
        for call in governed:
            yield from self.outside(call, sources, csp=False)
        relevant = [c for c in self.proxied if c.kind is not CallKind.CRM_INVOKE]
        if self.read_all and all(not c.reasons for c in relevant):
            yield from self.unreached(entries, sources, relevant, "/whiteListedDomains", csp=False)

    def connect_src(self) -> Iterator[Finding]:
        csp = self.ext.value.get("cspDomains")
        if not isinstance(csp, dict) or not isinstance(csp.get("connect-src"), list):
            return
        entries = csp["connect-src"]
        sources = _sources(entries)
        for call in self.browser:
            yield from self.outside(call, sources, csp=True)
        if self.read_all and all(not c.reasons for c in self.browser):
            pointer = "/cspDomains/connect-src"
            yield from self.unreached(entries, sources, self.browser, pointer, csp=True)

    def outside(
        self, call: CallSite, sources: list[tuple[int, Source]], *, csp: bool
    ) -> Iterator[Finding]:
        for url in call.urls:
            if url.kind is not HostKind.ABSOLUTE:
                continue
            concrete = hosts(url, self.table.data_centres)
            if any(allowed(url, h, s, csp=csp) for h in concrete for _, s in sources):
                continue
            origin = f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")
            if csp:
                yield self.finding(
                    R.FETCH_HOST,
                    f"{call.kind.value} reaches {origin} ({url.text}), which "
                    "cspDomains.connect-src does not allow, so the browser refuses it; add "
                    f"{quote(origin)} to connect-src or call an allowed host",
                    self.at_call(call),
                )
            else:
                yield self.finding(
                    R.REQUEST_HOST,
                    f"{call.kind.value} reaches {origin} ({url.text}), which whiteListedDomains "
                    f"does not list, so Zoho's request proxy refuses it; add {quote(origin)} to "
                    "whiteListedDomains or call a listed host",
                    self.at_call(call),
                )

    def unreached(
        self,
        entries: list[Any],
        sources: list[tuple[int, Source]],
        calls: list[CallSite],
        pointer: str,
        *,
        csp: bool,
    ) -> Iterator[Finding]:
        name = "connect-src" if csp else "whiteListedDomains"
        kinds = "browser" if csp else "proxied"
        for index, source in sources:
            if source.any_host or source.keyword:
                continue
            reached = any(
                allowed(url, h, source, csp=csp)
                for call in calls
                for url in call.urls
                if url.kind is HostKind.ABSOLUTE
                for h in hosts(url, self.table.data_centres)
            )
            if not reached:
                count = len(set(calls))
                among = (
                    f"is reached by no {kinds} call (there is none)"
                    if not count
                    else f"is not reached by the one {kinds} call"
                    if count == 1
                    else f"is reached by none of the {count} {kinds} calls"
                )
                yield self.finding(
                    R.DOMAIN_UNUSED,
                    f"{name} entry {quote(entries[index])} {among} in the "
                    "extension's code; remove it, or say what needs it (a library or server "
                    "of the extension)",
                    self.at_manifest(join_pointer(pointer, index)),
                )


def _sources(entries: list[Any]) -> list[tuple[int, Source]]:
    out = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            for part in entry.split():  # Zoho splits connect-src entries on spaces
                source = parse_source(part)
                if source is not None:
                    out.append((index, source))
    return out


def _serves_none(calls: list[CallSite]) -> str:
    """ "serves none of the 3 calls through the connection, which need", or, for one call,
    "does not serve the one call ..., which needs" (not "none of the 1 call ..., they need")."""
    n = len(set(calls))
    if n == 1:
        return "does not serve the one call through the connection, which needs"
    return f"serves none of the {n} calls through the connection, which need"


def _alternatives(scopes: tuple[str, ...]) -> str:
    return " or ".join(scopes) if len(scopes) == 1 else "(" + " or ".join(scopes) + ")"


def _needed(needs: list[Need]) -> str:
    unique = list(dict.fromkeys(n.scopes for n in needs))
    shown = [_alternatives(s) for s in unique[:8]]
    more = f" and {len(unique) - 8} more" if len(unique) > 8 else ""
    return ", ".join(shown) + more


def _narrower(scope: ZohoScope, served: list[Need]) -> list[str]:
    """The narrowest scopes that serve what ``scope`` serves, when ``scope`` is wider than
    every one of them; empty when ``scope`` is itself one of the alternatives it serves."""
    out: list[str] = []
    for need in served:
        matching = [s for s in need.scopes if serves(scope, s)]
        if any(parse_zoho_scope(s) is not None and _same(scope, s) for s in matching):
            return []
        out.append(matching[0])
    return list(dict.fromkeys(out))


def _same(scope: ZohoScope, other: str) -> bool:
    parsed = parse_zoho_scope(other)
    return parsed is not None and parsed.key == scope.key


def _skipped_message(skipped: Skipped) -> str:
    detail = f" ({skipped.detail})" if skipped.detail else ""
    return (
        f"code file not analysed: {skipped.reason.value}{detail}; calls it may hold are not "
        "seen, so no connection, scope or domain is reported unused for this extension"
    )
