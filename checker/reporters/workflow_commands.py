"""GitHub workflow commands (``::error file=...::message``), escaped so no value can start one."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from checker.findings import Finding, Severity
from checker.wording import printable

# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and silently
# drops the rest ("Annotations" limits in the workflow-commands documentation).
PER_STEP_LIMIT = 10

# Lines the runner may take for a command: "::name ...::" (current syntax) and "##[name]"
# (the legacy syntax, still parsed by the runner). Leading whitespace does not protect a line.
_COMMAND_PREFIXES = ("::", "##[")


class CommandKind(enum.Enum):
    """Annotation commands, most serious first (the order the runner is fed them)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


_KIND = {
    Severity.ERROR: CommandKind.ERROR,
    Severity.WARNING: CommandKind.WARNING,
    Severity.NOTICE: CommandKind.NOTICE,
}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF (the runner's own data escaping)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value: the data escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, str | int], message: str) -> str:
    """One workflow command line; properties and message are escaped here, once."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def safe_log_line(text: str) -> str:
    """A line of plain log output that the runner can never mistake for a command.

    Every line is checked, so a value holding ``\\n::stop-commands::x`` or ``##[error]``
    is shown, not obeyed: such a line gets a leading backslash, and control characters other
    than tab are written as ``\\uXXXX``.
    """
    cleaned = printable(text.rstrip("\n"), keep="\t")
    if cleaned.lstrip().startswith(_COMMAND_PREFIXES):
        return "\\" + cleaned
    return cleaned


def safe_log(text: str) -> str:
    """Multi-line plain output made safe line by line (see :func:`safe_log_line`)."""
    return "\n".join(safe_log_line(line) for line in text.splitlines())


@dataclass(frozen=True, slots=True)
class CommandBatch:
    """Annotation commands to print, and how many the per-step cap leaves out."""

    lines: tuple[str, ...]
    dropped: Mapping[CommandKind, int]

    @property
    def note(self) -> str | None:
        """A sentence saying what the runner's cap leaves out, or None."""
        parts = [f"{n} {kind.value}s" for kind, n in self.dropped.items() if n]
        if not parts:
            return None
        return (
            f"GitHub shows only {PER_STEP_LIMIT} annotations of each kind per step; "
            f"{', '.join(parts)} are not annotated here (see the job summary or the report "
            "for all findings)"
        )


def finding_command(finding: Finding) -> str:
    """One finding as an annotation command at its exact place."""
    properties: dict[str, str | int] = {"file": finding.location.file}
    span = finding.location.span
    if span is not None:
        properties["line"] = span.line
        properties["endLine"] = span.end_line
        # Columns only make sense on a one-line span (the check-runs API has the same rule).
        if span.line == span.end_line:
            properties["col"] = span.column
            properties["endColumn"] = span.end_column
    properties["title"] = finding.rule
    return command(_KIND[finding.severity].value, properties, finding.message)


def annotation_commands(findings: Iterable[Finding]) -> CommandBatch:
    """Errors first, then warnings, then notices, each capped at the runner's per-step limit."""
    by_kind: dict[CommandKind, list[Finding]] = {kind: [] for kind in CommandKind}
    for finding in findings:
        by_kind[_KIND[finding.severity]].append(finding)
    lines: list[str] = []
    dropped: dict[CommandKind, int] = {}
    for kind in CommandKind:
        chosen = by_kind[kind]
        lines.extend(finding_command(f) for f in chosen[:PER_STEP_LIMIT])
        dropped[kind] = max(0, len(chosen) - PER_STEP_LIMIT)
    return CommandBatch(tuple(lines), dropped)
