"""The glue between the run and :mod:`checker.approval`: which pull request's label counts,
the facts GitHub gives about it, and the ruling (fail closed when GitHub cannot say).

Imports :mod:`~checker.action.render` and :mod:`~checker.action.publish`.
"""

from __future__ import annotations

from dataclasses import replace

from checker.action.publish import Job, denied, own_summary
from checker.actions_env import ActionSettings, Event, EventKind, SummaryMode
from checker.approval import (
    Context,
    Escalation,
    Facts,
    Labeled,
    Ruling,
    Status,
    current_application,
    liftable,
    parse_record,
    rule,
    unverified,
)
from checker.errors import GitHubError
from checker.github_client import GitHubPort, PermissionDenied
from checker.policy import Policy
from checker.report import Report


def approving_pull(port: GitHubPort, event: Event) -> int | None:
    """The pull request whose approval label counts for this run.

    A pull-request event's own; a merge group's queued pull request; for a push, the pull
    request that brought the pushed commit in (GitHub lists the merged one first), so an
    approved escalation does not fail again on the branch it was merged into.
    """
    if event.pr_number is not None:
        return event.pr_number
    if event.kind is EventKind.PUSH and event.head_sha:
        pulls = port.pulls_for_commit(event.head_sha)
        return pulls[0] if pulls else None
    return None


def _context(event: Event) -> Context:
    if event.action == "workflow_run":
        return Context.POST
    if event.kind is EventKind.MERGE_GROUP:
        return Context.MERGE_GROUP
    if event.kind is EventKind.PUSH:
        return Context.PUSH
    return Context.PULL_REQUEST


def find_approval(
    port: GitHubPort,
    settings: ActionSettings,
    event: Event,
    policy: Policy,
    present: tuple[Escalation, ...],
    *,
    bot: str,
) -> Ruling:
    """What the approval label does for the escalations ``present`` in this run.

    GitHub is asked, in this order and only as far as needed: the label events (who applied
    the label last, not removed since), the pull request (its labels now, its author), that
    user's permission, and the action's own summary, which holds the record of what the
    application approved. Only the run of a ``labeled`` event, whose payload names the head
    the label was applied to, makes a record (a re-run only while that is still the head);
    :func:`checker.approval.rule` decides.
    """
    number = approving_pull(port, event)
    if number is None:
        return Ruling(Status.NONE)
    label = policy.approval_label
    application, removed = current_application(port.label_events(number), label)
    facts = Facts(label, number, _context(event), present, application, removed)
    if application is None:
        return rule(facts)
    pull = port.pull_request(number)
    role = port.role(application.actor)
    record, problem = None, ""
    unrecordable = ""
    if settings.summary is SummaryMode.NONE:
        unrecordable = '"summary: none" leaves no pull-request summary to keep it in'
    else:
        mine = own_summary(port, settings, number, bot)
        if mine is not None:
            record, problem = parse_record(mine.body)
    labeled = None
    if (
        event.kind in (EventKind.PULL_REQUEST, EventKind.PULL_REQUEST_TARGET)
        and event.action == "labeled"
        and event.head_sha
        and event.sender
        # a re-run replays the old payload: its head must still be the pull request's
        and (settings.run_attempt == 1 or pull.head_sha == event.head_sha)
    ):
        labeled = Labeled(event.label, event.sender, event.head_sha)
    return rule(
        replace(
            facts,
            on_pull=policy.approved_by(pull.labels),
            author=pull.author,
            role=role,
            allow_self_approval=policy.allow_self_approval,
            labeled=labeled,
            record=record,
            record_problem=problem,
            unrecordable=unrecordable,
        )
    )


def judge_approval(job: Job, policy: Policy, report: Report) -> Ruling | None:
    """What the approval label does for this report's escalations: None when nothing could
    be approved or there is no token to ask GitHub; an unverified ruling (nothing approved)
    when GitHub cannot be asked, since an approval must never be assumed."""
    present = liftable(report)
    if not present or job.port is None:
        return None
    try:
        return find_approval(
            job.port, job.settings, job.event, policy, present, bot=job.outcome.bot
        )
    except PermissionDenied as error:
        denied(job.sink, job.outcome, error, "checking the approval label")
    except GitHubError as error:
        # Fail closed: the escalations stay unapproved, and the report says why.
        job.outcome.warn(
            job.sink,
            f"could not check the approval label ({error}); the escalations are treated "
            "as not approved",
        )
    return unverified()
