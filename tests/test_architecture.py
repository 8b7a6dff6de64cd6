"""The pure core imports no filesystem, process, network or GitHub code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "checker"
CORE = [
    "archive.py",
    "findings.py",
    "source.py",
    "extension.py",
    "schema.py",
    "scopes.py",
    "services.py",
    "grants.py",
    "grant_diff.py",
    "changes.py",
    "report.py",
    "validate.py",
    "rule_index.py",
    "catalog",
    "calls",
    "wording.py",
    "diff.py",
    "policy.py",
    "compare.py",
    "links.py",
    "approval.py",
    "rules",
    "reporters",
]
FORBIDDEN = {
    "os",
    "subprocess",
    "socket",
    "shutil",
    "pathlib",
    "urllib.request",
    "http",
    "requests",
    "github",
    "githubkit",
    "checker.app",
    "checker.cli",
    "checker.workspace",
    "checker.git",
    "checker.github_client",
    "checker.actions_env",
    "checker.action",
}


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        path = PACKAGE / name
        if path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
        elif path.exists():
            files.append(path)
    return files


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_module_is_pure(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert not bad, f"{path.name} imports {sorted(bad)}; keep I/O in the adapters"


def test_pygithub_is_imported_in_one_file_only() -> None:
    users = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if any(n == "github" or n.startswith("github.") for n in _imports(p))
    )
    assert users in ([], ["github_client.py"]), users
