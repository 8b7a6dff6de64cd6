"""The one comparison the CLI ``diff`` and the Action both call: manifest pairs in, a Report out.

Stable API (the Action codes against it)::

    from checker.compare import ManifestPair, analyse

    report = analyse(
        [ManifestPair(path, base=ExtensionInput | None, head=ExtensionInput | None,
                      base_path=None)],
        policy,                  # checker.policy: parse_policy(text, source) or DEFAULT_POLICY
        approved=False,          # True: every escalation is approved (the CLI's --approved)
        coverage=None,           # checker.approval.Coverage: approve the escalations it covers
        fail_on=FailOn.ERROR,    # lowest finding severity that fails the run
        limits=Limits(),
        notes=(),                # extra notes to show (e.g. where the policy came from)
    )

The head is fully validated (:func:`checker.validate.check_extension`: JSON, schema, rules) and
diffed against the base, which is only parsed: its defects are not the pull request's fault.
A manifest or resources.json that is a symbolic link is compared by the file it leads to
(the adapters follow it inside the repository and say so in ``ExtensionInput.manifest_link``
and ``resources_link``); one that became a link, or now leads elsewhere, is a
``manifest-linked`` escalation of its own (see :func:`link_changes`).
A base that cannot be parsed does not make the head silently look new: a ``base-unreadable``
change and a note say so, and every grant in the head is then treated as new (fail closed). A
head that cannot be parsed is a ``manifest-unreadable`` escalation. ``report.verdict`` is FAIL
when a finding reaches ``fail_on`` or the policy blocks a change; ``report.escalations`` and
``report.blocking`` count changes; each change carries the policy's ``decision``.
Each scope or connection escalation carries ``used_by_code`` (:mod:`checker.calls.usage`):
whether the head's code (``ExtensionInput.code``, analysed with the head's check) needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checker.approval import Coverage
from checker.calls.model import CodeAnalysis
from checker.calls.usage import with_usage
from checker.changes import Change, ChangeKind, Reason, Risk, Side
from checker.diff import diff_manifests, quote
from checker.extension import Extension, ExtensionInput
from checker.findings import Finding, Location
from checker.policy import Policy, apply_policy
from checker.report import FailOn, ManifestReport, Report, build_report
from checker.services import manifest_service
from checker.source import Document, Limits, parse
from checker.validate import check_extension
from checker.wording import plural


@dataclass(frozen=True, slots=True)
class ManifestPair:
    """One manifest on both sides of a comparison.

    ``path`` is the display path on the head side (the base side's when the manifest was
    deleted). ``base`` is None when the manifest is new, ``head`` None when it was deleted.
    ``base_path`` is the base side's path when it differs from ``path`` (a rename).
    """

    path: str
    base: ExtensionInput | None
    head: ExtensionInput | None
    base_path: str | None = None


@dataclass(frozen=True, slots=True)
class _Base:
    document: Document | None
    resources: Document | None
    problem: str | None


_NO_BASE = _Base(None, None, None)  # a new manifest: nothing to compare against


def _first_problem(findings: Sequence[Finding]) -> str:
    if not findings:
        return "it could not be read"
    finding = findings[0]
    span = finding.location.span
    where = f" (line {span.line})" if span is not None else ""
    return f"{finding.message}{where} [{finding.rule}]"


def _read_base(source: ExtensionInput, limits: Limits) -> _Base:
    """Parse the base side only: no schema, no rules."""
    if source.manifest is None:
        return _Base(None, None, _first_problem(source.read_errors))
    parsed = parse(source.manifest_path, source.manifest, limits)
    if parsed.document is None:
        return _Base(None, None, _first_problem(parsed.findings))
    resources = None
    if source.resources is not None:
        resources = parse(source.resources_path, source.resources, limits).document
    return _Base(parsed.document, resources, None)


def _change(kind: ChangeKind, detail: str, risk: Risk, path: str, side: Side) -> Change:
    return Change(kind, None, detail, kind.escalates, risk, Location(path, ""), side=side)


def link_changes(pair: ManifestPair) -> list[Change]:
    """``manifest-linked`` for the manifest and for resources.json when the head's is a
    symbolic link and the base's was not, or led elsewhere.

    Why an escalation of its own: once the manifest is a link, its grants live in another
    file, whose edits GitHub shows as edits of that file and CODEOWNERS rules or reviewers
    watching plugin-manifest.json never see. The checker follows the link (a change of the
    target is a change of the manifest), but making the link is itself the step that moves the
    grants out of sight, so it blocks until someone approves it, as any escalation does.
    """
    head = pair.head
    if head is None:
        return []
    base = pair.base
    found = []
    for link, before, path in (
        (head.manifest_link, base.manifest_link if base else None, pair.path),
        (head.resources_link, base.resources_link if base else None, head.resources_path),
    ):
        if link is None or (before is not None and before.target == link.target):
            continue
        detail = f"{quote(link.path)} is now a symbolic link to {quote(link.target)}"
        if before is not None:
            detail += f" (before: {quote(before.target)})"
        detail += (
            "; its grants now live in that file, where reviewers and CODEOWNERS rules for "
            "this path do not see them change: commit the real file, or get this approved"
        )
        found.append(_change(ChangeKind.MANIFEST_LINKED, detail, Risk.HIGH, path, Side.HEAD))
    return found


def compare_pair(
    pair: ManifestPair,
    policy: Policy,
    *,
    approved: bool,
    limits: Limits | None = None,
    coverage: Coverage | None = None,
) -> tuple[ManifestReport, tuple[str, ...]]:
    """One manifest's report (findings, changes with decisions, connection table) and notes.

    With ``coverage`` an escalation is approved when that approval covers it (and ``approved``
    is then ignored); the others carry a note saying they are new since the approval.
    """
    limits = limits or Limits()
    notes: list[str] = []
    extra: list[Change] = []
    base = _read_base(pair.base, limits) if pair.base is not None else _NO_BASE
    base_path = pair.base_path
    if base.problem is not None:
        detail = (
            f"the base version of {quote(base_path or pair.path)} could not be parsed "
            f"({base.problem}); every grant in the head is treated as new"
        )
        notes.append(f"{pair.path}: {detail}")
        extra.append(_change(ChangeKind.BASE_UNREADABLE, detail, Risk.INFO, pair.path, Side.HEAD))
    findings: tuple[Finding, ...] = ()
    head_document: Document | None = None
    head_resources: Document | None = None
    head_extension: Extension | None = None
    head_code: CodeAnalysis | None = None
    service: str | None = None
    if pair.head is not None:
        checked = check_extension(pair.head, limits=limits)
        findings = checked.report.findings
        service = checked.report.service
        head_extension, head_code = checked.extension, checked.code
        if checked.extension is not None:
            head_document = checked.extension.manifest
            head_resources = checked.extension.resources
        else:
            extra.append(
                _change(
                    ChangeKind.MANIFEST_UNREADABLE,
                    "the head version cannot be parsed, so its grants cannot be compared "
                    "with the base; fix the findings in this file",
                    Risk.HIGH,
                    pair.path,
                    Side.HEAD,
                )
            )
    else:
        service = manifest_service(base.document.value if base.document else None)
    if base_path is not None and base_path != pair.path and pair.head is not None:
        extra.append(
            _change(
                ChangeKind.MANIFEST_RENAMED,
                f"the manifest was moved from {quote(base_path)}",
                Risk.INFO,
                pair.path,
                Side.HEAD,
            )
        )
    extra.extend(link_changes(pair))
    if pair.head is not None and head_document is None:
        # an unreadable head is not a deleted one: nothing can be compared, and it blocks
        diff = diff_manifests(None, None)
    else:
        diff = diff_manifests(
            base.document,
            head_document,
            base_resources=base.resources,
            head_resources=head_resources,
        )
    changes = with_usage(diff.changes, head_extension, head_code)
    if pair.base is not None:
        # the base exists: a "new manifest" remark from the diff would be wrong
        changes = [c for c in changes if c.kind is not ChangeKind.MANIFEST_ADDED]
    if coverage is not None:
        decided = apply_policy(
            [*extra, *changes],
            policy,
            approved=lambda change: coverage.covers(pair.path, change),
            unapproved=coverage.uncovered_note(),
        )
    else:
        decided = apply_policy([*extra, *changes], policy, approved=approved)
    ordered = tuple(sorted(decided, key=lambda c: c.sort_key))
    report = ManifestReport(
        pair.path,
        service,
        findings,
        ordered,
        diff.connections,
        base_path if base_path != pair.path else None,
    )
    return report, tuple(notes)


def analyse(
    pairs: Sequence[ManifestPair],
    policy: Policy,
    *,
    approved: bool = False,
    fail_on: FailOn = FailOn.ERROR,
    limits: Limits | None = None,
    notes: Sequence[str] = (),
    coverage: Coverage | None = None,
) -> Report:
    """Validate every head, diff it against its base, apply the policy, build the Report."""
    manifests: list[ManifestReport] = []
    all_notes: list[str] = list(notes)
    for pair in pairs:
        report, more = compare_pair(
            pair, policy, approved=approved, limits=limits, coverage=coverage
        )
        manifests.append(report)
        all_notes.extend(more)
    changes = [c for m in manifests for c in m.changes]
    escalations = sum(1 for c in changes if c.escalation)
    blocking = sum(1 for c in changes if c.blocks)
    blocking_escalations = sum(
        1 for c in changes if c.decision is not None and c.decision.reason is Reason.ESCALATION
    )
    approvals = sum(
        1 for c in changes if c.decision is not None and c.decision.reason is Reason.APPROVED
    )
    if blocking_escalations and coverage is not None:
        one = blocking_escalations == 1
        all_notes.append(
            f"{blocking_escalations} escalation{'' if one else 's'} new since the approval of "
            f"commit {coverage.commit[:12]} {'blocks' if one else 'block'} the merge: remove "
            f"{'it' if one else 'them'}, or have a maintainer remove the label "
            f"{quote(policy.approval_label)} and apply it again"
        )
    elif blocking_escalations:
        one = blocking_escalations == 1
        all_notes.append(
            f"{blocking_escalations} escalation{'' if one else 's'} "
            f"{'blocks' if one else 'block'} the merge: remove {'it' if one else 'them'}, "
            f"or have a maintainer add the label {quote(policy.approval_label)} "
            "to the pull request"
        )
    if coverage is not None and approvals:
        all_notes.append(
            f"the label {quote(policy.approval_label)} approved the escalations of commit "
            f"{coverage.commit[:12]}: {plural(approvals, 'change')} here "
            f"{'is' if approvals == 1 else 'are'} reported but not blocking (deny patterns "
            "still block)"
        )
    elif approved and escalations and coverage is None:
        all_notes.append(
            f"the pull request carries the label {quote(policy.approval_label)}: escalations "
            "are reported but do not block (deny patterns still do)"
        )
    if any(c.decision is not None and c.decision.reason is Reason.WARN_ONLY for c in changes):
        all_notes.append("warn-only is on: changes that would block are reported only")
    return build_report(
        manifests,
        fail_on,
        escalations=escalations,
        blocking=blocking,
        notes=tuple(all_notes),
    )
