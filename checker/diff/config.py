"""The configuration aspects: config items (secure and userdefined flags, credentials not
marked secure), extension storage, and the extension type (personal or org).

Imports the shared modules of this package (sides, collect) and the pure core; no other
aspect.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.changes import ChangeKind, Risk, Side
from checker.diff.collect import Comparison
from checker.diff.sides import DocumentSide, quote, trim
from checker.scopes import ascii_lower
from checker.source import join_pointer

K = ChangeKind
_CREDENTIAL = re.compile(
    r"secret|token|passw|api[_ -]?key|private[_ -]?key|credential|auth", re.IGNORECASE
)
_Flags = dict[str, set[str]]


def storage(diff: Comparison) -> None:
    """Extension storage switched on or off."""
    base = diff.base.values("", diff.base.root, "storage")
    head = diff.head.values("", diff.head.root, "storage")
    if True in head and True not in base:
        diff.add(
            K.STORAGE_ENABLED,
            "storage is now on (false to true): the extension keeps data in Desk's "
            "extension storage",
            Risk.MEDIUM,
            Side.HEAD,
            "/storage",
            before="false",
            after="true",
        )
    elif True in base and True not in head and diff.head.doc is not None:
        diff.add(
            K.STORAGE_DISABLED,
            "storage is now off (true to false)",
            Risk.INFO,
            Side.HEAD if "storage" in diff.head.root else Side.BASE,
            "/storage",
            before="true",
            after="false",
        )


def _config_items(side: DocumentSide) -> dict[str, tuple[str, dict[str, Any], _Flags]]:
    """Config items by trimmed name: pointer, item, and the JSON texts of the values its
    ``secure`` and ``userdefined`` flags have (every duplicate counted)."""
    items: dict[str, tuple[str, dict[str, Any], _Flags]] = {}
    for array in side.values("", side.root, "config"):
        if not isinstance(array, list):
            continue
        for index, item in enumerate(array):
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            if not isinstance(name, str) or not trim(name):
                continue
            pointer = join_pointer("", "config", index)
            flags = {
                flag: {json.dumps(v) for v in side.values(pointer, item, flag)}
                for flag in ("secure", "userdefined")
            }
            known = items.get(trim(name))
            if known is not None:
                for flag, values in flags.items():
                    known[2][flag].update(values)
            else:
                items[trim(name)] = (pointer, item, flags)
    return items


def config(diff: Comparison) -> None:
    """Config items that stop being secure or set by the admin, or new credentials in clear."""
    base = _config_items(diff.base)
    for name, (pointer, item, flags) in _config_items(diff.head).items():
        label = " ".join(str(item.get(k, "")) for k in ("name", "displayName"))
        credential = bool(_CREDENTIAL.search(label))
        old = base.get(name)
        if old is not None:
            if "true" in old[2]["secure"] and "false" in flags["secure"]:
                diff.add(
                    K.CONFIG_SECURE_DISABLED,
                    f"config item {quote(name)} is no longer secure (secure true to false): "
                    "its value becomes readable by widget code",
                    Risk.HIGH,
                    Side.HEAD,
                    join_pointer(pointer, "secure"),
                    subject=name,
                    before="true",
                    after="false",
                )
            was_admins = "true" in old[2]["userdefined"]
            if credential and was_admins and "false" in flags["userdefined"]:
                diff.add(
                    K.CONFIG_USERDEFINED_DISABLED,
                    f"config item {quote(name)} looks like a credential and is no longer set "
                    "by the installing admin (userdefined true to false): the extension's "
                    "own value is used instead",
                    Risk.MEDIUM,
                    Side.HEAD,
                    join_pointer(pointer, "userdefined"),
                    subject=name,
                    before="true",
                    after="false",
                )
            continue
        if credential and "true" not in flags["secure"]:
            diff.add(
                K.CONFIG_CREDENTIAL_INSECURE,
                f"config item {quote(name)} looks like a credential but is not marked "
                "secure: its value would be readable by widget code",
                Risk.HIGH,
                Side.HEAD,
                pointer,
                subject=name,
            )


def extension_type(diff: Comparison) -> None:
    """The extension type switched between personal and org (an org install may share a
    connection with every user)."""

    def kinds(side: DocumentSide) -> set[str]:
        return {
            ascii_lower(trim(v)) for v in side.values("", side.root, "type") if isinstance(v, str)
        }

    base, head = kinds(diff.base), kinds(diff.head)
    if not base or not head or base == head:
        return
    if "org" in head and "org" not in base:
        shared = any("false" in c.user_access for c in diff.head_connections.values())
        diff.add(
            K.TYPE_ORG,
            "the extension type is now org (was personal): an admin installs and "
            "configures it for the whole portal"
            + ("; a connection is shared by every user" if shared else ""),
            Risk.HIGH if shared else Risk.MEDIUM,
            Side.HEAD,
            "/type",
            before=", ".join(sorted(base)),
            after="org",
        )
    elif "personal" in head and "personal" not in base:
        diff.add(
            K.TYPE_PERSONAL,
            "the extension type is now personal (was org): each user installs it",
            Risk.LOW,
            Side.HEAD,
            "/type",
            before=", ".join(sorted(base)),
            after="personal",
        )
