"""Extensions at a commit from its tree listing and a blob reader: one loop for every side.

A commit is known by its tree entries (``git ls-tree``, or GitHub's trees API) and its files
are read by a :class:`BlobReader` the caller passes in: git's ``cat-file --batch``
(:mod:`checker.git_tree`), or the contents API in the Action's post mode. Whoever reads
them, the same extension gets the same :class:`~checker.extension.ExtensionInput`: the same
listing of its folder, the same findings for links, submodules and oversized files. Imports
value types and the workspace's rule ids only; nothing here runs a command or a request.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from checker.calls.model import CodeFile, CodeInput, Skipped, SkipReason
from checker.calls.select import MAX_FILE_BYTES, select
from checker.extension import (
    RESOURCES_NAME,
    ExtensionInput,
    FileTree,
    Linked,
    beside,
    join_display,
)
from checker.findings import Finding, Location, Severity
from checker.links import Problem, Resolved, problem_message
from checker.workspace import SKIP_DIRS, SYMLINK_RULE, UNREADABLE_RULE

MAX_TREE_ENTRIES = 20_000
MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One ``git ls-tree -l`` entry."""

    mode: str
    kind: str
    sha: str
    size: int | None
    path: str


@dataclass(frozen=True, slots=True)
class Unread:
    """A file a :class:`BlobReader` did not read, and why; ``budget`` when only a request
    budget stopped it (its code is then "not analysed", never evidence of anything)."""

    message: str
    budget: bool = False


class BlobReader(Protocol):
    """Reads the files of one commit: each entry's bytes, or why not."""

    def read(self, entries: Sequence[TreeEntry]) -> dict[str, bytes | Unread]:
        """Path -> the file's bytes, or why it was not read."""
        ...


# A symbolic link followed inside the commit: the entry it leads to, or None and findings.
Follow = Callable[[str], tuple[TreeEntry | None, tuple[Finding, ...], Linked]]
# A code file that is a symbolic link, followed inside the commit: the entry of what it leads
# to (a file, or whatever else is there), or why it was not followed (``budget`` when only a
# request budget stopped it).
FollowCode = Callable[[str], TreeEntry | Unread]


def readable_entry(
    entry: TreeEntry | None, path: str, *, max_bytes: int
) -> tuple[str | None, tuple[Finding, ...]]:
    """The blob to read for a tree entry, or None and why not (no finding: no such file)."""
    if entry is None:
        return None, ()
    location = Location(path, "")
    if entry.mode == MODE_SYMLINK:
        message = (
            "is a symbolic link in git (mode 120000); it is not followed, since a link could "
            "expose files outside the extension; commit the real file instead"
        )
        return None, (Finding(SYMLINK_RULE, Severity.ERROR, message, location),)
    if entry.kind != "blob" or entry.mode == MODE_SUBMODULE:
        message = f"is a {entry.kind} in git (mode {entry.mode}), not a file; nothing was read"
        return None, (Finding(UNREADABLE_RULE, Severity.ERROR, message, location),)
    if entry.size is not None and entry.size > max_bytes:
        message = (
            f"the file is larger than the limit of {max_bytes:,} bytes ({entry.size:,} bytes); "
            "a manifest is a few kilobytes, so this is not one (raise --max-bytes if it is)"
        )
        return None, (Finding("file-too-large", Severity.ERROR, message, location),)
    return entry.sha, ()


def trees_below(entries: Sequence[TreeEntry], folders: Sequence[str]) -> dict[str, FileTree | None]:
    """The listing of each folder, from one recursive listing that covers them all.

    A folder's tree holds what lies below it, never the folders leading to it, and, as a
    listing of the work tree (``workspace.SKIP_DIRS`` pruned), nothing in or below a
    node_modules, .git, dist or build folder: the same extension gets the same findings
    whether it is read from disk, from git or through the API.
    """
    wanted = set(folders)
    files: dict[str, dict[str, int]] = {folder: {} for folder in wanted}
    dirs: dict[str, set[str]] = {folder: set() for folder in wanted}
    for entry in entries:
        path = entry.path
        # most paths pass through no pruned folder: split them once, not once per folder
        prunable = not SKIP_DIRS.isdisjoint(path.split("/"))
        # every folder this entry lies below: "" and each prefix ending before a "/"
        cut = -1
        while True:
            folder = path[:cut] if cut >= 0 else ""
            if folder in wanted:
                relative = path[cut + 1 :]
                if prunable and not SKIP_DIRS.isdisjoint(relative.split("/")):
                    pass  # pruned, as the work tree's listing prunes it
                elif entry.kind == "tree":
                    dirs[folder].add(relative)
                else:
                    files[folder][relative] = entry.size or 0
            cut = path.find("/", cut + 1)
            if cut < 0:
                break
    return {
        folder: None
        if len(files[folder]) > MAX_TREE_ENTRIES
        else FileTree(files[folder], frozenset(dirs[folder]))
        for folder in wanted
    }


def read_extensions(
    manifest_paths: Sequence[str],
    listed: Sequence[TreeEntry],
    blobs: BlobReader,
    *,
    commit: str,
    max_bytes: int,
    with_tree: bool,
    prefix: str = "",
    follow: Follow | None = None,
    code: BlobReader | None = None,
    follow_code: FollowCode | None = None,
) -> list[ExtensionInput]:
    """Extensions as they are at ``commit``: manifest, resources.json and (``with_tree``)
    the listing of each folder, every file read through one call of ``blobs``.

    ``manifest_paths`` are repository paths; ``listed`` holds at least their entries and
    those of the resources.json beside them (with ``with_tree``, everything below their
    folders). Paths are shown without ``prefix`` (the Action's working directory). A link is
    followed by ``follow`` when there is one, and is a finding otherwise; a code file that is
    a link likewise by ``follow_code`` (:func:`read_code`).
    """
    folders = [posixpath.dirname(path) for path in manifest_paths]
    trees = trees_below(listed, folders) if with_tree else {}
    entries = {entry.path: entry for entry in listed}
    links: dict[str, Linked] = {}

    def shown(path: str) -> str:
        return path[len(prefix) :]

    def judge(path: str) -> tuple[TreeEntry | None, tuple[Finding, ...]]:
        entry = entries.get(path)
        if follow is not None and entry is not None and entry.mode == MODE_SYMLINK:
            entry, problems, links[path] = follow(path)
            if problems:
                del links[path]
                return None, problems
        sha, findings = readable_entry(entry, shown(path), max_bytes=max_bytes)
        return (entry if sha is not None else None), findings

    judged = [(judge(path), judge(beside(path, RESOURCES_NAME))) for path in manifest_paths]
    read = blobs.read([entry for pair in judged for entry, _ in pair if entry is not None])

    def data(entry: TreeEntry | None, path: str) -> tuple[bytes | None, tuple[Finding, ...]]:
        got = None if entry is None else read[entry.path]
        if isinstance(got, Unread):
            message = got.message
            return None, (Finding(UNREADABLE_RULE, Severity.ERROR, message, Location(path, "")),)
        return got, ()

    extensions = []
    for path, folder, ((entry, found), (resources_entry, found_too)) in zip(
        manifest_paths, folders, judged, strict=True
    ):
        manifest_shown = shown(path)
        resources_at = beside(path, RESOURCES_NAME)
        manifest, unread = data(entry, manifest_shown)
        errors = found or unread
        if manifest is None and not errors:
            message = f"does not exist at commit {commit[:12]}"
            where = Location(manifest_shown, "")
            errors = (Finding(UNREADABLE_RULE, Severity.ERROR, message, where),)
        resources, unread = data(resources_entry, shown(resources_at))
        more = found_too or unread
        extensions.append(
            ExtensionInput(
                manifest_path=manifest_shown,
                manifest=manifest,
                root=posixpath.dirname(manifest_shown),
                tree=trees[folder] if with_tree else None,
                resources=resources,
                resources_present=resources is not None or bool(more),
                read_errors=(*errors, *more),
                manifest_link=links.get(path),
                resources_link=links.get(resources_at),
            )
        )
    if code is None or not with_tree:
        return extensions
    readable = [
        (index, folder)
        for index, folder in enumerate(folders)
        if extensions[index].manifest is not None
    ]
    codes = read_code(
        [(folder, trees[folder]) for _, folder in readable], entries, code, follow_code
    )
    for (index, _), code_input in zip(readable, codes, strict=True):
        extensions[index] = replace(extensions[index], code=code_input)
    return extensions


def read_code(
    folders: Sequence[tuple[str, FileTree | None]],
    entries: Mapping[str, TreeEntry],
    blobs: BlobReader,
    follow: FollowCode | None = None,
) -> list[CodeInput]:
    """The code of each extension folder (with its listing) at a commit: the files
    :func:`checker.calls.select.select` chooses, read through ``blobs`` in one call.

    A file that is a symbolic link is followed by ``follow`` inside the commit, as on disk
    (:func:`checker.workspace.read_code`): the file it leads to is read, under the link's
    path. As on disk, nothing is dropped silently: a link that cannot be followed (or any
    link, without ``follow``), a submodule, a file larger than the limit or unreadable is
    ``Skipped`` as unreadable or too large, one a reader's budget left out is ``Skipped``
    over the budget, and a folder too large to list is not analysed at all.
    """
    plans: list[tuple[list[tuple[str, TreeEntry]], list[Skipped]]] = []
    for folder, tree in folders:
        if tree is None:
            detail = f"the folder lists more than {MAX_TREE_ENTRIES} files"
            plans.append(([], [Skipped(".", SkipReason.BUDGET, detail=detail)]))
            continue
        chosen = select(tree.files)
        wanted: list[tuple[str, TreeEntry]] = []
        skipped = list(chosen.skipped)
        for relative in chosen.read:
            path = join_display(folder, relative)
            entry = entries.get(path)
            if follow is not None and entry is not None and entry.mode == MODE_SYMLINK:
                led = _code_target(relative, follow(path))
                if isinstance(led, Skipped):
                    skipped.append(led)
                else:
                    wanted.append((relative, led))
                continue
            sha, problems = readable_entry(entry, path, max_bytes=MAX_FILE_BYTES)
            if sha is None or entry is None:
                detail = problems[0].message if problems else "not in the commit's tree"
                skipped.append(Skipped(relative, SkipReason.UNREADABLE, detail=detail))
            else:
                wanted.append((relative, entry))
        plans.append((wanted, skipped))
    read = blobs.read([entry for wanted, _ in plans for _, entry in wanted])
    found = []
    for wanted, skipped in plans:
        files = []
        for relative, entry in wanted:
            data = read[entry.path]
            if isinstance(data, Unread):
                reason = SkipReason.BUDGET if data.budget else SkipReason.UNREADABLE
                skipped.append(Skipped(relative, reason, detail=data.message))
            elif len(data) > MAX_FILE_BYTES:  # larger than the listing said
                skipped.append(Skipped(relative, SkipReason.TOO_LARGE))
            else:
                files.append(CodeFile(relative, data))
        found.append(CodeInput(tuple(files), tuple(skipped)))
    return found


def _code_target(relative: str, led: TreeEntry | Unread) -> TreeEntry | Skipped:
    """The file a code link leads to, to be read under the link's path, or why not: as on
    disk, a link to a folder or a submodule is unreadable, one to a file over the limit too
    large (the listing gave the size of the link, not of its file)."""
    if isinstance(led, Unread):
        reason = SkipReason.BUDGET if led.budget else SkipReason.UNREADABLE
        return Skipped(relative, reason, detail=led.message)
    if led.kind != "blob" or led.mode in (MODE_SUBMODULE, MODE_SYMLINK):
        what = "a folder" if led.kind == "tree" else f"a {led.kind} in git (mode {led.mode})"
        detail = f"is a symbolic link to {json.dumps(led.path)}, which is {what}, not a file"
        return Skipped(relative, SkipReason.UNREADABLE, detail=f"{detail}; nothing was read")
    if led.size is not None and led.size > MAX_FILE_BYTES:
        return Skipped(relative, SkipReason.TOO_LARGE)  # as on disk, where it is read
    return led


def link_finding(resolved: Resolved, path: str) -> Finding:
    """The finding for a link at ``path`` that cannot be followed inside the repository."""
    rule = UNREADABLE_RULE if resolved.problem is Problem.MISSING else SYMLINK_RULE
    message = problem_message(resolved, "repository")
    return Finding(rule, Severity.ERROR, message, Location(path, ""))
