"""Record, in the wheel the release workflow builds, which commit and version it releases.

``zoho-manifest-guard init`` pins the workflows it writes to that commit (the release tag's
commit, whose action.yml runs the prebuilt image). The file is written just before the
wheel is built and is not committed; a build without it is a development build, and init
then asks for ``--action-sha``. The tag must name the version that pyproject.toml and
checker/__init__.py declare. Exit codes: 0 written, 2 refused.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE_FILE = ROOT / "checker" / "catalog" / "release.json"
_TAG = re.compile(r"v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)")
_SHA = re.compile(r"[0-9a-f]{40}")


def declared_versions(root: Path) -> tuple[str, str]:
    """The version in pyproject.toml's [project] table and checker.__version__."""
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    package = (root / "checker" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^version = "([^"]+)"$', project, re.MULTILINE)
    ours = re.search(r'^__version__ = "([^"]+)"$', package, re.MULTILINE)
    if not found or not ours:
        raise ValueError("pyproject.toml or checker/__init__.py declares no version")
    return found.group(1), ours.group(1)


def release_info(tag: str, commit: str, root: Path = ROOT) -> dict[str, str]:
    """The record for ``tag`` at ``commit``, after checking both against the source."""
    match = _TAG.fullmatch(tag)
    if not match:
        raise ValueError(f"tag {tag!r} is not a release tag vMAJOR.MINOR.PATCH")
    if not _SHA.fullmatch(commit):
        raise ValueError(f"commit {commit!r} is not a full commit id (40 lower-case hex digits)")
    version = match.group("version")
    pyproject, package = declared_versions(root)
    if not version == pyproject == package:
        raise ValueError(
            f"tag {tag} does not match the declared version (pyproject.toml {pyproject}, "
            f"checker/__init__.py {package}); bump both before tagging"
        )
    return {"version": version, "commit": commit}


def main(argv: Sequence[str] | None = None) -> int:
    """Write checker/catalog/release.json; 0 on success, 2 when refused."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", required=True, help="the release tag, e.g. v1.2.3")
    parser.add_argument("--commit", required=True, help="the commit the tag points to")
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)
    try:
        info = release_info(args.tag, args.commit)
    except ValueError as error:
        sys.stderr.write(f"write_release_info: error: {error}\n")
        return 2
    if not args.check:
        RELEASE_FILE.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(f"{RELEASE_FILE.relative_to(ROOT)}: {info}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
