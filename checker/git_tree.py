"""Reading one commit's tree with git: listings, batch blob reads, links followed inside it.

Every function takes something that runs a git command (:class:`Runner`, in practice
:class:`checker.git.Runner` and its one ``run_git`` funnel) and reads the object database, never
the work tree. A manifest, resources.json or code file that is a symbolic link (mode 120000)
is followed inside the commit's tree (:mod:`checker.links`), never out of it. Imports the
value types of :mod:`checker.trees` and the extension model; nothing from :mod:`checker.git`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from checker.errors import GitError
from checker.extension import RESOURCES_NAME, ExtensionInput, FileTree, Linked, beside
from checker.findings import Finding
from checker.links import Kind, Node, resolve
from checker.trees import (
    MAX_TREE_ENTRIES,
    MODE_SYMLINK,
    TreeEntry,
    Unread,
    link_finding,
    read_extensions,
    readable_entry,
)
from checker.workspace import SKIP_DIRS


class Runner(Protocol):
    """Runs one git command in a repository and returns its standard output."""

    def git(self, *args: str, stdin: bytes | None = None) -> bytes: ...


def text(data: bytes) -> str:
    """Git's bytes (paths, ids) as text; undecodable bytes survive a round trip."""
    return data.decode("utf-8", errors="surrogateescape")


def _tree_entries(out: bytes) -> list[TreeEntry]:
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha, *rest = text(meta).split()
        size = int(rest[0]) if rest and rest[0].isdigit() else None
        entries.append(TreeEntry(mode, kind, sha, size, text(path)))
    return entries


def tree_entry(repo: Runner, commit: str, path: str) -> TreeEntry | None:
    """The entry of ``path`` at ``commit``, or None when it does not exist there."""
    out = repo.git("ls-tree", "-z", "-l", "--full-tree", commit, "--", path)
    for entry in _tree_entries(out):
        if entry.path == path:
            return entry
    return None


def list_tree(repo: Runner, commit: str, folder: str) -> FileTree | None:
    """The files below ``folder`` at ``commit`` (relative paths, sizes); None when too many.

    ``ls-tree -t`` also shows the folders leading to ``folder``; they are not below it, and
    are left out (they made an extension under a top-level ``app/`` look as if it had one).
    """
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    args = ["ls-tree", "-r", "-t", "-z", "-l", "--full-tree", commit]
    if prefix:
        args += ["--", prefix]
    files: dict[str, int] = {}
    dirs: set[str] = set()
    for entry in _tree_entries(repo.git(*args)):
        if not entry.path.startswith(prefix):
            continue
        relative = entry.path[len(prefix) :]
        if not SKIP_DIRS.isdisjoint(relative.split("/")):
            continue  # pruned, as trees_below prunes it
        if entry.kind == "tree":
            dirs.add(relative)
        else:
            files[relative] = entry.size or 0
        if len(files) > MAX_TREE_ENTRIES:
            return None
    return FileTree(files, frozenset(dirs))


def read_file_at(
    repo: Runner, commit: str, path: str, *, max_bytes: int
) -> tuple[bytes | None, tuple[Finding, ...]]:
    """A file's bytes at a commit; symbolic links, submodules and oversized files are findings.

    Returns ``(None, ())`` when the file does not exist at that commit.
    """
    entry = tree_entry(repo, commit, path)
    sha, findings = readable_entry(entry, path, max_bytes=max_bytes)
    if sha is None:
        return None, findings
    return repo.git("cat-file", "blob", sha), ()


# Paths per `git ls-tree` command line: far below the kernel's limits on arguments.
PATHSPECS_PER_CALL = 1000


def tree_entries(
    repo: Runner, commit: str, paths: Sequence[str], *, recursive: bool = False
) -> list[TreeEntry]:
    """The entries of many paths at ``commit`` from one ``git ls-tree`` (per 1,000 paths).

    Without ``recursive`` each path's own entry (what :func:`tree_entry` finds); with it,
    every file and folder below each path (a folder; "" is the whole tree), as
    :func:`list_tree` lists them, plus the folders leading to each path. The entries come
    in git's order, each once.
    """
    args = ["ls-tree", "-r", "-t"] if recursive else ["ls-tree"]
    args += ["-z", "-l", "--full-tree", commit]
    if recursive and "" in paths:
        return _tree_entries(repo.git(*args))
    wanted = sorted({f"{path.rstrip('/')}/" if recursive else path for path in paths})
    found: dict[str, TreeEntry] = {}
    for start in range(0, len(wanted), PATHSPECS_PER_CALL):
        chunk = wanted[start : start + PATHSPECS_PER_CALL]
        for entry in _tree_entries(repo.git(*args, "--", *chunk)):
            found.setdefault(entry.path, entry)
    return list(found.values())


def read_blobs(repo: Runner, shas: Sequence[str]) -> dict[str, bytes]:
    """The contents of many blobs through one ``git cat-file --batch``."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return {}
    out = repo.git("cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in unique).encode())
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in unique:
        end = out.find(b"\n", at)
        header = text(out[at:end]).split() if end >= 0 else []
        # "<sha> blob <size>" then the content and a newline; "<sha> missing" when absent
        if len(header) != 3 or not header[2].isdigit():
            shown = " ".join(header[1:]) or "no answer"
            raise GitError(f"`git cat-file --batch` could not read blob {sha}: {shown}")
        start = end + 1
        size = int(header[2])
        blobs[sha] = out[start : start + size]
        at = start + size + 1
    return blobs


@dataclass(frozen=True, slots=True)
class GitBlobs:
    """A :class:`~checker.trees.BlobReader` over ``git cat-file --batch``: one process for
    every blob of a read."""

    repo: Runner

    def read(self, entries: Sequence[TreeEntry]) -> dict[str, bytes | Unread]:
        """Path -> bytes of every entry (a blob git lacks is a :class:`GitError`)."""
        blobs = read_blobs(self.repo, [entry.sha for entry in entries])
        return {entry.path: blobs[entry.sha] for entry in entries}


class CommitFiles:
    """Every entry of one commit's tree, listed once (``git ls-tree -r -t``), as a lookup for
    :func:`checker.links.resolve`; the targets of its links are read in one batch when the
    first one is needed."""

    __slots__ = ("_commit", "_entries", "_listing", "_repo", "_targets")

    def __init__(self, repo: Runner, commit: str) -> None:
        self._repo = repo
        self._commit = commit
        self._listing: bytes | None = None
        self._entries: dict[str, TreeEntry] | None = None
        self._targets: dict[str, str] | None = None

    def _raw(self) -> bytes:
        if self._listing is None:
            self._listing = self._repo.git(
                "ls-tree", "-r", "-t", "-z", "-l", "--full-tree", self._commit
            )
        return self._listing

    @property
    def listed(self) -> bool:
        """Whether the tree was listed and parsed already (its links were followed): a
        caller may use it instead of listing folders again. Without links only the text was
        searched, and parsing a large tree costs more than listing a few of its folders."""
        return self._entries is not None

    def has_links(self) -> bool:
        """Whether the tree holds a symbolic link at all (a byte search, nothing parsed)."""
        return f"{MODE_SYMLINK} blob ".encode() in self._raw()

    def entries(self) -> dict[str, TreeEntry]:
        """Path -> entry, for every file, link, folder and submodule of the commit."""
        if self._entries is None:
            self._entries = {entry.path: entry for entry in _tree_entries(self._raw())}
        return self._entries

    def lookup(self, path: str) -> Node | None:
        """What lies at ``path`` in the commit (see :mod:`checker.links`)."""
        entry = self.entries().get(path)
        if entry is None:
            return None
        if entry.mode == MODE_SYMLINK:
            if self._targets is None:
                links = [e for e in self.entries().values() if e.mode == MODE_SYMLINK]
                blobs = read_blobs(self._repo, [e.sha for e in links])
                self._targets = {e.path: text(blobs[e.sha]) for e in links}
            return Node(Kind.LINK, self._targets[path])
        if entry.kind == "tree":
            return Node(Kind.FOLDER)
        return Node(Kind.FILE if entry.kind == "blob" else Kind.OTHER)


def follow(files: CommitFiles, path: str) -> tuple[TreeEntry | None, tuple[Finding, ...], Linked]:
    """The entry a symbolic link at ``path`` leads to inside the commit, or None and a finding
    (a link out of the repository, a loop, a target that does not exist)."""
    resolved = resolve(path, files.lookup)
    linked = Linked(path, resolved.path, resolved.via)
    if resolved.problem is not None:
        return None, (link_finding(resolved, path),), linked
    return files.entries().get(resolved.path), (), linked


def read_followed_at(
    repo: Runner, commit: str, path: str, *, max_bytes: int
) -> tuple[bytes | None, tuple[Finding, ...], Linked | None]:
    """A manifest or resources.json at a commit, a symbolic link followed inside the commit;
    ``(None, (), None)`` when nothing exists at ``path``."""
    entry = tree_entry(repo, commit, path)
    linked = None
    if entry is not None and entry.mode == MODE_SYMLINK:
        entry, problems, linked = follow(CommitFiles(repo, commit), path)
        if problems:
            return None, problems, None
    sha, findings = readable_entry(entry, path, max_bytes=max_bytes)
    if sha is None:
        return None, findings, None
    return repo.git("cat-file", "blob", sha), (), linked


def read_extensions_at(
    repo: Runner,
    commit: str,
    manifest_paths: Sequence[str],
    *,
    max_bytes: int,
    with_tree: bool,
    files: CommitFiles | None = None,
    code: bool = False,
) -> list[ExtensionInput]:
    """Extensions as they are at ``commit``: manifest, resources.json and (head) the listing,
    with ``code`` (and ``with_tree``) the code files too.

    Two git processes for all of them instead of four for each: one ``ls-tree`` lists the
    manifests and their resources.json (with ``with_tree``, every extension folder), one
    ``cat-file --batch`` reads the blobs (:func:`checker.trees.read_extensions`), and one
    more the code files. A manifest, resources.json or code file that is a symbolic link is
    followed inside the commit (the whole tree listed once, only when there is one).
    """
    if with_tree:
        if files is not None and files.listed:  # the whole tree is known already
            listed = list(files.entries().values())
        else:
            folders = [posixpath.dirname(path) for path in manifest_paths]
            listed = tree_entries(repo, commit, folders, recursive=True)
    else:
        wanted = [*manifest_paths, *(beside(path, RESOURCES_NAME) for path in manifest_paths)]
        listed = tree_entries(repo, commit, wanted)

    def follow_link(path: str) -> tuple[TreeEntry | None, tuple[Finding, ...], Linked]:
        nonlocal files
        files = files or CommitFiles(repo, commit)
        return follow(files, path)

    def follow_code(path: str) -> TreeEntry | Unread:
        entry, problems, _ = follow_link(path)
        if problems or entry is None:
            return Unread(problems[0].message if problems else "it leads to nothing")
        return entry

    return read_extensions(
        manifest_paths,
        listed,
        GitBlobs(repo),
        commit=commit,
        max_bytes=max_bytes,
        with_tree=with_tree,
        follow=follow_link,
        code=GitBlobs(repo) if code else None,
        follow_code=follow_code,
    )
