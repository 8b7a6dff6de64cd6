"""A change between a base and a head manifest, as the diff classifies it (pure value type)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from checker.findings import Location


class Risk(enum.Enum):
    """How much a change widens what the extension may do (reference table (d))."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Larger is riskier."""
        return _RISK_RANK[self]


_RISK_RANK = {Risk.INFO: 0, Risk.LOW: 1, Risk.MEDIUM: 2, Risk.HIGH: 3, Risk.CRITICAL: 4}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between base and head.

    ``kind`` is a stable kebab-case id (``scope-added``, ``connection-added`` ...);
    ``detail`` is one sentence a reviewer can read on its own; ``escalation`` says whether it
    widens what the extension may do; ``location`` is on the head side, or on the base side for
    removals.
    """

    kind: str
    connection: str | None
    detail: str
    escalation: bool
    risk: Risk
    location: Location
