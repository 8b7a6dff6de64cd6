"""Filesystem adapter: find manifests under paths and read each extension folder into bytes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from checker.errors import InputError
from checker.extension import MANIFEST_NAME, RESOURCES_NAME, ExtensionInput, FileTree
from checker.findings import Finding, Location, Severity

SKIP_DIRS = frozenset({"node_modules", ".git", "dist", "build"})
MAX_TREE_FILES = 20_000
UNREADABLE_RULE = "file-unreadable"
SYMLINK_RULE = "file-symlink"
INPUT_ERROR_RULES = frozenset({UNREADABLE_RULE})


def display_path(path: Path) -> str:
    """A stable POSIX display path, relative to the current folder when below it."""
    try:
        relative = path.resolve(strict=False).relative_to(Path.cwd().resolve())
        text = relative.as_posix()
    except ValueError:
        text = path.as_posix()
    return "." if text == "" else text


def discover(paths: Sequence[str]) -> list[Path]:
    """Manifest files named by ``paths``: files as given, folders searched recursively."""
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{raw}: no such file or folder")
        if path.is_dir() and not path.is_symlink():
            for manifest in _walk(path):
                found.setdefault(manifest)
        else:
            found.setdefault(path)
    return sorted(found, key=lambda p: p.as_posix())


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        if MANIFEST_NAME in files:
            yield Path(current) / MANIFEST_NAME


def _list_tree(root: Path) -> FileTree | None:
    files: dict[str, int] = {}
    dirs: set[str] = set()
    for current, subdirs, names in os.walk(root, followlinks=False):
        subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS]
        base = Path(current).relative_to(root)
        for name in subdirs:
            dirs.add((base / name).as_posix())
        for name in names:
            relative = (base / name).as_posix()
            try:
                files[relative] = os.lstat(Path(current) / name).st_size
            except OSError:
                files[relative] = 0
            if len(files) > MAX_TREE_FILES:
                return None
    return FileTree(files, frozenset(dirs))


def _escapes(path: Path, workspace: Path) -> bool:
    try:
        path.resolve(strict=False).relative_to(workspace.resolve())
    except ValueError:
        return True
    return False


def _read(
    path: Path, shown: str, workspace: Path, max_bytes: int
) -> tuple[bytes | None, list[Finding]]:
    location = Location(shown, "")
    if path.is_symlink() and _escapes(path, workspace):
        message = (
            "is a symbolic link to a place outside the workspace; it is not followed "
            "(a link could expose other files); commit the real file instead"
        )
        return None, [Finding(SYMLINK_RULE, Severity.ERROR, message, location)]
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                message = "is not a regular file (a device, pipe or folder); nothing was read"
                return None, [Finding(UNREADABLE_RULE, Severity.ERROR, message, location)]
            return handle.read(max_bytes + 1), []
    except OSError as error:
        message = f"cannot be read: {error.strerror or error}"
        return None, [Finding(UNREADABLE_RULE, Severity.ERROR, message, location)]


def read_extension(manifest: Path, max_bytes: int, workspace: Path | None = None) -> ExtensionInput:
    """Read one manifest, its resources.json and the listing of its folder."""
    workspace = workspace or Path.cwd()
    shown = display_path(manifest)
    data, errors = _read(manifest, shown, workspace, max_bytes)
    root = manifest.parent
    root_shown = display_path(root)
    tree = _list_tree(root)
    resources: bytes | None = None
    resources_path = root / RESOURCES_NAME
    present = resources_path.exists() or resources_path.is_symlink()
    if present:
        resources_shown = display_path(resources_path)
        resources, more = _read(resources_path, resources_shown, workspace, max_bytes)
        errors.extend(more)
    return ExtensionInput(
        manifest_path=shown,
        manifest=data,
        root="" if root_shown == "." else root_shown,
        tree=tree,
        resources=resources,
        resources_present=present,
        read_errors=tuple(errors),
    )
