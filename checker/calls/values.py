"""What a JavaScript expression can evaluate to: alternatives of strings with holes.

A value is a short tuple of alternatives. A string alternative is a sequence of literal text
and holes (``*``: text the code computes at run time), so ``deskAPI + "/tickets/" + id`` is
``https://desk.zoho.com/api/v1/tickets/*``. Object literals stay nodes whose properties are
evaluated on demand (:mod:`checker.calls.resolve`); whatever cannot be followed is an
:class:`Unknown` with the reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import tree_sitter as ts

MAX_ALTERNATIVES = 16


class Hole(enum.Enum):
    """Text computed at run time."""

    ANY = "*"


Part = str | Hole


@dataclass(frozen=True, slots=True)
class Text:
    """A string: literal parts and holes, adjacent literals merged, holes never doubled."""

    parts: tuple[Part, ...]

    @property
    def literal(self) -> str | None:
        """The whole string when it has no hole."""
        if not self.parts:
            return ""
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            return self.parts[0]
        return None

    def shown(self) -> str:
        """The string with ``*`` for each hole."""
        return "".join(p if isinstance(p, str) else "*" for p in self.parts)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the reader cannot follow, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class Absent:
    """``undefined``: a property the object does not have, a missing argument."""


@dataclass(frozen=True, slots=True)
class Obj:
    """An object literal of the file; ``name`` is the variable it was read from, if any."""

    node: ts.Node
    env: Env | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Func:
    """A function of the file (declaration, expression, arrow or method)."""

    node: ts.Node


Atom = Text | Unknown | Absent | Obj | Func
Value = tuple[Atom, ...]
ABSENT: Value = (Absent(),)


@dataclass(frozen=True, slots=True)
class Env:
    """Argument values of the functions being evaluated: (function node id, name) -> value."""

    bindings: tuple[tuple[tuple[int, str], Value], ...]
    depth: int

    def get(self, function: ts.Node, name: str) -> Value | None:
        """The value bound to a parameter, if this evaluation bound it."""
        for (node_id, bound), value in self.bindings:
            if node_id == function.id and bound == name:
                return value
        return None


def text(parts: tuple[Part, ...] | list[Part]) -> Text:
    """A normalised :class:`Text`."""
    merged: list[Part] = []
    for part in parts:
        if part == "":
            continue
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif merged and part is Hole.ANY and merged[-1] is Hole.ANY:
            continue
        else:
            merged.append(part)
    return Text(tuple(merged))


def unknown(reason: str) -> Value:
    """A one-alternative unknown value."""
    return (Unknown(reason),)


def union(*values: Value) -> Value:
    """Alternatives of all values, duplicates removed; too many collapse to unknown."""
    seen: dict[Atom, None] = {}
    for value in values:
        for atom in value:
            seen.setdefault(atom, None)
    if len(seen) > MAX_ALTERNATIVES:
        return unknown("too many alternatives")
    return tuple(seen)


def as_parts(atom: Atom) -> tuple[Part, ...]:
    if isinstance(atom, Text):
        return atom.parts
    return (Hole.ANY,)


def concat(left: Value, right: Value) -> Value:
    """``left + right`` for every pair of alternatives; non-strings become holes."""
    if len(left) * len(right) > MAX_ALTERNATIVES:
        return unknown("too many alternatives")
    out: list[Atom] = []
    for a in left:
        for b in right:
            if isinstance(a, Unknown) and not isinstance(b, Text):
                out.append(a)
            else:
                out.append(text(as_parts(a) + as_parts(b)))
    return union(tuple(out))


def node_text(data: bytes, node: ts.Node) -> str:
    """The source text of a node."""
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")
