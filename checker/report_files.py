"""Report files written inside the workspace without ever following a symbolic link."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from checker.errors import InputError

# The checkout is the pull request's: it may hold the report folder, a report file or any
# folder on the sarif-file's path as a link (to /github/file_commands, to the runner's home,
# dangling). The Action runs as root in its container, so every level is opened relative to
# the one above it with O_NOFOLLOW, folders are created with mkdir (which never follows a
# link either), and files are created exclusively (O_EXCL), never opened for writing as
# they are.
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class ReportPathError(InputError):
    """A report path is a link, or not a folder where one is needed: exit 2, nothing written."""


def relative_parts(path: str, what: str) -> tuple[str, ...]:
    """A workspace-relative path as its components; absolute paths and ``..`` are errors."""
    pure = PurePosixPath(path)
    parts = tuple(part for part in pure.parts if part != ".")
    if pure.is_absolute() or not parts or ".." in parts:
        raise InputError(f"{what} {path!r} is outside the workspace")
    return parts


def _mode(descriptor: int, name: str) -> int | None:
    try:
        return os.stat(name, dir_fd=descriptor, follow_symlinks=False).st_mode
    except OSError:
        return None


def _refusal(shown: str, error: OSError | None, mode: int | None = None) -> ReportPathError:
    # O_NOFOLLOW on a link fails with ELOOP, or with ENOTDIR when O_DIRECTORY is also set:
    # the entry's own mode (lstat) tells which it was.
    if (mode is not None and stat.S_ISLNK(mode)) or (error and error.errno == errno.ELOOP):
        reason = "is a symbolic link; the action does not write through links"
    elif error is not None and error.errno == errno.ENOTDIR:
        reason = "is not a folder"
    elif error is None:
        reason = "is not a regular file"
    else:
        reason = f"cannot be opened ({error.strerror or type(error).__name__})"
    return ReportPathError(
        f"{shown} {reason}; remove it from the repository (the action writes its reports "
        "there itself)"
    )


@contextmanager
def folder(root: Path, parts: Sequence[str]) -> Iterator[int]:
    """A descriptor of ``root/parts...``, each level a real folder, created when missing."""
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for depth, part in enumerate(parts):
            shown = "/".join(parts[: depth + 1])
            # a folder already, or something that the open below refuses
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=descriptor)
            try:
                child = os.open(part, _FOLDER_FLAGS, dir_fd=descriptor)
            except OSError as error:
                raise _refusal(shown, error, _mode(descriptor, part)) from None
            os.close(descriptor)
            descriptor = child
        yield descriptor
    finally:
        os.close(descriptor)


def _check_file(descriptor: int, name: str, shown: str) -> bool:
    """Whether ``name`` exists (as a regular file); a link or anything else is refused."""
    try:
        mode = os.stat(name, dir_fd=descriptor, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(mode):
        raise _refusal(shown, None, mode)
    return True


def check(root: Path, parts: Sequence[str]) -> None:
    """Make sure ``root/parts`` can be written: its folders are real (created when missing)
    and the file, when it exists, is a regular file."""
    *folders, name = parts
    with folder(root, folders) as descriptor:
        _check_file(descriptor, name, "/".join(parts))


def write(root: Path, parts: Sequence[str], data: bytes) -> None:
    """Write ``root/parts`` as a new file: an existing regular file is replaced (unlinked,
    then created exclusively), a link or anything else is refused."""
    *folders, name = parts
    shown = "/".join(parts)
    with folder(root, folders) as descriptor:
        if _check_file(descriptor, name, shown):
            os.unlink(name, dir_fd=descriptor)
        try:
            handle = os.open(name, _FILE_FLAGS, 0o644, dir_fd=descriptor)
        except OSError as error:
            raise _refusal(shown, error, _mode(descriptor, name)) from None
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
