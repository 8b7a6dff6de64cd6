"""The report: every manifest's findings and changes, counted, with one verdict (pure)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from checker.changes import Change, ConnectionDiff
from checker.explain import explain_all
from checker.findings import Counts, Finding, Severity


class Verdict(enum.Enum):
    """The answer the CI gate acts on.

    NONE: no manifest was checked or compared (``diff`` where no manifest changed). Nothing
    blocks, but a report of nothing never says "pass".
    """

    PASS = "pass"
    FAIL = "fail"
    NONE = "none"


class FailOn(enum.Enum):
    """The lowest finding severity that fails the run."""

    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"

    @property
    def threshold(self) -> Severity | None:
        """The severity at which findings fail the run, or None."""
        return {FailOn.ERROR: Severity.ERROR, FailOn.WARNING: Severity.WARNING}.get(self)


@dataclass(frozen=True, slots=True)
class ManifestReport:
    """Findings (sorted, positions resolved) and changes for one manifest.

    ``connections`` is the before/after table of the manifest's connections (``diff`` only);
    ``base_path`` is the base side's path when it differs (a renamed manifest).
    """

    path: str
    service: str | None
    findings: tuple[Finding, ...]
    changes: tuple[Change, ...] = ()
    connections: tuple[ConnectionDiff, ...] = ()
    base_path: str | None = None

    @property
    def counts(self) -> Counts:
        """Findings by severity."""
        return Counts.of(self.findings)


@dataclass(frozen=True, slots=True)
class Report:
    """The whole run."""

    manifests: tuple[ManifestReport, ...]
    verdict: Verdict
    counts: Counts
    escalations: int = 0
    blocking: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every manifest, in report order."""
        return tuple(f for m in self.manifests for f in m.findings)


def build_report(
    manifests: list[ManifestReport] | tuple[ManifestReport, ...],
    fail_on: FailOn,
    *,
    escalations: int = 0,
    blocking: int = 0,
    notes: tuple[str, ...] = (),
) -> Report:
    """Count findings and decide the verdict.

    The run fails when a finding reaches ``fail_on`` or when the policy reports blocking
    changes (``blocking``); the policy module computes that number. Every change about a
    scope gets its meaning, docs and tier from the scope catalogue here, the one place they
    are filled in (:mod:`checker.explain`), so every output format says the same.
    """
    ordered = tuple(
        sorted(
            (replace(m, changes=explain_all(m.changes)) if m.changes else m for m in manifests),
            key=lambda m: m.path,
        )
    )
    counts = Counts()
    for manifest in ordered:
        counts = counts + manifest.counts
    threshold = fail_on.threshold
    failed = blocking > 0 or (threshold is not None and counts.at_least(threshold) > 0)
    verdict = Verdict.NONE  # nothing checked: a report of nothing is not a pass
    if failed:
        verdict = Verdict.FAIL
    elif ordered:
        verdict = Verdict.PASS
    return Report(ordered, verdict, counts, escalations, blocking, notes)
