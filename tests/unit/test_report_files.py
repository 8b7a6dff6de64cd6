"""Report files: real folders and exclusive creation, never a write through a link."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import InputError
from checker.report_files import ReportPathError, check, relative_parts, write


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    workspace, outside = tmp_path / "workspace", tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    (outside / "victim").write_text("untouched", encoding="utf-8")
    return workspace, outside


def _outside_state(outside: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in outside.iterdir()}


@pytest.mark.parametrize(
    ("link", "target", "parts"),
    [
        ("reports", "outside", ("reports", "r.json")),  # a folder outside
        ("reports", "outside/missing", ("reports", "r.json")),  # a dangling folder link
        ("r.json", "outside/victim", ("r.json",)),  # a file outside
        ("r.json", "outside/new", ("r.json",)),  # a dangling file link
        ("a", "outside", ("a", "b", "r.json")),  # a link higher up the path
    ],
)
def test_a_link_anywhere_on_the_path_is_refused(layout, link, target, parts) -> None:
    workspace, outside = layout
    (workspace / link).symlink_to(workspace.parent / target)
    before = _outside_state(outside)
    for attempt in (lambda: check(workspace, parts), lambda: write(workspace, parts, b"x")):
        with pytest.raises(ReportPathError, match=r"is a symbolic link"):
            attempt()
    assert _outside_state(outside) == before
    assert not (outside / "missing").exists()


def test_folders_are_created_and_a_regular_file_is_replaced(layout) -> None:
    workspace, _ = layout
    write(workspace, ("one", "two", "r.json"), b"first")
    target = workspace / "one" / "two" / "r.json"
    second_name = workspace / "second-name"
    second_name.hardlink_to(target)
    write(workspace, ("one", "two", "r.json"), b"second")
    assert target.read_bytes() == b"second"
    assert second_name.read_bytes() == b"first"  # replaced, not written through


def test_what_is_not_a_folder_or_a_file_is_refused(layout) -> None:
    workspace, _ = layout
    (workspace / "file").write_text("x", encoding="utf-8")
    (workspace / "dir.json").mkdir()
    with pytest.raises(ReportPathError, match="file is not a folder"):
        write(workspace, ("file", "r.json"), b"x")
    with pytest.raises(ReportPathError, match=r"dir\.json is not a regular file"):
        write(workspace, ("dir.json",), b"x")


@pytest.mark.parametrize("path", ["/etc/passwd", "../x.sarif", "a/../../x", ".", ""])
def test_paths_outside_the_workspace_are_refused(path) -> None:
    with pytest.raises(InputError, match="outside the workspace"):
        relative_parts(path, "sarif-file")
    assert relative_parts("./out/guard.sarif", "sarif-file") == ("out", "guard.sarif")
