"""How the Action reads files at a commit: the base side's readers (local git, the contents
API) and the head side's blob reader for the API.

Imports the git and GitHub adapters and the value types of :mod:`checker.trees`; nothing
else of the Action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from checker.api_base import FILES_BEFORE_ARCHIVE, ArchiveReader
from checker.archive import blob_id
from checker.calls.select import MAX_FILE_BYTES
from checker.extension import Linked
from checker.findings import Finding, Location, Severity
from checker.git import Repo
from checker.git_tree import read_file_at, read_followed_at, tree_entry
from checker.github_client import GitHubPort
from checker.links import Kind, Node, Problem, Resolved, problem_message, resolve, step
from checker.trees import MODE_SUBMODULE, MODE_SYMLINK, TreeEntry, Unread, link_finding
from checker.workspace import SYMLINK_RULE, UNREADABLE_RULE

BaseFile = tuple[bytes | None, tuple[Finding, ...]]
# A manifest or resources.json: a symbolic link is followed inside the repository.
FollowedFile = tuple[bytes | None, tuple[Finding, ...], Linked | None]


class BaseReader(Protocol):
    """Files as they are at a commit: ``(None, ())`` when absent, findings when unreadable.

    ``read`` never follows a symbolic link (the policy file); ``read_followed`` follows one
    inside the repository and says where it led (manifests and resources.json).
    """

    def read(self, repo_path: str, commit: str) -> BaseFile: ...

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile: ...

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether the commit's tree has nothing at ``repo_path`` (asked after ``read`` found
        nothing, where a wrong "absent" would cost something: the policy file)."""
        ...


@dataclass(frozen=True, slots=True)
class GitReader:
    """Reads blobs from the local clone's object database (never the work tree, no links)."""

    repo: Repo
    max_bytes: int

    def read(self, repo_path: str, commit: str) -> BaseFile:
        """The file's bytes at ``commit``; a symbolic link or a submodule is a finding."""
        return read_file_at(self.repo, commit, repo_path, max_bytes=self.max_bytes)

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile:
        """The file's bytes at ``commit``, a link followed inside the commit's tree."""
        return read_followed_at(self.repo, commit, repo_path, max_bytes=self.max_bytes)

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether ``git ls-tree`` lists nothing at the path."""
        return tree_entry(self.repo, commit, repo_path) is None


@dataclass(frozen=True, slots=True)
class ApiReader:
    """Reads files through the contents API at a commit (one request per file)."""

    port: GitHubPort

    def read(self, repo_path: str, commit: str) -> BaseFile:
        """The file's bytes at ``commit``; a symbolic link or a folder is a finding."""
        content = self.port.file_content(repo_path, commit)
        if content is None:
            return None, ()
        if content.data is None:
            rule = SYMLINK_RULE if content.kind == "symlink" else UNREADABLE_RULE
            message = f"is a {content.kind} at commit {commit[:12]}, not a file; it is not read"
            return None, (Finding(rule, Severity.ERROR, message, Location(repo_path, "")),)
        return content.data, ()

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile:
        """The file's bytes at ``commit``, a link followed one request per link.

        GitHub answers a link to a file of the repository with that file, and any other link
        with its target, which is followed here, inside the repository (:mod:`checker.links`).
        """
        path = repo_path
        via: list[str] = []
        content = self.port.file_content(path, commit)
        while content is not None and content.kind == "symlink" and content.target is not None:
            via.append(path)
            resolved = step(path, content.target, len(via))
            if resolved.problem is not None:
                return None, (link_finding(replace(resolved, via=tuple(via)), repo_path),), None
            path = resolved.path
            content = self.port.file_content(path, commit)
        if content is None:
            if via:  # a link to nothing
                gone = Resolved(path, None, tuple(via), Problem.MISSING)
                return None, (link_finding(gone, repo_path),), None
            return None, (), None
        if content.data is None:
            rule = SYMLINK_RULE if content.kind == "symlink" else UNREADABLE_RULE
            message = f"is a {content.kind} at commit {commit[:12]}, not a file; it is not read"
            return None, (Finding(rule, Severity.ERROR, message, Location(repo_path, "")),), None
        return content.data, (), Linked(repo_path, path, tuple(via)) if via else None

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether the commit's tree lists nothing at the path: the contents API's 404 is
        also its answer for a commit it cannot find (yet), so the tree is asked."""
        folder, _, name = repo_path.rpartition("/")
        entries = self.port.folder(commit, folder)
        return entries is None or all(entry.path != name for entry in entries)


@dataclass(frozen=True, slots=True)
class ApiBlobs:
    """A :class:`~checker.trees.BlobReader` over the contents API at one commit: one request
    a file (the head side of the post mode)."""

    port: GitHubPort
    commit: str

    def read(self, entries: Sequence[TreeEntry]) -> dict[str, bytes | Unread]:
        """Path -> bytes; a file the API does not return says why, as an unreadable file."""
        found: dict[str, bytes | Unread] = {}
        for entry in entries:
            content = self.port.file_content(entry.path, self.commit)
            if content is None or content.data is None:
                kind = "missing" if content is None else content.kind
                found[entry.path] = Unread(
                    f"could not be read at commit {self.commit[:12]} through the API ({kind})"
                )
            else:
                found[entry.path] = content.data
        return found


# Code files read one request each before the head's archive is fetched instead (as the base
# side does, :data:`checker.api_base.FILES_BEFORE_ARCHIVE`), and the most requests the code
# may cost in all when the archive cannot be used: past it, the rest is not analysed.
CODE_FILES_BEFORE_ARCHIVE = FILES_BEFORE_ARCHIVE
CODE_REQUESTS = 100


class _Stop(Exception):
    """Following a code link ends before :func:`checker.links.resolve` does: the file was
    reached another way (GitHub answered a link with it), or it cannot be (the budget)."""

    def __init__(self, result: TreeEntry | Unread) -> None:
        super().__init__()
        self.result = result


@dataclass(slots=True)
class ApiCodeBlobs:
    """A :class:`~checker.trees.BlobReader` for the code files of the head commit in post
    mode: a few through the contents API, then from the commit's archive (one download,
    each file checked against the tree, :class:`~checker.api_base.ArchiveReader`).

    A code file that is a symbolic link is followed inside the commit as git follows it
    (:meth:`follow`, :mod:`checker.links`), over ``tree``, the commit's listing: each link
    on the way costs one request (its target, from the contents API), once.

    Requests are bounded: links followed, then files read one by one when the archive
    cannot be used, until :data:`CODE_REQUESTS` in all; the rest are
    :class:`~checker.trees.Unread` for the budget, so their extension's code counts as not
    analysed (``code-not-analysed``), never as proof that a grant is unused.
    """

    port: GitHubPort
    commit: str
    log: Callable[[str], None]
    tree: Mapping[str, TreeEntry] = field(default_factory=dict)
    requests: int = 0  # contents-API requests the code cost so far
    # link path -> its target as stored, or where GitHub's answer (a file) showed it leads
    _targets: dict[str, str | TreeEntry | Unread] = field(default_factory=dict)
    # files GitHub gave when asked for a link that leads to them: not asked for again
    _given: dict[str, bytes] = field(default_factory=dict)
    _blobs: dict[str, TreeEntry] | None = None

    def follow(self, path: str) -> TreeEntry | Unread:
        """The entry of the file the link at ``path`` leads to inside the commit, or why not
        (out of the repository, to nothing, a loop, unreadable, or past the budget)."""
        try:
            resolved = resolve(path, self._lookup)
        except _Stop as stop:
            return stop.result
        if resolved.problem is not None:
            return Unread(problem_message(resolved, "repository"))
        entry = self.tree.get(resolved.path)
        return Unread("it leads to nothing") if entry is None else entry

    def _lookup(self, path: str) -> Node | None:
        entry = self.tree.get(path)
        if entry is None:
            return None
        if entry.mode == MODE_SYMLINK:
            target = self._targets.get(path)
            if target is None:
                target = self._targets[path] = self._target(entry)
            if not isinstance(target, str):
                raise _Stop(target)
            return Node(Kind.LINK, target)
        if entry.kind == "tree":
            return Node(Kind.FOLDER)
        if entry.kind != "blob" or entry.mode == MODE_SUBMODULE:
            return Node(Kind.OTHER)
        return Node(Kind.FILE)

    def _target(self, link: TreeEntry) -> str | TreeEntry | Unread:
        """A link's target through the contents API (one request): as stored, or, when
        GitHub answers with the file the link leads to (it does for a file of the
        repository), that file's entry, found in the tree by its blob id."""
        if self.requests >= CODE_REQUESTS:
            return Unread(_spent("is a symbolic link not followed"), budget=True)
        self.requests += 1
        content = self.port.file_content(link.path, self.commit)
        if content is not None and content.kind == "symlink" and content.target is not None:
            return content.target
        if content is None or content.data is None:
            kind = "missing" if content is None else content.kind
            return Unread(
                f"is a symbolic link that could not be read at commit {self.commit[:12]} "
                f"through the API ({kind})"
            )
        if self._blobs is None:
            self._blobs = {
                entry.sha: entry
                for entry in self.tree.values()
                if entry.kind == "blob" and entry.mode not in (MODE_SYMLINK, MODE_SUBMODULE)
            }
        found = self._blobs.get(blob_id(content.data, len(link.sha)))
        if found is None:
            return Unread(
                f"is a symbolic link that GitHub answered with a file the tree of commit "
                f"{self.commit[:12]} does not hold; nothing was read"
            )
        self._given[found.path] = content.data
        return found

    def read(self, entries: Sequence[TreeEntry]) -> dict[str, bytes | Unread]:
        """Path -> bytes, or why not (a link, a folder, the request budget)."""
        wanted = {entry.path for entry in entries}
        archive = ArchiveReader(
            self.port,
            ApiReader(self.port),
            self.commit,
            keep=wanted.__contains__,
            max_bytes=MAX_FILE_BYTES,
            log=self.log,
            threshold=CODE_FILES_BEFORE_ARCHIVE,
            what="code files",
            one_by_one=self.requests,  # the links followed count towards the archive
        )
        found: dict[str, bytes | Unread] = {}
        for entry in entries:
            if entry.path in found:  # two links to one file: read once
                continue
            given = self._given.get(entry.path)
            if given is not None:
                found[entry.path] = given
                continue
            if self.requests >= CODE_REQUESTS:
                found[entry.path] = Unread(
                    _spent("not read") + " (and the commit's archive could not be used)",
                    budget=True,
                )
                continue
            before = archive.from_archive
            data, problems = archive.read(entry.path, self.commit)
            if archive.from_archive == before:
                self.requests += 1
            if data is None:
                why = problems[0].message if problems else "it is missing through the API"
                found[entry.path] = Unread(why)
            else:
                found[entry.path] = data
        return found


def _spent(what: str) -> str:
    return f"{what}: the {CODE_REQUESTS} requests the code may cost were spent"
