"""Every place the verdict goes, in order (``deliver``): the log, report.json and summary.md,
the SARIF file and the step outputs, then GitHub, then the job summary.

Imports :mod:`~checker.action.render` and :mod:`~checker.action.publish`.
"""

from __future__ import annotations

from pathlib import Path

from checker import report_files
from checker.action.publish import Job, publish, with_root
from checker.action.render import REPORT_FILE, SUMMARY_FILE, full_report_where, summary_markdown
from checker.actions_env import (
    REPORT_DIR,
    STEP_SUMMARY_MAX_BYTES,
    ActionSettings,
    AnnotationsMode,
    Sink,
    link_context,
    write_outputs,
    write_step_summary,
)
from checker.approval import Ruling, Store
from checker.errors import GitHubError
from checker.report import Report
from checker.reporters import json_v1, markdown, sarif, text
from checker.reporters.annotations import annotated


def write_reports(
    settings: ActionSettings, report: Report, summary: str, *, sink: Sink
) -> dict[str, str]:
    """report.json and summary.md, inside the workspace (shared with the job's later steps).

    The folder is the action's own: created when missing, refused (exit 2) when the checkout
    holds it, or a file in it, as a link (see :mod:`checker.report_files`).
    """
    workspace = Path(settings.workspace).resolve()
    files = {REPORT_FILE: json_v1.render(report), SUMMARY_FILE: summary}
    for name, content in files.items():
        report_files.write(workspace, (REPORT_DIR, name), sink.redact(content).encode())
    return {
        "report-json": f"{REPORT_DIR}/{REPORT_FILE}",
        "summary-markdown": f"{REPORT_DIR}/{SUMMARY_FILE}",
    }


def check_report_paths(settings: ActionSettings, sarif_target: tuple[str, ...] | None) -> None:
    """Before anything is read or posted: every report path can be written without following
    a link (the folders are created now); a link there is exit 2."""
    workspace = Path(settings.workspace).resolve()
    for name in (REPORT_FILE, SUMMARY_FILE):
        report_files.check(workspace, (REPORT_DIR, name))
    if sarif_target is not None:
        report_files.check(workspace, sarif_target)


def sarif_parts(settings: ActionSettings) -> tuple[str, ...] | None:
    """The sarif-file input as workspace-relative parts; absolute or ``..`` is an error."""
    if not settings.sarif_file:
        return None
    return report_files.relative_parts(settings.sarif_file, "sarif-file")


def deliver(
    job: Job,
    *,
    report: Report,
    audit: str,
    code: int,
    sarif_target: tuple[str, ...] | None,
    ruling: Ruling | None = None,
) -> int:
    """Report the verdict everywhere and return the gate's code: the log, the report files
    and outputs, then GitHub (check run, summary, change request), then the job summary.

    The files and outputs come first: they need nothing from GitHub, so a failed post (an
    error, a malformed answer, the wait limit) never costs them, and the exit code stays the
    policy's answer.
    """
    settings, event, sink, outcome = job.settings, job.event, job.sink, job.outcome
    summary = summary_markdown(report, links=link_context(settings, event))  # for summary.md

    sink.group("Zoho Manifest Guard report")
    sink.log(text.render(report))
    sink.end_group()

    outputs = write_reports(settings, report, summary, sink=sink)
    if sarif_target is not None:
        sarif_text = sink.redact(sarif.render(report, settings.working_directory))
        report_files.write(Path(settings.workspace).resolve(), sarif_target, sarif_text.encode())
    write_outputs(
        settings.output_path,
        {
            name: sink.redact(value)
            for name, value in {
                "verdict": report.verdict.value,
                "escalations": str(report.escalations),
                "findings": str(len(report.findings)),
                **outputs,
            }.items()
        },
    )

    try:
        publish(
            job,
            report=report,
            audit=audit,
            code=code,
            ruling=ruling,
        )
    except GitHubError as error:
        # The verdict is known; only showing it on GitHub failed (after the bounded retries).
        # The gate is this job's exit code, so it stays the policy's answer.
        outcome.warn(
            sink,
            f"posting to GitHub failed: {error}; the findings are in the log and the job "
            "summary, and the exit code is the policy's answer",
        )
    if settings.annotations is not AnnotationsMode.NONE and not outcome.annotated:
        sink.annotate(with_root(annotated(report), settings.working_directory))
        outcome.commands = True
    if ruling is not None and ruling.store is Store.WRITE and not outcome.recorded:
        outcome.warn(
            sink,
            "the approval could not be recorded in the pull request's summary, so later runs "
            "(a new push, the merge queue, the push of the merge) will not see it; give the "
            "job pull-requests: write, then remove the label and apply it again",
        )

    job_text = ""
    if audit:
        job_text += f"\n\n{audit}\n"
    if outcome.missing:
        job_text += (
            "\n\n> [!NOTE]\n> The token lacks "
            + "; ".join(f"`{m}`" for m in outcome.missing)
            + ". Findings are in this summary and the log instead.\n"
        )
        if event.fork:
            job_text += (
                f"> This pull request comes from a fork ({markdown.code(event.head_repository)}), "
                "whose runs get a read-only token: to post the check run and the summary, "
                "add the second workflow (`workflow_run`) from the README's "
                '"Permissions and forks".\n'
            )
    for warning in outcome.warnings:
        job_text += f"\n\n> [!WARNING]\n> {markdown.sentence(warning)}\n"
    # The job summary holds 1 MiB per step: the report keeps all it can of what is left.
    room = STEP_SUMMARY_MAX_BYTES - _size(settings.step_summary_path) - len(job_text.encode()) - 64
    report_md = summary_markdown(
        report,
        max_bytes=max(room, 0),
        full_report=full_report_where(settings, job_summary=True),
        links=link_context(settings, event),
    )
    write_step_summary(settings.step_summary_path, sink.redact(report_md + job_text) + "\n")
    return code


def _size(path: str) -> int:
    """The size of a file the runner gave (0 when there is none yet)."""
    try:
        return Path(path).stat().st_size if path else 0
    except OSError:
        return 0
