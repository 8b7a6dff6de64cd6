"""The pure core imports no filesystem, process, network or GitHub code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "checker"
# Core modules by name: a module ``name.py`` or a package ``name/`` (every module in it), so
# a module that becomes a package stays covered.
CORE = [
    "archive",
    "findings",
    "source",
    "extension",
    "schema",
    "scopes",
    "services",
    "grants",
    "changes",
    "report",
    "validate",
    "rule_index",
    "catalog",
    "calls",
    "wording",
    "diff",
    "policy",
    "compare",
    "links",
    "approval",
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


def _core_path(name: str) -> Path | None:
    """The package or module a CORE entry names, or None when neither exists."""
    package, module = PACKAGE / name, PACKAGE / f"{name}.py"
    if package.is_dir():
        return package
    return module if module.is_file() else None


def _core_files() -> list[Path]:
    files: list[Path] = []
    for name in CORE:
        path = _core_path(name)
        if path is None:
            continue  # test_every_core_entry_exists says so
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_every_core_entry_exists() -> None:
    missing = [name for name in CORE if _core_path(name) is None]
    assert not missing, f"CORE names {missing}, which are neither modules nor packages"


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


# Size limits for checker/: past these, a module, class or function holds more than one idea.
MAX_LINES = {"module": 800, "class": 300, "function": 150}
# Splits other branches are making now. The lead deletes each entry when its split lands;
# test_size_exceptions_are_still_needed fails once one is no longer needed. A key is a file
# (every offender in it) or "file::Qualified.name" (that one definition).
SIZE_EXCEPTIONS: dict[str, str] = {}


def _sizes(name: str, source: str) -> list[tuple[str, str, int, int]]:
    """(key, kind, line, size in lines) of a module and of every class and function in it."""
    found = [(name, "module", 1, len(source.splitlines()))]

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                qualified = prefix + child.name
                kind = "class" if isinstance(child, ast.ClassDef) else "function"
                size = (child.end_lineno or child.lineno) - child.lineno + 1
                found.append((f"{name}::{qualified}", kind, child.lineno, size))
                walk(child, qualified + ".")
            else:
                walk(child, prefix)

    walk(ast.parse(source), "")
    return found


def _oversized(files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, "file:line what is N lines (limit M)") of each module, class or function over
    its limit, from (name under checker/, source) pairs."""
    out = []
    for name, source in files:
        for key, kind, line, size in _sizes(name, source):
            if size > MAX_LINES[kind]:
                what = kind if kind == "module" else f"{kind} {key.partition('::')[2]}"
                out.append(
                    (key, f"checker/{name}:{line} {what} is {size} lines (limit {MAX_LINES[kind]})")
                )
    return out


def _checker_files() -> list[tuple[str, str]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _excepted(key: str, exceptions: dict[str, str]) -> bool:
    return key in exceptions or key.partition("::")[0] in exceptions


def test_modules_classes_and_functions_stay_small() -> None:
    offenders = [
        what for key, what in _oversized(_checker_files()) if not _excepted(key, SIZE_EXCEPTIONS)
    ]
    assert not offenders, "split these along their seams:\n" + "\n".join(offenders)


def test_size_exceptions_are_still_needed() -> None:
    keys = [key for key, _ in _oversized(_checker_files())]
    stale = [entry for entry in SIZE_EXCEPTIONS if not any(_excepted(k, {entry: ""}) for k in keys)]
    assert not stale, f"these splits have landed: delete {stale} from SIZE_EXCEPTIONS"


def test_the_size_check_names_each_offender_with_its_line_and_size() -> None:
    method = "    def big(self) -> None:\n" + "        x = 1\n" * 150
    source = "import ast\n\n\nclass Small:\n" + method + "\n\ndef fine() -> None:\n    pass\n"
    found = dict(_oversized([("m.py", source)]))
    assert found == {
        "m.py::Small.big": "checker/m.py:5 function Small.big is 151 lines (limit 150)"
    }
    assert _excepted("m.py::Small.big", {"m.py": ""})
    assert _excepted("m.py::Small.big", {"m.py::Small.big": ""})
    assert not _excepted("m.py::Small.big", {"m.py::Small": ""})
    big_class = "class Big:\n" + "    x = 1\n" * 300
    assert dict(_oversized([("b.py", big_class)])) == {
        "b.py::Big": "checker/b.py:1 class Big is 301 lines (limit 300)"
    }
    assert dict(_oversized([("l.py", "x = 1\n" * 801)])) == {
        "l.py": "checker/l.py:1 module is 801 lines (limit 800)"
    }
