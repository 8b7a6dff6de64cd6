"""Small helpers for the wording of messages and reports (pure)."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: a count with its noun."""
    return f"{count} {word}{'' if count == 1 else 's'}"
