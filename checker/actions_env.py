"""GitHub Actions runner I/O: inputs, the event payload, outputs, job summary, command sink."""

from __future__ import annotations

import enum
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from checker.errors import InputError, UsageError
from checker.findings import Finding
from checker.report import FailOn
from checker.reporters.markdown import clip, escape_text
from checker.reporters.permalinks import LinkContext
from checker.reporters.workflow_commands import (
    annotation_commands,
    command,
    escape_data,
    escape_property,
    safe_log,
    safe_log_line,
)
from checker.settings import parse_fail_on

__all__ = [
    "PULL_EVENTS",
    "ActionSettings",
    "Event",
    "EventKind",
    "RunPull",
    "Sink",
    "escape_data",
    "escape_property",
    "input_value",
    "parse_event",
    "read_event",
    "secret_values",
    "settings_from_env",
    "write_outputs",
    "write_step_summary",
]

# GITHUB_STEP_SUMMARY accepts at most 1 MiB per step ("Adding a job summary" in the workflow
# commands documentation); a larger file fails the upload of the whole summary.
STEP_SUMMARY_MAX_BYTES = 1024 * 1024


class AnnotationsMode(enum.Enum):
    """Where findings are shown as annotations."""

    CHECK_RUN = "check-run"
    WORKFLOW_COMMANDS = "workflow-commands"
    BOTH = "both"
    NONE = "none"


class SummaryMode(enum.Enum):
    """Where the pull-request summary goes."""

    REVIEW = "review"
    COMMENT = "comment"
    NONE = "none"


class RunMode(enum.Enum):
    """Check the workspace, or post a report saved by an earlier ``pull_request`` run."""

    CHECK = "check"
    POST = "post"


def input_value(env: Mapping[str, str], name: str, default: str = "") -> str:
    """An action input as the runner passes it to a Docker action: ``INPUT_<NAME>``.

    The runner upper-cases the name and keeps hyphens (``fail-on`` -> ``INPUT_FAIL-ON``);
    surrounding whitespace is dropped and an empty value means "not given".
    """
    value = env.get(f"INPUT_{name.upper()}", "").strip()
    return value or default


def _enum_input(env: Mapping[str, str], name: str, kind: type[enum.Enum], default: str) -> Any:
    raw = input_value(env, name, default).lower()
    try:
        return kind(raw)
    except ValueError:
        choices = "|".join(str(member.value) for member in kind)
        raise UsageError(f"input {name} must be one of {choices}, not {raw!r}") from None


def _bool_input(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = input_value(env, name, "true" if default else "false").lower()
    if raw in ("true", "yes", "1", "on"):
        return True
    if raw in ("false", "no", "0", "off"):
        return False
    raise UsageError(f"input {name} must be true or false, not {raw!r}")


def _seconds_input(env: Mapping[str, str], name: str, default: float) -> float:
    raw = input_value(env, name, f"{default:g}")
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"input {name} must be a number of seconds, not {raw!r}") from None
    if not 0 <= value < float("inf"):
        raise UsageError(f"input {name} must be a number of seconds, 0 or more, not {raw!r}")
    return value


def _float_env(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise UsageError(f"{name} must not be negative")
    return value


# How long a run may wait for GitHub in all (rate limits, server errors): past it the action
# stops posting and keeps the policy's answer. Two secondary-limit waits once took 601 s.
DEFAULT_WAIT_LIMIT = 180.0


@dataclass(frozen=True, slots=True)
class ClientTuning:
    """How the GitHub client paces and retries; tests turn the pacing down.

    GitHub asks integrations to space out writes (about 80 a minute) to stay clear of the
    secondary rate limits ("Best practices for using the REST API").
    """

    seconds_between_requests: float = 0.25
    seconds_between_writes: float = 1.0
    retries: int = 5
    backoff_factor: float = 1.0
    max_wait: float = 300.0


@dataclass(frozen=True, slots=True)
class ActionSettings:
    """Everything the Action needs, read once from the runner's environment.

    The field names mirror the action.yml inputs (hyphens become underscores); a test keeps
    action.yml, this class and the README table in sync.
    """

    token: str
    paths: tuple[str, ...]
    policy: str
    fail_on: FailOn
    annotations: AnnotationsMode
    summary: SummaryMode
    request_changes: bool
    sarif_file: str
    working_directory: str
    wait_limit: float
    code: bool
    # Runner context, not inputs.
    mode: RunMode
    repository: str
    api_url: str
    event_name: str
    event_path: str
    sha: str
    workspace: str
    output_path: str
    step_summary_path: str
    tuning: ClientTuning
    # GITHUB_RUN_ATTEMPT: 2 and up for a re-run, whose event payload may be out of date.
    run_attempt: int = 1
    run_url: str = ""  # this workflow run's page, when the runner names it
    server_url: str = "https://github.com"  # GITHUB_SERVER_URL: where summaries link lines

    def __repr__(self) -> str:
        # The token must never reach a log, so it is not part of the representation.
        return f"ActionSettings(repository={self.repository!r}, event={self.event_name!r}, ...)"


INPUT_NAMES = (
    "token",
    "paths",
    "policy",
    "fail-on",
    "annotations",
    "summary",
    "request-changes",
    "sarif-file",
    "working-directory",
    "wait-limit",
    "code",
)
# Report files go inside the workspace: it is the only folder a Docker action shares with the
# later steps of the job (the runner mounts it at /github/workspace), so outputs name paths
# relative to it.
REPORT_DIR = ".zoho-manifest-guard"
OUTPUT_NAMES = ("verdict", "escalations", "findings", "report-json", "summary-markdown")


_SERVER = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?\Z")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")


def _run_url(env: Mapping[str, str]) -> str:
    """This workflow run's page (GITHUB_SERVER_URL/REPOSITORY/actions/runs/RUN_ID), or ""
    when a part is missing or not what the runner sets (it goes into markdown links)."""
    server = (env.get("GITHUB_SERVER_URL", "") or "https://github.com").rstrip("/")
    repository, run_id = env.get("GITHUB_REPOSITORY", ""), env.get("GITHUB_RUN_ID", "")
    valid = _SERVER.match(server) and _REPOSITORY.match(repository)
    if not (valid and re.fullmatch(r"[0-9]+", run_id)):
        return ""
    return f"{server}/{repository}/actions/runs/{run_id}"


def link_context(settings: ActionSettings, event: Event) -> LinkContext | None:
    """Where the summaries link each line they name: the file at the pull request's head
    commit, under the working directory. None without a head commit, or when a part is not
    what the runner sets (the lines then stay plain text).

    Lines of the base (removed grants) stay plain: the base side is read at the merge base,
    which the event does not name (its ``base_sha`` is the base branch's tip).
    """
    if not event.head_sha or not settings.repository:
        return None
    links = LinkContext(
        settings.server_url, settings.repository, event.head_sha, settings.working_directory
    )
    return links if links.valid else None


def settings_from_env(env: Mapping[str, str]) -> ActionSettings:
    """ActionSettings from a mapping shaped like the runner's environment."""
    paths = tuple(
        line.strip()
        for line in input_value(env, "paths", "**/plugin-manifest.json").splitlines()
        for line in line.split(",")
        if line.strip()
    )
    repository = env.get("GITHUB_REPOSITORY", "")
    workspace = env.get("GITHUB_WORKSPACE", "") or "."
    mode = RunMode.POST if env.get("GITHUB_EVENT_NAME") == "workflow_run" else RunMode.CHECK
    return ActionSettings(
        token=input_value(env, "token") or env.get("GITHUB_TOKEN", ""),
        paths=paths,
        policy=input_value(env, "policy", ".github/zoho-manifest-guard.yml"),
        fail_on=parse_fail_on(input_value(env, "fail-on", "error")),
        annotations=_enum_input(env, "annotations", AnnotationsMode, "check-run"),
        summary=_enum_input(env, "summary", SummaryMode, "comment"),
        request_changes=_bool_input(env, "request-changes", default=False),
        sarif_file=input_value(env, "sarif-file"),
        working_directory=input_value(env, "working-directory", "."),
        wait_limit=_seconds_input(env, "wait-limit", DEFAULT_WAIT_LIMIT),
        code=_bool_input(env, "code", default=True),
        mode=mode,
        repository=repository,
        api_url=(env.get("GITHUB_API_URL", "") or "https://api.github.com").rstrip("/"),
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event_path=env.get("GITHUB_EVENT_PATH", ""),
        sha=env.get("GITHUB_SHA", ""),
        workspace=workspace,
        output_path=env.get("GITHUB_OUTPUT", ""),
        step_summary_path=env.get("GITHUB_STEP_SUMMARY", ""),
        run_url=_run_url(env),
        server_url=(env.get("GITHUB_SERVER_URL", "") or "https://github.com").rstrip("/"),
        tuning=ClientTuning(
            seconds_between_requests=_float_env(env, "ZMG_SECONDS_BETWEEN_REQUESTS", 0.25),
            seconds_between_writes=_float_env(env, "ZMG_SECONDS_BETWEEN_WRITES", 1.0),
            backoff_factor=_float_env(env, "ZMG_RETRY_BACKOFF", 1.0),
        ),
        run_attempt=_attempt(env.get("GITHUB_RUN_ATTEMPT", "")),
    )


def _attempt(raw: str) -> int:
    """The run attempt; anything but a positive number counts as a re-run (fail closed)."""
    raw = raw.strip()
    if not raw:
        return 1
    return int(raw) if raw.isdigit() and raw.isascii() and int(raw) > 0 else 2


class EventKind(enum.Enum):
    """The events the Action understands; anything else only validates."""

    PULL_REQUEST = "pull_request"
    PULL_REQUEST_TARGET = "pull_request_target"
    PULL_REQUEST_REVIEW = "pull_request_review"
    MERGE_GROUP = "merge_group"
    PUSH = "push"
    WORKFLOW_RUN = "workflow_run"
    OTHER = "other"


PULL_EVENTS = (
    EventKind.PULL_REQUEST,
    EventKind.PULL_REQUEST_TARGET,
    EventKind.PULL_REQUEST_REVIEW,
)
_ZERO_SHA = "0" * 40
# A merge queue's branch: gh-readonly-queue/<base branch>/pr-<number>-<sha of its parent>
# ("Managing a merge queue"); merge_group's base_sha is that parent, so the group's diff
# is this pull request's own change.
_QUEUE_REF = re.compile(r"(?:refs/heads/)?gh-readonly-queue/.+/pr-(\d+)-[0-9a-f]{40}\Z")


@dataclass(frozen=True, slots=True)
class RunPull:
    """A pull request a workflow_run event names itself: its number, the head commit, and
    the API address of its base repository (the payload names repositories by ``url``)."""

    number: int
    head_sha: str
    base_repository_url: str


@dataclass(frozen=True, slots=True)
class Event:
    """What the triggering event says about the commits to compare.

    ``head_sha`` is a pull request's head commit, never the merge commit in GITHUB_SHA.
    ``base_sha`` is None when there is nothing to compare against (a new branch, a first
    push, an unknown event): the Action then validates only. ``pr_number`` is also set for a
    merge group (the queued pull request, whose approval label counts) while
    ``is_pull_request`` stays false there: nothing is posted to the pull request.
    """

    kind: EventKind
    action: str = ""
    pr_number: int | None = None
    base_sha: str | None = None
    head_sha: str | None = None
    base_ref: str = ""
    head_repository: str = ""
    fork: bool = False
    label: str = ""
    sender: str = ""
    workflow_run_id: int | None = None
    # workflow_run: the pull requests the event names (GitHub leaves this empty for forks)
    run_pulls: tuple[RunPull, ...] = ()

    @property
    def is_pull_request(self) -> bool:
        """Whether a pull request (and so a PR summary) is involved."""
        return self.kind in PULL_EVENTS and self.pr_number is not None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _sha(value: Any) -> str | None:
    text = _text(value)
    return None if not text or text == _ZERO_SHA else text


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_event(name: str, payload: Mapping[str, Any], github_sha: str = "") -> Event:
    """The commits to compare, from an event name and its webhook payload."""
    try:
        kind = EventKind(name)
    except ValueError:
        kind = EventKind.OTHER
    action = _text(payload.get("action"))
    sender = _text(_obj(payload.get("sender")).get("login"))
    if kind in PULL_EVENTS:
        pull = _obj(payload.get("pull_request"))
        base, head = _obj(pull.get("base")), _obj(pull.get("head"))
        head_repo = _obj(head.get("repo"))
        base_repo = _obj(base.get("repo"))
        number = pull.get("number", payload.get("number"))
        head_full = _text(head_repo.get("full_name"))
        return Event(
            kind=kind,
            action=action,
            pr_number=number if isinstance(number, int) else None,
            base_sha=_sha(base.get("sha")),
            head_sha=_sha(head.get("sha")),
            base_ref=_text(base.get("ref")),
            head_repository=head_full,
            fork=bool(head_full) and head_full != _text(base_repo.get("full_name")),
            label=_text(_obj(payload.get("label")).get("name")),
            sender=sender,
        )
    if kind is EventKind.MERGE_GROUP:
        group = _obj(payload.get("merge_group"))
        # The queue names the pull request in the group's branch; its label approves.
        queued = _QUEUE_REF.match(_text(group.get("head_ref")))
        return Event(
            kind=kind,
            action=action,
            pr_number=int(queued.group(1)) if queued else None,
            base_sha=_sha(group.get("base_sha")),
            head_sha=_sha(group.get("head_sha")) or _sha(github_sha),
            base_ref=_text(group.get("base_ref")),
            sender=sender,
        )
    if kind is EventKind.PUSH:
        return Event(
            kind=kind,
            base_sha=_sha(payload.get("before")),
            head_sha=_sha(payload.get("after")) or _sha(github_sha),
            base_ref=_text(payload.get("ref")),
            sender=sender,
        )
    if kind is EventKind.WORKFLOW_RUN:
        run = _obj(payload.get("workflow_run"))
        run_id = run.get("id")
        pulls = run.get("pull_requests")
        named = []
        for item in pulls if isinstance(pulls, list) else ():
            number = _obj(item).get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                base_repo = _obj(_obj(_obj(item).get("base")).get("repo"))
                head_sha = _text(_obj(_obj(item).get("head")).get("sha"))
                named.append(RunPull(number, head_sha, _text(base_repo.get("url"))))
        # No pr_number: which pull request this is must be established with GitHub (see
        # the Action's post mode), not taken from the first entry.
        return Event(
            kind=kind,
            action=action,
            head_sha=_sha(run.get("head_sha")),
            head_repository=_text(_obj(run.get("head_repository")).get("full_name")),
            sender=sender,
            workflow_run_id=run_id if isinstance(run_id, int) else None,
            run_pulls=tuple(named),
        )
    return Event(kind=EventKind.OTHER, action=action, head_sha=_sha(github_sha), sender=sender)


def read_event(path: str) -> Mapping[str, Any]:
    """The webhook payload the runner saved at GITHUB_EVENT_PATH ({} when there is none)."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the event payload {path}: {error.strerror}") from None
    except ValueError as error:
        raise InputError(f"the event payload {path} is not JSON: {error}") from None
    return data if isinstance(data, dict) else {}


def format_outputs(values: Mapping[str, str], delimiter: str | None = None) -> str:
    """GITHUB_OUTPUT text: ``name<<DELIM`` blocks, safe for any value, multi-line included.

    The delimiter is random per call, so a value cannot end the block early ("Multiline
    strings" in the workflow commands documentation).
    """
    chunks = []
    for name, value in values.items():
        delim = delimiter or f"ghadelimiter_{secrets.token_hex(16)}"
        if delim in value or delim in name:
            raise ValueError("output delimiter occurs in the value")
        chunks.append(f"{name}<<{delim}\n{value}\n{delim}\n")
    return "".join(chunks)


def write_outputs(path: str, values: Mapping[str, str]) -> None:
    """Append outputs to the GITHUB_OUTPUT file (nothing when the runner gave none)."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(format_outputs(values))


def write_step_summary(path: str, markdown: str) -> None:
    """Append the job summary, cut to GitHub's 1 MiB per step, saying so when cut."""
    if not path:
        return
    target = Path(path)
    used = target.stat().st_size if target.exists() else 0
    room = max(0, STEP_SUMMARY_MAX_BYTES - used)
    note = "\n\n… (cut to fit GitHub's 1 MiB job-summary limit; see the report-json file)\n"
    text = clip(markdown, room, room, note) if room else ""
    with target.open("a", encoding="utf-8") as handle:
        handle.write(text)


def secret_values(env: Mapping[str, str]) -> tuple[str, ...]:
    """The token values in the environment, for :class:`Sink` to keep out of everything."""
    found = {input_value(env, "token"), env.get("GITHUB_TOKEN", "").strip()}
    # A value this short would mask ordinary words; real tokens are 40 characters or more.
    return tuple(sorted(value for value in found if len(value) >= 8))


def _written_forms(secret: str) -> set[str]:
    """A secret as each of our writers could spell it: raw, markdown-escaped (``ghp\\_``),
    escaped for a workflow command's message or property, and inside a JSON string."""
    return {
        secret,
        escape_text(secret),
        escape_data(secret),
        escape_property(secret),
        json.dumps(secret)[1:-1],
    }


class Sink:
    """The step's log: plain lines made safe, and workflow commands written by us only.

    Every line passes :meth:`redact`, so a token can never be printed, whatever an error
    message or a report happens to contain (the runner masks registered secrets in the log,
    but not in the job summary, which the Action also redacts through this sink). Text is
    redacted before it is escaped or clipped (an escape or a cut would hide the token from a
    plain search); every writer also redacts the escaped forms, as a second line of defence.
    """

    def __init__(self, stream: TextIO, secrets: tuple[str, ...] = ()) -> None:
        self._stream = stream
        self._said: set[str] = set()
        self._secrets = secrets
        forms = {form for secret in secrets for form in _written_forms(secret)}
        # the longest first, so that an escaped form is replaced whole
        self._forms = tuple(sorted(forms, key=lambda form: (-len(form), form)))

    def redact(self, text: str) -> str:
        """``text`` with every secret, raw or escaped as our writers escape, replaced by
        ``***``."""
        for form in self._forms:
            text = text.replace(form, "***")
        return text

    def _write(self, line: str) -> None:
        self._stream.write(self.redact(line) + "\n")

    def log(self, text: str) -> None:
        """Plain text; no line of it can act as a workflow command."""
        if text:
            self._write(safe_log(text))

    def once(self, text: str) -> None:
        """Plain text, written at most once per run (for example a missing permission)."""
        if text not in self._said:
            self._said.add(text)
            self.log(text)

    def command(self, name: str, properties: Mapping[str, str | int], message: str) -> None:
        """One escaped workflow command."""
        self._write(command(name, properties, message))

    def annotate(self, findings: tuple[Finding, ...] | list[Finding]) -> int:
        """Annotation commands for findings, errors first; returns how many were printed."""
        batch = annotation_commands(findings)
        for line in batch.lines:
            self._write(line)
        if batch.note:
            self.command("notice", {"title": "zoho-manifest-guard"}, batch.note)
        return len(batch.lines)

    def group(self, title: str) -> None:
        """Start a collapsed log group."""
        self._write(f"::group::{escape_data(safe_log_line(title))}")

    def end_group(self) -> None:
        """End the log group."""
        self._write("::endgroup::")

    def flush(self) -> None:
        """Flush the stream."""
        self._stream.flush()
