"""The base side through the API in a bounded number of requests: a few files one by one,
then the commit's archive (one download) checked against its tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from checker.archive import ArchiveError, ArchiveLimits, Member, blob_id, read_tar_gz
from checker.errors import GitHubError, InputError
from checker.extension import Linked
from checker.findings import Finding
from checker.github_client import GitHubPort
from checker.links import Kind, Node, resolve
from checker.trees import MODE_SUBMODULE, MODE_SYMLINK, TreeEntry, link_finding, readable_entry

BaseFile = tuple[bytes | None, tuple[Finding, ...]]
FollowedFile = tuple[bytes | None, tuple[Finding, ...], Linked | None]

# Files read one by one at the archive's commit before the archive is fetched instead: a
# pull request touching a few manifests costs a few requests, one touching thousands costs
# this many plus three (the tree, the archive's address and its download).
FILES_BEFORE_ARCHIVE = 20


class FileReader(Protocol):
    """Reads a file at a commit, one request each (the contents API)."""

    def read(self, repo_path: str, commit: str) -> BaseFile: ...

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile: ...

    def absent(self, repo_path: str, commit: str) -> bool: ...


class _NotInArchive(Exception):
    """What a read needs is not in the archive as the tree lists it: read it one by one."""


@dataclass
class ArchiveReader:
    """Reads files at ``commit`` through ``files`` until more than ``threshold`` were asked
    for, then from the commit's archive: one download, held in memory (only the files
    ``keep`` names, each at most ``max_bytes``, and every link's target), each file and link
    used only when its git blob id is the one the commit's tree lists. A file the archive
    lacks or holds differently, every other commit, and everything after the archive
    failed, is read through ``files``.

    The tree also decides what is absent, a link or too large, and links are followed
    inside the commit (:mod:`checker.links`), exactly as git reads a commit. ``log`` gets a
    line when the archive is fetched, and one when it cannot be used.
    """

    port: GitHubPort
    files: FileReader
    commit: str
    keep: Callable[[str], bool]
    max_bytes: int
    log: Callable[[str], None]
    threshold: int = FILES_BEFORE_ARCHIVE
    what: str = "base files"  # for the log
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    one_by_one: int = 0
    from_archive: int = 0
    failed: bool = False
    _tree: dict[str, TreeEntry] | None = None
    _members: dict[str, Member | None] = field(default_factory=dict)

    def read(self, repo_path: str, commit: str) -> BaseFile:
        """The file's bytes at ``commit``; a link, a folder or an oversized file is a
        finding, as git reads it."""
        if not self._archived(commit):
            return self.files.read(repo_path, commit)
        assert self._tree is not None
        sha, findings = readable_entry(
            self._tree.get(repo_path), repo_path, max_bytes=self.max_bytes
        )
        if sha is None:
            return None, findings
        try:
            return self._data(repo_path, sha), ()
        except _NotInArchive:
            self.one_by_one += 1
            return self.files.read(repo_path, commit)

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile:
        """The file's bytes at ``commit``, a link followed inside the commit's tree."""
        if not self._archived(commit):
            return self.files.read_followed(repo_path, commit)
        try:
            return self._followed(repo_path)
        except _NotInArchive:
            self.one_by_one += 1
            return self.files.read_followed(repo_path, commit)

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether the commit's tree has nothing at the path."""
        if commit == self.commit and self._tree is not None:
            return repo_path not in self._tree
        return self.files.absent(repo_path, commit)

    def _archived(self, commit: str) -> bool:
        """Whether to read from the archive: the right commit, past the threshold, loaded."""
        if commit != self.commit or self.failed:
            return False
        if self._tree is None:
            if self.one_by_one < self.threshold:
                self.one_by_one += 1
                return False
            self._load()
        return self._tree is not None

    def _data(self, path: str, sha: str) -> bytes:
        member = self._members.get(path)
        data = member.data if member is not None and member.kind == "file" else None
        if data is None or blob_id(data, len(sha)) != sha:
            raise _NotInArchive(path)
        self.from_archive += 1
        return data

    def _node(self, path: str) -> Node | None:
        """What lies at ``path`` in the commit, for :func:`checker.links.resolve`; a link's
        target comes from the archive, checked against the tree."""
        assert self._tree is not None
        entry = self._tree.get(path)
        if entry is None:
            return None
        if entry.mode == MODE_SYMLINK:
            member = self._members.get(path)
            target = member.target if member is not None and member.kind == "symlink" else None
            if target is None or blob_id(target.encode(), len(entry.sha)) != entry.sha:
                raise _NotInArchive(path)
            return Node(Kind.LINK, target)
        if entry.kind == "tree":
            return Node(Kind.FOLDER)
        if entry.kind != "blob" or entry.mode == MODE_SUBMODULE:
            return Node(Kind.OTHER)
        return Node(Kind.FILE)

    def _followed(self, path: str) -> FollowedFile:
        assert self._tree is not None
        entry = self._tree.get(path)
        linked = None
        if entry is not None and entry.mode == MODE_SYMLINK:
            resolved = resolve(path, self._node)
            if resolved.problem is not None:
                return None, (link_finding(resolved, path),), None
            linked = Linked(path, resolved.path, resolved.via)
            entry = self._tree.get(resolved.path)
        sha, findings = readable_entry(entry, path, max_bytes=self.max_bytes)
        if sha is None:
            return None, findings, None
        target = linked.target if linked is not None else path
        return self._data(target, sha), (), linked

    def _load(self) -> None:
        self.log(
            f"zoho-manifest-guard: more than {self.threshold} {self.what} to read at "
            f"{self.commit[:12]}: reading its archive (one download, held in memory) instead "
            "of one request per file"
        )
        try:
            tree = {
                item.path: TreeEntry(item.mode, item.kind, item.sha, item.size, item.path)
                for item in self.port.tree(self.commit)
            }
            with self.port.archive(self.commit) as stream:
                self._members = read_tar_gz(
                    stream, keep=self.keep, max_file=self.max_bytes, limits=self.limits
                )
        except (ArchiveError, GitHubError, InputError) as error:
            # InputError: GitHub lists the tree only in part. Never a failed run: the files
            # are read one by one as before.
            self.failed = True
            self.log(
                f"zoho-manifest-guard: the archive of {self.commit[:12]} cannot be used "
                f"({error}); the {self.what} are read one by one through the contents API"
            )
            return
        self._tree = tree
