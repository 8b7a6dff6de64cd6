"""Point action.yml at a prebuilt image by digest (the release workflow's one edit of it).

The development branch keeps ``runs.image: Dockerfile``, which GitHub builds on every job
that uses the action. A release's tag points at a commit whose action.yml names the image
the release workflow pushed, by digest (``docker://ghcr.io/OWNER/NAME@sha256:...``), so a
user's job pulls it instead. Only that one line changes; inputs, outputs, comments and the
rest stay byte for byte. Exit codes: 0 written, 2 refused (the message says why).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

# A registry host with a dot (ghcr.io, an optional :port), then one or more path components
# as the OCI distribution spec spells them: lower-case letters and digits, separated by '.',
# '_', '__' or runs of '-'. No tag: the image is named by its digest alone.
_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
IMAGE_NAME = re.compile(
    rf"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{{2,}}(?::[0-9]{{1,5}})?(?:/{_COMPONENT})+"
)
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_IMAGE_LINE = re.compile(r"^(?P<indent>[ ]+)image:[ ]*(?P<value>\S+)[ ]*$", re.MULTILINE)


class PinError(Exception):
    """The rewrite was refused; the message says why and what to do."""


def image_reference(name: str, digest: str) -> str:
    """``docker://NAME@DIGEST`` after checking both parts exactly."""
    if not IMAGE_NAME.fullmatch(name):
        raise PinError(
            f"image {name!r} is not a registry image name such as ghcr.io/owner/name "
            "(lower case, a registry host with a dot, no tag)"
        )
    if not DIGEST.fullmatch(digest):
        raise PinError(
            f"digest {digest!r} is not sha256: followed by 64 lower-case hex digits "
            "(what docker buildx prints as the image's digest)"
        )
    return f"docker://{name}@{digest}"


def _action(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PinError(f"{where}: not YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), dict):
        raise PinError(f"{where}: no runs: mapping, so it is not an action's metadata")
    return data


def pin(text: str, reference: str, where: str = "action.yml") -> str:
    """action.yml's text with ``runs.image: Dockerfile`` replaced by ``reference``."""
    before = _action(text, where)
    runs = before["runs"]
    if runs.get("using") != "docker":
        raise PinError(f"{where}: runs.using is {runs.get('using')!r}, not docker")
    if runs.get("image") != "Dockerfile":
        raise PinError(
            f"{where}: runs.image is {runs.get('image')!r}; pin the development action.yml, "
            "whose image is Dockerfile"
        )
    lines = [m for m in _IMAGE_LINE.finditer(text) if m.group("value").strip("'\"") == "Dockerfile"]
    if len(lines) != 1:
        raise PinError(f"{where}: expected one 'image: Dockerfile' line, found {len(lines)}")
    found = lines[0]
    pinned = (
        f"{text[: found.start()]}{found.group('indent')}image: {reference}{text[found.end() :]}"
    )
    after = _action(pinned, where)
    expected = {**before, "runs": {**runs, "image": reference}}
    if after != expected:  # only runs.image may differ
        raise PinError(f"{where}: the rewrite changed more than runs.image")
    return pinned


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` whole: a temporary file beside it, then a rename."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the action metadata file in place; 0 on success, 2 when refused."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", required=True, help="registry image, e.g. ghcr.io/owner/name")
    parser.add_argument("--digest", required=True, help="the pushed image's sha256:... digest")
    parser.add_argument("--action", default="action.yml", help="the file to rewrite")
    args = parser.parse_args(argv)
    path = Path(args.action)
    try:
        reference = image_reference(args.image, args.digest)
        if path.is_symlink() or not path.is_file():
            raise PinError(f"{path}: not a regular file")
        text = path.read_text(encoding="utf-8")
        write_atomically(path, pin(text, reference, str(path)))
    except PinError as error:
        sys.stderr.write(f"pin_action_image: error: {error}\n")
        return 2
    sys.stdout.write(f"{path}: runs.image is now {reference}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
