"""GitHub's tarball of a commit, read as a stream in memory: nothing is ever extracted.

The base side of a shallow clone would otherwise cost one contents-API request per file. A
repository's archive is one download, but it is also input the action does not control, so it
is read defensively: members are matched by name only (a name with ``..`` or a leading ``/``
is skipped, never resolved), links are recorded as links and never followed, only the files
``keep`` asks for are held in memory (each at most ``max_file`` bytes), and the download, the
data streamed through, the header records and the member count are all bounded. Whatever
the archive says is checked against the commit's tree by the caller (git blob hashes), so a
member that differs from the commit is never used.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

BLOCK = 512
_CHUNK = 64 * 1024


class ArchiveError(Exception):
    """The archive is broken, hostile or too large to read: the caller reads file by file."""


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Bounds on reading one archive (a size bomb or an endless stream stops here)."""

    max_compressed: int = 1 << 30  # bytes downloaded
    max_uncompressed: int = 4 << 30  # bytes streamed through, file data and headers
    max_members: int = 1_000_000
    max_record: int = 1 << 20  # one pax or long-name header
    max_kept: int = 256 << 20  # bytes held in memory in all


@dataclass(frozen=True, slots=True)
class Member:
    """One archive member that ``keep`` asked for: a file with its bytes (None when it was
    larger than ``max_file``), or a link (symbolic or hard) with its target, or another kind
    (a folder, a device) with neither."""

    kind: str  # "file", "symlink", "hardlink" or "other"
    size: int
    data: bytes | None = None
    target: str = ""


def blob_id(data: bytes, length: int = 40) -> str:
    """The git object id of a blob holding ``data`` (SHA-1, or SHA-256 for 64 hex digits)."""
    header = b"blob %d\0" % len(data)
    digest = hashlib.sha256 if length == 64 else hashlib.sha1
    return digest(header + data).hexdigest()


class _Inflater:
    """Decompresses a gzip stream on demand, counting what goes in and what comes out."""

    def __init__(self, stream: IO[bytes], limits: ArchiveLimits) -> None:
        self._stream = stream
        self._limits = limits
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""  # compressed bytes not yet given to the decompressor
        self._buffer = bytearray()
        self.read_in = 0
        self.put_out = 0

    def _fill(self, wanted: int) -> None:
        while len(self._buffer) < wanted:
            if not self._pending:
                chunk = self._stream.read(_CHUNK)
                if not chunk:
                    return
                self.read_in += len(chunk)
                if self.read_in > self._limits.max_compressed:
                    raise ArchiveError(
                        f"the archive is larger than {self._limits.max_compressed:,} bytes"
                    )
                if self._inflate.eof:  # another gzip member follows the first
                    self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._pending = chunk
            try:
                out = self._inflate.decompress(self._pending, _CHUNK)
            except zlib.error as error:
                raise ArchiveError(f"the archive is not valid gzip data ({error})") from None
            self._pending = self._inflate.unconsumed_tail
            if self._inflate.eof and self._inflate.unused_data:
                self._pending = self._inflate.unused_data
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self.put_out += len(out)
            if self.put_out > self._limits.max_uncompressed:
                raise ArchiveError(
                    f"the archive unpacks to more than {self._limits.max_uncompressed:,} bytes"
                )
            self._buffer += out

    def read(self, size: int) -> bytes:
        """Exactly ``size`` bytes, or :class:`ArchiveError` when the stream ends first."""
        self._fill(size)
        if len(self._buffer) < size:
            raise ArchiveError("the archive ends in the middle of a member")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def skip(self, size: int) -> None:
        """Drop ``size`` bytes, a chunk at a time (a large member is never held)."""
        while size > 0:
            step = min(size, _CHUNK)
            self.read(step)
            size -= step


def _number(field: bytes, what: str) -> int:
    """A header number: octal digits, or GNU's base-256 form (high bit set)."""
    if field and field[0] & 0x80:
        value = int.from_bytes(bytes([field[0] & 0x7F]) + field[1:], "big")
    else:
        text = field.replace(b"\0", b" ").strip()
        try:
            value = int(text, 8) if text else 0
        except ValueError:
            raise ArchiveError(f"the archive has a bad {what} field {text[:20]!r}") from None
    return value


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", errors="surrogateescape")


def _records(data: bytes) -> dict[str, str]:
    """The ``length key=value\\n`` records of a pax extended header."""
    found: dict[str, str] = {}
    position = 0
    while position < len(data):
        space = data.find(b" ", position)
        if space < 0:
            break
        try:
            length = int(data[position:space])
        except ValueError:
            raise ArchiveError("the archive has a malformed pax header") from None
        if length <= 0 or position + length > len(data):
            raise ArchiveError("the archive has a malformed pax header")
        record = data[space + 1 : position + length].rstrip(b"\n")
        key, _, value = record.partition(b"=")
        found[key.decode("utf-8", errors="replace")] = value.decode(
            "utf-8", errors="surrogateescape"
        )
        position += length
    return found


def _relative(name: str) -> str | None:
    """A member's path inside the commit: GitHub puts every file below one top folder
    (``owner-repo-sha/``). None for the top folder itself and for unsafe names."""
    first, sep, rest = name.partition("/")
    rest = rest.rstrip("/")
    if not first or not sep or not rest:
        return None
    parts = rest.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in rest or "\0" in rest:
        return None
    return rest


_KINDS = {b"0": "file", b"\0": "file", b"7": "file", b"2": "symlink", b"1": "hardlink"}


def read_tar_gz(
    stream: IO[bytes],
    *,
    keep: Callable[[str], bool],
    max_file: int,
    limits: ArchiveLimits | None = None,
) -> dict[str, Member | None]:
    """The members of a ``.tar.gz`` stream that ``keep`` wants, and every link, by path
    inside the commit.

    A path that occurs twice maps to None (ambiguous: neither is used). Everything else is
    read past without being kept. Raises :class:`ArchiveError` for an archive that is broken
    or passes a limit.
    """
    limits = limits or ArchiveLimits()
    source = _Inflater(stream, limits)
    found: dict[str, Member | None] = {}
    kept = 0
    members = 0
    pending: dict[str, str] = {}  # from a pax or GNU long-name header, for the next member
    while True:
        header = source.read(BLOCK)
        if header == bytes(BLOCK):
            break  # the end-of-archive marker (a second zero block may follow)
        expected = _number(header[148:156], "checksum")
        if sum(header[:148]) + 8 * 32 + sum(header[156:]) != expected:
            raise ArchiveError("the archive has a header with a wrong checksum")
        members += 1
        if members > limits.max_members:
            raise ArchiveError(f"the archive has more than {limits.max_members:,} members")
        size = _number(header[124:136], "size")
        flag = header[156:157]
        padded = -(-size // BLOCK) * BLOCK
        if flag in (b"x", b"g", b"L", b"K"):
            if size > limits.max_record:
                raise ArchiveError(f"the archive has a header record of {size:,} bytes")
            data = source.read(padded)[:size]
            if flag == b"x":
                pending.update(_records(data))
            elif flag == b"L":
                pending["path"] = _text(data)
            elif flag == b"K":
                pending["linkpath"] = _text(data)
            continue  # a global header (g) says nothing about one member
        name = _text(header[0:100])
        if header[257:262] == b"ustar" and header[345:500].strip(b"\0"):
            name = f"{_text(header[345:500])}/{name}"
        name = pending.get("path", name)
        target = pending.get("linkpath", _text(header[157:257]))
        if "size" in pending:
            try:
                size = int(pending["size"])
            except ValueError:
                raise ArchiveError("the archive has a malformed pax size") from None
            padded = -(-size // BLOCK) * BLOCK
        pending = {}
        kind = _KINDS.get(flag, "other")
        if kind in ("symlink", "hardlink"):
            padded = 0  # links carry no data
        path = _relative(name)
        # links are always recorded (a target, no data): a kept file may be reached by one
        if path is None or (kind not in ("symlink", "hardlink") and not keep(path)):
            source.skip(padded)
            continue
        if path in found:
            found[path] = None
            source.skip(padded)
            continue
        if kind == "file" and size <= max_file and kept + size <= limits.max_kept:
            data = source.read(padded)[:size]
            kept += size
            found[path] = Member(kind, size, data)
        else:
            source.skip(padded)
            found[path] = Member(kind, size, None, target if kind != "file" else "")
    return found
