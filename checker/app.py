"""The only module that joins the pure core with the adapters: read, check, render, decide."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.errors import EXIT_FAIL, EXIT_INTERNAL, EXIT_PASS, EXIT_USAGE
from checker.report import Report, Verdict, build_report
from checker.reporters import json_v1, text
from checker.settings import CheckSettings
from checker.validate import CRASH_RULE, Checked, check_extension
from checker.workspace import INPUT_ERROR_RULES, discover, read_extension

Write = Callable[[str], object]


def check_paths(settings: CheckSettings, workspace: Path | None = None) -> list[Checked]:
    """Discover and check every manifest under the settings' paths."""
    checked = []
    for manifest in discover(settings.paths):
        source = read_extension(manifest, settings.limits.max_bytes, workspace)
        checked.append(check_extension(source, limits=settings.limits))
    return checked


def exit_code(report: Report) -> int:
    """0 pass, 1 policy failure, 2 unreadable input, 3 a checker bug (fail closed)."""
    rules = {f.rule for f in report.findings}
    if CRASH_RULE in rules:
        return EXIT_INTERNAL
    if rules & INPUT_ERROR_RULES:
        return EXIT_USAGE
    return EXIT_PASS if report.verdict is Verdict.PASS else EXIT_FAIL


def render(report: Report, output_format: str, *, color: bool) -> str:
    """The report in the chosen format."""
    if output_format == "json":
        return json_v1.render(report)
    return text.render(report, color=color)


def run_check(settings: CheckSettings, write: Write) -> int:
    """``zoho-manifest-guard check``."""
    checked = check_paths(settings)
    notes: tuple[str, ...] = ()
    if not checked:
        notes = ("no plugin-manifest.json found under the given paths",)
    report = build_report([c.report for c in checked], settings.fail_on, notes=notes)
    write(render(report, settings.output_format, color=settings.color))
    if not checked:
        return EXIT_USAGE
    return exit_code(report)
