"""Frozen settings for each command, built from argv or from an environment mapping."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field

from checker.errors import UsageError
from checker.report import FailOn
from checker.source import Limits

OUTPUT_FORMATS = ("text", "json", "markdown", "sarif")


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """What ``zoho-manifest-guard check`` needs."""

    paths: tuple[str, ...]
    output_format: str = "text"
    fail_on: FailOn = FailOn.ERROR
    color: bool = False
    limits: Limits = field(default_factory=Limits)
    # paths are changed files (pre-commit): check the extensions they belong to
    changed_files: bool = False
    code: bool = True  # read and audit each extension's code (--no-code: off)


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
    changed = bool(getattr(args, "changed_files", False))
    return CheckSettings(
        paths=tuple(args.paths) or (() if changed else (".",)),
        output_format=args.format,
        fail_on=parse_fail_on(args.fail_on),
        color=color,
        limits=parse_limits(args.max_bytes, args.max_depth),
        changed_files=changed,
        code=not args.no_code,
    )


@dataclass(frozen=True, slots=True)
class DiffSettings:
    """What ``zoho-manifest-guard diff`` needs.

    Either git mode (``base`` set: compare ``head`` with the merge base of ``base`` and
    ``head``; ``head`` None is the work tree, uncommitted changes included, against the merge
    base of ``base`` and HEAD; ``paths`` filter the manifests) or file mode (``head_file`` set,
    ``base_file`` optional: without it the manifest is new). ``policy`` is a policy file in
    the work tree; None reads ``.github/zoho-manifest-guard.yml`` at the merge base (git
    mode) or applies the defaults (file mode).
    """

    base: str | None = None
    head: str | None = None
    paths: tuple[str, ...] = ()
    base_file: str | None = None
    head_file: str | None = None
    policy: str | None = None
    approved: bool = False
    fetch: bool = False
    output_format: str = "text"
    fail_on: FailOn = FailOn.ERROR
    color: bool = False
    limits: Limits = field(default_factory=Limits)
    # --pre-push without --base: the remote whose default branch (REMOTE/HEAD) is the base
    pre_push_remote: str | None = None
    # read the head's code to say whether it uses each new grant (--no-code: off)
    code: bool = True

    @property
    def file_mode(self) -> bool:
        """Whether two files are compared without git."""
        return self.head_file is not None


def diff_settings_from_args(
    args: argparse.Namespace, *, color: bool, environ: Mapping[str, str] | None = None
) -> DiffSettings:
    """Settings of ``diff`` from parsed command-line arguments, with the modes checked.

    ``--pre-push`` runs as pre-commit's pre-push hook, which names the pushed commit in
    ``PRE_COMMIT_TO_REF`` and the remote in ``PRE_COMMIT_REMOTE_NAME`` (pre-commit's
    documented hook environment): that commit is the head (HEAD when run without them), and
    the remote's default branch the base unless ``--base`` says otherwise, as a pull request
    into it would be compared.
    """
    environ = environ or {}
    file_mode = args.head_file is not None or args.base_file is not None
    remote = None
    if getattr(args, "pre_push", False):
        if file_mode:
            raise UsageError("--pre-push compares commits: it takes no --base-file/--head-file")
        args = argparse.Namespace(**vars(args))
        args.head = args.head or environ.get("PRE_COMMIT_TO_REF") or "HEAD"
        if args.base is None:
            remote = environ.get("PRE_COMMIT_REMOTE_NAME") or "origin"
            args.base = f"{remote}/HEAD"
    if file_mode:
        if args.head_file is None:
            raise UsageError("--base-file needs --head-file NEW (the version to check)")
        if args.base is not None or args.head is not None or args.paths:
            raise UsageError(
                "use either --base REF [--head REF] [PATH...] (git) or "
                "--base-file OLD --head-file NEW (files), not both"
            )
    elif args.base is None:
        raise UsageError(
            "diff needs --base REF (in a git repository) or --head-file NEW [--base-file OLD]"
        )
    return DiffSettings(
        base=args.base,
        head=args.head,
        paths=tuple(args.paths),
        base_file=args.base_file,
        head_file=args.head_file,
        policy=args.policy,
        approved=args.approved,
        fetch=args.fetch,
        output_format=args.format,
        fail_on=parse_fail_on(args.fail_on),
        color=color,
        limits=parse_limits(args.max_bytes, args.max_depth),
        pre_push_remote=remote,
        code=not getattr(args, "no_code", False),
    )
