"""The git adapter reads many changed manifests with a fixed number of git processes, and
reads exactly what reading them one at a time reads."""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from checker import git, git_tree
from checker.extension import RESOURCES_NAME, ExtensionInput
from checker.findings import Finding, Location, Severity
from checker.workspace import UNREADABLE_RULE

pytestmark = pytest.mark.usefixtures("isolated_git")


def run(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_repo(root: Path, count: int) -> tuple[git.Repo, str, str]:
    """``count`` plain extensions plus the awkward cases; every manifest changes in head."""
    run(root.parent, "init", "-q", "-b", "main", str(root))
    for number in range(count):
        folder = f"team{number % 3}/ext{number:02d}"
        write(root, f"{folder}/plugin-manifest.json", f'{{"n": {number}}}\n')
        write(root, f"{folder}/app/widget.html", "<p>hi</p>\n" * (number + 1))
        if number % 2:
            write(root, f"{folder}/{RESOURCES_NAME}", "{}\n")
    write(root, "plugin-manifest.json", '{"root": true}\n')  # the whole tree is its folder
    write(root, "app/inner/plugin-manifest.json", "{}\n")  # below a top-level app/
    write(root, "team0/ext00/app/nested/plugin-manifest.json", "{}\n")  # nested extension
    write(root, "big/plugin-manifest.json", "x" * 5000)
    write(root, "link/target.json", "{}\n")
    os.symlink("target.json", root / "link" / "plugin-manifest.json")
    write(root, "out/README.md", "a manifest linked out of the repository\n")
    os.symlink("../../outside.json", root / "out" / "plugin-manifest.json")
    write(root, "gone/plugin-manifest.json", "{}\n")
    write(root, "moved/plugin-manifest.json", '{"moved": 1}\n')
    write(root, "res-only/plugin-manifest.json", "{}\n")
    run(root, "add", "-A")
    run(root, "commit", "-q", "-m", "base")
    base = run(root, "rev-parse", "HEAD")
    for path in root.rglob("plugin-manifest.json"):
        if not path.is_symlink() and path.parent.name != "res-only":
            path.write_text(path.read_text(encoding="utf-8") + " \n", encoding="utf-8")
    os.symlink("../link/target.json", root / "link" / RESOURCES_NAME)
    run(root, "rm", "-q", "-f", "gone/plugin-manifest.json")
    run(root, "mv", "moved", "renamed")
    write(root, "res-only/resources.json", '{"changed": true}\n')  # pulls its manifest in
    run(root, "add", "-A")
    run(root, "commit", "-q", "-m", "head")
    return git.Repo(root), base, run(root, "rev-parse", "HEAD")


def one_at_a_time(
    repo: git.Repo, commit: str, path: str, *, max_bytes: int, with_tree: bool
) -> ExtensionInput:
    """What reading one extension took before the batch: ls-tree and cat-file per file
    (links followed inside the commit)."""
    folder = posixpath.dirname(path)
    data, errors, link = git_tree.read_followed_at(repo, commit, path, max_bytes=max_bytes)
    if data is None and not errors:
        message = f"does not exist at commit {commit[:12]}"
        errors = (Finding(UNREADABLE_RULE, Severity.ERROR, message, Location(path, "")),)
    resources_path = posixpath.join(folder, RESOURCES_NAME) if folder else RESOURCES_NAME
    resources, more, resources_link = git_tree.read_followed_at(
        repo, commit, resources_path, max_bytes=max_bytes
    )
    return ExtensionInput(
        manifest_path=path,
        manifest=data,
        root=folder,
        tree=git_tree.list_tree(repo, commit, folder) if with_tree else None,
        resources=resources,
        resources_present=resources is not None or bool(more),
        read_errors=(*errors, *more),
        manifest_link=link,
        resources_link=resources_link,
    )


def test_the_batch_reads_what_one_at_a_time_reads(tmp_path: Path) -> None:
    repo, base, head = make_repo(tmp_path / "repo", 7)
    paths = sorted(
        p.relative_to(repo.root).as_posix()
        for p in repo.root.rglob("plugin-manifest.json")
        if ".git" not in p.parts
    )
    paths += ["gone/plugin-manifest.json", "moved/plugin-manifest.json", "no/plugin-manifest.json"]
    paths += ["out/plugin-manifest.json"]  # a link to nothing: rglob leaves it out
    for commit in (base, head):
        for with_tree in (False, True):
            batch = git.read_extensions_at(repo, commit, paths, max_bytes=1000, with_tree=with_tree)
            single = [
                one_at_a_time(repo, commit, p, max_bytes=1000, with_tree=with_tree) for p in paths
            ]
            assert batch == single
    rules = {f.rule for e in batch for f in e.read_errors}
    assert rules == {"file-symlink", "file-too-large", UNREADABLE_RULE}
    linked = {e.manifest_path: e.manifest_link for e in batch if e.manifest_link}
    assert list(linked) == ["link/plugin-manifest.json"]
    assert linked["link/plugin-manifest.json"].target == "link/target.json"
    (resources_link,) = [e.resources_link for e in batch if e.resources_link]
    assert resources_link.target == "link/target.json"


def test_a_folder_lists_only_what_lies_below_it(tmp_path: Path) -> None:
    repo, _, head = make_repo(tmp_path / "repo", 1)
    tree = git_tree.list_tree(repo, head, "app/inner")
    assert tree is not None
    assert dict(tree.files) == {"plugin-manifest.json": 5}  # "{}\n" and " \n"
    assert tree.dirs == frozenset()  # not "app" nor "app/inner": they lead to it
    [read] = git.read_extensions_at(
        repo, head, ["app/inner/plugin-manifest.json"], max_bytes=1000, with_tree=True
    )
    assert read.tree == tree
    nested = git_tree.list_tree(repo, head, "team0/ext00")
    assert nested is not None
    assert "app/nested" in nested.dirs
    assert "app/nested/plugin-manifest.json" in nested.files


def count_git(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str]]:
    calls: list[Sequence[str]] = []
    real = git.run_git

    def counted(args: Sequence[str], **kwargs: object) -> tuple[int, bytes]:
        calls.append(args)
        return real(args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git, "run_git", counted)
    return calls


@pytest.mark.parametrize("count", [3, 40])
def test_changed_manifests_cost_a_fixed_number_of_git_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    repo, base, head = make_repo(tmp_path / "repo", count)
    calls = count_git(monkeypatch)
    span = git.Range(base, head, base)
    pairs = git.manifest_pairs(repo, span, max_bytes=1000)
    shown = {pair.path for pair in pairs}
    assert len(pairs) == count + 8
    expected = {"gone/plugin-manifest.json", "renamed/plugin-manifest.json"}
    assert expected | {"res-only/plugin-manifest.json"} <= shown
    # the changed files; the head's whole tree (for manifests that are links, whose targets
    # one cat-file reads); whether the folders of changed resources.json hold a manifest
    # (one ls-tree per commit); then ls-tree and cat-file --batch at each commit (at the base
    # the whole tree and its link targets too, for its links), however many manifests changed
    commands = [args[0] for args in calls]
    assert commands == [
        "diff",
        "ls-tree",
        "cat-file",
        "ls-tree",
        "ls-tree",
        "ls-tree",
        "ls-tree",
        "cat-file",
        "cat-file",
        "cat-file",
    ]


def test_following_links_costs_no_git_process_in_a_tree_without_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    run(tmp_path, "init", "-q", "-b", "main", str(root))
    for number in range(20):
        write(root, f"ext{number}/plugin-manifest.json", f'{{"n": {number}}}\n')
    run(root, "add", "-A")
    run(root, "commit", "-q", "-m", "base")
    base = run(root, "rev-parse", "HEAD")
    for number in range(20):
        write(root, f"ext{number}/plugin-manifest.json", f'{{"n": {number + 1}}}\n')
    run(root, "commit", "-q", "-a", "-m", "head")
    calls = count_git(monkeypatch)
    span = git.Range(base, run(root, "rev-parse", "HEAD"), base)
    assert len(git.manifest_pairs(git.Repo(root), span, max_bytes=1000)) == 20
    # one ls-tree more than before links were followed: the head's whole tree, searched for
    # links as text (nothing else is read for them when there are none)
    commands = [args[0] for args in calls]
    assert commands == ["diff", "ls-tree", "ls-tree", "cat-file", "ls-tree", "cat-file"]
