"""Read an extension's code files into call sites, turning every failure into a reason."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Iterator

from checker.calls.model import (
    CallKind,
    CallSite,
    CodeAnalysis,
    CodeFile,
    CodeInput,
    Skipped,
    SkipReason,
)
from checker.calls.parse import InlineCode, parse
from checker.calls.resolve import Resolver
from checker.calls.sites import call_sites, may_call, not_analysed, place, request_words

# Content of minified code: long lines on average (a bundler's output is a handful of lines).
MINIFIED_MIN_BYTES = 4096
MINIFIED_LINE_BYTES = 500
# Text that can start a request the reader looks for: a file it cannot analyse is blind
# only when it holds one of these.
REQUEST_MARKERS = re.compile(
    rb"\.request\s*\(|\.invoke\s*\(|fetch\s*\(|XMLHttpRequest|axios|\.ajax\s*\(|\$\.(get|post)"
    rb"|jQuery\.(get|post)|WebSocket|EventSource|sendBeacon"
)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}()")
_STEPS = bytes.maketrans(b"[{()}]", b"\x02\x02\x02\x00\x00\x00")
# Deep nesting (minified or hostile input): bounded so no walk of the tree can exhaust
# the stack; the evaluator has its own depth limit besides.
MAX_NESTING = 400


def analyse(code: CodeInput, *, prefilter: bool = True) -> CodeAnalysis:
    """Call sites of every file, and the files (or parts) that could not be analysed
    (``prefilter``: see :func:`analyse_file`)."""
    calls: list[CallSite] = []
    skipped: list[Skipped] = list(code.skipped)
    for file in code.files:
        found, problem = analyse_file(file, prefilter=prefilter)
        calls.extend(found)
        if problem is not None:
            skipped.append(problem)
    return CodeAnalysis(
        tuple(sorted(calls, key=lambda c: (c.file, c.line, c.column, c.kind.value))),
        tuple(sorted(skipped, key=lambda s: s.file)),
        tuple(f.path for f in code.files),
    )


def analyse_file(
    file: CodeFile, *, prefilter: bool = True
) -> tuple[list[CallSite], Skipped | None]:
    """The call sites of one file, and why it was not (completely) analysed, if so.

    A file whose text names none of the callees the reader recognises
    (:func:`~checker.calls.sites.may_call`, a cheap superset) has no call site: it is still
    parsed, as a syntax error in it is reported all the same, but no query runs and no
    resolver is built. ``prefilter=False`` looks for call sites in every file (the tests
    compare both ways).
    """
    data = file.data
    if b"\x00" in data:
        return [], Skipped(file.path, SkipReason.BINARY, _blind(data))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = place(data, error.start)
        detail = f"at byte {error.start}"
        return [], Skipped(file.path, SkipReason.NOT_UTF8, _blind(data), detail, line, column)
    if _minified(data):
        return [], Skipped(file.path, SkipReason.MINIFIED, _blind(data), "by its content")
    if _too_deep(data):
        return [], Skipped(file.path, SkipReason.TOO_DEEP, _blind(data))
    found: list[CallSite] = []
    problem = None
    calls = not prefilter or may_call(data)
    parsed = parse(file.path, data)
    for program in parsed.programs:
        if calls:
            found.extend(call_sites(file.path, program, Resolver(program)))
        if program.tree.root_node.has_error and problem is None:
            where = _hidden_request(program.tree.root_node, data)
            if where is not None:
                line, column = place(data, where)
                problem = Skipped(file.path, SkipReason.SYNTAX, True, "", line, column)
    if calls and parsed.inline:
        found.extend(_inline_calls(file.path, data, parsed.inline))
        found.sort(key=lambda c: (c.line, c.column))
    return found, problem


# The kind of request a word in an attribute's code suggests (the receiver decides `request`).
_INLINE_KINDS = {b"fetch": CallKind.FETCH, b"axios": CallKind.AXIOS, b"invoke": CallKind.CRM_INVOKE}


def _inline_calls(path: str, data: bytes, inline: list[InlineCode]) -> Iterator[CallSite]:
    """A call site that is not analysed for each attribute whose code names a request API
    (the reader parses scripts, not attributes): never evidence that anything is unused."""
    for code in inline:
        value = data[code.start_byte : code.end_byte]
        for start, end in request_words(value):
            word = value[start:end]
            kind = _INLINE_KINDS.get(word)
            if kind is None:  # request: whose?
                kind = (
                    CallKind.DESK_REQUEST
                    if b"ZOHODESK" in value
                    else CallKind.FINANCE_REQUEST
                    if b"ZFAPPS" in value
                    else CallKind.SDK_REQUEST
                )
            line, column = place(data, code.start_byte + start)
            reason = (
                f"it is in the {code.attribute} attribute of the page, whose code the reader "
                "does not analyse"
            )
            yield not_analysed(path, line, column, kind, reason)


def _blind(data: bytes) -> bool:
    """Whether a file that is not analysed could hide a request (asked only of those)."""
    return REQUEST_MARKERS.search(data) is not None


def _minified(data: bytes) -> bool:
    if len(data) < MINIFIED_MIN_BYTES:
        return False
    lines = data.count(b"\n") + 1
    return len(data) / lines > MINIFIED_LINE_BYTES


def _too_deep(data: bytes) -> bool:
    """Whether the text nests brackets deeper than :data:`MAX_NESTING`.

    Nesting never exceeds the number of opening brackets, counted in C: a file with at most
    that many of them (nearly every file) needs no walk over its brackets in Python.
    """
    opening = data.count(b"[") + data.count(b"{") + data.count(b"(")
    return opening > MAX_NESTING and _nesting(data) > MAX_NESTING


def _nesting(data: bytes) -> int:
    """The deepest bracket nesting of the text (strings and comments included: an upper
    bound, cheap to compute).

    A closing bracket without an opening one is ignored, so the depth is a walk held at
    zero, which is the running sum of the steps minus the lowest the sum has been (when
    below zero). Computed with C iterators, in half the time of a Python loop over the
    brackets (8 against 16 ms for the benchmark's 1 MB of widget code).
    """
    brackets = data.translate(_STEPS, _NOT_BRACKETS)  # 2 for an opening bracket, 0 closing
    if not brackets:
        return 0
    sums = list(itertools.accumulate(map(operator.sub, brackets, itertools.repeat(1))))
    floors = itertools.accumulate(sums, min, initial=0)
    next(floors)
    return int(max(map(operator.sub, sums, floors)))


def _hidden_request(root: object, data: bytes) -> int | None:
    """The byte offset of the first syntax error whose text could hold a request call."""
    import tree_sitter as ts

    assert isinstance(root, ts.Node)
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            text = data[node.start_byte : node.end_byte]
            if node.is_missing or REQUEST_MARKERS.search(text):
                return int(node.start_byte)
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def files_of(pairs: Iterable[tuple[str, bytes]]) -> CodeInput:
    """A :class:`CodeInput` from (path, bytes) pairs."""
    return CodeInput(tuple(CodeFile(p, d) for p, d in pairs))
