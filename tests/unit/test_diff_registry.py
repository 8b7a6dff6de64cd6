"""The diff's aspect registry and the layering of checker/diff/: every aspect is registered
once, and aspect modules build on the shared modules only, never on each other."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import ModuleType

import pytest

import checker.diff as diff_package
from checker.diff import (
    MANIFEST_ASPECTS,
    RESOURCE_ASPECTS,
    config,
    connections,
    network,
    oauth,
    resources,
    widgets,
)

PACKAGE = Path(diff_package.__file__).parent
ASPECT_MODULES: tuple[ModuleType, ...] = (connections, oauth, network, config, widgets, resources)
# The shared modules, lowest first: each may import only those before it.
SHARED = ("sides", "risk", "declared", "collect", "scopes")


def _public_functions(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__
        if not name.startswith("_")
    }


def test_every_public_function_of_an_aspect_module_is_registered_once() -> None:
    registered = [f"{f.__module__}.{f.__name__}" for f in (*MANIFEST_ASPECTS, *RESOURCE_ASPECTS)]
    assert len(registered) == len(set(registered)), registered
    public = {
        f"{module.__name__}.{name}"
        for module in ASPECT_MODULES
        for name in _public_functions(module)
    }
    assert public == set(registered)


def test_every_module_of_the_package_is_an_aspect_or_shared() -> None:
    names = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    aspects = {module.__name__.rsplit(".", 1)[1] for module in ASPECT_MODULES}
    assert names == aspects | set(SHARED)


def _package_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "checker.diff":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("checker.diff."):
                found.add(node.module.removeprefix("checker.diff."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("checker.diff."):
                    found.add(alias.name.removeprefix("checker.diff."))
    return found


@pytest.mark.parametrize("name", [*SHARED, *(m.__name__.rsplit(".", 1)[1] for m in ASPECT_MODULES)])
def test_modules_import_only_the_shared_modules_below_them(name: str) -> None:
    allowed = set(SHARED[: SHARED.index(name)]) if name in SHARED else set(SHARED)
    used = _package_imports(PACKAGE / f"{name}.py")
    assert used <= allowed, f"checker/diff/{name}.py imports {sorted(used - allowed)}"
