"""Posting to GitHub: one check run with every annotation, the PR summary (comment or
review, updated in place), and the change request while an escalation blocks; a missing
permission falls back to the log and the job summary, never changing the exit code.

Imports :mod:`~checker.action.render` and the GitHub port.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from checker.action.render import (
    CHECK_NAME,
    DEFAULT_BOT,
    MAX_COMMENT_CHARS,
    REQUEST_CHANGES_MARKER,
    SIGNATURE_ROOM,
    SUMMARY_MARKER,
    comment_body,
    full_report_where,
    ours,
    room_beside,
    signed,
    summary_markdown,
    title_of,
    token_signature,
    with_store,
)
from checker.actions_env import (
    ActionSettings,
    AnnotationsMode,
    Event,
    Sink,
    SummaryMode,
    link_context,
)
from checker.approval import Ruling, Store
from checker.errors import EXIT_PASS
from checker.findings import Finding
from checker.github_client import Comment, GitHubPort, PermissionDenied, ReviewEvent
from checker.report import Report
from checker.reporters.annotations import (
    MAX_OUTPUT_CHARS,
    CheckOutput,
    annotated,
    batches,
    conclusion,
    repo_path,
    to_annotations,
)


@dataclass
class Outcome:
    """What the posting steps did, for the job summary and the tests."""

    check_run_id: int | None = None
    bot: str = DEFAULT_BOT
    missing: list[str] = field(default_factory=list)
    commands: bool = False
    annotated: bool = False
    warnings: list[str] = field(default_factory=list)
    recorded: bool = False  # a new approval record was written to the summary

    def warn(self, sink: Sink, message: str) -> None:
        """A warning in the log (an annotation) and in the job summary; redacted first, before
        any writer escapes or clips it."""
        message = sink.redact(message)
        self.warnings.append(message)
        sink.command("warning", {"title": "zoho-manifest-guard"}, message)


@dataclass(frozen=True, slots=True)
class Job:
    """One run of the Action: its settings and event, the GitHub port (None without a
    token), the log, and what the posting steps did."""

    settings: ActionSettings
    event: Event
    port: GitHubPort | None
    sink: Sink
    outcome: Outcome = field(default_factory=Outcome)


def denied(sink: Sink, outcome: Outcome, error: PermissionDenied, what: str) -> None:
    note = f"{error.permission.value} ({what})"
    if note not in outcome.missing:
        outcome.missing.append(note)
    sink.once(
        f"zoho-manifest-guard: the token lacks '{error.permission.value}', so {what} falls back "
        "to the log and the job summary; the exit code is unchanged. Add it to the workflow's "
        "permissions: block (fork pull requests never get it: see the README)."
    )


def post_check_run(
    port: GitHubPort,
    head_sha: str,
    *,
    report: Report,
    summary: str,
    root: str,
    sink: Sink,
    outcome: Outcome,
    job_failed: bool = False,
) -> bool:
    """One completed check run on the head commit with every annotation; False on 403."""
    output = CheckOutput.build(title_of(report), sink.redact(summary))
    all_annotations = tuple(
        replace(a, message=sink.redact(a.message)) for a in to_annotations(annotated(report), root)
    )
    chunks = list(batches(all_annotations)) or [()]
    try:
        ref = port.create_check_run(
            CHECK_NAME,
            head_sha,
            conclusion(report, job_failed=job_failed).value,
            output.payload(chunks[0]),
        )
        outcome.check_run_id = ref.id
        if ref.app_slug:
            outcome.bot = f"{ref.app_slug}[bot]"
        for chunk in chunks[1:]:
            port.update_check_run(ref.id, output.payload(chunk))
    except PermissionDenied as error:
        denied(sink, outcome, error, "the check run with annotations")
        return False
    return True


def own_summary(
    port: GitHubPort, settings: ActionSettings, number: int, bot: str
) -> Comment | None:
    """The action's own summary on the pull request, the one :func:`post_summary` updates."""
    signature = token_signature(settings.token, settings.repository, number)
    if settings.summary is SummaryMode.COMMENT:
        mine = ours(port.issue_comments(number), SUMMARY_MARKER, bot, signature)
        return mine[0] if mine else None
    if settings.summary is SummaryMode.REVIEW:
        mine = ours(port.reviews(number), SUMMARY_MARKER, bot, signature)
        return mine[-1] if mine else None
    return None


def post_summary(
    port: GitHubPort,
    settings: ActionSettings,
    *,
    number: int,
    head_sha: str,
    body: str,
    sink: Sink,
    outcome: Outcome,
    store: Store = Store.KEEP,
    record: str = "",
) -> None:
    """Create the summary once, then update it in place; leave it alone when unchanged.

    The approval record in the summary is kept, replaced by ``record`` or dropped, as
    ``store`` says (see :mod:`checker.approval`).
    """
    signature = token_signature(settings.token, settings.repository, number)
    body = sink.redact(body)
    try:
        mine = own_summary(port, settings, number, outcome.bot)
        previous = mine.body if mine is not None else ""
        text = signed(with_store(body, store, record, previous), signature)
        if settings.summary is SummaryMode.COMMENT:
            if mine is None:
                port.create_issue_comment(number, text)
            elif previous != text:
                port.edit_issue_comment(mine.id, text)
        elif settings.summary is SummaryMode.REVIEW:
            if mine is None:
                port.create_review(number, head_sha, text, ReviewEvent.COMMENT)
            elif previous != text:
                port.edit_review(number, mine.id, text)
        outcome.recorded = store is Store.WRITE and settings.summary is not SummaryMode.NONE
    except PermissionDenied as error:
        denied(sink, outcome, error, "the pull-request summary")


def request_changes(
    port: GitHubPort,
    number: int,
    *,
    head_sha: str,
    report: Report,
    sink: Sink,
    outcome: Outcome,
    signature: str = "",
) -> None:
    """A REQUEST_CHANGES review while an escalation blocks; dismissed by us once it does not."""
    try:
        reviews = ours(port.reviews(number), REQUEST_CHANGES_MARKER, outcome.bot, signature)
        active = [r for r in reviews if r.state == "CHANGES_REQUESTED"]
        if report.blocking:
            if not active:
                body = signed(
                    f"{REQUEST_CHANGES_MARKER}\nThis pull request widens what a Zoho "
                    "extension may do; see the Zoho Manifest Guard summary. The review is "
                    "dismissed automatically once the escalation is removed or approved.",
                    signature,
                )
                port.create_review(number, head_sha, body, ReviewEvent.REQUEST_CHANGES)
            return
        for review in active:
            port.dismiss_review(
                number, review.id, "The escalation is gone or approved (Zoho Manifest Guard)."
            )
    except PermissionDenied as error:
        denied(sink, outcome, error, "the change request")


def publish(
    job: Job,
    *,
    report: Report,
    audit: str,
    code: int,
    ruling: Ruling | None = None,
) -> None:
    """The check run, workflow-command annotations, PR summary and change request.

    Annotations go to the check run when asked and allowed, else (or also, with ``both``)
    to workflow commands; ``outcome.annotated`` says whether they were shown somewhere. The
    check-run summary and the comment are each rendered for their own size limit.
    """
    settings, event, port, sink, outcome = job.settings, job.event, job.port, job.sink, job.outcome
    where = full_report_where(settings, job_summary=False)
    links = link_context(settings, event)
    wants_check_run = settings.annotations in (AnnotationsMode.CHECK_RUN, AnnotationsMode.BOTH)
    on_check_run = False
    if port is not None and wants_check_run and event.head_sha:
        # GitHub counts the check run's 65,535 in characters and, for some fields, bytes
        room = room_beside(MAX_OUTPUT_CHARS, audit)
        fitted = summary_markdown(
            report, max_chars=room, max_bytes=room, full_report=where, links=links
        )
        with_audit = fitted + (f"\n\n{audit}\n" if audit else "")
        on_check_run = post_check_run(
            port,
            event.head_sha,
            report=report,
            summary=with_audit,
            root=settings.working_directory,
            sink=sink,
            outcome=outcome,
            job_failed=code != EXIT_PASS,
        )
    if settings.annotations is AnnotationsMode.CHECK_RUN and on_check_run:
        outcome.annotated = True
    elif settings.annotations is not AnnotationsMode.NONE:
        sink.annotate(with_root(annotated(report), settings.working_directory))
        outcome.commands = outcome.annotated = True
    if port is not None and event.is_pull_request and event.head_sha:
        assert event.pr_number is not None
        if settings.summary is not SummaryMode.NONE:
            store = ruling.store if ruling is not None else Store.KEEP
            made = ruling.record if ruling is not None and store is Store.WRITE else None
            # the approval record goes below the marker: the report gets the room left
            # (a record kept from an earlier run is made room for by _fit_comment's cut)
            record = made.line() if made is not None else ""
            room = room_beside(MAX_COMMENT_CHARS - SIGNATURE_ROOM, SUMMARY_MARKER, audit, record)
            fitted = summary_markdown(report, max_chars=room, full_report=where, links=links)
            body = comment_body(fitted, audit)
            post_summary(
                port,
                settings,
                number=event.pr_number,
                head_sha=event.head_sha,
                body=body,
                sink=sink,
                outcome=outcome,
                store=store,
                record=record,
            )
        if settings.request_changes:
            request_changes(
                port,
                event.pr_number,
                head_sha=event.head_sha,
                report=report,
                sink=sink,
                outcome=outcome,
                signature=token_signature(settings.token, settings.repository, event.pr_number),
            )


def with_root(findings: tuple[Finding, ...], root: str) -> list[Finding]:
    """The findings with repository-relative paths (``root`` is the working directory)."""
    return [
        replace(f, location=replace(f.location, file=repo_path(f.location.file, root)))
        for f in findings
    ]
