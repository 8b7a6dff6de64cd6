"""A code file that is a symbolic link is read as every mode reads links: followed inside the
repository (its target's bytes analysed under the link's path), and otherwise "not analysed"
with the reason (out of the repository, to nothing, a loop, past the request budget), never
dropped and never evidence that a grant is unused.

The example widget's one call (through ``orderlookup_desk`` for Desk.contacts.READ) lives in
``ext/app/js/widget.js``; each layout turns that file into a link. Where the link is followed,
the Desk.settings.ALL the head adds is ``scope-unused``, as without the link; where it cannot
be, the code is ``code-not-analysed`` and no grant is called unused. Check mode reads the
checkout on disk, post mode the contents API (and the archive), ``diff`` git's blobs: all of
them report the same findings.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import checker.action.readers
from checker import git_tree
from checker.git import Repo
from checker.workspace import read_code
from tests import test_action_e2e as e2e
from tests.github_server import Fault
from tests.test_action_code import _findings, _post
from tests.test_action_e2e import dump, example_manifest, with_scope

pytestmark = pytest.mark.slow

github = e2e.github
scenario = e2e.scenario
WIDGET = "ext/app/js/widget.js"
UNUSED = "Desk.settings.ALL"


def _real(repo: Path, where: str) -> None:
    """Move the widget's code to ``where`` (a repository path), for a link to lead to."""
    widget = repo / WIDGET
    target = repo / where
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(widget, target)


def _link(repo: Path, path: str, target: str) -> None:
    (repo / path).unlink(missing_ok=True)
    (repo / path).symlink_to(target)


def _same_extension(repo: Path) -> None:
    _real(repo, "ext/lib/widget.js")  # lib/ is not code by location: read only through the link
    _link(repo, WIDGET, "../../lib/widget.js")


def _other_folder(repo: Path) -> None:
    _real(repo, "shared/widget.js")
    _link(repo, WIDGET, "../../../shared/widget.js")


def _chain(repo: Path) -> None:
    # two links on the way: widget.js -> ext/lib/hop.js -> ext/lib/widget.js
    _real(repo, "ext/lib/widget.js")
    _link(repo, "ext/lib/hop.js", "widget.js")
    _link(repo, WIDGET, "../../lib/hop.js")


def _outside(repo: Path) -> None:
    _link(repo, WIDGET, "../../../../outside.js")


def _absolute(repo: Path) -> None:
    _link(repo, WIDGET, "/etc/passwd")


def _dangling(repo: Path) -> None:
    _link(repo, WIDGET, "gone.js")


def _loop(repo: Path) -> None:
    _link(repo, WIDGET, "loop.js")
    _link(repo, "ext/app/js/loop.js", "widget.js")


FOLLOWED: dict[str, Callable[[Path], None]] = {
    "same-extension": _same_extension,
    "other-folder": _other_folder,
    "chain": _chain,
}
NOT_FOLLOWED: dict[str, tuple[Callable[[Path], None], str, tuple[str, ...]]] = {
    "outside": (_outside, "outside the repository", (WIDGET,)),
    "absolute": (_absolute, "outside the repository", (WIDGET,)),
    "dangling": (_dangling, '"ext/app/js/gone.js", which does not exist', (WIDGET,)),
    "loop": (_loop, "loop of symbolic links", ("ext/app/js/loop.js", WIDGET)),
}
LAYOUTS = {**FOLLOWED, **{name: edit for name, (edit, _, _) in NOT_FOLLOWED.items()}}


def _make(scenario, layout: str) -> e2e.Scenario:
    return scenario(dump(example_manifest()), with_scope(UNUSED), edit=LAYOUTS[layout])


def _gist(findings: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Rule, path and message of each finding; a link out of the root is "outside the
    workspace" on disk and "outside the repository" in git and through the API (the same
    place in the Action: the workspace is the repository's checkout)."""
    return sorted(
        (f["rule"], f["path"], f["message"].replace("the workspace", "the repository"))
        for f in findings
    )


def _serve_links_as_files(s: e2e.Scenario) -> None:
    """Answer a link that leads to a file of the repository with that file, as GitHub does
    (docs.github.com, "Get repository content"); the stand-in answers with the link."""
    for (ref, path), found in list(s.state.contents.items()):
        if isinstance(found, tuple):
            reached = _resolve_text(s, ref, path)
            if reached is not None:
                s.state.contents[(ref, path)] = s.state.contents[(ref, reached)]


def _resolve_text(s: e2e.Scenario, ref: str, path: str) -> str | None:
    seen = 0
    while seen < 40:
        found = s.state.contents.get((ref, path))
        if not isinstance(found, tuple):
            return path if isinstance(found, bytes) else None
        parts = path.split("/")[:-1]
        for part in found[1].split("/"):
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        path = "/".join(parts)
        seen += 1
    return None


def _both(s: e2e.Scenario) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The findings of check mode (the checkout on disk) and of post mode (the API), each
    read before the next run writes the report again."""
    checked = s.run(s.env())
    assert checked.code == 1, checked.stdout
    on_disk = _findings(s, checked)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    return on_disk, _findings(s, posted)


def _code_requests(s: e2e.Scenario, start: int) -> list[str]:
    """The head's files read through the contents API, manifests and resources.json aside."""
    return [
        r.path.split("/contents/", 1)[1]
        for r in s.state.requests[start:]
        if "/contents/" in r.path
        and r.query.get("ref") == [s.head]
        and not r.path.endswith(".json")
    ]


@pytest.mark.parametrize("layout", list(FOLLOWED))
@pytest.mark.parametrize("served", ["link", "file"])
def test_a_code_link_inside_the_repository_is_followed_in_every_mode(
    scenario, layout, served
) -> None:
    s = _make(scenario, layout)
    if served == "file":
        _serve_links_as_files(s)
    checked, posted = _both(s)
    for findings in (checked, posted):
        assert [f["rule"] for f in findings] == ["scope-unused"], findings
        assert UNUSED in findings[0]["message"]
    assert _gist(posted) == _gist(checked)


@pytest.mark.parametrize("layout", list(NOT_FOLLOWED))
def test_a_code_link_that_cannot_be_followed_is_not_analysed_in_every_mode(
    scenario, layout
) -> None:
    _, reason, paths = NOT_FOLLOWED[layout]
    s = _make(scenario, layout)
    checked, posted = _both(s)
    for findings in (checked, posted):
        # never "unused": the code that may use the grant was not read
        assert "scope-unused" not in [f["rule"] for f in findings], findings
        skipped = [f for f in findings if f["rule"] == "code-not-analysed"]
        assert sorted(f["path"] for f in skipped) == sorted(paths)
        assert all(reason in _gist([f])[0][2] for f in skipped), skipped
    assert _gist(posted) == _gist(checked)


@pytest.mark.parametrize(
    ("layout", "served", "asked"),
    [
        # the link (its target), then the file it leads to
        ("same-extension", "link", ["ext/app/js/widget.js", "ext/lib/widget.js"]),
        ("chain", "link", ["ext/app/js/widget.js", "ext/lib/hop.js", "ext/lib/widget.js"]),
        # GitHub answers the link with its file: nothing more to ask
        ("same-extension", "file", ["ext/app/js/widget.js"]),
        ("chain", "file", ["ext/app/js/widget.js"]),
        # the link leads nowhere: its target is asked for, nothing else
        ("dangling", "link", ["ext/app/js/widget.js"]),
        ("loop", "link", ["ext/app/js/loop.js", "ext/app/js/widget.js"]),
    ],
)
def test_each_link_followed_costs_one_request_once(scenario, layout, served, asked) -> None:
    s = _make(scenario, layout)
    if served == "file":
        _serve_links_as_files(s)
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    html = ["ext/app/contact.html", "ext/app/widget.html"]
    assert sorted(_code_requests(s, before)) == sorted([*html, *asked])


def test_a_link_past_the_request_budget_is_not_analysed_never_unused(scenario, monkeypatch) -> None:
    # one request allowed and no archive: the first link of the chain is asked for, the
    # second is over the budget, and so is every file
    monkeypatch.setattr(checker.action.readers, "CODE_REQUESTS", 1)
    monkeypatch.setattr(checker.action.readers, "CODE_FILES_BEFORE_ARCHIVE", 1)
    s = _make(scenario, "chain")
    s.state.faults.append(Fault("GET", r"/tarball/", 502, {"message": "Server Error"}, times=50))
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    findings = _findings(s, posted)
    assert "scope-unused" not in [f["rule"] for f in findings]
    (link,) = [f for f in findings if f["path"] == WIDGET]
    assert link["rule"] == "code-not-analysed"
    assert (
        "symbolic link not followed: the 1 requests the code may cost were spent"
        in (link["message"])
    )
    assert "over the extension's code budget" in link["message"]
    assert _code_requests(s, before) == [WIDGET]


def test_the_links_followed_count_towards_reading_the_archive(scenario, monkeypatch) -> None:
    # two links asked for one by one pass the threshold: every file comes from the archive,
    # the link's file included (it lies outside the extension's code folders)
    monkeypatch.setattr(checker.action.readers, "CODE_FILES_BEFORE_ARCHIVE", 2)
    s = _make(scenario, "chain")
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    assert [f["rule"] for f in _findings(s, posted)] == ["scope-unused"]
    assert _code_requests(s, before) == [WIDGET, "ext/lib/hop.js"]
    assert len([r for r in s.state.requests[before:] if "/tarball/" in r.path]) == 1


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_git_blobs_follow_code_links_as_the_work_tree_does(scenario, layout, monkeypatch) -> None:
    # `diff --head` reads the head's code from git's blobs; `check` from disk
    s = _make(scenario, layout)
    monkeypatch.chdir(s.work)
    [read] = git_tree.read_extensions_at(
        Repo(s.work),
        s.head,
        ["ext/plugin-manifest.json"],
        max_bytes=10**6,
        code=True,
        with_tree=True,
    )
    assert read.code is not None
    assert read.tree is not None
    on_disk = read_code("ext", read.tree, s.work)
    assert read.code.files == on_disk.files
    assert [
        (k.file, k.reason, k.detail.replace("workspace", "repository")) for k in on_disk.skipped
    ] == [(k.file, k.reason, k.detail) for k in read.code.skipped]
    followed = layout in FOLLOWED
    assert ("app/js/widget.js" in [f.path for f in read.code.files]) is followed
    if followed:
        (widget,) = [f for f in read.code.files if f.path == "app/js/widget.js"]
        assert b"orderlookup_desk" in widget.data
