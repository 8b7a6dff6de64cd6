"""The two modes: check (pull_request, push, merge_group: the workspace against its base)
and post (workflow_run: a fork's pull request checked again through the API); both end in
the same judgement. Imports every stage before it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from checker.action.approving import judge_approval
from checker.action.base import Comparison, api_comparison, compare_commits, load_policy
from checker.action.discovery import read_heads, workspace_mismatch
from checker.action.outputs import check_report_paths, deliver, sarif_parts
from checker.action.publish import Job
from checker.action.sides import Pair, api_heads, build_pairs
from checker.actions_env import ActionSettings, Event, EventKind, Sink
from checker.app import exit_code
from checker.approval import Ruling
from checker.compare import ManifestPair, analyse
from checker.errors import InputError
from checker.extension import ExtensionInput
from checker.github_client import GitHubPort, PermissionDenied, PullInfo
from checker.policy import Policy
from checker.report import Report
from checker.source import Limits


def _inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve(strict=False).relative_to(root.resolve())
    except ValueError:
        return False
    return True


def run_check_mode(
    settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink
) -> int:
    """Check the workspace against the base, report everywhere, return the gate's code."""
    previous = Path.cwd()
    try:
        return _check(Job(settings, event, port, sink))
    finally:
        os.chdir(previous)


def _check(job: Job) -> int:
    settings, event = job.settings, job.event
    workspace = Path(settings.workspace).resolve()
    root = workspace / settings.working_directory
    if not _inside(workspace, root) or not root.is_dir():
        raise InputError(
            f"working-directory {settings.working_directory!r} is not a folder inside the workspace"
        )
    sarif_target = sarif_parts(settings)
    check_report_paths(settings, sarif_target)
    # Display paths (and so annotation paths) are relative to the working folder.
    os.chdir(root)
    try:
        comparison = compare_commits(settings, event, job.port, job.sink)
    except PermissionDenied as error:
        raise InputError(
            f"cannot read the base commit: {error}. Give the job that permission, or check "
            "out the whole history (actions/checkout with fetch-depth: 0) so git reads it"
        ) from None
    if event.head_sha:
        mismatch = workspace_mismatch(workspace, event.head_sha)
        if mismatch is not None:
            message, fatal = mismatch
            if fatal:
                raise InputError(message)
            job.outcome.warn(job.sink, message)
    policy = load_policy(settings, comparison, event)
    heads = read_heads(settings.paths, workspace, code=settings.code)
    return _judge(job, comparison, policy, heads, sarif_target)


def _judge(
    job: Job,
    comparison: Comparison | None,
    policy: Policy,
    heads: Mapping[str, ExtensionInput],
    sarif_target: tuple[str, ...] | None,
) -> int:
    """Compare, apply the policy and the approval label, report everywhere; the gate's code."""
    settings = job.settings
    pairs = build_pairs(settings, comparison, heads)
    report = analyse_pairs(pairs, policy, settings=settings)
    ruling = judge_approval(job, policy, report)
    if ruling is not None and ruling.coverage is not None:
        report = analyse_pairs(pairs, policy, settings=settings, ruling=ruling)
    if not heads and not pairs:
        # Nothing matched: a wrong paths input or working-directory, never a pass (as `check`).
        raise InputError(
            f"no file matched the paths input ({', '.join(settings.paths)}) in "
            f"working-directory {settings.working_directory!r}, so nothing was checked; fix "
            "the paths input"
        )
    audit = ruling.audit() if ruling is not None else ""
    return deliver(
        job,
        report=report,
        audit=audit,
        code=exit_code(report),
        sarif_target=sarif_target,
        ruling=ruling,
    )


def analyse_pairs(
    pairs: list[Pair],
    policy: Policy,
    *,
    settings: ActionSettings,
    ruling: Ruling | None = None,
) -> Report:
    """Validation of every head manifest plus the policy's view of what changed; the
    escalations an approval covers (``ruling``) do not block."""
    manifest_pairs = [ManifestPair(p.path, p.base, p.head, p.base_path) for p in pairs]
    return analyse(
        manifest_pairs,
        policy,
        fail_on=settings.fail_on,
        limits=Limits(),
        coverage=ruling.coverage if ruling is not None else None,
    )


def posting_pull(settings: ActionSettings, event: Event, port: GitHubPort) -> tuple[PullInfo, str]:
    """The one open pull request a workflow_run is about, and where it was found.

    Only GitHub says which one: the event's own ``pull_requests`` (into this repository),
    or, when GitHub leaves them out (it does for forks), the pull requests it lists for the
    head commit. A candidate counts when it is open, into this repository, from the run's
    head repository and still at the run's head commit. Anything but exactly one is an
    error: two pull requests can share a head commit, and the check run lands on that commit
    for both, so a pass judged under one base's (lax) policy would show on the other.
    """
    head = event.head_sha
    if head is None:
        raise InputError("the workflow_run event names no head commit; nothing was posted")
    ours = settings.repository.lower()
    if event.run_pulls:
        address = f"{settings.api_url}/repos/{settings.repository}".lower()
        numbers = sorted(
            {p.number for p in event.run_pulls if p.base_repository_url.lower() == address}
        )
        candidates = [port.pull_request(number) for number in numbers]
        where = "the workflow_run event's pull requests"
    else:
        candidates = port.commit_pulls(head)
        where = f"the pull requests GitHub lists for {head[:12]}"
    matches = [
        pull
        for pull in candidates
        if pull.state == "open"
        and pull.head_sha == head
        and pull.base_repository.lower() == ours
        and pull.head_repository.lower() == event.head_repository.lower()
    ]
    source = f"from {event.head_repository or 'an unknown repository'} at {head[:12]}"
    if not matches:
        raise InputError(
            f"no open pull request into {settings.repository} {source} is among {where} "
            "(it moved on, was closed, or the run was not for a pull request); nothing was "
            "posted"
        )
    if len(matches) > 1:
        listed = ", ".join(f"#{p.number} (into {p.base_ref or p.base_sha[:12]})" for p in matches)
        raise InputError(
            f"{len(matches)} open pull requests share the head {source}: {listed}. A check run "
            "on that commit would show on all of them, so nothing was posted; close all but "
            "one, or push a new commit to the one to check"
        )
    return matches[0], where


def run_post_mode(
    settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink
) -> int:
    """workflow_run: check a fork's pull request again from GitHub, then post the result.

    Nothing the fork's run saved is read: under ``pull_request`` a fork runs its own
    workflow files, so its artifact could name any pull request. The pull request comes from
    GitHub (:func:`posting_pull`), and the manifests, the base side and the policy are read
    through the API at the commits GitHub names, and judged here as a pull_request run would
    judge them.
    """
    if port is None:
        raise InputError("checking a fork's pull request from workflow_run needs a token")
    pull, where = posting_pull(settings, event, port)
    head, number = pull.head_sha, pull.number
    again = Event(
        kind=EventKind.PULL_REQUEST,
        action="workflow_run",
        pr_number=number,
        base_sha=pull.base_sha,
        head_sha=head,
        base_ref=pull.base_ref,
        head_repository=pull.head_repository,
        fork=pull.head_repository.lower() != settings.repository.lower(),
        sender=event.sender,
    )
    sink.log(
        f"zoho-manifest-guard: checking pull request #{number} at {head[:12]} again through "
        f"the API (found in {where})"
    )
    sarif_target = sarif_parts(settings)
    check_report_paths(settings, sarif_target)
    try:
        comparison = api_comparison(
            port, again, pull.base_sha, head, settings=settings, log=sink.log
        )
        if not comparison.complete:
            sink.log(comparison.doubt)
        policy = load_policy(settings, comparison, again)
        heads = api_heads(port, settings, head, log=sink.log)
    except PermissionDenied as error:
        raise InputError(
            f"cannot read the pull request's commits: {error}. Give the job contents: read"
        ) from None
    return _judge(Job(settings, again, port, sink), comparison, policy, heads, sarif_target)
