"""The OAuth client aspects: deskOauth (Desk tokens for the extension's own server), TPAOauth
clients (third-party OAuth flows Desk runs), and secrets stored in the manifest.

Imports the shared modules of this package (sides, declared, collect, scopes) and the pure
core; no other aspect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Comparison
from checker.diff.declared import unique
from checker.diff.scopes import compare_scopes, row
from checker.diff.sides import DocumentSide, host, quote, trim
from checker.grants import GrantScope, split_scopes
from checker.source import join_pointer
from checker.wording import plural

K = ChangeKind
_Secrets = list[tuple[Any, str]]


def desk_oauth(diff: Comparison) -> None:
    """deskOauth added or removed, its scope changes, table row and client secret."""
    in_base, base_scopes, base_secrets = _desk_oauth(diff.base)
    in_head, head_scopes, head_secrets = _desk_oauth(diff.head)
    if in_head and not in_base:
        diff.add(
            K.DESK_OAUTH_ADDED,
            "deskOauth is new: the extension's own server can now obtain Desk OAuth "
            f"tokens ({plural(len(head_scopes), 'scope')})",
            Risk.HIGH,
            Side.HEAD,
            "/deskOauth",
            connection="deskOauth",
            subject="deskOauth",
        )
    elif in_base and not in_head:
        diff.add(
            K.DESK_OAUTH_REMOVED,
            "deskOauth was removed",
            Risk.INFO,
            Side.BASE,
            "/deskOauth",
            connection="deskOauth",
        )
    if not in_base and not in_head:
        return
    compare_scopes(
        diff, "deskOauth", "deskOauth", base_scopes, head_scopes, zoho=True, service=None
    )
    diff.rows.append(
        row(
            "deskOauth",
            "deskOauth",
            base_scopes,
            head_scopes,
            zoho=True,
            in_base=in_base,
            in_head=in_head,
        )
    )
    _secrets(diff, base_secrets, head_secrets, "the deskOauth client secret")


def _desk_oauth(side: DocumentSide) -> tuple[bool, list[GrantScope], _Secrets]:
    """Whether a side has deskOauth, its distinct scopes, and its client secrets."""
    values = [v for v in side.values("", side.root, "deskOauth") if v]
    scopes = [
        GrantScope(raw, pointer)
        for value in values
        for raw, pointer in side.strings("/deskOauth", value, "scopes")
    ]
    secrets = [
        (secret, "/deskOauth/clientSecret")
        for value in values
        for secret in side.values("/deskOauth", value, "clientSecret")
    ]
    return bool(values), unique(scopes), secrets


def tpa_oauth(diff: Comparison) -> None:
    """TPAOauth clients by name: added, removed, or moved to other hosts; scopes and secrets."""
    base = _tpa_entries(diff.base)
    head = _tpa_entries(diff.head)
    for name, (pointer, item) in head.items():
        label = f"TPAOauth {name}"
        scopes = unique(list(_tpa_scopes(diff.head, pointer, item)))
        if name not in base:
            hosts = [h for h in (host(item.get(k)) for k in ("authoriseUrl", "tokenUrl")) if h]
            shown = ", ".join(quote(h) for h in dict.fromkeys(hosts)) or "no valid host"
            diff.add(
                K.TPA_OAUTH_ADDED,
                f"TPAOauth client {quote(name)} is new: Desk will run a third-party OAuth "
                f"flow for the extension against {shown}",
                Risk.HIGH,
                Side.HEAD,
                pointer,
                connection=label,
                subject=hosts[0] if hosts else None,
            )
            compare_scopes(diff, label, label, [], scopes, zoho=False, service=None)
            diff.rows.append(row(label, "TPAOauth", [], scopes, zoho=False, in_base=False))
            continue
        old_pointer, old_item = base[name]
        for member in ("authoriseUrl", "tokenUrl"):
            before, after = host(old_item.get(member)), host(item.get(member))
            if after is not None and before != after:
                diff.add(
                    K.OAUTH_URL_HOST_CHANGED,
                    f"TPAOauth client {quote(name)} now sends its {member} requests to "
                    f"{quote(after)} instead of {quote(before or 'nothing')}",
                    Risk.HIGH,
                    Side.HEAD,
                    join_pointer(pointer, member),
                    connection=label,
                    subject=item.get(member),
                    before=before,
                    after=after,
                )
        old_scopes = unique(list(_tpa_scopes(diff.base, old_pointer, old_item)))
        compare_scopes(diff, label, label, old_scopes, scopes, zoho=False, service=None)
        diff.rows.append(row(label, "TPAOauth", old_scopes, scopes, zoho=False))
        _secrets(
            diff,
            [(old_item.get("clientSecret"), join_pointer(old_pointer, "clientSecret"))],
            [(item.get("clientSecret"), join_pointer(pointer, "clientSecret"))],
            f"the client secret of TPAOauth client {quote(name)}",
        )
    for name, (pointer, _item) in base.items():
        if name not in head:
            diff.add(
                K.TPA_OAUTH_REMOVED,
                f"TPAOauth client {quote(name)} was removed",
                Risk.INFO,
                Side.BASE,
                pointer,
                connection=f"TPAOauth {name}",
            )


def _tpa_entries(side: DocumentSide) -> dict[str, tuple[str, dict[str, Any]]]:
    """TPAOauth clients by trimmed name (or ``#index``), first of each, with pointers."""
    entries: dict[str, tuple[str, dict[str, Any]]] = {}
    for array in side.values("", side.root, "TPAOauth"):
        if not isinstance(array, list):
            continue
        for index, item in enumerate(array):
            if not isinstance(item, dict) or not item:
                continue
            name = item.get("name")
            label = trim(name) if isinstance(name, str) and trim(name) else f"#{index}"
            entries.setdefault(label, (join_pointer("", "TPAOauth", index), item))
    return entries


def _tpa_scopes(side: DocumentSide, pointer: str, item: dict[str, Any]) -> Iterator[GrantScope]:
    """A client's scopes: ``scope``, ``scopes`` and ``params.scope``, split on commas and spaces."""
    for member in ("scope", "scopes"):
        for value in side.values(pointer, item, member):
            yield from split_scopes(value, join_pointer(pointer, member), split_spaces=True)
    params = item.get("params")
    if isinstance(params, dict):
        at = join_pointer(pointer, "params")
        for value in side.values(at, params, "scope"):
            yield from split_scopes(value, join_pointer(at, "scope"), split_spaces=True)


def secret(diff: Comparison) -> None:
    """The callback secret (top-level ``secret``) appearing or changing."""
    _secrets(
        diff,
        [(v, "/secret") for v in diff.base.values("", diff.base.root, "secret")],
        [(v, "/secret") for v in diff.head.values("", diff.head.root, "secret")],
        "the callback secret",
    )


def _secrets(diff: Comparison, base: _Secrets, head: _Secrets, what: str) -> None:
    """A secret appearing or changing in the repository; values are never printed.

    ``base`` and ``head`` hold (value, pointer) pairs; only strings count.
    """
    old = {v for v, _ in base if isinstance(v, str) and v}
    new = [(v, p) for v, p in head if isinstance(v, str) and v]
    if not new or {v for v, _ in new} <= old:
        return
    detail = f"{what} changed" if old else f"{what} is now stored in the manifest"
    diff.add(
        K.SECRET_CHANGED,
        f"{detail} (plain text in the repository; the value is not shown)",
        Risk.MEDIUM,
        Side.HEAD,
        new[0][1],
    )
