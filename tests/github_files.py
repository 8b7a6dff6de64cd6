"""Helpers for tests of GitHub Actions files: YAML as GitHub reads it, the vendored
SchemaStore schemas (tests/schemas/README.md), and zizmor's findings."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SEVERE = {"Medium", "High"}


class GitHubLoader(yaml.SafeLoader):
    """YAML 1.2 booleans (true/false only), as GitHub reads workflows: `on:` stays a key."""


GitHubLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
GitHubLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str) -> Any:
    return yaml.load(text, Loader=GitHubLoader)  # a SafeLoader subclass: no arbitrary objects


@functools.cache
def _validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def schema_errors(name: str, text: str) -> list[str]:
    """Messages of every way ``text`` breaks the vendored schema ``name`` (empty: valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _validator(name).iter_errors(load(text))
    ]


def zizmor(*paths: Path) -> list[dict[str, Any]]:
    """zizmor's findings (offline) on the given files or folders."""
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed; run: pip install -e '.[test,lint]'")
    done = subprocess.run(
        [found, "--offline", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # exit codes 0 and 10-14 say findings were (or were not) found; others are failures
    assert done.returncode == 0 or 10 <= done.returncode <= 14, done.stderr
    return list(json.loads(done.stdout))


def severe(findings: list[dict[str, Any]]) -> list[str]:
    """The findings of medium severity or worse, as ``ident: description``."""
    return [
        f"{f['ident']}: {f['desc']}"
        for f in findings
        if f["determinations"]["severity"] in SEVERE and not f.get("ignored")
    ]
