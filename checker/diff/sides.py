"""One side of a comparison (a version of the manifest or of resources.json), and the wording
helpers every aspect of the diff shares.

Imports only the pure core (changes, findings, scopes, source, rules.urls): every other module
of :mod:`checker.diff` may import this one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.changes import Side
from checker.findings import Location
from checker.rules.urls import parse_url
from checker.scopes import ASCII_SPACE
from checker.source import Document, join_pointer

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def quote(value: object) -> str:
    """A manifest value inside a sentence: JSON-quoted, non-ASCII escaped so lookalikes show."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=True)
    return json.dumps(text, ensure_ascii=True)


def trim(text: str) -> str:
    """A value without surrounding ASCII spaces (Zoho trims those, and only those)."""
    return text.strip(ASCII_SPACE)


def member(parent: str, key: str) -> str:
    """``parent.key`` for an ordinary member name, ``parent["odd key"]`` (quoted) otherwise."""
    return f"{parent}.{key}" if _PLAIN_KEY.match(key) else f"{parent}[{quote(key)}]"


def host(value: Any) -> str | None:
    """The host of a URL value, or None when the value is not a URL."""
    if not isinstance(value, str):
        return None
    url = parse_url(trim(value))
    return url.host if url is not None else None


def missing_from(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (value, pointer) entries of ``new`` whose trimmed value ``old`` lacks, first of each."""
    known = {trim(value) for value, _ in old}
    seen: dict[str, tuple[str, str]] = {}
    for value, pointer in new:
        if trim(value) not in known:
            seen.setdefault(trim(value), (value, pointer))
    return list(seen.values())


class DocumentSide:
    """One version of a document, with the duplicate-key rule of that side.

    On the head side every duplicated value counts (a reviewer may have read any of them), on
    the base side only the value JSON parsers keep (the last one).
    """

    __slots__ = ("doc", "side", "union")

    def __init__(self, doc: Document | None, side: Side) -> None:
        self.doc = doc
        self.side = side
        self.union = side is Side.HEAD

    @property
    def root(self) -> dict[str, Any]:
        """The top-level object, or an empty one when the side is missing or not an object."""
        value = self.doc.value if self.doc is not None else None
        return value if isinstance(value, dict) else {}

    def values(self, pointer: str, container: Any, key: str) -> tuple[Any, ...]:
        """The values of member ``key``; on the head side every duplicated value."""
        if not isinstance(container, dict) or key not in container:
            return ()
        if self.union and self.doc is not None and self.doc.has_duplicates:
            found = self.doc.values_at(join_pointer(pointer, key))
            if found:
                return found
        return (container[key],)

    def location(self, pointer: str) -> Location:
        """Where a pointer of this side is, resolved to a line and column."""
        if self.doc is None:
            return Location("", pointer)
        return self.doc.resolve(Location(self.doc.path, pointer))

    def strings(self, pointer: str, container: Any, key: str) -> list[tuple[str, str]]:
        """String entries of an array member (or a lone string), with their pointers."""
        found: list[tuple[str, str]] = []
        at = join_pointer(pointer, key)
        for value in self.values(pointer, container, key):
            if isinstance(value, str) and trim(value):
                found.append((value, at))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and trim(item):
                        found.append((item, join_pointer(at, index)))
        return found
