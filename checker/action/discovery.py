"""Which manifests the head has: the ``paths`` globs matched on disk (check mode) or in a
commit's tree listing (post mode), and whether the workspace holds the event's commit.

Imports the workspace and git adapters and the settings; nothing else of the Action.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from checker.actions_env import REPORT_DIR, ActionSettings
from checker.errors import GitError
from checker.extension import RESOURCES_NAME, ExtensionInput
from checker.git import Repo, commit_parents, contains_commit, resolve_commit
from checker.source import Limits
from checker.trees import TreeEntry
from checker.workspace import Finder, Listings, find_files, read_extension

SKIP_DIRS = frozenset({".git", "node_modules", REPORT_DIR})


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**/`` spans folders, ``*`` and ``?`` stay within one."""
    out = ""
    parts = pattern.strip().lstrip("./").split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out += ".*" if last else "(?:[^/]+/)*"
            continue
        for char in part:
            if char == "*":
                out += "[^/]*"
            elif char == "?":
                out += "[^/]"
            else:
                out += re.escape(char)
        if not last:
            out += "/"
    return re.compile(out + r"\Z")


def matches(patterns: tuple[str, ...], path: str) -> bool:
    """Whether a POSIX path relative to the working folder matches one of the globs."""
    return any(glob_regex(p).match(path) for p in patterns)


def working_prefix(settings: ActionSettings) -> str:
    """The working directory as a prefix of repository paths ("" for the top, else "x/")."""
    folder = settings.working_directory.strip("/")
    return "" if folder in ("", ".") else f"{folder}/"


def listed_manifests(
    entries: Sequence[TreeEntry], patterns: tuple[str, ...], prefix: str
) -> list[str]:
    """The repository paths, sorted, of the files of a commit's listing that lie below the
    working folder ``prefix`` and match the globs there, SKIP_DIRS not searched: what
    :func:`read_heads` finds on disk (a link counts as a file, as it does there)."""
    found = []
    for entry in entries:
        if entry.kind != "blob" or not entry.path.startswith(prefix):
            continue
        relative = entry.path[len(prefix) :]
        if any(part in SKIP_DIRS for part in relative.split("/")[:-1]):
            continue
        if matches(patterns, relative):
            found.append(entry.path)
    return sorted(found)


def read_heads(
    patterns: tuple[str, ...], workspace: Path, *, code: bool = False
) -> dict[str, ExtensionInput]:
    """Every file below the current folder matching the globs (symbolic links included,
    never followed; SKIP_DIRS not searched), read with its extension folder (with ``code``,
    its code files too, as ``check`` reads them); sorted by path.

    One walk finds the files and lists their folders, as ``check`` does: each folder is
    listed once, not walked for discovery and then listed again for each file in it.
    """
    regexes = [glob_regex(pattern) for pattern in patterns]
    finder = Finder(
        name=None, match=lambda path: any(r.match(path) for r in regexes), skip=SKIP_DIRS
    )
    listings = Listings()
    max_bytes = Limits().max_bytes
    heads = {
        # Relative to the working folder (the current one): a link's display path must not
        # be resolved through the link.
        path.as_posix(): read_extension(path, max_bytes, workspace, listings, code=code)
        for path in find_files(".", finder, listings)
    }
    return {path: heads[path] for path in sorted(heads)}


def archive_keeps(settings: ActionSettings) -> Callable[[str], bool]:
    """Which files of a base archive to hold: those named like a manifest the paths input
    matches, and resources.json (never the whole repository, unless the globs say so)."""
    names = [glob_regex(pattern.rstrip("/").rsplit("/", 1)[-1]) for pattern in settings.paths]

    def keep(path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return name == RESOURCES_NAME or any(regex.match(name) for regex in names)

    return keep


def workspace_mismatch(workspace: Path, head_sha: str) -> tuple[str, bool] | None:
    """Whether the checked-out commit is not the one the event is about: None when it is
    (or there is no clone to ask), else a message and whether it is fatal.

    The head manifests are read from the work tree. GitHub's merge commit of a pull request
    (the checkout default) contains the head and only shifts lines: a warning. Anything else,
    such as the base branch that ``pull_request_target`` checks out by default, would compare
    the base with itself and pass every escalation: that is an error, never a pass.
    """
    if not (workspace / ".git").exists():
        return None
    repo = Repo(workspace, safe_directory=workspace)
    try:
        checked_out = resolve_commit(repo, "HEAD")
        if checked_out is None or checked_out == head_sha:
            return None
        contains = head_sha in commit_parents(repo, checked_out) or contains_commit(
            repo, checked_out, head_sha
        )
    except GitError:
        return None
    where = f"the workspace is at {checked_out[:12]}, not the head commit {head_sha[:12]}"
    fix = (
        "check it out with actions/checkout `ref: ${{ github.event.pull_request.head.sha }}` "
        "(pull requests) or the event's own commit"
    )
    if contains:
        return (
            f"{where} but a commit that contains it (GitHub's merge commit); annotations may "
            f"point at shifted lines and changes of the base branch count as the head's: {fix}",
            False,
        )
    return (
        f"{where}, and it does not contain the head, so the head's manifests are not what "
        f"would be checked (the base branch, for pull_request_target's default checkout); {fix}",
        True,
    )
