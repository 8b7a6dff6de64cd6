"""Links from a report to the lines it names, at the pull request's commits (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from checker.changes import Side
from checker.findings import Location

_SERVER = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?\Z")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")
_SHA = re.compile(r"(?:[0-9a-f]{40}|[0-9a-f]{64})\Z")


@dataclass(frozen=True, slots=True)
class LinkContext:
    """Where the reviewed files live on GitHub: ``{server}/{repository}/blob/{sha}/{path}``.

    ``root`` is the folder, relative to the repository, that report paths are relative to
    (the Action's working directory). ``base_sha`` links the lines of removed grants, which
    exist only in the base; without it they stay plain text. A part that is not what GitHub
    sets (a server URL, ``owner/name``, a full commit id) gives no links at all, since every
    part goes into a markdown link.
    """

    server: str
    repository: str
    head_sha: str
    root: str = ""
    base_sha: str | None = None

    @property
    def valid(self) -> bool:
        """Whether every part can go into a link."""
        return bool(
            _SERVER.match(self.server.rstrip("/"))
            and _REPOSITORY.match(self.repository)
            and ".." not in self.repository
            and _SHA.match(self.head_sha)
            and (self.base_sha is None or _SHA.match(self.base_sha))
        )

    def url(self, location: Location, side: Side = Side.HEAD) -> str | None:
        """The address of ``location``'s line at the head (or base) commit; None when it
        has no line, or there is no commit for its side."""
        span = location.span
        sha = self.head_sha if side is Side.HEAD else self.base_sha
        if span is None or sha is None or not self.valid:
            return None
        root = self.root.strip("/")
        path = location.file if root in ("", ".") else f"{root}/{location.file}"
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if not parts or ".." in parts:
            return None
        encoded = "/".join(quote(part, safe="") for part in parts)
        server = self.server.rstrip("/")
        return f"{server}/{self.repository}/blob/{sha}/{encoded}#L{span.line}"
