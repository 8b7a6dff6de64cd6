"""Strict JSON loading that turns every defect into a finding and maps JSON Pointers to spans."""

from __future__ import annotations

import bisect
import codecs
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from checker.findings import Finding, Location, Severity, Span

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# The position index recurses once per nesting level; stay far below Python's recursion limit.
HARD_MAX_DEPTH = 500


@dataclass(frozen=True, slots=True)
class Limits:
    """Input limits; a file over either one is reported, not parsed."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        if not 1 <= self.max_depth <= HARD_MAX_DEPTH:
            raise ValueError(f"max_depth must be between 1 and {HARD_MAX_DEPTH}")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a duplicated member: where its name stands and what its value is."""

    key_span: Span
    value: Any


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A member name that appears more than once in one object."""

    pointer: str
    key: str
    occurrences: tuple[Occurrence, ...]


def escape_token(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """Undo :func:`escape_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON Pointer."""
    # Rules build a pointer for every array item they look at: keep the common cases cheap.
    for token in tokens:
        if type(token) is int:
            pointer = f"{pointer}/{token}"
        else:
            text = str(token)
            if "~" in text or "/" in text:
                text = text.replace("~", "~0").replace("/", "~1")
            pointer = f"{pointer}/{text}"
    return pointer


def parent_pointer(pointer: str) -> str:
    """The pointer of the enclosing value ("" for the root)."""
    return pointer.rsplit("/", 1)[0] if pointer else ""


class _Index:
    """Offsets of every value and member name, built on first use from already valid JSON."""

    _WS = re.compile(r"[ \t\n\r]*")
    _STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
    _SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")

    __slots__ = ("duplicates", "keys", "line_starts", "text", "values")

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[str, tuple[int, int]] = {}
        self.keys: dict[str, tuple[int, int]] = {}
        self.duplicates: list[tuple[str, str, list[tuple[int, int, int, int]]]] = []
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._value(self._skip(0), "")

    def _skip(self, pos: int) -> int:
        match = self._WS.match(self.text, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def _value(self, pos: int, pointer: str) -> int:
        char = self.text[pos]
        if char == "{":
            self.values[pointer] = (pos, pos + 1)
            return self._object(pos, pointer)
        if char == "[":
            self.values[pointer] = (pos, pos + 1)
            return self._array(pos, pointer)
        match = (self._STRING if char == '"' else self._SCALAR).match(self.text, pos)
        if match is None:  # pragma: no cover - the text was accepted by json.loads
            raise ValueError(f"unexpected character at offset {pos}")
        self.values[pointer] = (pos, match.end())
        return match.end()

    def _object(self, pos: int, pointer: str) -> int:
        pos = self._skip(pos + 1)
        seen: dict[str, list[tuple[int, int, int, int]]] = {}
        if self.text[pos] == "}":
            return pos + 1
        while True:
            match = self._STRING.match(self.text, pos)
            assert match is not None
            key = json.loads(match.group())
            member = join_pointer(pointer, key)
            self.keys[member] = (pos, match.end())
            value_start = self._skip(self._skip(match.end()) + 1)  # past the colon
            value_end = self._value(value_start, member)
            seen.setdefault(key, []).append((pos, match.end(), value_start, value_end))
            pos = self._skip(value_end)
            if self.text[pos] == "}":
                break
            pos = self._skip(pos + 1)  # past the comma
        for key, places in seen.items():
            if len(places) > 1:
                self.duplicates.append((join_pointer(pointer, key), key, places))
        return pos + 1

    def _array(self, pos: int, pointer: str) -> int:
        pos = self._skip(pos + 1)
        if self.text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            pos = self._skip(self._value(pos, join_pointer(pointer, index)))
            index += 1
            if self.text[pos] == "]":
                return pos + 1
            pos = self._skip(pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        return Span(line, column, end_line, end_column + 1)


class _Locator:
    """Offsets of the values and member names that lookups ask for, found on demand.

    For documents without duplicate members (nearly all), where each pointer names one
    place: a lookup descends along the pointer and lists only the objects and arrays on its
    way, skipping the other values with the json module's C scanner. :class:`_Index`
    walks every value in Python, which cost a third of a millisecond per manifest with a
    finding; it still serves documents with duplicates (see :attr:`Document.duplicates`).
    """

    __slots__ = ("_containers", "_decoder", "text")

    _WS = _Index._WS
    _SCALAR = _Index._SCALAR

    def __init__(self, text: str) -> None:
        self.text = text
        self._decoder = json.JSONDecoder()
        # container offset -> its members: (escaped token, key start, key end, value start)
        self._containers: dict[int, dict[str, tuple[int, int, int]]] = {}

    def _skip(self, pos: int) -> int:
        match = self._WS.match(self.text, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def _end(self, pos: int) -> int:
        """Where the value starting at ``pos`` ends."""
        if self.text[pos] in '"{[':
            return self._decoder.raw_decode(self.text, pos)[1]
        match = self._SCALAR.match(self.text, pos)
        if match is None:  # pragma: no cover - the text was accepted by json.loads
            raise ValueError(f"unexpected character at offset {pos}")
        return match.end()

    def _members(self, pos: int) -> dict[str, tuple[int, int, int]]:
        found = self._containers.get(pos)
        if found is not None:
            return found
        text = self.text
        found = {}
        closing = "}" if text[pos] == "{" else "]"
        at = self._skip(pos + 1)
        index = 0
        while text[at] != closing:
            if closing == "}":
                key, key_end = self._decoder.raw_decode(text, at)
                start = self._skip(self._skip(key_end) + 1)  # past the colon
                found[escape_token(key)] = (at, key_end, start)
            else:
                start = at
                found[str(index)] = (-1, -1, start)
                index += 1
            at = self._skip(self._end(start))
            if text[at] == ",":
                at = self._skip(at + 1)
        self._containers[pos] = found
        return found

    def locate(self, pointer: str) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
        """(member name offsets or None, value offsets) of ``pointer``, or None if absent."""
        pos = self._skip(0)
        name: tuple[int, int] | None = None
        for token in pointer.split("/")[1:] if pointer else ():
            if self.text[pos] not in "{[":
                return None
            member = self._members(pos).get(token)
            if member is None:
                return None
            key_start, key_end, pos = member
            name = (key_start, key_end) if key_start >= 0 else None
        char = self.text[pos]
        value = (pos, pos + 1) if char in "{[" else (pos, self._end(pos))
        return name, value

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]``, as :meth:`_Index.span` computes it."""
        line, column = self._position(start)
        end_line, end_column = self._position(max(start, end - 1))
        return Span(line, column, end_line, end_column + 1)

    def _position(self, offset: int) -> tuple[int, int]:
        text = self.text
        return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    """A parsed JSON file: its value (last duplicate wins, as in JSON.parse) and positions."""

    path: str
    text: str
    value: Any
    has_duplicates: bool = False
    _lazy: dict[str, _Index | _Locator] = field(default_factory=dict, repr=False)

    @property
    def _index(self) -> _Index:
        index = self._lazy.get("index")
        if index is None:
            index = _Index(self.text)
            self._lazy["index"] = index
        assert isinstance(index, _Index)
        return index

    @property
    def _locator(self) -> _Locator:
        locator = self._lazy.get("locator")
        if locator is None:
            locator = _Locator(self.text)
            self._lazy["locator"] = locator
        assert isinstance(locator, _Locator)
        return locator

    def span(self, pointer: str, *, key: bool = False) -> Span | None:
        """Where ``pointer`` is; a missing pointer falls back to its nearest existing ancestor."""
        if not self.has_duplicates:
            return self._located(pointer, key=key)
        index = self._index
        if key and pointer in index.keys:
            return index.span(*index.keys[pointer])
        probe = pointer
        while True:
            if probe in index.values:
                if probe != pointer and probe in index.keys:
                    # a missing member: point at the name of the object that should hold it
                    return index.span(*index.keys[probe])
                return index.span(*index.values[probe])
            if not probe:
                return None
            probe = parent_pointer(probe)

    def _located(self, pointer: str, *, key: bool) -> Span | None:
        """:meth:`span` for a document without duplicates, through the :class:`_Locator`."""
        locator = self._locator
        found = locator.locate(pointer)
        if key and found is not None and found[0] is not None:
            return locator.span(*found[0])
        probe = pointer
        while found is None:
            if not probe:
                return None
            probe = parent_pointer(probe)
            found = locator.locate(probe)
            if found is not None and found[0] is not None:
                # a missing member: point at the name of the object that should hold it
                return locator.span(*found[0])
        return locator.span(*found[1])

    def resolve(self, location: Location) -> Location:
        """Fill in the span of a location in this document."""
        if location.span is not None or location.file != self.path:
            return location
        return location.resolved(self.span(location.pointer, key=location.key))

    @property
    def duplicates(self) -> tuple[DuplicateKey, ...]:
        """Every duplicated member name, in document order, with all of its values."""
        if not self.has_duplicates:
            return ()
        index = self._index
        result = []
        for pointer, key, places in index.duplicates:
            occurrences = tuple(
                Occurrence(index.span(k0, k1), json.loads(self.text[v0:v1]))
                for k0, k1, v0, v1 in places
            )
            result.append(DuplicateKey(pointer, key, occurrences))
        result.sort(
            key=lambda d: (d.occurrences[0].key_span.line, d.occurrences[0].key_span.column)
        )
        return tuple(result)

    def values_at(self, pointer: str) -> tuple[Any, ...]:
        """Every value a member has, duplicates included (the last one is ``value``'s)."""
        for duplicate in self.duplicates:
            if duplicate.pointer == pointer:
                return tuple(o.value for o in duplicate.occurrences)
        return ()


@dataclass(frozen=True, slots=True)
class Parsed:
    """The outcome of loading one file: a document when it could be read, and findings."""

    document: Document | None
    findings: tuple[Finding, ...]


class _NonFinite(ValueError):
    pass


class _DuplicateSeen:
    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.seen = True
        return result


_DECODERS = threading.local()


def _decoder() -> tuple[_DuplicateSeen, json.JSONDecoder]:
    """This thread's strict decoder and its duplicate-member hook, made once: json.loads
    with these arguments built (and compiled) a new decoder for every file."""
    made: tuple[_DuplicateSeen, json.JSONDecoder] | None = getattr(_DECODERS, "made", None)
    if made is None:
        hook = _DuplicateSeen()
        decoder = json.JSONDecoder(
            object_pairs_hook=hook, parse_constant=_reject_constant, parse_float=_parse_float
        )
        made = _DECODERS.made = (hook, decoder)
    return made


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NonFinite(text)
    return value


_NON_FINITE = re.compile(r'"(?:[^"\\]|\\.)*"|(-?(?:NaN|Infinity|[0-9][0-9.eE+-]*))', re.DOTALL)
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _point(path: str, text: str, offset: int, length: int = 1) -> Location:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Location(path, "", span=Span(line, column, line, column + max(length, 1)))


def _finding(rule: str, message: str, location: Location, severity: Severity) -> Finding:
    return Finding(rule, severity, message, location)


def _syntax_finding(path: str, text: str, error: json.JSONDecodeError) -> Finding:
    pos = error.pos
    rest = text[pos : pos + 2]
    if not text.strip():
        message = "the file is empty; expected a JSON object"
    elif rest in ("//", "/*") or rest[:1] == "#":
        message = "comments are not allowed in JSON; remove the comment"
    elif rest[:1] in "}]" and rest:
        before = text[:pos].rstrip()
        if before.endswith(","):
            pos = len(before) - 1
            message = f"trailing comma before '{rest[0]}' is not allowed in JSON; remove it"
        else:
            message = f"invalid JSON: {error.msg}"
    elif rest[:1] == "'":
        message = "strings must be in double quotes in JSON, not single quotes"
    elif pos >= len(text.rstrip()):
        message = "the file ends early: an object, array or string is not closed"
    else:
        message = f"invalid JSON: {error.msg}"
    return _finding("json-syntax", message, _point(path, text, pos), Severity.ERROR)


def _depth_exceeds(text: str, limit: int) -> int | None:
    """Offset of the first bracket nested deeper than ``limit``, or None."""
    if text.count("{") + text.count("[") <= limit:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "}]":
            depth -= 1
    return None


def _decode(path: str, data: bytes) -> tuple[str | None, list[Finding]]:
    findings: list[Finding] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        message = "the file is UTF-16 or UTF-32 encoded; save it as UTF-8 without a byte-order mark"
        location = Location(path, "", span=Span(1, 1, 1, 2))
        return None, [_finding("json-encoding", message, location, Severity.ERROR)]
    if data.startswith(codecs.BOM_UTF8):
        findings.append(
            _finding(
                "json-byte-order-mark",
                "the file starts with a UTF-8 byte-order mark, which JSON does not allow "
                "(RFC 8259, section 8.1); save it without the BOM",
                Location(path, "", span=Span(1, 1, 1, 2)),
                Severity.WARNING,
            )
        )
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8", errors="replace")
        message = f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8"
        findings.append(
            _finding("json-encoding", message, _point(path, good, len(good)), Severity.ERROR)
        )
        return None, findings
    if nul >= 0:
        offset = text.index("\x00")
        message = "the file contains a NUL byte; it is binary or corrupted, not JSON"
        findings.append(
            _finding("json-encoding", message, _point(path, text, offset), Severity.ERROR)
        )
        return None, findings
    return text, findings


def parse(path: str, data: bytes, limits: Limits | None = None) -> Parsed:
    """Load one JSON file strictly; never raises for bad content."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        message = (
            f"the file is larger than the limit of {limits.max_bytes:,} bytes; "
            "a manifest is a few kilobytes, so this is not one (raise --max-bytes if it is)"
        )
        location = Location(path, "", span=Span(1, 1, 1, 2))
        return Parsed(None, (_finding("file-too-large", message, location, Severity.ERROR),))
    text, findings = _decode(path, data)
    if text is None:
        return Parsed(None, tuple(findings))
    deep = _depth_exceeds(text, limits.max_depth)
    if deep is not None:
        message = (
            f"values are nested more than {limits.max_depth} levels deep; "
            "a manifest needs far fewer (raise --max-depth if this is intended)"
        )
        findings.append(
            _finding("json-too-deep", message, _point(path, text, deep), Severity.ERROR)
        )
        return Parsed(None, tuple(findings))
    hook, decoder = _decoder()
    hook.seen = False
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as error:
        findings.append(_syntax_finding(path, text, error))
        return Parsed(None, tuple(findings))
    except _NonFinite:
        offset = next(
            (m.start(1) for m in _NON_FINITE.finditer(text) if m.group(1) and _non_finite(m)),
            0,
        )
        message = "NaN and Infinity (or numbers too large for a double) are not valid JSON numbers"
        findings.append(
            _finding("json-syntax", message, _point(path, text, offset), Severity.ERROR)
        )
        return Parsed(None, tuple(findings))
    except (ValueError, RecursionError) as error:
        message = f"invalid JSON: {error}"
        findings.append(_finding("json-syntax", message, _point(path, text, 0), Severity.ERROR))
        return Parsed(None, tuple(findings))
    document = Document(path, text, value, has_duplicates=hook.seen)
    findings.extend(_duplicate_findings(document))
    if not isinstance(value, dict):
        kind = _json_type(value)
        message = f"the top level is {kind}; a plugin-manifest.json must be a JSON object"
        location = document.resolve(Location(path, ""))
        findings.append(_finding("json-root-type", message, location, Severity.ERROR))
        return Parsed(None, tuple(findings))
    return Parsed(document, tuple(findings))


def _non_finite(match: re.Match[str]) -> bool:
    token = match.group(1)
    if "NaN" in token or "Infinity" in token:
        return True
    try:
        return float(token) in (float("inf"), float("-inf"))
    except ValueError:
        return False


def _duplicate_findings(document: Document) -> Iterator[Finding]:
    for duplicate in document.duplicates:
        first, *others = duplicate.occurrences
        for other in others:
            message = (
                f'member "{duplicate.key}" appears more than once in the same object '
                f"(first at line {first.key_span.line}); JSON parsers keep only the last one, "
                "which can hide a value from a reviewer; keep one"
            )
            yield Finding(
                "json-duplicate-key",
                Severity.ERROR,
                message,
                Location(document.path, duplicate.pointer, key=True, span=other.key_span),
                related=(
                    Location(document.path, duplicate.pointer, key=True, span=first.key_span),
                ),
            )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def json_type(value: Any) -> str:
    """A value's JSON type with an article, for messages ("an array", "null")."""
    return _json_type(value)
