"""The approval label: what one approval covers, the record that keeps it, and the ruling (pure).

An approval is one application of the policy's label (the last ``labeled`` event, not undone
by an ``unlabeled`` one) by a user who may approve. It covers exactly the escalations found at
the commit the label was applied to, named by fingerprints that do not depend on line numbers
or commit ids. The run of the ``labeled`` event knows that commit (its payload's head) and
writes a :class:`Record`, hidden in the action's own summary; every later run verifies the
record against GitHub's label events and the pull request's labels, and approves only the
escalations whose fingerprints it lists. If in doubt, nothing is approved, and the audit text
says why and what the approver can do.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker.changes import Change, Reason
from checker.report import Report
from checker.reporters.markdown import code, sentence
from checker.wording import plural

FINGERPRINT_BYTES = 16
# A record holds at most this many fingerprints (about 11,000 characters in the comment).
MAX_RECORDED = 500
RECORD_PREFIX = "<!-- zoho-manifest-guard:approval:v1:"
RECORD_SUFFIX = " -->"
_B64 = r"[A-Za-z0-9_-]"
_RECORD_LINE = re.compile(
    rf"^{re.escape(RECORD_PREFIX)}({_B64}{{1,2000}}):({_B64}{{0,12000}}){re.escape(RECORD_SUFFIX)}$",
    re.M,
)
_ANY_RECORD = re.compile(rf"^{re.escape(RECORD_PREFIX)}.*$", re.M)
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
_MAX_NAME = 256
MAX_LISTED = 20


class Role(enum.Enum):
    """A user's base permission on the repository (the API's legacy ``permission`` field).

    GitHub folds ``maintain`` into ``write`` and ``triage`` into ``read`` there, which is
    exactly the split the approval label needs.
    """

    ADMIN = "admin"
    WRITE = "write"
    READ = "read"
    NONE = "none"

    @property
    def can_approve(self) -> bool:
        """Whether this role may approve an escalation (write, maintain or admin)."""
        return self in (Role.ADMIN, Role.WRITE)


@dataclass(frozen=True, slots=True)
class LabelEvent:
    """A label added to or removed from the pull request, by whom and when."""

    label: str
    added: bool
    actor: str
    created_at: str


def same_name(a: str, b: str) -> bool:
    """GitHub compares label names and logins without regard to case."""
    return a.casefold() == b.casefold()


# --- what an approval covers ---------------------------------------------------------------------


def fingerprint(path: str, change: Change) -> str:
    """A stable name of one change: its kind, manifest path, connection and what it grants.

    Line numbers, commit ids, the wording of the detail and the base-side value are left
    out, so the same grant has the same fingerprint in every later commit, and in the push
    of the merge; a new scope, a broader scope or another connection has another one.
    """
    parts = [1, change.kind.value, path, change.connection, change.subject, change.service]
    parts.append(change.after)
    text = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[: FINGERPRINT_BYTES * 2]


@dataclass(frozen=True, slots=True)
class Escalation:
    """A change the policy blocks and the approval label may lift, in one manifest."""

    path: str
    change: Change
    fingerprint: str

    def item(self) -> str:
        """One markdown list item: the change's sentence and its manifest."""
        return f"- {sentence(self.change.detail)} ({code(self.path)}, `{self.change.kind.value}`)"


_LIFTABLE = (Reason.ESCALATION, Reason.SEVERITY)


def liftable(report: Report) -> tuple[Escalation, ...]:
    """Every blocking change of an unapproved report that the label can lift (not ``deny``)."""
    found = []
    for manifest in report.manifests:
        for change in manifest.changes:
            decision = change.decision
            if decision is not None and decision.blocks and decision.reason in _LIFTABLE:
                found.append(Escalation(manifest.path, change, fingerprint(manifest.path, change)))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Coverage:
    """The escalations one approval lifts, by fingerprint, and the commit it was given at."""

    fingerprints: frozenset[str]
    commit: str
    label: str

    def covers(self, path: str, change: Change) -> bool:
        """Whether this approval lifts the change's block."""
        return fingerprint(path, change) in self.fingerprints

    def uncovered_note(self) -> str:
        """The remedy for a block this approval does not lift (for the change's note)."""
        return (
            f"new since the approval of commit {self.commit[:12]}: remove it, or have a "
            f"maintainer remove the label {json.dumps(self.label)} and apply it again"
        )


# --- the label's events ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Application:
    """The label's current application: the last ``labeled`` event not undone since."""

    label: str
    actor: str
    at: str


def current_application(
    events: Iterable[LabelEvent], label: str
) -> tuple[Application | None, LabelEvent | None]:
    """The label's application in force (events in GitHub's order, oldest first), and the
    removal that ended the last one when none is in force."""
    applied: Application | None = None
    removed: LabelEvent | None = None
    for event in events:
        if not same_name(event.label, label):
            continue
        if event.added:
            applied, removed = Application(event.label, event.actor, event.created_at), None
        else:
            applied, removed = None, event
    return applied, removed


# --- the record --------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Record:
    """What one approval approved: written by the run of the ``labeled`` event.

    It is one hidden line of base64url text inside an HTML comment, so nothing in it (a label
    name, say) can end the comment (``-->``) or render as markdown.
    """

    pull: int
    label: str
    actor: str
    at: str
    commit: str
    fingerprints: frozenset[str] = field(default_factory=frozenset)

    def line(self) -> str:
        """The hidden line for the summary."""
        meta = {
            "pull": self.pull,
            "label": self.label,
            "actor": self.actor,
            "at": self.at,
            "commit": self.commit,
        }
        encoded_meta = _b64(json.dumps(meta, ensure_ascii=True, sort_keys=True).encode())
        digests = b"".join(bytes.fromhex(f) for f in sorted(self.fingerprints))
        return f"{RECORD_PREFIX}{encoded_meta}:{_b64(digests)}{RECORD_SUFFIX}"

    def of(self, application: Application, pull: int) -> bool:
        """Whether this record is of that application of the label, on that pull request."""
        return (
            self.pull == pull
            and same_name(self.label, application.label)
            and same_name(self.actor, application.actor)
            and self.at == application.at
        )


def record_line(body: str) -> str:
    """The record's line in a summary body, verbatim ("" when there is none)."""
    found = _ANY_RECORD.findall(body)
    return found[0] if len(found) == 1 else ""


def _text(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value or len(value) > _MAX_NAME:
        raise ValueError(key)
    return value


def parse_record(body: str) -> tuple[Record | None, str]:
    """The record in a summary body, or None and why it cannot be used ("" when absent)."""
    if not _ANY_RECORD.search(body):
        return None, ""
    lines = _RECORD_LINE.findall(body)
    if len(lines) != 1 or len(_ANY_RECORD.findall(body)) != 1:
        return None, "the summary holds no single readable approval record"
    encoded_meta, encoded_digests = lines[0]
    try:
        meta = json.loads(_unb64(encoded_meta).decode("ascii"))
        digests = _unb64(encoded_digests)
        if not isinstance(meta, dict) or set(meta) != {"pull", "label", "actor", "at", "commit"}:
            raise ValueError("keys")
        pull = meta["pull"]
        if isinstance(pull, bool) or not isinstance(pull, int) or pull <= 0:
            raise ValueError("pull")
        commit = _text(meta, "commit")
        if not _COMMIT.match(commit):
            raise ValueError("commit")
        if len(digests) % FINGERPRINT_BYTES or len(digests) > MAX_RECORDED * FINGERPRINT_BYTES:
            raise ValueError("fingerprints")
        prints = frozenset(
            digests[i : i + FINGERPRINT_BYTES].hex()
            for i in range(0, len(digests), FINGERPRINT_BYTES)
        )
        record = Record(
            pull, _text(meta, "label"), _text(meta, "actor"), _text(meta, "at"), commit, prints
        )
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None, "the approval record in the summary cannot be read"
    return record, ""


# --- the ruling --------------------------------------------------------------------------------


class Context(enum.Enum):
    """Which kind of run asks, for the advice on what the approver can do."""

    PULL_REQUEST = "pull_request"
    POST = "workflow_run"
    PUSH = "push"
    MERGE_GROUP = "merge_group"


@dataclass(frozen=True, slots=True)
class Labeled:
    """This run's own ``labeled`` event: the label, who applied it, and the head it saw."""

    label: str
    sender: str
    head: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What GitHub says about the approval, gathered by the Action for :func:`rule`.

    ``labeled`` is set only for a run of the ``labeled`` event whose payload can be trusted
    (GitHub's, not an artifact's); ``unrecordable`` says why this run could not store a
    record ("" when it can); ``record_problem`` why the stored one cannot be used.
    """

    label: str
    pull: int
    context: Context
    present: tuple[Escalation, ...]
    application: Application | None
    removed: LabelEvent | None = None
    on_pull: bool = False
    author: str = ""
    role: Role | None = None
    allow_self_approval: bool = False
    labeled: Labeled | None = None
    record: Record | None = None
    record_problem: str = ""
    unrecordable: str = ""


class Status(enum.Enum):
    """The approval's effect on this run."""

    NONE = "none"  # nothing to approve, or the label is not applied
    APPROVED = "approved"  # every escalation here is approved
    PARTIAL = "partial"  # some are new since the approval and block
    REFUSED = "refused"  # the label is applied but does not count
    UNVERIFIED = "unverified"  # GitHub could not be asked: nothing is approved


class Store(enum.Enum):
    """What the summary does with the approval record."""

    KEEP = "keep"  # carry the record already there
    WRITE = "write"  # replace it with this run's
    DROP = "drop"  # leave it out: it no longer counts


@dataclass(frozen=True, slots=True)
class Ruling:
    """What the approval label does in this run, and the audit text for every summary."""

    status: Status
    store: Store = Store.KEEP
    application: Application | None = None
    role: Role | None = None
    record: Record | None = None
    covered: tuple[Escalation, ...] = ()
    new: tuple[Escalation, ...] = ()
    reasons: tuple[str, ...] = ()
    removed: LabelEvent | None = None

    @property
    def coverage(self) -> Coverage | None:
        """The escalations lifted, or None when nothing is approved."""
        if self.status not in (Status.APPROVED, Status.PARTIAL) or self.record is None:
            return None
        return Coverage(self.record.fingerprints, self.record.commit, self.record.label)

    def audit(self) -> str:
        """Markdown for the comment, the check run and the job summary ("" when silent)."""
        return "\n".join(_audit(self))


def _who(application: Application, role: Role | None) -> str:
    shown = f"{code(application.actor)}"
    return f"{shown} (permission: {role.value})" if role is not None else shown


def _items(escalations: Sequence[Escalation]) -> list[str]:
    lines = [e.item() for e in escalations[:MAX_LISTED]]
    if len(escalations) > MAX_LISTED:
        lines.append(f"- … and {len(escalations) - MAX_LISTED} more (see the report)")
    return lines


def _audit(ruling: Ruling) -> list[str]:
    app = ruling.application
    if ruling.status is Status.UNVERIFIED:
        return []
    if app is None:
        removed = ruling.removed
        if removed is None:
            return []
        return [
            f"The label {code(removed.label)} was removed by {code(removed.actor)} at "
            f"{code(removed.created_at)}: no escalation is approved."
        ]
    who = _who(app, ruling.role)
    label = code(app.label)
    if ruling.status is Status.REFUSED:
        why = sentence("; ".join(ruling.reasons))
        return [f"The label {label} was applied by {who} at {code(app.at)}; it is ignored: {why}."]
    record = ruling.record
    assert record is not None
    commit = code(record.commit[:12])
    lines = []
    if ruling.status is Status.APPROVED:
        lines.append(
            f"Escalation approved with the label {label} by {who} at {code(app.at)}, "
            f"at commit {commit}: {plural(len(ruling.covered), 'escalation')}."
        )
    else:
        lines.append(
            f"The label {label} applied by {who} at {code(app.at)} approved the escalations "
            f"of commit {commit}; {plural(len(ruling.new), 'escalation')} here "
            f"{'is' if len(ruling.new) == 1 else 'are'} new since then and "
            f"{'blocks' if len(ruling.new) == 1 else 'block'}: remove "
            f"{'it' if len(ruling.new) == 1 else 'them'}, or have a maintainer remove the "
            "label and apply it again to approve what is there now."
        )
    if ruling.covered:
        lines.extend(["", f"Approved at {commit}:", "", *_items(ruling.covered)])
    if ruling.new:
        lines.extend(["", "New since the approval (not approved):", "", *_items(ruling.new)])
    for reason in ruling.reasons:
        lines.extend(["", f"Note: {sentence(reason)}."])
    return lines


def _advice(facts: Facts) -> str:
    """What the approver can do when no record of this application can be used."""
    if facts.context is Context.POST:
        return (
            'this run ("workflow_run", for a pull request checked after its own run) cannot '
            "tell at which commit the label was applied, so it cannot record an approval; "
            'have a run on "pull_request_target" with "types: [labeled]" record it (see the '
            "README), then remove the label and apply it again"
        )
    if facts.unrecordable:
        return (
            f"no approval is recorded ({facts.unrecordable}), so only the run of the "
            '"labeled" event itself honours the label'
        )
    return (
        'no run of the "labeled" event recorded which escalations this application of the '
        'label approves; run the workflow on "pull_request" with "labeled" among its types '
        "(see the README), then remove the label and apply it again"
    )


def rule(facts: Facts) -> Ruling:
    """The approval's effect: who approved what, at which commit, and what is new since."""
    app = facts.application
    if app is None:
        return Ruling(Status.NONE, Store.DROP, removed=facts.removed)
    refusals = []
    if not facts.on_pull:
        refusals.append(
            "the pull request does not carry the label now (it was removed, deleted or renamed)"
        )
    if facts.role is None or not facts.role.can_approve:
        refusals.append(
            "only users with write, maintain or admin permission may approve an escalation"
        )
    if same_name(app.actor, facts.author) and not facts.allow_self_approval:
        refusals.append(
            "the author of the pull request cannot approve their own escalation (the "
            "policy's allow-self-approval is off)"
        )

    def refuse(*reasons: str) -> Ruling:
        return Ruling(Status.REFUSED, Store.DROP, app, facts.role, reasons=reasons)

    if refusals:
        return refuse(*refusals)
    labeled = facts.labeled
    present = facts.present
    if (
        labeled is not None
        and same_name(labeled.label, app.label)
        and same_name(labeled.sender, app.actor)
    ):
        old = facts.record
        if old is not None and old.of(app, facts.pull) and old.commit != labeled.head:
            return refuse(
                f"two runs claim this application of the label, at commits "
                f"{old.commit[:12]} and {labeled.head[:12]}; remove the label and apply it "
                "again"
            )
        prints = frozenset(e.fingerprint for e in present)
        made = Record(facts.pull, app.label, app.actor, app.at, labeled.head, prints)
        reasons: tuple[str, ...] = ()
        store = Store.WRITE
        if facts.unrecordable:
            store = Store.DROP
            reasons = (
                f"this approval is not recorded ({facts.unrecordable}), so later runs (a "
                "new push, the merge queue, the push of the merge) do not see it",
            )
        elif len(prints) > MAX_RECORDED:
            store = Store.DROP
            reasons = (
                f"this approval is not recorded: it covers {len(prints):,} escalations, more "
                f"than the {MAX_RECORDED} a record holds, so later runs do not see it",
            )
        return Ruling(
            Status.APPROVED,
            store,
            app,
            facts.role,
            made,
            covered=present,
            reasons=reasons,
        )
    record = facts.record
    if record is None:
        problem = f"{facts.record_problem}; " if facts.record_problem else ""
        return refuse(problem + _advice(facts))
    if not record.of(app, facts.pull):
        return refuse(
            f"the approval record is of an earlier application of the label (by "
            f"{json.dumps(record.actor)} at {json.dumps(record.at)}); " + _advice(facts)
        )
    covered = tuple(e for e in present if e.fingerprint in record.fingerprints)
    new = tuple(e for e in present if e.fingerprint not in record.fingerprints)
    status = Status.PARTIAL if new else Status.APPROVED
    return Ruling(status, Store.KEEP, app, facts.role, record, covered, new)


def unverified() -> Ruling:
    """GitHub could not be asked: nothing is approved, and the stored record is kept."""
    return Ruling(Status.UNVERIFIED, Store.KEEP)


def with_record(body: str, line: str) -> str:
    """A summary body with the record's line after its first line (the marker)."""
    if not line:
        return body
    first, sep, rest = body.partition("\n")
    return f"{first}\n{line}\n{rest}" if sep else f"{body}\n{line}\n"
