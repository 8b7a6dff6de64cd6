"""What the resources.json rules share: the file's object, members, entries, JS lengths."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

from checker.extension import RESOURCES_NAME, Extension
from checker.rules.base import Hit, did_you_mean, is_string, quote
from checker.rules.urls import is_valid_url, parse_url
from checker.source import join_pointer, json_type

FILE = RESOURCES_NAME


def resources_of(ext: Extension) -> dict[str, Any] | None:
    """resources.json's top-level object, when the file was read and is one."""
    if ext.resources is None or not isinstance(ext.resources.value, dict):
        return None
    return ext.resources.value


def hit(pointer: str, message: str, *, key: bool = False, **kwargs: Any) -> Hit:
    return Hit(pointer, message, key=key, file=FILE, **kwargs)


def js_length(text: str) -> int:
    """JavaScript's ``String.length``: UTF-16 code units, as ZET measures names."""
    return len(text.encode("utf-16-le")) // 2


def node_extname(path: str) -> str:
    """Node's ``path.extname``: from the last dot of the last segment; "" for dot-files."""
    base = path.rstrip("/").rsplit("/", 1)[-1]
    if base == "..":
        return ""
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def is_blank(value: Any) -> bool:
    return not is_string(value) or not value.strip()


def file_exists(ext: Extension, reference: str) -> bool:
    """Whether a manifest path such as ``/app/img/logo.png`` names a file in the folder."""
    assert ext.tree is not None
    relative = posixpath.normpath("/" + reference).lstrip("/")
    return ext.tree.exists(relative) or ext.tree.has_dir(relative)


def https_problem(value: Any, what: str) -> str | None:
    """Why ``value`` is not a valid absolute HTTPS URL, or None when it is one."""
    if not is_string(value):
        return f"{what} is {json_type(value)}; expected an absolute https:// URL"
    if not value.strip():
        return f"{what} is empty; expected an absolute https:// URL"
    url = parse_url(value)
    if url is None or not is_valid_url(value):
        return f"{what} {quote(value)} is not a valid URL; expected an absolute https:// URL"
    if url.scheme != "https":
        return (
            f"{what} {quote(value)} uses {url.scheme}://; Desk sends ticket data and "
            "security contexts there, so it must be encrypted: use https://"
        )
    return None


def hint(value: Any, choices: tuple[str, ...]) -> str:
    """``did you mean "X"? `` when a string value is close to one of ``choices``, else ""."""
    guess = did_you_mean(value, choices) if is_string(value) else None
    return f'did you mean "{guess}"? ' if guess else ""


def missing(pointer: str, label: str, member: str, fix: str = "add one") -> Hit:
    """``member`` is missing from the object at ``pointer``, which messages call ``label``."""
    return hit(join_pointer(pointer, member), f'{label} has no "{member}"; {fix}')


def text_member(
    pointer: str,
    item: dict[str, Any],
    member: str,
    label: str,
    *,
    fix: str = "add one",
    max_length: int | None = None,
) -> Iterator[Hit]:
    """A required non-blank string (of at most ``max_length`` UTF-16 units, as ZET counts)."""
    if member not in item:
        yield missing(pointer, label, member, fix)
        return
    value = item[member]
    if is_blank(value):
        yield hit(
            join_pointer(pointer, member),
            f'"{member}" of {label} is {quote(value)}; expected a non-empty string',
        )
    elif max_length is not None and js_length(value) > max_length:
        yield hit(
            join_pointer(pointer, member),
            f'"{member}" of {label} is {js_length(value)} characters long; Zoho allows at most '
            f"{max_length}: shorten it",
        )


def choice_member(
    pointer: str,
    item: dict[str, Any],
    member: str,
    label: str,
    *,
    choices: tuple[str, ...],
    problem: str,
    fix: str = "add one",
) -> Iterator[Hit]:
    """A required member that is one of ``choices``; ``problem`` says what else it is."""
    if member not in item:
        yield missing(pointer, label, member, fix)
        return
    value = item[member]
    if is_string(value) and value in choices:
        return
    yield hit(
        join_pointer(pointer, member),
        f'"{member}" {quote(value)} of {label} {problem}; {hint(value, choices)}expected '
        f"one of {', '.join(choices)}",
    )


def url_member(pointer: str, item: dict[str, Any], label: str, what: str) -> Iterator[Hit]:
    """A required ``url`` that is an absolute HTTPS URL; ``what`` names it in messages."""
    if "url" not in item:
        yield missing(pointer, label, "url", "add the https:// endpoint")
    elif problem := https_problem(item["url"], what):
        yield hit(join_pointer(pointer, "url"), problem)


# Checks one object entry of an array: (its pointer, its label such as "target #2", the entry).
EntryCheck = Callable[[str, str, dict[str, Any]], Iterator[Hit]]


def entries(
    owner: dict[str, Any],
    pointer: str,
    member: str,
    kind: str,
    *,
    needs: str = "",
    maximum: int | None = None,
    of: str = "",
    check: EntryCheck | None = None,
) -> Iterator[Hit]:
    """``owner[member]``, when present, is an array of objects, each handed to ``check``.

    ``kind`` names one entry ("custom action #2"), ``needs`` the members an entry that is no
    object should have, ``of`` the resource the array belongs to (" of custom action #1"). With a
    ``maximum``, the array holds 1 to ``maximum`` entries.
    """
    if member not in owner:
        return
    items = owner[member]
    pointer = join_pointer(pointer, member)
    name = f'"{member}"{of}'
    if not isinstance(items, list):
        noun = kind.replace(" ", "-")
        yield hit(pointer, f"{name} is {json_type(items)}; expected an array of {noun} objects")
        return
    if maximum is not None and not items:
        yield hit(pointer, f"{name} is empty; add at least one {kind} or remove the member")
    elif maximum is not None and len(items) > maximum:
        yield hit(
            pointer,
            f"{name} has {len(items)} entries; Zoho allows at most {maximum}: remove some",
        )
    expected = f"an object with {needs}" if needs else "an object"
    for index, item in enumerate(items):
        entry = join_pointer(pointer, index)
        label = f"{kind} #{index + 1}{of}"
        if not isinstance(item, dict):
            yield hit(entry, f"{label} is {json_type(item)}; expected {expected}")
        elif check is not None:
            yield from check(entry, label, item)
