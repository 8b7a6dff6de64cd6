"""Value types of the code reader: files handed in, call sites found, what could not be read."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CallKind(enum.Enum):
    """Which API a call site uses; the first four go through Zoho's request proxy."""

    DESK_REQUEST = "ZOHODESK.request"
    FINANCE_REQUEST = "ZFAPPS.request"
    CRM_INVOKE = "ZOHO.CRM.CONNECTION.invoke"
    SDK_REQUEST = "request"  # App.request / Sprints sdk.request({connectionLinkName})
    FETCH = "fetch"
    XHR = "XMLHttpRequest.open"
    AXIOS = "axios"
    AJAX = "$.ajax"
    WEBSOCKET = "WebSocket"
    EVENT_SOURCE = "EventSource"
    BEACON = "navigator.sendBeacon"

    @property
    def proxied(self) -> bool:
        """Sent by Zoho's servers on the widget's behalf (whiteListedDomains, connections)."""
        return self in _PROXIED

    @property
    def browser(self) -> bool:
        """Sent by the browser itself (the widget's Content-Security-Policy connect-src)."""
        return not self.proxied


_PROXIED = frozenset(
    {CallKind.DESK_REQUEST, CallKind.FINANCE_REQUEST, CallKind.CRM_INVOKE, CallKind.SDK_REQUEST}
)


class HostKind(enum.Enum):
    """What is known about the host a URL alternative reaches."""

    ABSOLUTE = "absolute"  # scheme and host are known (data-centre switches allowed)
    SELF = "self"  # a relative URL: the widget's own origin
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Url:
    """One alternative of a call's URL, reduced to what static analysis can know.

    ``host`` is lower-case and may hold ``{dc}`` where the code switches Zoho data centres
    (``desk.zoho.{dc}``); ``path`` is the path's text with ``*`` for each unknown part, query
    and fragment removed; ``text`` is the whole alternative as shown in messages
    (``https://desk.zoho.com/api/v1/tickets/*``).
    """

    text: str
    kind: HostKind
    scheme: str = ""
    host: str = ""
    port: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class CallSite:
    """One request the code makes, as far as it could be resolved.

    ``links`` are the connection link names the call can use: names, ``""`` for none (an
    unauthenticated proxied call, or any browser call); None when the code computes the
    name in a way the reader cannot follow. ``methods`` are upper-case HTTP methods (empty when
    unknown); ``urls`` the alternatives the URL can take (empty when unknown). ``reasons``
    say what could not be resolved; a call with reasons is "not analysed" and never counts
    as evidence that something is unused.
    """

    file: str
    line: int
    column: int
    kind: CallKind
    links: tuple[str, ...] | None
    methods: tuple[str, ...]
    urls: tuple[Url, ...]
    reasons: tuple[str, ...] = ()

    @property
    def analysed(self) -> bool:
        """Link name (for proxied calls) and every URL's host were resolved."""
        return not self.reasons

    @property
    def where(self) -> str:
        """``file:line:column`` for messages."""
        return f"{self.file}:{self.line}:{self.column}"


class SkipReason(enum.Enum):
    """Why a file of the extension was not read, or not completely."""

    VENDORED = "a vendored Zoho SDK"
    MINIFIED = "minified"
    TOO_LARGE = "larger than the per-file limit"
    BUDGET = "over the extension's code budget (total size or file count)"
    BINARY = "binary (NUL bytes)"
    NOT_UTF8 = "not UTF-8 text"
    UNREADABLE = "unreadable"
    SYNTAX = "has syntax errors where a request could be"
    TOO_DEEP = "nested too deeply to analyse"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A code file that was not analysed (completely); ``blind`` files may hide calls.

    A vendored SDK or a minified bundle that mentions no request API hides nothing the
    audit looks for; any other skipped file makes the analysis incomplete. ``line`` and
    ``column`` (1-based, characters) place the cause when it has a place: the first syntax
    error that could hide a request, the first byte that is not UTF-8.
    """

    file: str
    reason: SkipReason
    blind: bool = True
    detail: str = ""
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class CodeFile:
    """One code file as the edge read it: a display path and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CodeInput:
    """The code of one extension: files read, and files left unread by the edge's limits."""

    files: tuple[CodeFile, ...] = ()
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeAnalysis:
    """Every call site of an extension, and the files that could not be analysed."""

    calls: tuple[CallSite, ...]
    skipped: tuple[Skipped, ...]
    files: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every file that could hold a request was analysed."""
        return not any(s.blind for s in self.skipped)
