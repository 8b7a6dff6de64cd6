"""Rule metadata, the Hit a rule yields, and helpers shared by rule modules."""

from __future__ import annotations

import difflib
import enum
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.wording import printable

RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
DOCS_URL = "https://github.com/zoho-manifest-guard/zoho-manifest-guard/blob/main/docs/rules.md"
DESK = frozenset({"DESK"})


class Zet(enum.Enum):
    """How Zoho's own toolkit (``zet validate``) relates to a rule."""

    SAME = "checks this too"
    STRICTER = "checks part of this; this rule is stricter on purpose"
    NOT_CHECKED = "does not check this"


@dataclass(frozen=True, slots=True)
class Hit:
    """One problem a rule found.

    ``pointer`` is a JSON Pointer into the manifest, or into ``file`` when that is set
    (a path relative to the extension folder, e.g. ``resources.json`` or ``app/x.exe``).
    ``key`` points at the member name rather than its value. ``related`` are more pointers
    in the same file. ``severity`` overrides the rule's default for this one hit.
    """

    pointer: str
    message: str
    key: bool = False
    file: str | None = None
    related: tuple[str, ...] = ()
    severity: Severity | None = None


Check = Callable[[Extension], Iterable[Hit]]


def docs_url(rule_id: str) -> str:
    """Where a finding id is explained (its section of docs/rules.md)."""
    return f"{DOCS_URL}#{rule_id}"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule id with its default severity and documentation (rendered into docs/rules.md)."""

    id: str
    severity: Severity
    summary: str
    doc: str
    zet: Zet

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not kebab-case")


@dataclass(frozen=True, slots=True)
class Rule:
    """A check over a parsed extension, with its metadata."""

    info: RuleInfo
    check: Check
    services: frozenset[str] | None = DESK

    @property
    def id(self) -> str:
        """The stable kebab-case id."""
        return self.info.id

    @property
    def severity(self) -> Severity:
        """Default severity of the rule's findings."""
        return self.info.severity

    def applies_to(self, service: str | None) -> bool:
        """Whether the rule runs for a manifest of this service."""
        return self.services is None or service in self.services

    def run(self, extension: Extension) -> Iterator[Hit]:
        """The rule's hits."""
        yield from self.check(extension)


def rule(
    rule_id: str,
    severity: Severity,
    *,
    summary: str,
    doc: str,
    zet: Zet,
    services: frozenset[str] | None = DESK,
) -> Callable[[Check], Rule]:
    """Decorator that turns a generator function into a :class:`Rule`."""
    info = RuleInfo(rule_id, severity, summary.strip(), doc.strip(), zet)

    def wrap(check: Check) -> Rule:
        return Rule(info, check, services)

    return wrap


def is_string(value: Any) -> bool:
    """A JSON string."""
    return isinstance(value, str)


def is_bool(value: Any) -> bool:
    """A JSON boolean."""
    return isinstance(value, bool)


def quote(value: Any, limit: int = 80) -> str:
    """A manifest value for a message: JSON-quoted, control characters escaped, shortened."""
    text = printable(json.dumps(value, ensure_ascii=False))
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        # keep the closing quote, so the value stays one quoted unit (a code span in markdown)
        return text[: limit - 2] + '\u2026"'
    return text[: limit - 1] + "\u2026"


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate, case-insensitively, or None when nothing is close."""
    if isinstance(candidates, tuple):  # the rules' fixed vocabularies: remember answers
        return _did_you_mean_cached(word, candidates)
    return _did_you_mean(word, list(candidates))


@functools.lru_cache(maxsize=4096)
def _did_you_mean_cached(word: str, candidates: tuple[str, ...]) -> str | None:
    return _did_you_mean(word, list(candidates))


def _did_you_mean(word: str, pool: list[str]) -> str | None:
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[match[0]] if match else None
