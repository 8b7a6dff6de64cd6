"""The Action's contents-API reader follows a manifest's links inside the repository."""

from __future__ import annotations

import pytest

from checker.links import MAX_LINKS


class _Contents:
    """A GitHubPort that only answers file_content, from a mapping path -> content."""

    def __init__(self, files: dict[str, object]) -> None:
        self.files = files
        self.asked: list[str] = []

    def file_content(self, path: str, ref: str):
        from checker.github_client import FileContent

        self.asked.append(path)
        found = self.files.get(path)
        if found is None:
            return None
        if isinstance(found, tuple):
            return FileContent(path, "symlink", None, found[1])
        assert isinstance(found, bytes)
        return FileContent(path, "file", found)


@pytest.mark.parametrize(
    ("files", "data", "target", "rule"),
    [
        ({"ext/m.json": ("symlink", "../s/m.json"), "s/m.json": b"{}"}, b"{}", "s/m.json", None),
        ({"ext/m.json": b"{}"}, b"{}", None, None),
        ({"ext/m.json": ("symlink", "m.json")}, None, None, "file-symlink"),
        ({"ext/m.json": ("symlink", "../../m.json")}, None, None, "file-symlink"),
        ({"ext/m.json": ("symlink", "/etc/passwd")}, None, None, "file-symlink"),
        ({"ext/m.json": ("symlink", "gone.json")}, None, None, "file-unreadable"),
    ],
    ids=["followed", "a-file", "itself", "up-and-out", "absolute", "dangling"],
)
def test_the_api_reader_follows_links_inside_the_repository(files, data, target, rule) -> None:
    from checker.action.readers import ApiReader

    port = _Contents(files)
    found, findings, linked = ApiReader(port).read_followed("ext/m.json", "c" * 40)  # type: ignore[arg-type]
    assert found == data
    assert [f.rule for f in findings] == ([rule] if rule else [])
    assert all(f.location.file == "ext/m.json" for f in findings)
    assert (linked.target if linked else None) == target
    assert len(port.asked) <= MAX_LINKS + 1
