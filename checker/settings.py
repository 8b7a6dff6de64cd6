"""Frozen settings for each command, built from argv or from an environment mapping."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from checker.errors import UsageError
from checker.report import FailOn
from checker.source import Limits

OUTPUT_FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """What ``zoho-manifest-guard check`` needs."""

    paths: tuple[str, ...]
    output_format: str = "text"
    fail_on: FailOn = FailOn.ERROR
    color: bool = False
    limits: Limits = field(default_factory=Limits)


def parse_fail_on(value: str) -> FailOn:
    """``error`` | ``warning`` | ``never``, with a clear error otherwise."""
    try:
        return FailOn(value.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in FailOn)
        raise UsageError(f"fail-on must be one of {choices}, not {value!r}") from None


def parse_limits(max_bytes: int, max_depth: int) -> Limits:
    """Validated input limits."""
    try:
        return Limits(max_bytes=max_bytes, max_depth=max_depth)
    except ValueError as error:
        raise UsageError(str(error)) from None


def check_settings_from_args(args: argparse.Namespace, *, color: bool) -> CheckSettings:
    """Settings of ``check`` from parsed command-line arguments."""
    return CheckSettings(
        paths=tuple(args.paths) or (".",),
        output_format=args.format,
        fail_on=parse_fail_on(args.fail_on),
        color=color,
        limits=parse_limits(args.max_bytes, args.max_depth),
    )
