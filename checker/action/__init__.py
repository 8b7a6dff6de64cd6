"""The GitHub Action: settings and event in, one of the two modes, an exit code out.

``main`` is the container's entry point (``entrypoint.py`` calls it); ``run`` maps every
expected error to a logged error, a job summary and an exit code. The stages live in the
modules beside this one, each importing only those before it:

- :mod:`~checker.action.discovery`: which manifests the head has (disk, or a tree listing)
- :mod:`~checker.action.readers`: reading files at a commit (local git, the contents API)
- :mod:`~checker.action.base`: which commits to compare, what changed, the base's policy
- :mod:`~checker.action.sides`: the head side and each manifest paired with its base
- :mod:`~checker.action.render`: summaries within each size limit, comment markers
- :mod:`~checker.action.publish`: the check run, the PR summary and the change request
- :mod:`~checker.action.approving`: what the approval label does for this run
- :mod:`~checker.action.outputs`: report files, step outputs, the job summary (``deliver``)
- :mod:`~checker.action.modes`: the pull_request check mode and the workflow_run post mode
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from checker.action.modes import run_check_mode, run_post_mode
from checker.action.render import CHECK_NAME
from checker.actions_env import (
    ActionSettings,
    RunMode,
    Sink,
    parse_event,
    read_event,
    secret_values,
    settings_from_env,
    write_step_summary,
)
from checker.errors import EXIT_INTERNAL, EXIT_USAGE, CheckerError
from checker.github_client import GitHubPort, PyGithubClient
from checker.reporters import markdown

ClientFactory = Callable[[ActionSettings], GitHubPort]


def default_client(settings: ActionSettings) -> GitHubPort:
    """The PyGithub client configured from the settings."""
    return PyGithubClient(
        settings.token,
        settings.repository,
        api_url=settings.api_url,
        **dataclasses.asdict(settings.tuning),
        wait_limit=settings.wait_limit,
    )


def run(
    env: Mapping[str, str],
    stdout: TextIO,
    client_factory: ClientFactory = default_client,
) -> int:
    """Run the Action; every expected error becomes a logged error and an exit code.

    The job summary is written on every path: the report, or what stopped the run.
    """
    sink = Sink(stdout, secret_values(env))
    try:
        settings = settings_from_env(env)
        event = parse_event(settings.event_name, read_event(settings.event_path), settings.sha)
        port = client_factory(settings) if settings.token and settings.repository else None
        if settings.mode is RunMode.POST:
            return run_post_mode(settings, event, port, sink)
        return run_check_mode(settings, event, port, sink)
    except CheckerError as error:
        message = str(error)
        code = error.exit_code
    except Exception as error:
        message = (
            f"internal error: {type(error).__name__}: {error}. This is a bug; please report it."
        )
        code = EXIT_INTERNAL
    finally:
        sink.flush()
    # redacted before the command and the summary escape it
    message = sink.redact(message)
    sink.command("error", {"title": "zoho-manifest-guard"}, message)
    write_error_summary(env.get("GITHUB_STEP_SUMMARY", ""), message, code)
    sink.flush()
    return code


def write_error_summary(path: str, message: str, code: int) -> None:
    """A job summary for a run that stopped before (or while) reporting; never raises."""
    kind = "input or configuration error" if code == EXIT_USAGE else "error"
    text_ = (
        f"## ⚠️ {CHECK_NAME}: {kind} (exit code {code})\n\n{markdown.sentence(message)}\n\n"
        "The manifests were not (fully) checked; the job log has the details.\n"
    )
    try:
        write_step_summary(path, text_)
    except OSError:
        return


def main(env: Mapping[str, str] | None = None) -> int:
    """Entry point of the container: the process environment, standard output."""
    return run(os.environ if env is None else env, sys.stdout)
