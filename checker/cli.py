"""Command line: argv -> settings -> app -> exit code; the one place errors become exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from checker import __version__
from checker.errors import EXIT_INTERNAL, EXIT_USAGE, CheckerError, UsageError
from checker.settings import OUTPUT_FORMATS, check_settings_from_args, diff_settings_from_args
from checker.source import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH
from checker.wording import printable

PROG = "zoho-manifest-guard"


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so main() owns the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n(run '{PROG} --help' for usage)")


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
    _add_input_options(check)
    check.add_argument(
        "--no-code",
        action="store_true",
        help="do not read the extensions' code (app/, src/) to hold grants against its calls",
    )

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
    _add_input_options(diff)

    commands.add_parser(
        "schema",
        help="print the JSON Schema of a Desk plugin-manifest.json",
        description="Print the shipped JSON Schema (Draft 2020-12) to standard output.",
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
        from checker.schema import schema_text

        stdout.write(schema_text())
        return 0
    color = use_color(args.color, stdout, environ)
    if args.command == "diff":
        from checker.app import run_diff

        return run_diff(diff_settings_from_args(args, color=color), stdout.write)
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
