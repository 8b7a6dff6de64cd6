"""The Action's contents-API readers follow a manifest's links, and the post mode a code
file's, inside the repository."""

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


def _entry(path: str, data: bytes = b"", *, mode: str = "100644", kind: str = "blob"):
    from checker.archive import blob_id
    from checker.trees import TreeEntry

    return TreeEntry(mode, kind, blob_id(data), len(data), path)


@pytest.mark.parametrize(
    ("files", "expected", "asked"),
    [
        # a link (then a link on the way) answered with its target: followed through the tree
        (
            {"ext/app/a.js": ("symlink", "../lib/b.js"), "ext/lib/b.js": ("symlink", "c.js")},
            "ext/lib/c.js",
            ["ext/app/a.js", "ext/lib/b.js", "ext/lib/c.js"],
        ),
        # GitHub answers a link to a file of the repository with the file: found by its blob
        ({"ext/app/a.js": b"code();"}, "ext/lib/c.js", ["ext/app/a.js"]),
        # ... which must be one of the commit's files
        ({"ext/app/a.js": b"other();"}, "does not hold", ["ext/app/a.js"]),
        ({"ext/app/a.js": ("symlink", "../lib")}, "which is a folder", ["ext/app/a.js"]),
        ({"ext/app/a.js": ("symlink", "/etc/passwd")}, "outside the repository", ["ext/app/a.js"]),
        ({}, "through the API (missing)", ["ext/app/a.js"]),
    ],
    ids=["chain", "served-file", "served-other", "folder", "outside", "unanswered"],
)
def test_the_post_mode_follows_a_code_link_through_the_tree(files, expected, asked) -> None:
    from checker.action.readers import ApiCodeBlobs
    from checker.calls.model import SkipReason
    from checker.extension import FileTree
    from checker.trees import read_code

    code = b"code();"
    tree = {
        entry.path: entry
        for entry in (
            _entry("ext", kind="tree", mode="040000"),
            _entry("ext/app", kind="tree", mode="040000"),
            _entry("ext/lib", kind="tree", mode="040000"),
            _entry("ext/app/a.js", b"../lib/b.js", mode="120000"),
            _entry("ext/lib/b.js", b"c.js", mode="120000"),
            _entry("ext/lib/c.js", code),
        )
    }
    port = _Contents({**files, "ext/lib/c.js": code})
    blobs = ApiCodeBlobs(port, "c" * 40, lambda _: None, tree)  # type: ignore[arg-type]
    listing = FileTree({"app/a.js": 11}, frozenset({"app"}))
    (found,) = read_code([("ext", listing)], tree, blobs, blobs.follow)
    if expected == "ext/lib/c.js":
        assert [(f.path, f.data) for f in found.files] == [("app/a.js", code)]
    else:
        (skipped,) = found.skipped
        assert skipped.reason is SkipReason.UNREADABLE
        assert expected in skipped.detail
    # each link once, and a file GitHub already gave for a link is not asked for again
    assert port.asked == asked
    assert blobs.requests == len(port.asked)


def test_a_code_link_past_the_budget_is_not_followed(monkeypatch) -> None:
    import checker.action.readers
    from checker.action.readers import ApiCodeBlobs
    from checker.trees import Unread

    monkeypatch.setattr(checker.action.readers, "CODE_REQUESTS", 1)
    tree = {
        e.path: e
        for e in (_entry("a.js", b"b.js", mode="120000"), _entry("b.js", b"c.js", mode="120000"))
    }
    port = _Contents({"a.js": ("symlink", "b.js"), "b.js": ("symlink", "c.js")})
    blobs = ApiCodeBlobs(port, "c" * 40, lambda _: None, tree)  # type: ignore[arg-type]
    led = blobs.follow("a.js")
    assert isinstance(led, Unread)
    assert led.budget
    assert port.asked == ["a.js"]
    # a second look costs nothing more: what was asked is remembered
    assert blobs.follow("a.js") == led
    assert port.asked == ["a.js"]
