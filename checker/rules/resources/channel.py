"""resources.json's channel integration: its logo, content types, redirect URL and sync."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Zet, is_string, quote, rule
from checker.rules.resources.common import file_exists, hit, missing, node_extname, resources_of
from checker.rules.urls import is_valid_url
from checker.source import join_pointer, json_type

# ALLOWED_EXTNS.DESK.images in ZET's constants.js; compared case-sensitively, like Node.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".svg"})
CONTENT_TYPES = ("text/html", "text/plain")


RESOURCES_CHANNEL_DOC = """
**What.** The `channel` object of `resources.json` (a Desk channel integration):
`channelLogoPath` is required, a string, an image (`.jpg .jpeg .png .gif .svg`, lower case),
starts with `/` and names a file of the extension; `contentTypes`, when given, is an array of
`"text/html"` / `"text/plain"`; `redirectUrl`, when given, is a valid URL; `sync`, when
given, is an object.

**Why.** Zoho creates the channel from these values when the extension is installed; a bad
logo path or content type makes the installation or the channel fail.

**Fix.** Correct the member the message names.

```json
{"channel": {"channelLogoPath": "/app/img/channel.png", "contentTypes": ["text/plain"]}}
```

**Zoho's toolkit** checks the same members. It crashes (and exits 0) when `channel` is
`null`, and accepts `"sync": null` and `"sync": []`; this rule rejects those too.
"""


@rule(
    "resources-channel",
    Severity.ERROR,
    summary="The channel integration in resources.json is malformed.",
    doc=RESOURCES_CHANNEL_DOC,
    zet=Zet.STRICTER,
)
def resources_channel(ext: Extension) -> Iterator[Hit]:
    """ZET's channel checks: logo path, content types, redirect URL, sync."""
    doc = resources_of(ext)
    if doc is None or "channel" not in doc:
        return
    channel = doc["channel"]
    if not isinstance(channel, dict):
        yield hit(
            "/channel",
            f'"channel" is {json_type(channel)}; expected an object with at least '
            '"channelLogoPath"',
        )
        return
    if "channelLogoPath" not in channel:
        yield missing(
            "/channel",
            '"channel"',
            "channelLogoPath",
            'add the path of the channel logo, e.g. "/app/img/channel.png"',
        )
    else:
        yield from _channel_logo(ext, channel["channelLogoPath"])
    if "contentTypes" in channel:
        types = channel["contentTypes"]
        pointer = "/channel/contentTypes"
        if not isinstance(types, list):
            yield hit(
                pointer,
                f'"contentTypes" is {json_type(types)}; expected an array of '
                '"text/html" and/or "text/plain"',
            )
        else:
            for index, item in enumerate(types):
                if item not in CONTENT_TYPES or not is_string(item):
                    yield hit(
                        join_pointer(pointer, index),
                        f"content type {quote(item)} is not supported; use "
                        '"text/html" or "text/plain"',
                    )
    if "redirectUrl" in channel:
        redirect = channel["redirectUrl"]
        if not is_valid_url(redirect):
            yield hit(
                "/channel/redirectUrl",
                f'"redirectUrl" {quote(redirect)} is not a valid URL; expected an absolute '
                "https:// URL",
            )
    if "sync" in channel and not isinstance(channel["sync"], dict):
        yield hit(
            "/channel/sync",
            f'"sync" is {json_type(channel["sync"])}; expected an object',
        )


def _channel_logo(ext: Extension, logo: Any) -> Iterator[Hit]:
    """``channelLogoPath``: a path from the extension folder to one of its images."""
    pointer = "/channel/channelLogoPath"
    if not is_string(logo):
        yield hit(
            pointer,
            f'"channelLogoPath" is {json_type(logo)}; expected a path string such as '
            '"/app/img/channel.png"',
        )
        return
    if node_extname(logo) not in IMAGE_EXTENSIONS:
        yield hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} is not an image; use a .png, .jpg, '
            ".jpeg, .gif or .svg file (lower-case extension)",
        )
    if not logo.startswith("/"):
        yield hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} must start with "/" (a path from the '
            'extension folder, e.g. "/app/img/channel.png")',
        )
    if ext.tree is not None and not file_exists(ext, logo):
        yield hit(
            pointer,
            f'"channelLogoPath" {quote(logo)} names no file of the extension; '
            "add the image or correct the path",
        )
