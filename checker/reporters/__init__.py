"""Pure renderers: a Report in, text or a payload out; only the edges write."""

from __future__ import annotations

from collections.abc import Callable

from checker.report import Report
from checker.reporters import json_v1, markdown, text

Renderer = Callable[[Report], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_v1.render,
    "markdown": markdown.render,
}
