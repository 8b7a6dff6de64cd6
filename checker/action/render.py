"""What the Action writes, as text: the report's markdown within each size limit, the PR
summary's body with its hidden marker and (personal tokens) signature, and the check run's
title. Pure text: imports the settings, the report and its renderers, and the types of
the approval record and of a comment; never posts anything.
"""

from __future__ import annotations

import hashlib
import hmac

from checker.actions_env import REPORT_DIR, ActionSettings
from checker.approval import Store, record_line, with_record
from checker.github_client import Comment
from checker.report import Report
from checker.reporters import markdown
from checker.reporters.permalinks import LinkContext
from checker.wording import plural

CHECK_NAME = "Zoho Manifest Guard"
SUMMARY_MARKER = "<!-- zoho-manifest-guard:summary -->"
REQUEST_CHANGES_MARKER = "<!-- zoho-manifest-guard:request-changes -->"
# The GITHUB_TOKEN acts as the GitHub Actions app; its comments are by this bot. When a check
# run was created, the app slug it reports is used instead (a GitHub App token of your own).
DEFAULT_BOT = "github-actions[bot]"
# Issue comments and review bodies are capped at 65,536 characters.
MAX_COMMENT_CHARS = 65_536
SIGNATURE_ROOM = 100
REPORT_FILE = "report.json"
SUMMARY_FILE = "summary.md"


def summary_markdown(
    report: Report,
    *,
    max_chars: int | None = None,
    max_bytes: int | None = None,
    full_report: str = "",
    links: LinkContext | None = None,
) -> str:
    """The report as markdown; manifest values are escaped by the markdown renderer. Within
    a limit it is shortened: the most severe escalations first, and ``full_report`` says
    where everything is. ``links`` makes line references links to the head commit."""
    return markdown.render(
        report, max_chars=max_chars, max_bytes=max_bytes, full_report=full_report, links=links
    )


def full_report_where(settings: ActionSettings, *, job_summary: bool) -> str:
    """Where the whole report is, as markdown, for a summary that had to be shortened: the
    job summary of this run (a link when the runner names it) and the report file."""
    files = f"`{REPORT_DIR}/{REPORT_FILE}` (the `report-json` output)"
    if job_summary:
        return f"{files} in the workspace; upload it with actions/upload-artifact to keep it"
    run = f"[this run]({settings.run_url})" if settings.run_url else "this workflow run"
    return f"the job summary of {run}, and {files}"


def room_beside(limit: int, *extra: str) -> int:
    """Room left for the report in a text of at most ``limit`` (characters or bytes) that
    also holds ``extra`` (marker, audit lines), with a little room for the line breaks
    between them; ``extra`` is counted in bytes, which is never less."""
    return max(limit - sum(len(part.encode()) + 4 for part in extra if part) - 16, 0)


def title_of(report: Report) -> str:
    """The check run's one-line title."""
    counts = report.counts
    parts = []
    if report.escalations:
        parts.append(plural(report.escalations, "escalation"))
    parts.append(plural(counts.errors, "error"))
    parts.append(plural(counts.warnings, "warning"))
    return f"{', '.join(parts)}: {report.verdict.value}"


def token_signature(token: str, repository: str, number: int) -> str:
    """A hidden line that only this token can produce, for tokens that outlive the run.

    A personal access token writes comments as its user, whose name the action cannot learn
    (it never calls ``GET /user``). The line, an HMAC of the repository and pull request keyed
    with the token, lets a later run with the same token recognise its own comments without
    revealing anything about the token. Installation tokens (the workflow's ``ghs_`` token,
    an app's) expire within the hour; their comments are recognised by the bot's name, so
    nothing is added and the body stays the same from run to run.
    """
    if not token or token.startswith("ghs_"):
        return ""
    message = f"zoho-manifest-guard v1 {repository}#{number}".encode()
    digest = hmac.new(token.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"<!-- zoho-manifest-guard:signed:{digest} -->"


def signed(body: str, signature: str) -> str:
    return f"{body.rstrip()}\n{signature}\n" if signature else body


def ours(comments: list[Comment], marker: str, bot: str, signature: str = "") -> list[Comment]:
    """Comments or reviews this action wrote: by its bot, or else (a personal token) signed.

    Anyone can copy a signed body into a comment of their own, but only after the action
    wrote it: the first signed one is the action's, and only its author's count.
    """
    by_bot = [c for c in comments if c.author == bot and marker in c.body]
    if by_bot or not signature:
        return by_bot
    signed = [c for c in comments if marker in c.body and signature in c.body]
    return [c for c in signed if c.author == signed[0].author] if signed else []


def comment_body(markdown_text: str, extra: str = "") -> str:
    """The PR summary: marker, markdown, audit lines; within the comment size cap."""
    body = f"{SUMMARY_MARKER}\n{markdown_text.rstrip()}\n"
    if extra:
        body += f"\n{extra}\n"
    return _fit_comment(body)


def _fit_comment(body: str) -> str:
    # room for the signature line a personal token adds (token_signature)
    room = MAX_COMMENT_CHARS - SIGNATURE_ROOM
    return markdown.clip(body, room, room * 4, "\n\n… (cut)\n")


def with_store(body: str, store: Store, record: str, previous: str) -> str:
    """The summary body with the approval record this run keeps, writes or drops.

    The record sits right below the marker, so cutting the body to size never cuts it.
    """
    if store is Store.WRITE:
        return _fit_comment(with_record(body, record))
    if store is Store.KEEP:
        return _fit_comment(with_record(body, record_line(previous)))
    return body
