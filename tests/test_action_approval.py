"""End to end: what the approval label approves, through real PyGithub against the stand-in.

An approval covers the escalations found at the commit the label was applied to (the head the
`labeled` event names); the run of that event records them in the action's own summary, and
later runs approve only what the record lists, while the same user's application of the
label is still in force and the pull request still carries it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.approval import RECORD_PREFIX, parse_record
from tests.test_action_e2e import (
    MANIFEST,
    PR,
    Result,
    Scenario,
    _labelled,
    _workflow_run_payload,
    approve,
    dump,
    git,
    needs_compare,
    our_comments,
    register,
)
from tests.test_action_e2e import (
    example_manifest as plain_example,
)
from tests.test_action_e2e import github as github_fixture
from tests.test_action_e2e import scenario as scenario_fixture

pytestmark = pytest.mark.slow

LABEL = "scope-escalation-approved"
# the fixtures of the e2e tests: a repository with a pull request, and the GitHub stand-in
github = github_fixture
scenario = scenario_fixture


def push(s: Scenario, text: str) -> str:
    """A new commit on the pull request's branch, as GitHub and the workspace then see it."""
    origin = s.tmp / "origin"
    git(origin, "checkout", "-q", "feature")
    (origin / MANIFEST).write_text(text, encoding="utf-8")
    git(origin, "commit", "-q", "-am", "push")
    head = git(origin, "rev-parse", "HEAD")
    git(origin, "checkout", "-q", "main")
    old = s.state.pulls[PR]
    register(s.state, origin, s.merge_base, s.base_tip, head)
    s.state.pulls[PR].labels = old.labels
    s.state.pulls[PR].author = old.author
    git(s.work, "fetch", "-q", "origin", "feature")
    git(s.work, "checkout", "-q", head)
    s.head = head
    return head


def synchronize(s: Scenario, **inputs: str) -> Result:
    """The run of a push to the pull request (the default payload names the current head)."""
    return s.run(s.env(**inputs))


def check_run_on(s: Scenario, head: str) -> dict[str, Any]:
    return [r for r in s.state.check_runs.values() if r["head_sha"] == head][-1]


def summary_of(s: Scenario) -> str:
    (comment,) = our_comments(s.state)
    return str(comment["body"])


def example_manifest() -> dict[str, Any]:
    """The bundled example with read access to tickets, so that scenarios can widen it."""
    manifest = plain_example()
    scopes = manifest["zohoAuthorisation"]["scope"]
    if "Desk.tickets.READ" not in scopes:
        scopes.insert(0, "Desk.tickets.READ")
    return manifest


def with_scope(*scopes: str) -> str:
    """The example (with tickets) granting ``scopes`` as well."""
    manifest = example_manifest()
    manifest["zohoAuthorisation"]["scope"].extend(scopes)
    return dump(manifest)


def tickets(scope: str, *extra: str) -> str:
    """The example manifest whose desk connection has ``scope`` for tickets, and ``extra``."""
    manifest = example_manifest()
    scopes = manifest["zohoAuthorisation"]["scope"]
    scopes[scopes.index("Desk.tickets.READ")] = scope
    scopes.extend(extra)
    return dump(manifest)


def without_tickets() -> str:
    manifest = example_manifest()
    manifest["zohoAuthorisation"]["scope"].remove("Desk.tickets.READ")
    return dump(manifest)


# --- item 4: an approval covers what existed when it was given ------------------------------


def test_the_labeled_run_approves_and_records_what_it_saw(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    assert synchronize(s).code == 1
    result = approve(s)
    assert result.code == 0, result.stdout
    body = summary_of(s)
    record, problem = parse_record(body)
    assert problem == ""
    assert record is not None
    assert (record.pull, record.label, record.actor, record.commit) == (
        PR,
        LABEL,
        "maintainer",
        s.head,
    )
    assert len(record.fingerprints) == 1
    # the record is the hidden line right below the marker; nothing in it renders
    assert body.splitlines()[1].startswith(RECORD_PREFIX)
    for text in (body, result.step_summary, check_run_on(s, s.head)["output"]["summary"]):
        assert "Escalation approved with the label `scope-escalation-approved`" in text
        assert "by `maintainer` (permission: write)" in text
        assert f"at commit `{s.head[:12]}`" in text
    assert check_run_on(s, s.head)["conclusion"] == "neutral"
    # a later run of the same head keeps the record and the approval, editing nothing
    before = len(s.state.requests)
    assert synchronize(s).code == 0
    assert [r for r in s.state.requests[before:] if r.method == "PATCH"] == []


@pytest.mark.parametrize(
    ("base", "approved", "later", "new"),
    [
        # a new scope beside the approved one
        (
            tickets("Desk.tickets.READ"),
            tickets("Desk.tickets.READ", "Desk.contacts.WRITE"),
            tickets("Desk.tickets.READ", "Desk.contacts.WRITE", "Desk.settings.ALL"),
            "Desk.settings.ALL",
        ),
        # a broader scope in place of the approved one (a scope-added either way)
        (
            without_tickets(),
            tickets("Desk.tickets.READ"),
            tickets("Desk.tickets.ALL"),
            "Desk.tickets.ALL",
        ),
        # a scope that broadens a base scope, after another one was approved
        (
            tickets("Desk.tickets.READ"),
            tickets("Desk.tickets.READ", "Desk.contacts.WRITE"),
            tickets("Desk.tickets.ALL", "Desk.contacts.WRITE"),
            "Desk.tickets.ALL",
        ),
    ],
    ids=["new-scope", "broader-scope", "broadened-base-scope"],
)
def test_a_later_push_with_an_escalation_the_approval_did_not_cover_blocks_again(
    scenario, base, approved, later, new
) -> None:
    needs_compare()
    s = scenario(base, approved)
    first = s.head
    assert approve(s).code == 0
    push(s, later)
    result = synchronize(s)
    assert result.code == 1, result.stdout
    check = check_run_on(s, s.head)
    assert check["conclusion"] == "failure"
    body = summary_of(s)
    for text in (body, result.step_summary, check["output"]["summary"]):
        assert "applied by `maintainer` (permission: write)" in text
        assert f"approved the escalations of commit `{first[:12]}`" in text
        assert "1 escalation here is new since then and blocks" in text
        new_part = text.split("New since the approval (not approved):", 1)[1]
        assert f"`{new}`" in new_part
    # the annotation on the new scope says why it blocks and how to get it approved (the code
    # audit's own findings on that scope, such as scope-unused, are not about the approval)
    from checker.calls.rules import CODE_RULES

    audit = tuple(f"{rule.id}:" for rule in CODE_RULES)
    (annotation,) = [
        a for a in check["annotations"] if new in a["message"] and not a["title"].startswith(audit)
    ]
    assert "new since the approval of commit" in annotation["message"]
    assert annotation["annotation_level"] == "failure"
    # the record still names the approval that was given, for the next push
    record, _ = parse_record(body)
    assert record is not None
    assert record.commit == first
    # to approve what is there now: remove the label and apply it again
    s.state.label(PR, LABEL, "maintainer", added=False)
    assert s.run(s.env("pull_request", _labelled(s, "unlabeled"))).code == 1
    assert parse_record(summary_of(s)) == (None, "")
    again = approve(s)
    assert again.code == 0, again.stdout
    record, _ = parse_record(summary_of(s))
    assert record is not None
    assert record.commit == s.head


def test_a_push_that_only_keeps_approved_escalations_still_passes(scenario) -> None:
    # fingerprints do not depend on line numbers or commits: moving the scope keeps it
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    assert approve(s).code == 0
    manifest = example_manifest()
    manifest["zohoAuthorisation"]["scope"].insert(0, "Desk.settings.ALL")
    manifest["description"] = "moved lines"
    push(s, dump(manifest))
    result = synchronize(s)
    assert result.code == 0, result.stdout
    assert "Escalation approved with the label" in result.step_summary


def test_race_a_push_right_after_the_label_does_not_widen_it(scenario) -> None:
    # The label is put on H1; the author pushes H2 (a new scope) before the labeled run ends.
    # The labeled run checks the head its payload names, and records only what H1 had.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.contacts.WRITE"))
    h1 = s.head
    s.state.label(PR, LABEL, "maintainer")
    h2 = push(s, tickets("Desk.tickets.READ", "Desk.contacts.WRITE", "Desk.settings.ALL"))
    pushed = synchronize(s)  # the push's run may finish first: nothing is recorded yet
    assert pushed.code == 1, pushed.stdout
    assert "no run of the `labeled` event recorded" in pushed.step_summary
    git(s.work, "checkout", "-q", h1)  # the labeled run checks out its payload's head
    labeled = s.run(s.env("pull_request", _labelled(s, "labeled", head=h1)))
    assert labeled.code == 0, labeled.stdout
    assert check_run_on(s, h1)["conclusion"] == "neutral"
    record, _ = parse_record(summary_of(s))
    assert record is not None
    assert record.commit == h1
    assert len(record.fingerprints) == 1
    git(s.work, "checkout", "-q", h2)
    again = synchronize(s)
    assert again.code == 1, again.stdout
    assert check_run_on(s, h2)["conclusion"] == "failure"
    assert "`Desk.settings.ALL`" in again.step_summary.split("New since the approval", 1)[1]


def test_a_rerun_of_an_old_labeled_run_records_nothing(scenario) -> None:
    # A re-run replays the old payload: once the pull request moved on, its head says
    # nothing about what the label's current application saw.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.contacts.WRITE"))
    h1 = s.head
    s.state.label(PR, LABEL, "maintainer")
    push(s, tickets("Desk.tickets.READ", "Desk.contacts.WRITE", "Desk.settings.ALL"))
    git(s.work, "checkout", "-q", h1)
    env = s.env("pull_request", _labelled(s, "labeled", head=h1))
    env["GITHUB_RUN_ATTEMPT"] = "2"
    rerun = s.run(env)
    assert rerun.code == 1, rerun.stdout
    assert parse_record(summary_of(s)) == (None, "")


def test_a_label_applied_without_a_labeled_run_approves_nothing(scenario) -> None:
    # The workflow runs on synchronize only: no run saw the head the label was put on.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.label(PR, LABEL, "maintainer")
    result = synchronize(s)
    assert result.code == 1, result.stdout
    text = summary_of(s)
    assert "it is ignored" in text
    assert "no run of the `labeled` event recorded" in text
    assert "`labeled` among its types" in text
    assert "remove the label and apply it again" in text


def test_a_record_in_someone_elses_comment_is_not_trusted(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    other = scenario_copy_record(s)
    s.state.label(PR, LABEL, "maintainer")
    s.state.add_comment(PR, "mallory", other)
    result = synchronize(s)
    assert result.code == 1, result.stdout
    assert "no run of the `labeled` event recorded" in result.step_summary


def scenario_copy_record(s: Scenario) -> str:
    """A summary with a record that would approve the current escalation, as a user could
    paste it (the marker and the record line, copied from another pull request)."""
    from checker.action.render import SUMMARY_MARKER
    from checker.approval import Record, fingerprint
    from checker.changes import Change, ChangeKind, Risk
    from checker.findings import Location

    change = Change(
        ChangeKind.SCOPE_ADDED,
        "orderlookup_desk",
        "",
        True,
        Risk.HIGH,
        Location(MANIFEST, ""),
        subject="Desk.settings.ALL",
        service="zlabs_integration",
        after="Desk.settings.ALL",
    )
    prints = frozenset({fingerprint(MANIFEST, change)})
    record = Record(PR, LABEL, "maintainer", "2026-01-02T10:00:00Z", s.head, prints)
    return f"{SUMMARY_MARKER}\n{record.line()}\nall good\n"


# --- item 5: the label must still be on the pull request -----------------------------------------


@pytest.mark.parametrize("how", ["unlabeled", "deleted", "renamed"])
def test_the_label_must_still_be_on_the_pull_request(scenario, how) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    assert approve(s).code == 0
    if how == "unlabeled":
        s.state.label(PR, LABEL, "maintainer", added=False)
    elif how == "deleted":
        s.state.delete_label(LABEL)  # no event: the events still show it applied
    else:
        s.state.rename_label(LABEL, "looks-fine")
    result = synchronize(s)
    assert result.code == 1, result.stdout
    assert check_run_on(s, s.head)["conclusion"] == "failure"
    if how == "unlabeled":
        assert "was removed by `maintainer`" in result.step_summary
    else:
        assert "does not carry the label now" in result.step_summary
    # the record is gone: putting the label back under its name needs a new labeled run
    assert parse_record(summary_of(s)) == (None, "")
    if how == "renamed":
        s.state.rename_label("looks-fine", LABEL)
        assert synchronize(s).code == 1


# --- item 18: the author's own label ----------------------------------------------------------


@pytest.mark.parametrize(("policy", "expected"), [(None, 1), ("allow-self-approval: true\n", 0)])
def test_the_authors_own_label_counts_only_when_the_policy_allows_it(
    scenario, policy, expected
) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), policy=policy)
    s.state.pulls[PR].author = "maintainer"  # a maintainer's own pull request
    result = approve(s)
    assert result.code == expected, result.stdout
    if expected:
        assert "cannot approve their own escalation" in result.step_summary
        assert "allow-self-approval" in summary_of(s)
        assert parse_record(summary_of(s)) == (None, "")
    else:
        assert "Escalation approved with the label" in result.step_summary
        assert synchronize(s).code == 0  # recorded: later runs honour it too


def test_a_read_only_users_label_is_ignored(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    result = approve(s, "reader")
    assert result.code == 1, result.stdout
    assert "by `reader` (permission: read)" in result.step_summary
    assert "only users with write, maintain or admin permission" in result.step_summary
    assert parse_record(summary_of(s)) == (None, "")
    # an approver's earlier application is superseded by the reader's later one
    s.state.label(PR, LABEL, "reader", added=False)
    assert approve(s).code == 0
    s.state.label(PR, LABEL, "maintainer", added=False)
    s.state.label(PR, LABEL, "reader")
    assert synchronize(s).code == 1


# --- where the record lives ---------------------------------------------------------------------


def test_summary_none_approves_only_the_labeled_run_and_says_so(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    labeled = approve(s, summary="none")
    assert labeled.code == 0, labeled.stdout
    assert "this approval is not recorded" in labeled.step_summary
    assert s.state.comments == []
    later = synchronize(s, summary="none")
    assert later.code == 1, later.stdout
    assert "only the run of the `labeled` event itself honours the label" in later.step_summary


def test_summary_review_keeps_the_record_in_the_review(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.contacts.WRITE"))
    assert approve(s, summary="review").code == 0
    (review,) = s.state.reviews
    record, _ = parse_record(review["body"])
    assert record is not None
    assert record.commit == s.head
    push(s, tickets("Desk.tickets.READ", "Desk.contacts.WRITE", "Desk.settings.ALL"))
    result = synchronize(s, summary="review")
    assert result.code == 1, result.stdout
    assert "1 escalation here is new since then" in result.step_summary
    assert len(s.state.reviews) == 1  # edited in place, the record carried along
    assert parse_record(s.state.reviews[0]["body"])[0] == record


def test_a_token_that_cannot_write_the_summary_warns_that_nothing_was_recorded(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.label(PR, LABEL, "maintainer")
    s.state.read_only = True
    result = s.run(s.env("pull_request", _labelled(s, "labeled")))
    assert result.code == 0, result.stdout  # this run saw the head the label was put on
    assert "the approval could not be recorded" in result.step_summary


def test_an_unreadable_record_approves_nothing(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    assert approve(s).code == 0
    (comment,) = our_comments(s.state)
    line = comment["body"].splitlines()[1]
    meta = line.removeprefix(RECORD_PREFIX).split(":", 1)[0]
    comment["body"] = comment["body"].replace(meta, meta[:-8] + "AAAAAAAA")
    result = synchronize(s)
    assert result.code == 1, result.stdout
    assert "the approval record in the summary cannot be read" in result.step_summary
    assert parse_record(summary_of(s)) == (None, "")  # and it is dropped


# --- after the pull request: the queue and the push of the merge -------------------------------


def test_push_of_the_merge_approves_only_what_the_record_lists(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.contacts.WRITE"))
    assert approve(s).code == 0
    # another push after the approval, merged without a new approval
    push(s, tickets("Desk.tickets.READ", "Desk.contacts.WRITE", "Desk.settings.ALL"))
    origin = s.tmp / "origin"
    git(origin, "merge", "-q", "--no-ff", "-m", "merge again", "feature")
    merge = git(origin, "rev-parse", "HEAD")
    s.state.pulls[PR].merge_commit_sha = merge
    s.state.pulls[PR].state = "closed"
    git(s.work, "fetch", "-q", "origin", "main")
    git(s.work, "checkout", "-q", merge)
    payload = {"before": s.merge, "after": merge, "ref": "refs/heads/main"}
    result = s.run(s.env("push", payload))
    assert result.code == 1, result.stdout
    assert "1 escalation here is new since then" in result.step_summary
    assert "`Desk.settings.ALL`" in result.step_summary.split("New since the approval", 1)[1]


# --- forks: workflow_run post mode --------------------------------------------------------------


def _fork_payload(s: Scenario, action: str) -> dict[str, Any]:
    payload = _labelled(s, action)
    payload["pull_request"]["head"]["repo"] = {"full_name": "fork/extensions"}
    return payload


def test_fork_post_mode_honours_a_record_made_by_pull_request_target(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    # the fork's own pull_request run: read-only token, nothing recorded
    s.state.read_only = True
    s.state.label(PR, LABEL, "maintainer")
    assert s.run(s.env("pull_request", _fork_payload(s, "labeled"))).code == 0
    s.state.read_only = False
    post = s.env("workflow_run", _workflow_run_payload(s, s.head))
    refused = s.run(post)
    assert refused.code == 1, refused.stdout
    assert "cannot tell at which commit the label was applied" in refused.step_summary
    # the base repository's pull_request_target run on labeled records it
    recorded = s.run(s.env("pull_request_target", _fork_payload(s, "labeled")))
    assert recorded.code == 0, recorded.stdout
    assert parse_record(summary_of(s))[0] is not None
    approved = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert approved.code == 0, approved.stdout
    assert check_run_on(s, s.head)["conclusion"] == "neutral"
    assert parse_record(summary_of(s))[0] is not None  # carried along by the post run


def test_fork_post_mode_never_takes_approval_data_from_the_artifact(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.read_only = True
    s.state.label(PR, LABEL, "maintainer")
    assert s.run(s.env("pull_request", _fork_payload(s, "labeled"))).code == 0
    s.state.read_only = False
    saved = s.work / ".zoho-manifest-guard"
    # the action writes no context file any more; a fork's run could still save one
    forged = {"version": 1, "pr_number": PR, "head_sha": s.head}
    forged.update({"approved": True, "record": scenario_copy_record(s), "action": "labeled"})
    (saved / "context.json").write_text(json.dumps(forged), encoding="utf-8")
    (saved / "summary.md").write_text(scenario_copy_record(s), encoding="utf-8")
    result = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert result.code == 1, result.stdout
    assert parse_record(summary_of(s)) == (None, "")
