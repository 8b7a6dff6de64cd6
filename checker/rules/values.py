"""Helpers the manifest rules share: JavaScript trimming, the name regex, safe walkers, labels."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, quote
from checker.rules.urls import redact_credentials
from checker.scopes import ascii_lower
from checker.source import join_pointer

# JavaScript's String.prototype.trim() removes these (ECMA-262 WhiteSpace and LineTerminator);
# Python's str.strip() differs (it keeps U+FEFF and removes U+001C..U+001F and U+0085).
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# ZET's name rule /^[a-zA-Z][a-zA-Z0-9-_ ]*$/i (manifest-facts, section 4); \Z because Python's
# $ would also match before a trailing newline.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_ \-]*\Z")
NAME_RULE = 'start with an ASCII letter and hold only letters, digits, spaces, "-" and "_"'
_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9_ \-]+")
_ZLABS = "zlabs_integration"
_SPACES = re.compile(r"\s+")


def quote_text(value: Any, limit: int = 80) -> str:
    """:func:`quote`, cutting long strings first so a huge value costs what a short one does."""
    if isinstance(value, str) and len(value) > limit + 1:
        value = value[: limit + 1]
    return quote(value, limit)


def quote_url(value: str) -> str:
    """A URL-like value for a message, with any password in it replaced by ``***``."""
    return quote_text(redact_credentials(value[:200]))


def js_trim(text: str) -> str:
    """``text.trim()`` as JavaScript does it."""
    return text.strip(JS_WHITESPACE)


# What JavaScript's Number() accepts after trimming (decimal with an optional sign, Infinity,
# and unsigned hex, octal and binary literals); an empty string is 0.
_JS_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Infinity)\Z"
    r"|0[xX][0-9a-fA-F]+\Z|0[oO][0-7]+\Z|0[bB][01]+\Z"
)


def is_js_number(text: str) -> bool:
    """JavaScript's ``!isNaN(text)`` for a string: whether ``Number(text)`` is a number."""
    trimmed = js_trim(text)
    return not trimmed or _JS_NUMBER.match(trimmed) is not None


def is_blank(text: str) -> bool:
    """True for a string that is empty after JavaScript trimming."""
    return not js_trim(text)


def is_valid_name(text: str) -> bool:
    """Whether a widget, config, connector or TPAOauth name passes ZET's name regex."""
    return NAME.match(text) is not None


def name_suggestion(text: str) -> str | None:
    """The name with bad characters replaced, or None when it does not start with a letter."""
    cleaned = re.sub(r" {2,}", " ", _NOT_NAME_CHAR.sub(" ", text).strip(" "))
    return cleaned if cleaned and is_valid_name(cleaned) else None


def is_zlabs(service_name: Any) -> bool:
    """Whether a serviceName means Zoho OAuth (``zlabs_integration``), whatever case or spaces."""
    if not isinstance(service_name, str):
        return False
    if len(service_name) <= _CACHE_NAME_LIMIT:
        return _is_zlabs_cached(service_name)
    return ascii_lower(_SPACES.sub("", service_name)) == _ZLABS


@functools.lru_cache(maxsize=1024)
def _is_zlabs_cached(service_name: str) -> bool:
    # serviceNames repeat across the extensions of a repository
    return ascii_lower(_SPACES.sub("", service_name)) == _ZLABS


def objects(array: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, item) for the object items of ``array``; a non-array yields nothing."""
    if isinstance(array, list):
        for index, item in enumerate(array):
            if isinstance(item, dict):
                yield f"{pointer}/{index}", item  # join_pointer for an index


def strings(array: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, item) for the string items of ``array``."""
    if isinstance(array, list):
        for index, item in enumerate(array):
            if isinstance(item, str):
                yield f"{pointer}/{index}", item  # join_pointer for an index


def member(value: Any, key: str) -> Any:
    """``value[key]`` when ``value`` is an object, else None."""
    return value.get(key) if isinstance(value, dict) else None


def widgets(ext: Extension) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every widget object under ``modules.widgets``."""
    return iter(once_per_extension(ext, "widgets", _widgets))


def _widgets(ext: Extension) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(objects(member(ext.value.get("modules"), "widgets"), "/modules/widgets"))


T = TypeVar("T")
# (extension, what) -> the value: the rules of one extension run one after another and
# several walk the same widgets, connections and options. Only the last extension's values
# are kept; it is recognised by identity (the cache holds it, so its id is not reused).
_ONCE: dict[str, tuple[Extension, Any]] = {}


def once_per_extension(ext: Extension, what: str, build: Callable[[Extension], T]) -> T:
    """``build(ext)``, computed once for the extension the rules are looking at."""
    last = _ONCE.get(what)
    if last is not None and last[0] is ext:
        found: T = last[1]
        return found
    made = build(ext)
    _ONCE[what] = (ext, made)
    return made


def widget_label(pointer: str, widget: dict[str, Any]) -> str:
    """``widget "Name"``, or the widget's position when it has no usable name."""
    return item_label("widget", pointer, widget.get("name"))


def connection_label(pointer: str, connection: dict[str, Any]) -> str:
    """``connector "name"`` (connectionName, else connectionLinkName, else position)."""
    name = connection.get("connectionName")
    if not isinstance(name, str) or is_blank(name):
        name = connection.get("connectionLinkName")
    if pointer == "/zohoAuthorisation":
        if isinstance(name, str) and not is_blank(name):
            return f"zohoAuthorisation connection {quote_text(name, 60)}"
        return "the zohoAuthorisation connection"
    if pointer.startswith("/usedConnections/"):
        return item_label("usedConnections entry", pointer, name)
    return item_label("connector", pointer, name)


def item_label(kind: str, pointer: str, name: Any) -> str:
    """``kind "name"``, or ``kind at position`` when ``name`` is not a usable string."""
    if isinstance(name, str) and not is_blank(name):
        return f"{kind} {quote_text(name, 60)}"
    return f"{kind} at {display_pointer(pointer)}"


def display_pointer(pointer: str) -> str:
    """``/modules/widgets/0/url`` as ``modules.widgets[0].url`` for messages."""
    out = ""
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if token.isdigit():
            out += f"[{token}]"
        else:
            out += f".{token}" if out else token
    return out or "the manifest"


def name_hits(
    items: Iterable[tuple[str, dict[str, Any]]],
    key: str,
    kind: str,
    *,
    case_insensitive_warning: bool = False,
) -> Iterator[Hit]:
    """Blank, badly formed and duplicate names, as ZET checks them (trimmed, case-sensitive).

    ``kind`` names one item in messages ("widget"). With ``case_insensitive_warning`` names
    equal except for letter case get a warning too.
    """
    # pointers of the first items with each name; members' pointers are made only for hits
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for pointer, item in items:
        name = item.get(key)
        if not isinstance(name, str):
            continue
        if is_blank(name):
            yield Hit(
                join_pointer(pointer, key),
                f"{kind} at {display_pointer(pointer)} has a blank {key}, which Zoho rejects; "
                f"give it a name: it must {NAME_RULE}",
            )
            continue
        if not is_valid_name(name):
            hint = name_suggestion(name)
            fix = f', e.g. "{hint}"' if hint else ""
            yield Hit(
                join_pointer(pointer, key),
                f"{_what(kind, key, name)} is not accepted by Zoho: a name must {NAME_RULE}; "
                f"rename it{fix}",
            )
            continue
        trimmed = js_trim(name)
        first = seen.get(trimmed)
        if first is not None:
            first_at = join_pointer(first, key)
            yield Hit(
                join_pointer(pointer, key),
                f"{_what(kind, key, name)} is used twice (first at {display_pointer(first_at)}); "
                "Zoho requires each "
                f"{kind} to have its own {key}; rename one of them",
                related=(first_at,),
            )
            continue
        seen[trimmed] = pointer
        lowered = trimmed.lower()
        other = folded.get(lowered)
        if other is not None and case_insensitive_warning:
            other_at = join_pointer(other, key)
            yield Hit(
                join_pointer(pointer, key),
                f"{_what(kind, key, name)} differs only in letter case from the one at "
                f"{display_pointer(other_at)}; "
                "users cannot tell them apart; rename one of them",
                related=(other_at,),
                severity=Severity.WARNING,
            )
        folded.setdefault(lowered, pointer)


def _what(kind: str, key: str, name: str) -> str:
    """``widget name "Orders"``, built only for a message (quoting costs)."""
    return f"{kind} {key} {quote_text(name, 60)}"


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_CREDENTIAL_WORDS = frozenset(
    {"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential"}
)
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "private", "auth", "client", "signing", "license", "licence", "encryption"}
)


def words(name: str) -> list[str]:
    """The lower-case words of an identifier or label (camelCase, snake_case, spaces)."""
    return [w.lower() for w in _WORD.findall(name)]


# Words that make a credential-sounding name describe something else ("token URL").
_NOT_CREDENTIAL = frozenset({"url", "uri", "endpoint", "expiry", "expires", "type", "length"})


def is_credential_name(name: str) -> bool:
    """Whether a member or option name suggests its value is a credential."""
    if len(name) <= _CACHE_NAME_LIMIT:
        return _is_credential_name_cached(name)
    return _is_credential_name(name)


# Option and member names repeat across the extensions of a repository ("apiKey", "region"):
# remember the answers for short ones.
_CACHE_NAME_LIMIT = 200


@functools.lru_cache(maxsize=4096)
def _is_credential_name_cached(name: str) -> bool:
    return _is_credential_name(name)


def _is_credential_name(name: str) -> bool:
    parts = words(name)
    if _NOT_CREDENTIAL.intersection(parts):
        return False
    joined = "".join(parts)
    if any(p.rstrip("s") in _CREDENTIAL_WORDS for p in parts) or "apikey" in joined:
        return True
    return "key" in parts and any(p in _KEY_QUALIFIERS for p in parts)
