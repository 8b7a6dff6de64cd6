"""The widgets aspect: widgets added (invisible ones, help-centre ones), removed, or loading
their code from outside the reviewed package (``url``, ``other_dc_urls``).

Imports the shared modules of this package (sides, collect) and the pure core; no other
aspect.
"""

from __future__ import annotations

from typing import Any

from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Comparison
from checker.diff.sides import DocumentSide, host, quote, trim
from checker.scopes import ascii_lower
from checker.source import join_pointer

K = ChangeKind
# Widget locations whose code runs unseen on every page (reference table (d), row 24).
INVISIBLE_LOCATIONS = frozenset({"desk.background", "desk.invisible", "helpcenter.invisible"})


def _widgets_of(side: DocumentSide) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for modules in side.values("", side.root, "modules"):
        for array in side.values("/modules", modules, "widgets"):
            if not isinstance(array, list):
                continue
            for index, widget in enumerate(array):
                if not isinstance(widget, dict):
                    continue
                location = widget.get("location")
                where = trim(location) if isinstance(location, str) else ""
                pointer = join_pointer("", "modules", "widgets", index)
                found.setdefault(where, []).append((pointer, widget))
    return found


def widgets(diff: Comparison) -> None:
    """Widgets by location, matched in order: added (by where they run), removed, or
    loading code from elsewhere."""
    base = _widgets_of(diff.base)
    head = _widgets_of(diff.head)
    for location, widgets in head.items():
        olds = base.get(location, [])
        for number, (pointer, widget) in enumerate(widgets):
            if number < len(olds):
                _widget_url(diff, location, olds[number][1], pointer, widget)
            else:
                _widget_added(diff, location, pointer, widget)
    for location, widgets in base.items():
        news = head.get(location, [])
        for number, (pointer, widget) in enumerate(widgets):
            if number >= len(news):
                name = widget.get("name")
                diff.dropped(
                    K.WIDGET_REMOVED,
                    f"the widget at {quote(location or '(no location)')} was removed"
                    + (f" ({quote(name)})" if isinstance(name, str) else ""),
                    Risk.INFO,
                    pointer,
                    location,
                )


def _widget_added(diff: Comparison, location: str, pointer: str, widget: dict[str, Any]) -> None:
    shown = quote(location or "(no location)")
    lowered = ascii_lower(location)
    if lowered in INVISIBLE_LOCATIONS:
        kind, risk = K.WIDGET_INVISIBLE_ADDED, Risk.MEDIUM
        detail = f"a new widget at {shown} runs unseen on every page"
    elif lowered.startswith("helpcenter."):
        kind, risk = K.WIDGET_HELPCENTER_ADDED, Risk.MEDIUM
        detail = f"a new widget at {shown} runs in the public help centre, seen by customers"
    else:
        kind, risk = K.WIDGET_ADDED, Risk.INFO
        detail = f"a new widget at {shown}"
    diff.gained(kind, detail, risk, pointer, location)
    url = widget.get("url")
    if host(url) is not None:
        diff.gained(
            K.WIDGET_REMOTE_CODE,
            f"the new widget at {shown} loads its code from {quote(url)}, outside the "
            "reviewed package",
            Risk.HIGH,
            join_pointer(pointer, "url"),
            url if isinstance(url, str) else None,
        )
    _other_dc_urls(diff, location, pointer, widget, {})


def _widget_url(
    diff: Comparison, location: str, old: dict[str, Any], pointer: str, widget: dict[str, Any]
) -> None:
    before, after = old.get("url"), widget.get("url")
    shown = quote(location or "(no location)")
    if isinstance(after, str) and before != after:
        was = before if isinstance(before, str) else None
        new_host = host(after)
        if new_host is not None and new_host != host(before):
            kind, risk = K.WIDGET_REMOTE_CODE, Risk.HIGH
            detail = (
                f"the widget at {shown} now loads its code from {quote(after)} instead of "
                f"{quote(was or '')}, outside the reviewed package"
            )
        else:
            kind, risk = K.WIDGET_URL_CHANGED, Risk.INFO
            detail = f"the widget at {shown} now loads {quote(after)} instead of {quote(was or '')}"
        diff.add(
            kind,
            detail,
            risk,
            Side.HEAD,
            join_pointer(pointer, "url"),
            subject=after,
            before=was,
            after=after,
        )
    _other_dc_urls(diff, location, pointer, widget, old)


def _other_dc_urls(
    diff: Comparison, location: str, pointer: str, widget: dict[str, Any], old: dict[str, Any]
) -> None:
    def hosts(value: Any) -> dict[str, str]:
        found: dict[str, str] = {}
        if isinstance(value, dict):
            for key, url in value.items():
                name = host(url)
                if name is not None:
                    found.setdefault(name, key)
        return found

    known = hosts(old.get("other_dc_urls"))
    for name, key in hosts(widget.get("other_dc_urls")).items():
        if name not in known:
            diff.gained(
                K.WIDGET_REMOTE_CODE,
                f"the widget at {quote(location or '(no location)')} loads code from "
                f"{quote(name)} in data centre {quote(key)}, outside the reviewed package",
                Risk.HIGH,
                join_pointer(pointer, "other_dc_urls", key),
                name,
            )
