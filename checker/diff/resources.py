"""The resources.json aspects: webhooks (events Desk pushes out), targets (requests custom
actions send with Desk data) and extension-specific permissions.

They compare two versions of resources.json, not of the manifest. Imports the shared modules
of this package (sides, collect) and the pure core; no other aspect.
"""

from __future__ import annotations

import json
from typing import Any

from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Collector
from checker.diff.sides import DocumentSide, host, quote, trim
from checker.source import join_pointer
from checker.wording import plural

K = ChangeKind


def _read_webhooks(side: DocumentSide) -> dict[str, tuple[str, str | None, set[str]]]:
    hooks: dict[str, tuple[str, str | None, set[str]]] = {}
    for value in side.values("", side.root, "webhook"):
        items = value if isinstance(value, list) else [value]
        for index, hook in enumerate(items):
            if not isinstance(hook, dict):
                continue
            pointer = "/webhook" if not isinstance(value, list) else f"/webhook/{index}"
            name = hook.get("name") or hook.get("resourceName") or f"#{index}"
            url = hook.get("url")
            events: set[str] = set()
            for subscriptions in side.values(pointer, hook, "subscriptions"):
                if isinstance(subscriptions, dict):
                    events.update(str(k) for k in subscriptions)
                elif isinstance(subscriptions, list):
                    events.update(str(e) for e in subscriptions if isinstance(e, str))
            hooks.setdefault(str(name), (pointer, url if isinstance(url, str) else None, events))
    return hooks


def webhooks(diff: Collector) -> None:
    """Webhooks by name: new ones, ones posting to another host or receiving more events,
    removed ones."""
    old = _read_webhooks(diff.base)
    new = _read_webhooks(diff.head)
    for name, (pointer, url, events) in new.items():
        known = old.get(name)
        target = quote(url or "")
        if known is None:
            diff.gained(
                K.WEBHOOK_ADDED,
                f"resources.json has a new webhook {quote(name)}: Desk will push "
                f"{plural(len(events), 'event type')} to {target}",
                Risk.HIGH,
                pointer,
                url,
            )
            continue
        new_events = sorted(events - known[2])
        if url is not None and host(url) != host(known[1]):
            diff.add(
                K.WEBHOOK_ADDED,
                f"webhook {quote(name)} in resources.json now posts to {target} instead of "
                f"{quote(known[1] or '')}",
                Risk.HIGH,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=url,
                before=known[1],
                after=url,
            )
        if new_events:
            shown = ", ".join(quote(e) for e in new_events[:5])
            diff.add(
                K.WEBHOOK_ADDED,
                f"webhook {quote(name)} in resources.json now also receives {shown}"
                + (f" and {len(new_events) - 5} more" if len(new_events) > 5 else ""),
                Risk.HIGH,
                Side.HEAD,
                join_pointer(pointer, "subscriptions"),
                subject=url,
            )
    for name, (pointer, _url, _events) in old.items():
        if name not in new:
            diff.add(
                K.WEBHOOK_REMOVED,
                f"webhook {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
            )


def _named_items(
    side: DocumentSide, key: str, *names: str
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The objects of array ``key`` of resources.json by their first non-blank name member
    (or ``#index``), with pointers; on the head side duplicated arrays all count."""
    items: dict[str, tuple[str, dict[str, Any]]] = {}
    for value in side.values("", side.root, key):
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            label = next(
                (trim(v) for n in names if isinstance(v := item.get(n), str) and trim(v)),
                f"#{index}",
            )
            items.setdefault(label, (join_pointer("", key, index), item))
    return items


def _url_of(item: dict[str, Any]) -> str | None:
    url = item.get("url")
    return url if isinstance(url, str) else None


def targets(diff: Collector) -> None:
    """Targets (the outbound requests custom actions make, with Desk data): new ones, and
    ones moved to another host; high when the host is new to resources.json."""
    old = _named_items(diff.base, "targets", "targetName", "resourceName")
    new = _named_items(diff.head, "targets", "targetName", "resourceName")
    known_hosts = {host(_url_of(item)) for _, item in old.values()}
    known_hosts |= {host(url) for _, url, _ in _read_webhooks(diff.base).values()}
    known_hosts.discard(None)
    for name, (pointer, item) in new.items():
        url = _url_of(item)
        at = host(url)
        risk = Risk.MEDIUM if at in known_hosts else Risk.HIGH
        before = old.get(name)
        if before is None:
            diff.gained(
                K.TARGET_ADDED,
                f"resources.json has a new target {quote(name)}: custom actions can send "
                f"Desk data to {quote(url or '')}"
                + ("" if at in known_hosts else ", a host resources.json did not use before"),
                risk,
                pointer,
                url,
            )
        elif url is not None and at != host(_url_of(before[1])):
            old_url = _url_of(before[1]) or ""
            diff.add(
                K.TARGET_ADDED,
                f"target {quote(name)} in resources.json now sends to {quote(url)} instead of "
                f"{quote(old_url)}",
                risk,
                Side.HEAD,
                join_pointer(pointer, "url"),
                subject=url,
                before=old_url,
                after=url,
            )
    for name, (pointer, item) in old.items():
        if name not in new:
            diff.add(
                K.TARGET_REMOVED,
                f"target {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
                before=_url_of(item),
            )


def permissions(diff: Collector) -> None:
    """Extension-specific permissions: new ones, and ones now granted by default."""
    old = _named_items(diff.base, "permissions", "apiName")
    new = _named_items(diff.head, "permissions", "apiName")
    for name, (pointer, item) in new.items():
        on = item.get("defaultState") is True
        before = old.get(name)
        if before is None:
            diff.gained(
                K.PERMISSION_ADDED,
                f"resources.json declares a new permission {quote(name)}"
                + (" that is granted by default (defaultState true)" if on else ""),
                Risk.MEDIUM,
                pointer,
                name,
            )
        elif on and before[1].get("defaultState") is not True:
            diff.add(
                K.PERMISSION_DEFAULT_ON,
                f"permission {quote(name)} in resources.json is now granted by default "
                "(defaultState false to true)",
                Risk.MEDIUM,
                Side.HEAD,
                join_pointer(pointer, "defaultState"),
                subject=name,
                before=json.dumps(before[1].get("defaultState")),
                after="true",
            )
    for name, (pointer, _item) in old.items():
        if name not in new:
            diff.add(
                K.PERMISSION_REMOVED,
                f"permission {quote(name)} was removed from resources.json",
                Risk.INFO,
                Side.BASE,
                pointer,
                before=name,
            )
