"""Zoho OAuth scope grammar and the ``covers`` relation between two scopes.

Grammar and rules follow ``zoho-scopes-and-connections.md`` (a.3, a.4): a scope is
``Service.resource[.sub...][.OPERATION]``; ALL covers every operation, WRITE covers CREATE, UPDATE
and DELETE but never READ, a resource covers its dot-segment children, and a ``fullaccess``
resource covers the whole service. Case is folded for ASCII letters only, so a Unicode lookalike
never compares equal to the scope it imitates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATIONS = ("ALL", "READ", "CREATE", "UPDATE", "DELETE", "WRITE", "CUSTOM")
WRITE_COVERS = frozenset({"CREATE", "UPDATE", "DELETE", "WRITE"})
IDENTITY_SCOPES = frozenset({"email", "openid", "profile"})
ASCII_SPACE = " \t\n\r\f\v"

# Canonical spellings of service names seen in Zoho documentation (reference b.1, b.2).
KNOWN_SERVICES = {
    name.lower(): name
    for name in (
        "Desk",
        "ZohoCRM",
        "ZohoBooks",
        "ZohoInventory",
        "ZohoProjects",
        "ZohoSign",
        "ZohoSprints",
        "ZohoCliq",
        "ZohoAssist",
        "ZohoFSM",
        "ZohoSubscriptions",
        "ZohoInvoice",
        "ZohoExpense",
        "ZohoRecruit",
        "ZohoBigin",
        "ZohoMail",
        "ZohoAnalytics",
        "ZohoCreator",
        "ZohoSheet",
        "ZohoWriter",
        "ZOHOPEOPLE",
        "WorkDrive",
        "SalesIQ",
        "AaaServer",
        "zohobackstage",
        "ZohoSearch",
        "ZohoPay",
        "ZohoVoice",
        "ZohoMeeting",
        "ZohoCampaigns",
        "ZohoSurvey",
        "ZohoForms",
    )
}

_SERVICE = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
_SEGMENT = re.compile(r"[A-Za-z0-9_]+\Z")
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only (``str.casefold`` would merge lookalikes such as U+017F)."""
    return text.translate(_LOWER)


def ascii_upper(text: str) -> str:
    """Upper-case ASCII letters only."""
    return text.translate(_UPPER)


def normalise(raw: str) -> str:
    """The comparison form of a Zoho scope: ASCII spaces trimmed, ASCII letters lower-cased."""
    return ascii_lower(raw.strip(ASCII_SPACE))


@dataclass(frozen=True, slots=True)
class ZohoScope:
    """A parsed Zoho scope; ``operation`` is upper-cased, or None for operation-less scopes."""

    raw: str
    service: str
    resource: tuple[str, ...]
    operation: str | None

    @property
    def key(self) -> tuple[str, tuple[str, ...], str | None]:
        """Comparison key: service and resource lower-cased, operation upper-cased."""
        return (
            ascii_lower(self.service),
            tuple(ascii_lower(s) for s in self.resource),
            self.operation,
        )

    @property
    def canonical(self) -> str:
        """The documented spelling: known service name, operation in capitals."""
        service = KNOWN_SERVICES.get(ascii_lower(self.service), self.service)
        parts = [service, *self.resource]
        if self.operation is not None:
            parts.append(self.operation)
        return ".".join(parts)

    @property
    def is_full_access(self) -> bool:
        """True for ``Service.fullaccess[.op]`` scopes, which cover the whole service."""
        return len(self.resource) == 1 and ascii_lower(self.resource[0]) == "fullaccess"


@dataclass(frozen=True, slots=True)
class ScopeProblem:
    """Something wrong with how a scope is written; ``error`` ones make it unparseable."""

    message: str
    error: bool


def parse_zoho_scope(raw: str) -> ZohoScope | None:
    """Parse a scope of a Zoho OAuth connection; None when it does not follow the grammar.

    Surrounding ASCII spaces are ignored here (they are reported by :func:`scope_problems`).
    """
    text = raw.strip(ASCII_SPACE)
    if not text.isascii():
        return None
    parts = text.split(".")
    if len(parts) < 2 or not _SERVICE.match(parts[0]):
        return None
    if not all(_SEGMENT.match(part) for part in parts[1:]):
        return None
    operation = ascii_upper(parts[-1])
    if len(parts) >= 3 and operation in OPERATIONS:
        return ZohoScope(raw, parts[0], tuple(parts[1:-1]), operation)
    return ZohoScope(raw, parts[0], tuple(parts[1:]), None)


def _edit_distance_at_most_two(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def scope_problems(raw: str) -> tuple[ScopeProblem, ...]:
    """Everything wrong with how a Zoho scope is written, most serious first."""
    problems: list[ScopeProblem] = []
    text = raw.strip(ASCII_SPACE)
    if not text:
        return (ScopeProblem("is empty", error=True),)
    if text != raw:
        problems.append(ScopeProblem("has spaces around it", error=True))
    if not text.isascii():
        odd = next(c for c in text if not c.isascii())
        problems.append(
            ScopeProblem(
                f"contains the non-ASCII character U+{ord(odd):04X}; Zoho scopes are ASCII "
                "(a lookalike letter makes it a different scope)",
                error=True,
            )
        )
        return tuple(problems)
    if "," in text:
        problems.append(
            ScopeProblem("contains a comma; put each scope in its own array entry", error=True)
        )
        return tuple(problems)
    if any(c in ASCII_SPACE for c in text):
        problems.append(ScopeProblem("contains a space", error=True))
        return tuple(problems)
    if "." not in text:
        if text.lower() in IDENTITY_SCOPES:
            return tuple(problems)
        problems.append(
            ScopeProblem("has no dots; expected Service.resource.OPERATION", error=True)
        )
        return tuple(problems)
    parts = text.split(".")
    if any(not part for part in parts):
        problems.append(ScopeProblem("has an empty segment ('..' or a dot at an end)", error=True))
        return tuple(problems)
    if not _SERVICE.match(parts[0]):
        problems.append(
            ScopeProblem(
                f"service '{parts[0]}' must start with a letter and hold only letters and digits",
                error=True,
            )
        )
        return tuple(problems)
    bad = [p for p in parts[1:] if not _SEGMENT.match(p)]
    if bad:
        problems.append(
            ScopeProblem(
                f"segment '{bad[0]}' may hold only letters, digits and underscores", error=True
            )
        )
        return tuple(problems)
    scope = parse_zoho_scope(text)
    assert scope is not None
    last = parts[-1]
    if scope.operation is None and len(parts) >= 3 and last.isupper():
        near = [op for op in OPERATIONS if _edit_distance_at_most_two(last, op)]
        if near:
            problems.append(
                ScopeProblem(
                    f"ends in '{last}', which is not an operation; did you mean {near[0]}?",
                    error=False,
                )
            )
    if scope.canonical != text and ascii_lower(scope.canonical) == ascii_lower(text):
        problems.append(
            ScopeProblem(f"is not in canonical case; write {scope.canonical}", error=False)
        )
    return tuple(problems)


def operation_covers(held: str, wanted: str) -> bool:
    """Whether holding operation ``held`` grants operation ``wanted`` on the same resource."""
    if held in ("ALL", wanted):
        return True
    return held == "WRITE" and wanted in WRITE_COVERS


def covers(held: ZohoScope, wanted: ZohoScope) -> bool:
    """Whether a connection holding ``held`` can already do everything ``wanted`` grants."""
    if held.key == wanted.key:
        return True
    if ascii_lower(held.service) != ascii_lower(wanted.service):
        return False
    if held.is_full_access:
        if held.operation in (None, "ALL"):
            return True
        return wanted.operation is not None and operation_covers(held.operation, wanted.operation)
    if held.operation is None or wanted.operation is None:
        return False
    held_path = held.key[1]
    wanted_path = wanted.key[1]
    if wanted_path[: len(held_path)] != held_path:
        return False
    return operation_covers(held.operation, wanted.operation)


def zoho_covers(held: str, wanted: str) -> bool:
    """:func:`covers` on raw strings; unparseable scopes are covered only by an equal one."""
    if normalise(held) == normalise(wanted):
        return True
    held_scope = parse_zoho_scope(held)
    wanted_scope = parse_zoho_scope(wanted)
    if held_scope is None or wanted_scope is None:
        return False
    return covers(held_scope, wanted_scope)
