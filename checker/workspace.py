"""Filesystem adapter: find manifests under paths and read each extension folder into bytes."""

from __future__ import annotations

import errno
import functools
import json
import operator
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.calls.model import CodeInput
from checker.errors import InputError
from checker.extension import MANIFEST_NAME, RESOURCES_NAME, ExtensionInput, FileTree, Linked
from checker.findings import Finding, Location, Severity
from checker.links import Kind, Lookup, Node, Problem, Resolved, problem_message, resolve

SKIP_DIRS = frozenset({"node_modules", ".git", "dist", "build"})
MAX_TREE_FILES = 20_000
UNREADABLE_RULE = "file-unreadable"
SYMLINK_RULE = "file-symlink"
INPUT_ERROR_RULES = frozenset({UNREADABLE_RULE})


def display_path(path: Path) -> str:
    """A stable POSIX display path, relative to the current folder when below it."""
    try:
        resolved = path.resolve(strict=False)
    except (RuntimeError, OSError):  # a loop of links (Python 3.11 raises on it)
        resolved = Path(os.path.realpath(path))
    try:
        text = resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        text = path.as_posix()
    return "." if text == "" else text


def discover(paths: Sequence[str]) -> list[Path]:
    """Manifest files named by ``paths``: files as given, folders searched recursively.

    A folder that is itself named plugin-manifest.json is taken for a manifest, never
    skipped: reading it gives a finding that says what it is.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{raw}: no such file or folder")
        if _walked(path):
            for manifest in _walk(path):
                found.setdefault(manifest)
        else:
            found.setdefault(path)
    return sorted(found, key=lambda p: p.as_posix())


def changed_manifests(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """The manifests of the extensions that changed files belong to, and the files left out.

    pre-commit passes the changed files themselves: a ``plugin-manifest.json`` is its
    extension's manifest, and a ``resources.json`` belongs to the extension whose manifest
    sits beside it (Zoho reads it from the extension's root). Any other file, and a
    ``resources.json`` with no manifest beside it, is left out: it is not part of an
    extension. Each manifest comes once, in the order first named.
    """
    manifests: dict[str, None] = {}
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{raw}: no such file or folder")
        if path.name == MANIFEST_NAME:
            manifests.setdefault(raw)
            continue
        manifest = path.parent / MANIFEST_NAME
        if path.name == RESOURCES_NAME and (manifest.exists() or manifest.is_symlink()):
            manifests.setdefault(manifest.as_posix())
        else:
            skipped.append(raw)
    return list(manifests), skipped


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        if MANIFEST_NAME in files or MANIFEST_NAME in dirs:
            yield Path(current) / MANIFEST_NAME


def find_manifests(paths: Sequence[str], listings: Listings) -> Iterator[Path]:
    """The manifests :func:`discover` finds, each folder listed in the same pass.

    Discovery lists every folder anyway; this keeps what it sees below each extension folder
    (files with their sizes, folders) and hands the finished listing to ``listings`` just
    before it yields the manifest, so :func:`read_extension` does not list it again. A
    manifest comes once its folder is walked completely (a nested extension's first); the
    order differs from :func:`discover`'s, which reports sort anyway.
    """
    seen: set[Path] = set()
    for unit in plan(paths):
        for manifest in manifests_in(unit, listings):
            if manifest not in seen:
                seen.add(manifest)
                yield manifest


@dataclass(frozen=True, slots=True)
class Unit:
    """A share of a run's input: a folder to walk, or a file named on the command line."""

    path: str
    walk: bool


def plan(paths: Sequence[str], *, spread: int = 0) -> list[Unit]:
    """The run's input as units that can be checked independently (in any order).

    Without ``spread`` there is one unit per path. With it, folders that hold no manifest
    are replaced by their subfolders, a level at a time, until there are ``spread`` units or
    only extension folders (and files) are left: walking a folder without a manifest is
    walking each of its subfolders (sorted, SKIP_DIRS left out, links not entered).
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{raw}: no such file or folder")
    units = [Unit(raw, _walked(Path(raw))) for raw in paths]
    settled: set[str] = set()  # folders known to hold a manifest (or to be unreadable)
    while spread and len(units) < spread:
        grown: list[Unit] = []
        for unit in units:
            below = None if not unit.walk or unit.path in settled else _subfolders(unit.path)
            if below is None:
                settled.add(unit.path)
                grown.append(unit)
            else:
                grown.extend(Unit(folder, True) for folder in below)
        if grown == units:
            break
        units = grown
    return units


def _subfolders(folder: str) -> list[str] | None:
    """The folders a walk of ``folder`` enters, or None when it holds a manifest itself."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return None  # the walk skips it; leave that to the walk
    subdirs = []
    for entry in entries:
        if entry.name == MANIFEST_NAME:  # a file, or a folder so named (reported as such)
            return None
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir and entry.name not in SKIP_DIRS and not entry.is_symlink():
            subdirs.append(entry)
    return [entry.path for entry in sorted(subdirs, key=lambda e: e.name)]


def manifests_in(unit: Unit, listings: Listings) -> Iterator[Path]:
    """The manifests of one unit; a walked folder's listings go to ``listings``."""
    if unit.walk:
        yield from _walk_listing(unit.path, "", [], listings, MANIFESTS)
    else:
        yield Path(unit.path)


@dataclass(frozen=True, slots=True)
class Finder:
    """What a walk looks for: files named ``name`` or, without a name, files whose path
    relative to the walked folder passes ``match``; folders named in ``skip`` are not searched.

    Whatever ``skip`` says, the listing of a folder that holds a found file is exactly
    :func:`_list_tree`'s (below it, only folders in SKIP_DIRS are left out).
    """

    name: str | None = MANIFEST_NAME
    match: Callable[[str], bool] | None = None
    skip: frozenset[str] = SKIP_DIRS


MANIFESTS = Finder()


def find_files(folder: str, finder: Finder, listings: Listings) -> Iterator[Path]:
    """The files ``finder`` looks for below ``folder``, found and listed in one walk.

    The files are those that ``os.walk(folder)`` with ``finder.skip`` pruned (links not
    entered) finds, in another order; the listing of each one's folder goes to ``listings``
    just before it is yielded (the files of one folder one after another), so that
    :func:`read_extension` does not list the folder again.
    """
    yield from _walk_listing(folder, "", [], listings, finder)


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _walked(path: Path) -> bool:
    """Whether a path argument is a folder to search (a folder named plugin-manifest.json
    is not: it stands where a manifest should, and is read as one, which reports it)."""
    return _is_folder(path) and path.name != MANIFEST_NAME


class _Listing:
    """The listing of one extension folder while the walk is below it."""

    __slots__ = ("dirs", "files")

    def __init__(self) -> None:
        self.files: dict[str, int] | None = {}
        self.dirs: set[str] = set()


_name = operator.attrgetter("name")


def _walk_listing(
    folder: str,
    relative: str,
    listing: list[tuple[_Listing, str]],
    listings: Listings,
    finder: Finder | None,
) -> Iterator[Path]:
    """os.walk's view of ``folder`` (sorted, SKIP_DIRS pruned, links not entered).

    ``relative`` is ``folder``'s path below the walked one ("" or "sub/dir/"); ``finder``
    is None below a folder it skips (the walk then only lists). ``listing`` holds the open
    extension folders above this one, each with the path of this folder relative to it.
    """
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:  # an unreadable folder is skipped whole, as os.walk does
        return
    files: list[os.DirEntry[str]] = []
    subdirs: list[os.DirEntry[str]] = []
    found: list[str] = []
    target = finder.name if finder is not None else None
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            files.append(entry)
            if entry.name == target:
                found.append(entry.name)
        else:
            subdirs.append(entry)
            if entry.name == target:  # a folder named like a manifest: reported, not skipped
                found.append(entry.name)
    if finder is not None and finder.match is not None:
        match = finder.match
        found = sorted(entry.name for entry in files if match(relative + entry.name))
    here = None
    if found:
        here = _Listing()
        listing = [*listing, (here, "")]
    skip = SKIP_DIRS if finder is None else finder.skip
    # listings leave out SKIP_DIRS; the search leaves out the finder's folders
    entered = [entry for entry in subdirs if entry.name not in SKIP_DIRS or entry.name not in skip]
    if skip is not SKIP_DIRS:
        subdirs = [entry for entry in subdirs if entry.name not in SKIP_DIRS]
    else:
        subdirs = entered
    if len(listing) == 1 and listing[0][0].files is not None:
        # one open extension folder (no nesting): the usual case, in one pass
        open_, prefix = listing[0]
        listed = open_.files
        assert listed is not None
        for entry in files:
            try:
                listed[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
            except OSError:
                listed[prefix + entry.name] = 0
        if len(listed) > MAX_TREE_FILES:
            open_.files = None  # too many files: no listing, as _list_tree says
        elif subdirs:
            open_.dirs.update([prefix + entry.name for entry in subdirs])
    elif listing:
        sized = []
        for entry in files:
            try:
                sized.append((entry.name, entry.stat(follow_symlinks=False).st_size))
            except OSError:
                sized.append((entry.name, 0))
        for open_, prefix in listing:
            if open_.files is None:
                continue
            if prefix:
                open_.files.update([(prefix + name, size) for name, size in sized])
            else:
                open_.files.update(sized)
            if len(open_.files) > MAX_TREE_FILES:
                open_.files = None  # too many files: no listing, as _list_tree says
                continue
            open_.dirs.update([prefix + entry.name for entry in subdirs])
    # Folders that are searched or listed, in os.walk's order (sorted); links not entered.
    if len(entered) > 1:
        entered.sort(key=_name)
    for entry in entered:
        if entry.is_symlink():
            continue
        name = entry.name
        below = (
            [(open_, f"{prefix}{name}/") for open_, prefix in listing]
            if listing and name not in SKIP_DIRS
            else []
        )
        inner = finder if finder is not None and name not in skip else None
        if below or inner is not None:
            yield from _walk_listing(entry.path, f"{relative}{name}/", below, listings, inner)
    if here is not None:
        base = Path(folder)
        tree = None if here.files is None else FileTree(here.files, frozenset(here.dirs))
        # which entries are links: scandir knows it (d_type), read_extension need not lstat
        links = frozenset(entry.name for entry in entries if entry.is_symlink())
        listings.remember(base, tree, links)
        for name in found:
            yield base / name


def _list_tree(root: Path) -> FileTree | None:
    """Every file (with its lstat size) and folder below ``root``, as ``os.walk`` sees them.

    The same entries in the same order as ``os.walk(root, followlinks=False)`` with
    ``SKIP_DIRS`` pruned, but one ``scandir`` per folder and plain strings instead of
    ``Path`` objects, which made listing the slowest part of a large run.
    """
    files: dict[str, int] = {}
    dirs: set[str] = set()
    pending = [(os.fspath(root), "")]
    while pending:
        folder, prefix = pending.pop()
        listed: list[tuple[str, int]] = []
        subdirs: list[os.DirEntry[str]] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        if entry.name not in SKIP_DIRS:
                            subdirs.append(entry)
                        continue
                    try:
                        size = entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        size = 0
                    listed.append((prefix + entry.name, size))
        except OSError:  # an unreadable folder is skipped whole, as os.walk does
            continue
        files.update(listed)
        if len(files) > MAX_TREE_FILES:
            return None
        dirs.update(prefix + entry.name for entry in subdirs)
        # Depth first in listing order, like os.walk; links to folders are listed, not entered.
        for entry in reversed(subdirs):
            if not entry.is_symlink():
                pending.append((entry.path, f"{prefix}{entry.name}/"))
    return FileTree(files, frozenset(dirs))


class Listings:
    """Folder listings and resolved folders of one run, so that manifests sharing a folder
    (``check many/*.json``) list it once instead of once each.

    It holds the last few folders only: manifests of one folder are read one after another,
    and a run over thousands of extensions must not keep every listing in memory.
    """

    __slots__ = ("_cwd", "_links", "_real", "_trees")

    KEEP = 16

    def __init__(self) -> None:
        self._trees: dict[str, FileTree | None] = {}
        # walked folders (never links themselves) -> the names of their entries that are links
        self._links: dict[str, frozenset[str]] = {}
        self._real: dict[str, str] = {}
        self._cwd = os.path.realpath(os.getcwd())

    def tree(self, root: Path | str) -> FileTree | None:
        """The listing of ``root``, listed on first use."""
        key = os.fspath(root)
        if key in self._trees:
            return self._trees[key]
        tree = _list_tree(Path(key))
        self.remember(key, tree)
        return tree

    def remember(
        self, root: Path | str, tree: FileTree | None, links: frozenset[str] | None = None
    ) -> None:
        """Keep the listing of ``root`` (made by a walk) for :meth:`tree`; with ``links``
        (the names of its entries that are symbolic links) :meth:`is_link` answers for its
        entries, and ``root`` is known not to be a link, without asking the filesystem."""
        key = os.fspath(root)
        if len(self._trees) >= self.KEEP:
            del self._trees[next(iter(self._trees))]
        self._trees[key] = tree
        if links is not None:
            if len(self._links) >= self.KEEP:
                del self._links[next(iter(self._links))]
            self._links[key] = links

    # The methods below work on the text of paths (os.fspath of a Path: no "." segments,
    # no trailing "/"), split with _split, which pathlib's objects made slow.

    def is_link(self, path: Path | str) -> bool:
        """``os.path.islink(path)``, from the walk when it listed ``path``'s folder."""
        text = os.fspath(path)
        folder, name = _split(text)
        links = self._links.get(folder)
        if links is None:
            return os.path.islink(text)
        return name in links

    def listed(self, root: Path | str, name: str) -> bool | None:
        """Whether ``root`` has an entry ``name`` (``os.path.lexists``), as its walk saw it,
        or None when no walk listed ``root`` completely."""
        key = os.fspath(root)
        tree = self._trees.get(key)
        if key not in self._links or tree is None:
            return None
        return name in tree.files or name in tree.dirs

    def display(self, path: Path | str) -> str:
        """:func:`display_path`, resolving each folder once."""
        text = os.fspath(path)
        folder, name = _split(text)
        if name in ("", ".", "..") or self.is_link(text):
            return display_path(Path(text))  # the link itself is resolved, as Path.resolve does
        real = os.path.join(self._real_folder(folder), name)
        cwd = self._cwd
        if real == cwd:
            return "."
        prefix = cwd if cwd.endswith("/") else cwd + "/"
        if real.startswith(prefix):
            return real[len(prefix) :]
        return text  # Path.as_posix() on POSIX

    def _real_folder(self, key: str) -> str:
        """``os.path.realpath(key)``, built from the resolved parent when the folder is
        not a link: one lstat per folder instead of one per component of its path."""
        real = self._real.get(key)
        if real is None:
            parent, name = _split(key)
            if name in ("", ".", "..") or (key not in self._links and os.path.islink(key)):
                real = os.path.realpath(key)
            else:
                real = os.path.join(self._real_folder(parent), name)
            if len(self._real) >= self.KEEP:
                del self._real[next(iter(self._real))]
            self._real[key] = real
        return real


def _split(text: str) -> tuple[str, str]:
    """``(os.fspath(p.parent), p.name)`` of ``p = Path(text)``, for the text of a Path.

    Path(".").name is "" where this says "."; callers treat both alike.
    """
    folder, name = os.path.split(text)
    return folder or ".", name


def disk_lookup(root: str) -> Lookup:
    """What lies at a path relative to the folder ``root`` on disk, for :func:`links.resolve`."""

    def lookup(relative: str) -> Node | None:
        full = os.path.join(root, relative)
        try:
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                return Node(Kind.LINK, os.readlink(full))
        except OSError:
            return None
        if stat.S_ISDIR(mode):
            return Node(Kind.FOLDER)
        return Node(Kind.FILE if stat.S_ISREG(mode) else Kind.OTHER)

    return lookup


def resolve_on_disk(
    path: str, workspace: str, realpath: Callable[[str], str] = os.path.realpath
) -> tuple[str, Resolved] | None:
    """A symbolic link followed inside ``workspace``: its workspace-relative path and where it
    leads; None when the link itself is not inside the workspace.

    ``realpath`` may remember its answers (one extension's code files share a few folders).
    The folders of the workspace-relative path are what ``realpath`` made of the path's
    folder: no links among them, so when the file itself is there and no link, that is
    where it leads, as :func:`checker.links.resolve` would find with one ``lstat`` per
    component. Otherwise (a link, or nothing there) it follows the path as before.
    """
    root = realpath(workspace)
    folder, name = os.path.split(os.path.abspath(path))
    relative = os.path.relpath(realpath(folder), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    link = name if relative == os.curdir else f"{relative}/{name}"
    lookup = disk_lookup(root)
    node = lookup(link)
    if node is not None and node.kind is not Kind.LINK:
        return link, Resolved(link, node, ())
    return link, resolve(link, lookup, root=root)


def remembered_realpath() -> Callable[[str], str]:
    """``os.path.realpath`` that answers each path once: for the files of one extension,
    read one after another (a folder that changes meanwhile is a race either way)."""
    known: dict[str, str] = {}

    def realpath(path: str) -> str:
        found = known.get(path)
        if found is None:
            found = known[path] = os.path.realpath(path)
        return found

    return realpath


def _read(
    path: Path | str,
    shown: Callable[[], str],
    workspace: Path,
    max_bytes: int,
    *,
    link: bool,
    named: Callable[[], str] | None = None,
    realpath: Callable[[str], str] = os.path.realpath,
) -> tuple[bytes | None, list[Finding], Linked | None]:
    """The file's bytes, or a finding; ``shown()`` (its display path) is asked only for one.

    A symbolic link is followed only inside the workspace (:mod:`checker.links`); the file it
    leads to is read, and said to be (the :class:`Linked`) so that changes of it count. A link
    that cannot be followed is reported at ``named()``, the link's own display path (where
    ``shown`` may say where it leads).
    """
    linked = None
    if link:
        found = resolve_on_disk(os.fspath(path), os.fspath(workspace), realpath)
        resolved = found[1] if found is not None else None
        if found is None or resolved is None or resolved.problem is not None:
            problem = Resolved("", None, (), Problem.OUTSIDE) if resolved is None else resolved
            rule = UNREADABLE_RULE if problem.problem is Problem.MISSING else SYMLINK_RULE
            message = problem_message(problem, "workspace")
            where = Location((named or shown)(), "")
            return None, [Finding(rule, Severity.ERROR, message, where)], None
        linked = Linked(found[0], resolved.path, resolved.via)
        path = os.path.join(realpath(os.fspath(workspace)), resolved.path)
    try:
        return _read_bytes(path, max_bytes), [], linked
    except _NotRegular:
        message = "is not a regular file (a device, pipe or folder); nothing was read"
    except IsADirectoryError:
        message = "is a folder, not a file; nothing was read (a manifest is a JSON file)"
    except OSError as error:
        message = f"cannot be read: {error.strerror or error}"
    if linked is not None:
        message = f"is a symbolic link to {json.dumps(linked.target)}, which {message}"
    return None, [Finding(UNREADABLE_RULE, Severity.ERROR, message, Location(shown(), ""))], None


class _NotRegular(Exception):
    pass


def _read_bytes(path: Path | str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file.

    Plain ``os`` calls: ``open(...).read(max_bytes + 1)`` sets up a buffer of the full limit
    (5 MB) for each few-kilobyte manifest, which cost more than the rest of reading it.
    ``O_NONBLOCK``: opening a FIFO for reading otherwise waits for a writer, forever in CI
    (fifo(7)); the file is then found not regular by ``fstat`` and never read. The flag
    changes nothing for a regular file (open(2)).
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):  # what open() reports for a folder
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular
        want = max_bytes + 1
        size = min(info.st_size, max_bytes) + 1
        data = os.read(fd, size)
        if len(data) < size:  # a short read of a regular file is its end
            return data
        chunks = [data]
        got = len(data)
        while got < want:  # the file is larger than fstat said (it is growing)
            more = os.read(fd, want - got)
            if not more:
                break
            chunks.append(more)
            got += len(more)
        return b"".join(chunks)
    finally:
        os.close(fd)


def link_display(listings: Listings, text: str) -> str:
    """The display path of a link itself (its folder resolved, not the link)."""
    folder, name = _split(text)
    shown = listings.display(folder)
    return name if shown == "." else f"{shown.rstrip('/')}/{name}"


def read_code(root: str, tree: FileTree | None, workspace: Path) -> CodeInput:
    """The extension's code files (chosen from its listing by :func:`checker.calls.select`),
    read within the per-file and total limits; what cannot be read is listed as skipped."""
    from checker.calls.model import CodeFile, CodeInput, Skipped, SkipReason
    from checker.calls.select import MAX_FILE_BYTES, select

    if tree is None:
        detail = f"the folder lists more than {MAX_TREE_FILES} files"
        return CodeInput((), (Skipped(".", SkipReason.BUDGET, detail=detail),))
    chosen = select(tree.files)
    files = []
    skipped = list(chosen.skipped)
    realpath = remembered_realpath()
    for relative in chosen.read:
        path = relative if root == "." else os.path.join(root, relative)
        data, problems, _ = _read(
            path,
            functools.partial(str, relative),
            workspace,
            MAX_FILE_BYTES,
            link=True,
            realpath=realpath,
        )
        if data is None:
            detail = problems[0].message if problems else ""
            skipped.append(Skipped(relative, SkipReason.UNREADABLE, detail=detail))
        elif len(data) > MAX_FILE_BYTES:  # it grew since it was listed
            skipped.append(Skipped(relative, SkipReason.TOO_LARGE))
        else:
            files.append(CodeFile(relative, data))
    return CodeInput(tuple(files), tuple(skipped))


def read_extension(
    manifest: Path,
    max_bytes: int,
    workspace: Path | None = None,
    listings: Listings | None = None,
    *,
    code: bool = False,
) -> ExtensionInput:
    """Read one manifest, its resources.json and the listing of its folder; with ``code``,
    its code files too.

    Pass the same ``listings`` for every manifest of a run: a folder is then listed once.
    """
    workspace = workspace or Path.cwd()
    listings = listings or Listings()
    text = os.fspath(manifest)
    shown = listings.display(text)
    link = listings.is_link(text)
    data, errors, manifest_link = _read(
        manifest,
        lambda: shown,
        workspace,
        max_bytes,
        link=link,
        named=lambda: link_display(listings, text),
    )
    root, _ = _split(text)
    root_shown = listings.display(root)
    tree = listings.tree(root)
    resources: bytes | None = None
    resources_link = None
    resources_path = RESOURCES_NAME if root == "." else os.path.join(root, RESOURCES_NAME)
    present = listings.listed(root, RESOURCES_NAME)
    if present is None:
        present = os.path.lexists(resources_path)
    if present:
        link = listings.is_link(resources_path)
        resources, more, resources_link = _read(
            resources_path,
            lambda: listings.display(resources_path),  # only for a finding
            workspace,
            max_bytes,
            link=link,
            named=lambda: link_display(listings, resources_path),
        )
        errors.extend(more)
    return ExtensionInput(
        manifest_path=shown,
        manifest=data,
        root="" if root_shown == "." else root_shown,
        tree=tree,
        resources=resources,
        resources_present=present,
        read_errors=tuple(errors),
        manifest_link=manifest_link,
        resources_link=resources_link,
        code=read_code(root, tree, workspace) if code and data is not None else None,
    )
