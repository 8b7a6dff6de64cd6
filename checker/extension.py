"""What the core knows about one extension folder: its files as data, never as a filesystem."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checker.calls.model import CodeInput
from checker.findings import Finding
from checker.services import manifest_service
from checker.source import Document

MANIFEST_NAME = "plugin-manifest.json"
RESOURCES_NAME = "resources.json"


@dataclass(frozen=True, slots=True)
class FileTree:
    """The files under an extension folder: POSIX paths relative to it, with sizes in bytes.

    Adapters build it by listing a folder or a git tree; rules only look things up in it.
    """

    files: Mapping[str, int] = field(default_factory=dict)
    dirs: frozenset[str] = frozenset()

    def exists(self, relative: str) -> bool:
        """Whether a file (not a folder) exists at this relative path."""
        return relative.strip("/") in self.files

    def under(self, folder: str) -> dict[str, int]:
        """Files below ``folder`` (relative path -> size)."""
        prefix = folder.strip("/") + "/"
        return {path: size for path, size in self.files.items() if path.startswith(prefix)}

    def has_dir(self, folder: str) -> bool:
        """Whether a folder exists (empty or not)."""
        name = folder.strip("/")
        return name in self.dirs or any(p.startswith(name + "/") for p in self.files)


@dataclass(frozen=True, slots=True)
class Linked:
    """A file read through symbolic links: ``path`` is the link, ``target`` the file whose
    content was read, ``via`` every link passed on the way (``path`` first). Paths are POSIX
    and relative to the root the links were resolved in: the repository (git, the Action) or
    the workspace (``check``)."""

    path: str
    target: str
    via: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExtensionInput:
    """Raw bytes of one extension as an adapter read them; nothing parsed yet.

    ``root`` is the folder's display path ("" for the current folder). ``tree`` is None when
    only the manifest is known (a git blob, ``--base-file``): file-existence rules then skip.
    ``resources`` holds resources.json's bytes; ``resources_present`` says whether that file
    exists at all (it can exist and still be unreadable, leaving ``resources`` None).
    ``read_errors`` are findings the adapter made while reading (symlinks, permissions).
    ``manifest_link`` and ``resources_link`` say which file was read when the manifest or
    resources.json is a symbolic link inside the root (None when it is not a link).
    ``code`` holds the extension's code files when the adapter read them (None: code is not
    audited, as with ``--no-code`` or a manifest read on its own).
    """

    manifest_path: str
    manifest: bytes | None
    root: str = ""
    tree: FileTree | None = None
    resources: bytes | None = None
    resources_present: bool = False
    read_errors: tuple[Finding, ...] = ()
    manifest_link: Linked | None = None
    resources_link: Linked | None = None
    code: CodeInput | None = None

    @property
    def resources_path(self) -> str:
        """Display path of resources.json beside the manifest."""
        return join_display(self.root, RESOURCES_NAME)


@dataclass(frozen=True, slots=True)
class Extension:
    """A parsed extension, handed to every rule."""

    manifest: Document
    root: str = ""
    tree: FileTree | None = None
    resources: Document | None = None
    resources_present: bool = False

    @property
    def value(self) -> dict[str, Any]:
        """The manifest's top-level object."""
        value = self.manifest.value
        assert isinstance(value, dict)
        return value

    @property
    def service(self) -> str | None:
        """The manifest's ``service`` when it is a string (see :mod:`checker.services`)."""
        return manifest_service(self.value)

    def display(self, relative: str) -> str:
        """Display path of a file relative to the extension folder."""
        return join_display(self.root, relative)


def beside(path: str, name: str) -> str:
    """The path of the file ``name`` in the folder of the POSIX path ``path``."""
    return join_display(posixpath.dirname(path), name)


def join_display(root: str, relative: str) -> str:
    """Join a display folder and a relative POSIX path."""
    relative = relative.strip("/")
    if not root or root == ".":
        return relative
    return f"{root.rstrip('/')}/{relative}"
