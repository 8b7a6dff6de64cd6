"""Markdown escaping and clipping for values from manifests: safe in text, tables and code (pure).

Every string that comes from a manifest is escaped: no @mentions (a zero-width joiner follows
each ``@``), no raw HTML (``< > &`` become entities), no links or images (brackets are
escaped), no broken tables (``|`` is escaped and line breaks become spaces), and code spans
pick a backtick fence longer than any run inside the value. :func:`clip` cuts markdown
without breaking a code span, an escape, an entity or a character.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata

MAX_VALUE_CHARS = 200
MAX_SENTENCE_CHARS = 1_000

_ZWJ = "\u200d"
# joiners that glue the characters on both sides (emoji sequences, a mention's guard)
_JOINERS = frozenset({_ZWJ, "\u200c", "\u2060"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
# ASCII punctuation that can start markdown syntax; a backslash makes each one literal.
_PUNCTUATION = re.compile(r"([\\`*_\[\]#!|~:])")
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_BACKTICKS = re.compile(r"`+")


def _joined(char: str) -> bool:
    """Whether a character belongs to the one before it (an accent, a joiner, a variation
    selector): a cut must not fall just before it."""
    return unicodedata.category(char) in ("Mn", "Me", "Mc") or char in _JOINERS


def _clip(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, ending with "…" when cut; never between a
    character and its accent or joiner (nor after a joiner)."""
    if len(text) <= limit:
        return text
    end = max(limit - 1, 0)
    while 0 < end < len(text) and (_joined(text[end]) or text[end - 1] in _JOINERS):
        end -= 1
    return text[:end] + "…"


# What a cut must not split (besides code spans and characters): an escape and the character
# it escapes, an entity, an HTML comment or tag, a link.
_ATOM = re.compile(
    r"""\\.
      | &(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);
      | <!--.*?-->
      | </?[A-Za-z][^<>\n]*>
      | \[[^\[\]\n]*\]\([^()\s]*\)""",
    re.VERBOSE | re.DOTALL,
)


def _cut_points(line: str, end: int) -> int:
    """The last place at or before ``end`` where ``line`` may be cut without splitting a code
    span (a backtick run up to the next run of the same length), an escape, an entity, a
    tag, a link, or a character from its accent or joiner."""
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(line):
        runs.setdefault(len(match.group()), []).append(match.start())
    best = 0
    position = 0
    while position < end:
        char = line[position]
        if char == "`":
            length = len(_BACKTICKS.match(line, position).group())  # type: ignore[union-attr]
            starts = runs[length]
            after = bisect.bisect_right(starts, position)
            stop = starts[after] + length if after < len(starts) else position + length
        elif atom := _ATOM.match(line, position):
            stop = atom.end()
        else:
            stop = position + 1
        while stop < len(line) and (_joined(line[stop]) or line[stop - 1] in _JOINERS):
            stop += 1
        if stop > end:
            break
        best = position = stop
    return best


def clip(text: str, max_chars: int, max_bytes: int | None = None, note: str = "") -> str:
    """Markdown ``text`` cut to fit both limits (characters and UTF-8 bytes), ending with
    ``note`` when cut (a "…" without one).

    The cut falls at the end of a line when that keeps at least half of the room, else
    inside the line where :func:`_cut_points` allows: never inside a code span, an escape,
    an entity, a tag or link, or a character sequence, so what is kept renders as it did.
    """
    max_bytes = max_chars * 4 if max_bytes is None else max_bytes
    if len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes:
        return text
    tail = note or "…"
    room_chars = max_chars - len(tail)
    room_bytes = max_bytes - len(tail.encode("utf-8"))
    if room_chars < 0 or room_bytes < 0:
        return tail[: max(max_chars, 0)] if len(tail[:max_chars].encode()) <= max_bytes else ""
    end = min(room_chars, len(text))
    encoded = text[:end].encode("utf-8")
    if len(encoded) > room_bytes:
        end = len(encoded[:room_bytes].decode("utf-8", errors="ignore"))
    line_start = text.rfind("\n", 0, end) + 1
    if line_start and line_start >= end // 2:
        return text[:line_start] + tail
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return text[: line_start + _cut_points(line, end - line_start)] + tail


def visible(text: str) -> str:
    """An identifier with control and non-ASCII characters escaped (``\\u0435``), so a
    lookalike letter or a hidden line break shows, as it does in report sentences."""
    escaped = json.dumps(text, ensure_ascii=True)[1:-1]
    return escaped.replace('\\"', '"').replace("\\\\", "\\")


def escape_text(text: str) -> str:
    """Plain text from a manifest, safe anywhere in markdown, table cells included."""
    text = _CONTROL.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@" + _ZWJ)


def code(value: str, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value as an inline code span, safe in table cells (``|`` escaped, one line)."""
    text = _clip(_CONTROL.sub(" ", value), limit)
    if not text:
        return "*(empty)*"
    if not text.strip(" "):
        return "*(spaces)*"
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    if text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    # GitHub splits table cells on | before it finds code spans, so escape it even here.
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


# After these characters a long value may wrap (a scope's dots, a URL's slashes); a run
# without any is broken every _CHUNK characters, so no value forces a table wider.
_BREAK_AFTER = re.compile(r"(?<=[./_:\-@?&=#,+~])")
_CHUNK = 16


def _pieces(text: str) -> list[str]:
    """``text`` in pieces, each ending where a line may break; none longer than _CHUNK
    characters unless a character and its accents or joiners would be split."""
    pieces: list[str] = []
    for whole in _BREAK_AFTER.split(text):
        rest = whole
        while len(rest) > _CHUNK:
            end = _CHUNK
            while 0 < end < len(rest) and (_joined(rest[end]) or rest[end - 1] in _JOINERS):
                end -= 1
            if end == 0:
                break
            pieces.append(rest[:end])
            rest = rest[end:]
        if rest:
            pieces.append(rest)
    return pieces


def wrappable(value: str, *, limit: int = MAX_VALUE_CHARS) -> str:
    """A value as inline code that may wrap: ``<code>`` with ``<wbr>`` after each dot,
    slash and the like (a code span cannot hold tags), every piece escaped like text.

    For table cells, where one long unbreakable value would make the whole table scroll
    sideways. GitHub keeps ``<code>`` and ``<wbr>`` (its sanitiser allows both).
    """
    text = _clip(_CONTROL.sub(" ", value), limit)
    if not text:
        return "*(empty)*"
    if not text.strip(" "):
        return "*(spaces)*"
    inner = "<wbr>".join(escape_text(piece) for piece in _pieces(text))
    # runs of spaces would collapse in HTML: keep each one visible
    inner = inner.replace("  ", " &#32;")
    if inner.startswith(" "):
        inner = "&#32;" + inner[1:]
    if inner.endswith(" "):
        inner = inner[:-1] + "&#32;"
    return f"<code>{inner}</code>"


def sentence(text: str, *, limit: int = MAX_SENTENCE_CHARS, wrap: bool = False) -> str:
    """A report sentence: its JSON-quoted values become code spans, the rest is escaped.

    With ``wrap`` the values become :func:`wrappable` code, for table cells.

    A sentence longer than ``limit`` characters is cut after it is split into text and
    values, so a cut inside a value shortens that value's code span ("…" inside it) and never
    leaves half a quoted value behind as plain text.
    """
    segments: list[tuple[bool, str]] = []
    position = 0
    for match in _JSON_STRING.finditer(text):
        segments.append((False, text[position : match.start()]))
        segments.append((True, match.group(1)))
        position = match.end()
    segments.append((False, text[position:]))
    parts: list[str] = []
    room = limit
    for is_value, whole in segments:
        # a value counts with its two quotes, as it stood in the sentence
        size = len(whole) + (2 if is_value else 0)
        cut = size > room
        if cut and is_value and room >= 3:
            segment = _clip(whole, room - 2)
        elif cut and not is_value and room >= 1:
            segment = _clip(whole, room)
        elif cut:
            parts.append("…")
            break
        else:
            segment = whole
        room -= size
        if is_value:
            if parts and parts[-1].endswith("`"):
                parts.append(" ")  # two spans in a row must not merge their fences
            parts.append(wrappable(segment) if wrap else code(segment))
        elif segment:
            parts.append(escape_text(segment))
        if cut:
            break
    return "".join(parts)
