"""Symbolic links resolved inside one root (a repository or the workspace), from any listing.

Adapters describe what lies at a root-relative POSIX path (a file, a folder, a link and its
target as stored, or nothing) through a lookup function; :func:`resolve` follows links the
way the kernel does (path_resolution(7)): one component at a time, a relative target from the
link's folder, ``..`` after a link from where the link led, at most 40 links (Linux's
MAXSYMLINKS). Unlike the kernel it never leaves the root: an absolute target, or ``..`` above
the root, is a problem, never a path. The result names every link passed, so a change of any
of them (or of the file reached) can count as a change of the path that was resolved.
"""

from __future__ import annotations

import bisect
import enum
import json
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_LINKS = 40


class Kind(enum.Enum):
    """What a path is, as far as resolving links goes."""

    FILE = "file"
    FOLDER = "folder"
    LINK = "link"
    OTHER = "other"  # a device, a pipe, a git submodule: nothing to read


@dataclass(frozen=True, slots=True)
class Node:
    """One entry of a listing; ``target`` is a link's target as stored (else "")."""

    kind: Kind
    target: str = ""


Lookup = Callable[[str], Node | None]


class Problem(enum.Enum):
    """Why a path could not be resolved to something inside the root."""

    OUTSIDE = "outside"  # an absolute target, or `..` above the root
    LOOP = "loop"  # more than MAX_LINKS links: a link that leads back to itself
    MISSING = "missing"  # a component does not exist (or is a file with more below it)


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a path leads: ``path`` is the root-relative path reached, or where resolving
    stopped; ``node`` what is there (None when missing or outside); ``via`` every link
    passed, in order, the resolved path itself first when it is one."""

    path: str
    node: Node | None
    via: tuple[str, ...]
    problem: Problem | None = None

    @property
    def chain(self) -> tuple[str, ...]:
        """Every path the result depends on: the links passed and the path reached."""
        return (*self.via, self.path) if self.path not in self.via else self.via


def resolve(path: str, lookup: Lookup, *, root: str = "", max_links: int = MAX_LINKS) -> Resolved:
    """Follow ``path`` (root-relative, POSIX) through every link to what it finally names.

    ``root`` is the root's own absolute path where targets may be absolute (the filesystem):
    a target below it is taken as relative to it; any other absolute target is OUTSIDE.
    """
    pending = list(reversed(path.split("/")))
    done: list[str] = []
    via: list[str] = []
    node: Node | None = Node(Kind.FOLDER)
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not done:
                return Resolved("/".join(done), None, tuple(via), Problem.OUTSIDE)
            done.pop()
            node = Node(Kind.FOLDER)
            continue
        current = "/".join((*done, part))
        node = lookup(current)
        if node is None:
            return Resolved(current, None, tuple(via), Problem.MISSING)
        if node.kind is Kind.LINK:
            via.append(current)
            if len(via) > max_links:
                return Resolved(current, node, tuple(via), Problem.LOOP)
            target = node.target
            if target.startswith("/"):
                prefix = root.rstrip("/") + "/"
                if not root or not (target + "/").startswith(prefix):
                    return Resolved(current, None, tuple(via), Problem.OUTSIDE)
                target = target[len(prefix) :]
                done = []
            pending.extend(reversed(target.split("/")))
            continue
        if node.kind is not Kind.FOLDER and any(p not in ("", ".") for p in pending):
            return Resolved(current, None, tuple(via), Problem.MISSING)  # ENOTDIR
        done.append(part)
    return Resolved("/".join(done), node, tuple(via))


def step(link: str, target: str, passed: int, *, max_links: int = MAX_LINKS) -> Resolved:
    """Where one link leads when only its target text is known (through the contents API,
    which lists nothing in between): the target taken from the link's folder, normalised as
    text; ``passed`` is how many links were followed so far, this one included."""
    via = (link,)
    if passed > max_links:
        return Resolved(link, None, via, Problem.LOOP)
    if target.startswith("/"):
        return Resolved(link, None, via, Problem.OUTSIDE)
    parts = [part for part in posixpath.dirname(link).split("/") if part]
    for part in target.split("/"):
        if part == "..":
            if not parts:
                return Resolved(link, None, via, Problem.OUTSIDE)
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return Resolved("/".join(parts), None, via)


@dataclass(frozen=True, slots=True)
class ChangedPaths:
    """The root-relative paths a comparison lists as changed (old and new names alike)."""

    ordered: tuple[str, ...]
    known: frozenset[str]

    @classmethod
    def of(cls, paths: Iterable[str]) -> ChangedPaths:
        """The set of ``paths``, kept sorted for prefix searches."""
        known = frozenset(paths)
        return cls(tuple(sorted(known)), known)

    def touch(self, chain: Iterable[str]) -> bool:
        """Whether a change can alter what ``chain`` (see :attr:`Resolved.chain`) resolved
        to: a changed path is one of the chain, lies below one (a folder's file) or above
        one (a file that became a folder, or the reverse)."""
        for path in chain:
            if not path:  # the root itself: where resolving stopped, out of the root
                continue
            probe = path
            while probe:
                if probe in self.known:
                    return True
                probe = posixpath.dirname(probe)
            prefix = f"{path}/"
            at = bisect.bisect_left(self.ordered, prefix)
            if at < len(self.ordered) and self.ordered[at].startswith(prefix):
                return True
        return False


def problem_message(resolved: Resolved, root_name: str) -> str:
    """A finding's message for a link that could not be followed (``root_name``: "repository"
    or "workspace")."""
    if resolved.problem is Problem.LOOP:
        loop = " -> ".join(json.dumps(path) for path in dict.fromkeys(resolved.via))
        return (
            f"is a loop of symbolic links ({loop}, and round again), so no file was read; "
            "commit the real file instead"
        )
    if resolved.problem is Problem.MISSING:
        return (
            f"is a symbolic link to {json.dumps(resolved.path)}, which does not exist; "
            "nothing was read"
        )
    return (
        f"is a symbolic link to a place outside the {root_name}; it is not followed (a link "
        "could expose other files); commit the real file instead"
    )
