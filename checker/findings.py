"""Findings: what a check says, where, and how serious it is (pure value types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.Enum):
    """How serious a finding is; ordered error > warning > notice."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        """Larger is more serious."""
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as serious as ``other`` or more."""
        return self.rank >= other.rank


_RANK = {Severity.NOTICE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a text file; lines and columns are 1-based, columns count characters."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Location:
    """A symbolic place in a file: a JSON Pointer, resolved to a span once per report.

    ``key`` selects the member name instead of the member value (for "unknown key" findings).
    """

    file: str
    pointer: str = ""
    key: bool = False
    span: Span | None = None

    def resolved(self, span: Span | None) -> Location:
        """The same location with its span filled in."""
        return replace(self, span=span)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, with a stable kebab-case rule id."""

    rule: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic order: file, line, column, rule, message."""
        span = self.location.span
        line = span.line if span else 0
        column = span.column if span else 0
        return (self.location.file, line, column, self.rule, self.message)


def sorted_findings(findings: list[Finding] | tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings in report order, exact duplicates removed."""
    unique = dict.fromkeys(findings)
    return tuple(sorted(unique, key=lambda f: f.sort_key))


@dataclass(frozen=True, slots=True)
class Counts:
    """How many findings of each severity."""

    errors: int = 0
    warnings: int = 0
    notices: int = 0

    @classmethod
    def of(cls, findings: tuple[Finding, ...] | list[Finding]) -> Counts:
        """Count findings by severity."""
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
        return cls(errors, warnings, len(findings) - errors - warnings)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.errors + other.errors,
            self.warnings + other.warnings,
            self.notices + other.notices,
        )

    def at_least(self, threshold: Severity) -> int:
        """How many findings are at ``threshold`` or more serious."""
        total = self.errors
        if threshold.rank <= Severity.WARNING.rank:
            total += self.warnings
        if threshold.rank <= Severity.NOTICE.rank:
            total += self.notices
        return total
