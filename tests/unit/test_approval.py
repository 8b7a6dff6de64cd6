"""The approval label's pure decision: fingerprints, the hidden record, and the ruling."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest
from test_diff import manifest, zoho

from checker.approval import (
    MAX_RECORDED,
    RECORD_PREFIX,
    Application,
    Context,
    Coverage,
    Escalation,
    Facts,
    Labeled,
    LabelEvent,
    Record,
    Role,
    Status,
    Store,
    current_application,
    fingerprint,
    liftable,
    parse_record,
    record_line,
    rule,
    with_record,
)
from checker.changes import ChangeKind, Reason
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY, parse_policy
from checker.report import Verdict

PATH = "ext/plugin-manifest.json"
LABEL = "scope-escalation-approved"
HEAD = "a" * 40
LATER = "b" * 40
AT = "2026-01-02T10:00:00Z"


def _source(*scopes: str, indent: int = 2, **extra: object) -> ExtensionInput:
    data = json.dumps(manifest(zohoAuthorisation=zoho(*scopes), **extra), indent=indent)
    return ExtensionInput(PATH, data.encode(), root="ext")


def _present(base: tuple[str, ...], head: tuple[str, ...], **extra: object) -> tuple:
    report = analyse([ManifestPair(PATH, _source(*base), _source(*head, **extra))], DEFAULT_POLICY)
    return liftable(report)


BASE = ("Desk.tickets.READ",)


# --- fingerprints -------------------------------------------------------------------------------


def test_a_fingerprint_ignores_lines_and_wording_but_not_what_is_granted():
    (one,) = _present(BASE, (*BASE, "Desk.settings.READ"))
    # the same grant on another line (more indentation, a scope before it): the same name
    report = analyse(
        [
            ManifestPair(
                PATH, _source(*BASE), _source("Desk.basic.READ", *BASE, "Desk.settings.READ")
            )
        ],
        parse_policy("allow: ['Desk.basic.READ']\n"),
    )
    (moved,) = liftable(report)
    assert moved.change.location != one.change.location
    assert moved.fingerprint == one.fingerprint
    # a broader scope, another scope, another file: other names
    (broader,) = _present(BASE, (*BASE, "Desk.settings.ALL"))
    (other,) = _present(BASE, (*BASE, "Desk.contacts.READ"))
    assert len({one.fingerprint, broader.fingerprint, other.fingerprint}) == 3
    assert fingerprint("other/plugin-manifest.json", one.change) != one.fingerprint
    # a broadened base scope is its own kind, so approving READ never approves ALL
    (widened,) = _present(BASE, ("Desk.tickets.ALL",))
    assert widened.change.kind is ChangeKind.SCOPE_BROADENED
    assert widened.fingerprint != one.fingerprint


def test_a_fingerprint_is_independent_of_the_base_side_value():
    (a,) = _present(("Desk.tickets.READ",), ("Desk.tickets.ALL",))
    (b,) = _present(("Desk.tickets.READ", "Desk.tickets.CREATE"), ("Desk.tickets.ALL",))
    assert a.change.before != b.change.before
    assert a.fingerprint == b.fingerprint


def test_liftable_leaves_out_deny_blocks_and_what_does_not_block():
    policy = parse_policy("deny: ['Desk.settings.*']\n")
    report = analyse(
        [
            ManifestPair(
                PATH, _source(*BASE), _source(*BASE, "Desk.settings.ALL", "Desk.basic.READ")
            )
        ],
        policy,
    )
    found = liftable(report)
    assert [e.change.subject for e in found] == ["Desk.basic.READ"]
    assert liftable(analyse([ManifestPair(PATH, _source(*BASE), _source(*BASE))], policy)) == ()


def test_coverage_approves_only_what_it_names_and_says_what_is_new():
    base, head = _source(*BASE), _source(*BASE, "Desk.basic.READ", "Desk.settings.ALL")
    present = liftable(analyse([ManifestPair(PATH, base, head)], DEFAULT_POLICY))
    approved = next(e for e in present if e.change.subject == "Desk.basic.READ")
    coverage = Coverage(frozenset({approved.fingerprint}), HEAD, LABEL)
    report = analyse([ManifestPair(PATH, base, head)], DEFAULT_POLICY, coverage=coverage)
    decisions = {c.subject: c.decision for c in report.manifests[0].changes}
    assert decisions["Desk.basic.READ"].reason is Reason.APPROVED
    blocked = decisions["Desk.settings.ALL"]
    assert blocked.blocks
    assert f"new since the approval of commit {HEAD[:12]}" in blocked.note
    assert report.verdict is Verdict.FAIL
    assert any("new since the approval" in note for note in report.notes)
    everything = Coverage(frozenset(e.fingerprint for e in present), HEAD, LABEL)
    assert analyse(
        [ManifestPair(PATH, base, head)], DEFAULT_POLICY, coverage=everything
    ).verdict is (Verdict.PASS)


# --- the label's events -------------------------------------------------------------------------


def _event(added: bool, actor: str = "maintainer", at: str = AT, label: str = LABEL) -> LabelEvent:
    return LabelEvent(label, added, actor, at)


def test_the_current_application_is_the_last_add_not_removed_since():
    events = [
        _event(True, "alice", "t1"),
        _event(True, "bob", "t2", "bug"),
        _event(False, "carol", "t3"),
        _event(True, "dave", "t4", LABEL.upper()),
    ]
    applied, removed = current_application(events, LABEL)
    assert applied == Application(LABEL.upper(), "dave", "t4")
    assert removed is None
    applied, removed = current_application(events[:3], LABEL)
    assert applied is None
    assert removed == events[2]
    assert current_application([], LABEL) == (None, None)


# --- the record ---------------------------------------------------------------------------------


def _record(**changes: object) -> Record:
    record = Record(7, LABEL, "maintainer", AT, HEAD, frozenset({"0" * 32, "f" * 32}))
    return replace(record, **changes)


def test_a_record_survives_the_summary_and_reads_back_the_same():
    record = _record()
    body = with_record("<!-- zoho-manifest-guard:summary -->\n## summary\n", record.line())
    assert body.splitlines()[1] == record.line()
    assert parse_record(body) == (record, "")
    assert record_line(body) == record.line()
    assert parse_record("no record here") == (None, "")


@pytest.mark.parametrize(
    "label",
    ["x --> <b>@admin</b> | `code` [a](b)", "-->\n<!--", "\u202e\u200d", "a" * 256],
)
def test_a_hostile_label_cannot_escape_the_hidden_line(label):
    record = _record(label=label, actor="a-->b")
    line = record.line()
    assert "\n" not in line
    assert line.count("-->") == 1
    assert line.endswith(" -->")
    inner = line.removeprefix(RECORD_PREFIX).removesuffix(" -->")
    assert set(inner) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:")
    assert parse_record(f"head\n{line}\ntail")[0] == record


def _meta(**meta: object) -> str:
    data = {"pull": 7, "label": LABEL, "actor": "m", "at": AT, "commit": HEAD, **meta}
    text = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{RECORD_PREFIX}{text}:{'A' * 22} -->"


@pytest.mark.parametrize(
    "line",
    [
        f"{RECORD_PREFIX}not base64!:AA -->",
        f"{RECORD_PREFIX}e30:AA -->",  # {} and a digest of the wrong length
        _meta(pull="7"),
        _meta(pull=True),
        _meta(commit="HEAD"),
        _meta(actor=""),
        _meta(extra=1),
        _meta(label=["a"]),
        f"{RECORD_PREFIX}{'A' * 3000}:AA -->",
        f"{RECORD_PREFIX}AAAA:{'A' * (MAX_RECORDED * 22 + 40)} -->",
        _meta() + "\n" + _meta(),  # two records: neither is trusted
    ],
)
def test_a_damaged_record_is_refused_with_a_reason(line):
    record, problem = parse_record(f"marker\n{line}\n")
    assert record is None
    assert problem


# --- the ruling ---------------------------------------------------------------------------------


def _present_two() -> tuple[Escalation, ...]:
    return _present(BASE, (*BASE, "Desk.basic.READ", "Desk.settings.ALL"))


def _facts(**changes: object) -> Facts:
    facts = Facts(
        label=LABEL,
        pull=7,
        context=Context.PULL_REQUEST,
        present=_present_two(),
        application=Application(LABEL, "maintainer", AT),
        on_pull=True,
        author="contributor",
        role=Role.WRITE,
    )
    return replace(facts, **changes)


def _labeled(head: str = HEAD, sender: str = "maintainer") -> Labeled:
    return Labeled(LABEL, sender, head)


def test_the_labeled_run_approves_what_its_head_has_and_records_it():
    facts = _facts(labeled=_labeled())
    ruling = rule(facts)
    assert ruling.status is Status.APPROVED
    assert ruling.store is Store.WRITE
    assert ruling.record is not None
    assert ruling.record.commit == HEAD
    assert ruling.record.fingerprints == {e.fingerprint for e in facts.present}
    assert ruling.coverage is not None
    audit = ruling.audit()
    assert "Escalation approved with the label `scope-escalation-approved`" in audit
    assert "by `maintainer` (permission: write)" in audit
    assert f"at commit `{HEAD[:12]}`" in audit
    assert "`Desk.settings.ALL`" in audit


def test_a_later_run_approves_only_what_the_record_lists():
    present = _present_two()
    record = _record(actor="maintainer", fingerprints=frozenset({present[0].fingerprint}))
    ruling = rule(_facts(record=record))
    assert ruling.status is Status.PARTIAL
    assert ruling.store is Store.KEEP
    assert ruling.covered == present[:1]
    assert ruling.new == present[1:]
    assert ruling.coverage == Coverage(record.fingerprints, HEAD, LABEL)
    audit = ruling.audit()
    assert f"approved the escalations of commit `{HEAD[:12]}`" in audit
    assert "1 escalation here is new since then and blocks" in audit
    new_part = audit.split("New since the approval (not approved):", 1)[1]
    assert "`Desk.settings.ALL`" in new_part
    assert "`Desk.basic.READ`" not in new_part
    full = _record(actor="maintainer", fingerprints=frozenset(e.fingerprint for e in present))
    assert rule(_facts(record=full)).status is Status.APPROVED


def test_a_label_that_is_not_applied_approves_nothing_and_drops_the_record():
    removal = _event(False, "maintainer")
    ruling = rule(_facts(application=None, removed=removal, record=_record()))
    assert (ruling.status, ruling.store, ruling.coverage) == (Status.NONE, Store.DROP, None)
    assert "was removed by `maintainer`" in ruling.audit()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"on_pull": False}, "does not carry the label now"),
        ({"role": Role.READ}, "only users with write, maintain or admin permission"),
        ({"role": Role.NONE}, "only users with write, maintain or admin permission"),
        ({"role": None}, "only users with write, maintain or admin permission"),
        ({"author": "Maintainer"}, "cannot approve their own escalation"),
    ],
)
def test_the_label_is_refused_when_it_must_not_count(changes, reason):
    for labeled in (None, _labeled()):
        ruling = rule(_facts(labeled=labeled, record=_record(actor="maintainer"), **changes))
        assert ruling.status is Status.REFUSED
        assert ruling.store is Store.DROP
        assert ruling.coverage is None
        assert reason in ruling.audit()
        assert "it is ignored" in ruling.audit()


def test_the_policy_may_let_the_author_approve():
    facts = _facts(author="maintainer", allow_self_approval=True, labeled=_labeled())
    assert rule(facts).status is Status.APPROVED


def test_without_a_record_of_this_application_nothing_is_approved():
    no_record = rule(_facts())
    assert no_record.status is Status.REFUSED
    assert "no run of the `labeled` event recorded" in no_record.audit()
    earlier = rule(_facts(record=_record(actor="maintainer", at="2025-12-01T00:00:00Z")))
    assert earlier.status is Status.REFUSED
    assert "earlier application" in earlier.audit()
    other_pull = rule(_facts(record=_record(actor="maintainer", pull=8)))
    assert other_pull.status is Status.REFUSED
    damaged = rule(_facts(record_problem="the approval record in the summary cannot be read"))
    assert "cannot be read" in damaged.audit()
    assert damaged.store is Store.DROP


def test_the_advice_fits_the_run():
    post = rule(_facts(context=Context.POST)).audit()
    assert "cannot tell at which commit the label was applied" in post
    assert "`pull_request_target`" in post
    none = rule(_facts(unrecordable='"summary: none" leaves no summary')).audit()
    assert "only the run of the `labeled` event itself honours the label" in none


def test_a_labeled_event_of_someone_else_does_not_record():
    # the payload's sender is not who applied the label last: that application's own run
    # records it; this run only reads the record
    ruling = rule(_facts(labeled=_labeled(sender="someone")))
    assert ruling.status is Status.REFUSED
    assert ruling.record is None


def test_two_runs_claiming_one_application_at_different_commits_approve_nothing():
    existing = _record(actor="maintainer", commit=LATER)
    ruling = rule(_facts(labeled=_labeled(HEAD), record=existing))
    assert ruling.status is Status.REFUSED
    assert ruling.store is Store.DROP
    assert "two runs claim this application" in ruling.audit()
    same = rule(_facts(labeled=_labeled(LATER), record=existing))
    assert same.status is Status.APPROVED  # a re-run of the same event


def test_an_approval_that_cannot_be_recorded_says_so():
    ruling = rule(_facts(labeled=_labeled(), unrecordable='"summary: none" leaves no summary'))
    assert ruling.status is Status.APPROVED  # for this run's own head
    assert ruling.store is Store.DROP
    assert "this approval is not recorded" in ruling.audit()


def test_too_many_escalations_for_one_record_are_approved_here_only():
    many = tuple(
        replace(e, fingerprint=f"{i:032x}")
        for i in range(MAX_RECORDED + 1)
        for e in _present_two()[:1]
    )
    ruling = rule(_facts(present=many, labeled=_labeled()))
    assert ruling.status is Status.APPROVED
    assert ruling.store is Store.DROP
    assert f"more than the {MAX_RECORDED} a record holds" in ruling.audit()
    assert "… and" in ruling.audit()  # the list is bounded
