"""What each scope change means, from the scope catalogue, filled in when the report is built."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from checker.catalog.scopes import lookup
from checker.changes import Change, ChangeKind

# The changes whose subject is one scope as written in a manifest.
SCOPE_KINDS = frozenset(
    {
        ChangeKind.SCOPE_ADDED,
        ChangeKind.SCOPE_BROADENED,
        ChangeKind.SCOPE_ADDED_COVERED,
        ChangeKind.SCOPE_NARROWED,
        ChangeKind.SCOPE_REMOVED,
        ChangeKind.SCOPE_RECASED,
    }
)


def explain(change: Change) -> Change:
    """The change with its scope's meaning, docs and tier; unchanged when it is not about a
    scope or the catalogue does not know the scope on the change's connection (the three then
    stay None): a third-party entry explains a scope only on a connection of its provider,
    judged by the change's ``service`` (so ``repo`` on a Bitbucket connection is not GitHub's)."""
    if change.kind not in SCOPE_KINDS or change.subject is None:
        return change
    entry = lookup(change.subject, service=change.service)
    if entry is None:
        return replace(change, meaning=None, docs=None, tier=None)
    return replace(change, meaning=entry.meaning, docs=entry.docs, tier=entry.tier)


def explain_all(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Every change explained, in the same order."""
    return tuple(explain(change) for change in changes)


def usage(change: Change) -> str | None:
    """Whether the extension's code needs the change's scope or uses its connection, in
    words: the answer, or why there is none when the code was read; None when it was not
    (``--no-code``) and for other changes."""
    if change.used_by_code is None:
        if change.usage_note:
            return f"not analysed against the code: {change.usage_note}"
        return None
    if change.used_by_code:
        return "used by the code"
    if change.kind in SCOPE_KINDS:
        return "no call in the code needs this scope"
    if change.connection is not None:
        return "no call in the code uses this connection"
    return "nothing in the code uses this"


def explanation(change: Change) -> list[str]:
    """Plain sentences on what the change's scope means (tier, docs) and whether the code
    needs it, for the text output and annotations; none when neither is known."""
    lines = []
    if change.meaning is not None:
        about = [f"{change.tier.value} tier"] if change.tier is not None else []
        about += [change.docs] if change.docs else []
        tail = f" ({'; '.join(about)})" if about else ""
        lines.append(f"It lets the extension {change.meaning}{tail}.")
    words = usage(change)
    if words is not None:
        lines.append(words[0].upper() + words[1:] + ".")
    return lines
