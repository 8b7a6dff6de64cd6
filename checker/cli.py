"""Command line: argv -> settings -> app -> exit code; the one place errors become exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from checker import __version__
from checker.errors import EXIT_INTERNAL, EXIT_USAGE, CheckerError, UsageError
from checker.settings import OUTPUT_FORMATS, check_settings_from_args, diff_settings_from_args
from checker.source import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from checker.wording import printable

PROG = "zoho-manifest-guard"


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, told the width rather than asking shutil for it.

    argparse makes a formatter for every argument it adds; without a width each one imports
    shutil (with bz2 and lzma) to measure the terminal: about 2 ms of every cold start, for
    help that is rarely printed. The width is measured here as shutil measures it.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)  # argparse's own margin of 2


def _terminal_width() -> int:
    """$COLUMNS, else the width of the terminal on standard output, else 80 (as
    ``shutil.get_terminal_size`` decides)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):  # not a terminal, or no file descriptor
        return 80


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so main() owns the exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n(run '{PROG} --help' for usage)")


def _add_code_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-code",
        action="store_true",
        help="do not read the extensions' code (app/, src/) to hold grants against its calls",
    )


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=OUTPUT_FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--fail-on",
        default="error",
        metavar="{error,warning,never}",
        help="lowest finding severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (default: auto, only on a terminal)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"largest JSON file to read (default: {DEFAULT_MAX_BYTES})",
    )
    parser.add_argument(
        "--max-depth",
        type=int,
        default=DEFAULT_MAX_DEPTH,
        metavar="N",
        help=f"deepest nesting accepted (default: {DEFAULT_MAX_DEPTH})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    parser = _Parser(
        prog=PROG,
        description="Validate Zoho extension plugin-manifest.json files and diff their grants.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser(
        "check",
        help="validate manifests (files, or folders searched for plugin-manifest.json)",
        description="Validate plugin-manifest.json files: JSON, schema and Zoho's rules.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    check.add_argument(
        "--changed-files",
        action="store_true",
        help=(
            "the PATHs are changed files, as pre-commit passes them: check the extension of "
            "each plugin-manifest.json or resources.json, leave other files out"
        ),
    )
    _add_input_options(check)
    _add_code_option(check)

    diff = commands.add_parser(
        "diff",
        help="compare manifests between two commits (or two files) and apply the policy",
        description=(
            "Compare plugin-manifest.json files of the work tree (or of the commit --head) with "
            "the merge base of --base and head, the way GitHub's 'Files changed' tab does, or "
            "compare two files. "
            "New scopes, connections and other grants are escalations; the policy "
            "(.github/zoho-manifest-guard.yml read at the merge base, or --policy) decides "
            "which block."
        ),
    )
    diff.add_argument(
        "paths", nargs="*", metavar="PATH", help="only manifests under these paths (git mode)"
    )
    diff.add_argument("--base", metavar="REF", help="base branch or commit, e.g. origin/main")
    diff.add_argument(
        "--head",
        metavar="REF",
        help=(
            "head commit (default: the work tree, that is HEAD with uncommitted changes and "
            "untracked manifests)"
        ),
    )
    diff.add_argument("--base-file", metavar="OLD", help="base manifest file (no git)")
    diff.add_argument("--head-file", metavar="NEW", help="head manifest file (no git)")
    diff.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (default: .github/zoho-manifest-guard.yml at the merge base)",
    )
    diff.add_argument(
        "--approved",
        action="store_true",
        help="treat escalations as approved, as the approval label does in CI",
    )
    diff.add_argument(
        "--fetch",
        action="store_true",
        help="fetch a missing base commit or history from origin (shallow clones)",
    )
    diff.add_argument(
        "--pre-push",
        action="store_true",
        help=(
            "as pre-commit's pre-push hook: compare the pushed commit (PRE_COMMIT_TO_REF) with "
            "the remote's default branch (REMOTE/HEAD) unless --base is given"
        ),
    )
    _add_input_options(diff)
    _add_code_option(diff)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a Desk (or --service) plugin-manifest.json",
        description="Print the shipped JSON Schema (Draft 2020-12) to standard output.",
    )
    which = schema.add_mutually_exclusive_group()
    which.add_argument(
        "--service",
        metavar="NAME",
        help="the Zoho service whose schema to print (default: DESK), e.g. PROJECTS",
    )
    which.add_argument(
        "--policy",
        action="store_true",
        help="print the schema of the policy file (.github/zoho-manifest-guard.yml) instead",
    )

    init = commands.add_parser(
        "init",
        help="write the recommended workflow and a commented policy file into this repository",
        description=(
            "Write .github/workflows/manifest-guard.yml (actions pinned by commit, least "
            "permissions, paths set to the extensions found) and .github/zoho-manifest-guard.yml "
            "(the defaults, commented). Existing files are never replaced without --force."
        ),
    )
    init.add_argument(
        "--forks",
        action="store_true",
        help="also write manifest-guard-post.yml (workflow_run), which posts for forks",
    )
    init.add_argument("--force", action="store_true", help="replace files that already exist")
    init.add_argument(
        "--branch", metavar="NAME", help="branch whose pushes are checked (default: origin's)"
    )
    init.add_argument(
        "--action-sha",
        metavar="SHA",
        help="commit of the zoho-manifest-guard release to pin (default: this release's)",
    )
    init.add_argument(
        "--action-version",
        metavar="TAG",
        help="version tag of --action-sha for the pin's comment (default: this version's)",
    )
    return parser


def use_color(choice: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, unless forced; NO_COLOR (no-color.org) turns it off."""
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _dispatch(args: argparse.Namespace, stdout: TextIO, environ: Mapping[str, str]) -> int:
    if args.command == "schema":
        if args.policy:
            from checker.policy import policy_schema_text

            stdout.write(policy_schema_text())
            return 0
        from checker.schema import schema_text
        from checker.services import schema_file_for_cli

        stdout.write(schema_text(schema_file_for_cli(args.service)))
        return 0
    if args.command == "init":
        from pathlib import Path

        from checker.scaffold import InitOptions, repository_root, run_init

        options = InitOptions(
            root=repository_root(Path.cwd()),
            forks=args.forks,
            force=args.force,
            action_sha=args.action_sha,
            action_version=args.action_version,
            branch=args.branch,
        )
        return run_init(options, stdout.write)
    color = use_color(args.color, stdout, environ)
    if args.command == "diff":
        from checker.app import run_diff

        settings = diff_settings_from_args(args, color=color, environ=environ)
        return run_diff(settings, stdout.write)
    from checker.app import run_check

    return run_check(check_settings_from_args(args, color=color), stdout.write)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool; returns the exit code (0 pass, 1 fail, 2 usage/input, 3 internal)."""
    stdout, stderr = sys.stdout, sys.stderr
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args, stdout, os.environ)
    except CheckerError as error:
        # messages may quote policy or manifest values: no raw control characters
        text = "\n".join(printable(line, keep="\t") for line in str(error).split("\n"))
        stderr.write(f"{PROG}: error: {text}\n")
        return error.exit_code
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_USAGE
    except Exception as error:
        stderr.write(
            f"{PROG}: internal error: {type(error).__name__}: {error}\n"
            "This is a bug; please report it with the command you ran.\n"
        )
        if os.environ.get("ZMG_DEBUG"):
            import traceback

            traceback.print_exc(file=stderr)
        return EXIT_INTERNAL
