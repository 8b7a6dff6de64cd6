"""Small helpers for the wording of messages and reports (pure)."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: a count with its noun."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with control and other unprintable characters written as ``\\uXXXX``.

    Manifest and policy values never reach a terminal, a log or a workflow command raw (an
    escape sequence could recolour or rewrite the screen). ``keep`` lists characters to
    leave alone, such as a tab.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else f"\\u{ord(c):04x}" for c in text)
