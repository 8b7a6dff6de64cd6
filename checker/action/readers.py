"""How the Action reads files at a commit: the base side's readers (local git, the contents
API) and the head side's blob reader for the API.

Imports the git and GitHub adapters and the value types of :mod:`checker.trees`; nothing
else of the Action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from checker.api_base import FILES_BEFORE_ARCHIVE, ArchiveReader
from checker.calls.select import MAX_FILE_BYTES
from checker.extension import Linked
from checker.findings import Finding, Location, Severity
from checker.git import Repo
from checker.git_tree import read_file_at, read_followed_at, tree_entry
from checker.github_client import GitHubPort
from checker.links import Problem, Resolved, step
from checker.trees import TreeEntry, Unread, link_finding
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


@dataclass(frozen=True, slots=True)
class ApiCodeBlobs:
    """A :class:`~checker.trees.BlobReader` for the code files of the head commit in post
    mode: a few through the contents API, then from the commit's archive (one download,
    each file checked against the tree, :class:`~checker.api_base.ArchiveReader`).

    Requests are bounded: when the archive cannot be used, files are read one by one until
    :data:`CODE_REQUESTS`; the rest are :class:`~checker.trees.Unread` for the budget, so
    their extension's code counts as not analysed (``code-not-analysed``), never as proof
    that a grant is unused.
    """

    port: GitHubPort
    commit: str
    log: Callable[[str], None]

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
        )
        found: dict[str, bytes | Unread] = {}
        requests = 0
        for entry in entries:
            if requests >= CODE_REQUESTS:
                found[entry.path] = Unread(
                    f"not read: the {CODE_REQUESTS} requests the code may cost were spent "
                    "(and the commit's archive could not be used)",
                    budget=True,
                )
                continue
            before = archive.from_archive
            data, problems = archive.read(entry.path, self.commit)
            if archive.from_archive == before:
                requests += 1
            if data is None:
                why = problems[0].message if problems else "it is missing through the API"
                found[entry.path] = Unread(why)
            else:
                found[entry.path] = data
        return found
