"""Symbolic links resolved inside a root: the kernel's answer, never a path out of the root."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.links import (
    MAX_LINKS,
    ChangedPaths,
    Kind,
    Node,
    Problem,
    Resolved,
    problem_message,
    resolve,
    step,
)
from checker.workspace import disk_lookup

FILE = Node(Kind.FILE)
FOLDER = Node(Kind.FOLDER)


def link(target: str) -> Node:
    return Node(Kind.LINK, target)


def lookup_of(listing: dict[str, Node]):
    return listing.get


LISTING = {
    "ext": FOLDER,
    "ext/plugin-manifest.json": link("real.json"),
    "ext/real.json": FILE,
    "ext/up": link("../shared/m.json"),
    "ext/chain": link("up"),
    "shared": FOLDER,
    "shared/m.json": FILE,
    "via": link("shared"),
    "ext/through": link("../via/m.json"),
    "ext/self": link("self"),
    "ext/out": link("../../x.json"),
    "ext/abs": link("/etc/passwd"),
    "ext/gone": link("nothing.json"),
    "ext/notdir": link("real.json/x"),
    "ext/dir": link("../shared"),
    "ext/dotdot": link("../via/../ext/real.json"),
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "ext/plugin-manifest.json",
            Resolved("ext/real.json", FILE, ("ext/plugin-manifest.json",)),
        ),
        ("ext/up", Resolved("shared/m.json", FILE, ("ext/up",))),
        ("ext/chain", Resolved("shared/m.json", FILE, ("ext/chain", "ext/up"))),
        ("ext/through", Resolved("shared/m.json", FILE, ("ext/through", "via"))),
        ("ext/dir", Resolved("shared", FOLDER, ("ext/dir",))),
        # `..` after a folder link goes up from where the link led, as the kernel does
        ("ext/dotdot", Resolved("ext/real.json", FILE, ("ext/dotdot", "via"))),
        ("ext/real.json", Resolved("ext/real.json", FILE, ())),
    ],
)
def test_links_are_followed_inside_the_root(path: str, expected: Resolved) -> None:
    assert resolve(path, lookup_of(LISTING)) == expected


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("ext/self", Problem.LOOP),
        ("ext/out", Problem.OUTSIDE),
        ("ext/abs", Problem.OUTSIDE),
        ("ext/gone", Problem.MISSING),
        ("ext/notdir", Problem.MISSING),
        ("../ext/real.json", Problem.OUTSIDE),
    ],
)
def test_what_cannot_be_followed_says_why(path: str, problem: Problem) -> None:
    found = resolve(path, lookup_of(LISTING))
    assert found.problem is problem
    message = problem_message(found, "repository")
    assert message.startswith("is a ")
    if problem is Problem.LOOP:
        assert len(found.via) == MAX_LINKS + 1
        assert '("ext/self", and round again)' in message


def test_an_absolute_target_inside_the_root_is_taken_relative_to_it() -> None:
    listing = {"a": link("/work/repo/b"), "b": FILE, "c": link("/work/repository/b")}
    assert resolve("a", listing.get, root="/work/repo") == Resolved("b", FILE, ("a",))
    assert resolve("c", listing.get, root="/work/repo").problem is Problem.OUTSIDE


def test_step_follows_a_target_as_text() -> None:
    assert step("ext/plugin-manifest.json", "../shared/m.json", 1).path == "shared/m.json"
    assert step("ext/m.json", "./a/./b", 1).path == "ext/a/b"
    assert step("ext/m.json", "../../x", 1).problem is Problem.OUTSIDE
    assert step("ext/m.json", "/etc/x", 1).problem is Problem.OUTSIDE
    assert step("ext/m.json", "x", MAX_LINKS + 1).problem is Problem.LOOP


def test_a_change_touches_a_chain_at_its_paths_below_and_above() -> None:
    changed = ChangedPaths.of(["shared/m.json", "other/file", "ext/real.json/x"])
    assert changed.touch(("ext/plugin-manifest.json", "shared/m.json"))
    assert changed.touch(("ext/dir", "shared"))  # a file below a folder of the chain
    assert changed.touch(("ext/real.json/x/y",))  # a file above: the path cannot be the same
    assert changed.touch(("ext/real.json",))  # a file replaced by a folder
    assert not changed.touch(("ext/plugin-manifest.json", "ext/real.json2", "share"))


# --- the kernel's answer, on a real folder -----------------------------------------------------

NAMES = ["a", "b", "d/c", "d/e"]
TARGETS = ["a", "b", "d", "d/c", "c", "../a", "../d/e", "./b", "d/../a", "nothing", "b/x", "."]


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str | None]:
    """Each name a file (None) or a link to one of TARGETS."""
    return {name: draw(st.one_of(st.none(), st.sampled_from(TARGETS))) for name in NAMES}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees(), start=st.sampled_from(NAMES))
def test_resolving_agrees_with_the_kernel(tmp_path_factory, tree, start) -> None:
    root = tmp_path_factory.mktemp("root")
    (root / "d").mkdir()
    for name, target in tree.items():
        if target is None:
            (root / name).write_text(name, encoding="utf-8")
        else:
            (root / name).symlink_to(target)
    found = resolve(start, disk_lookup(str(root)), root=str(root))
    if found.problem is Problem.OUTSIDE:  # where the kernel goes on, out of the root
        assert not os.path.realpath(root / start).startswith(f"{os.path.realpath(root)}/")
        return
    try:
        real = os.stat(root / start)
    except OSError as error:
        assert found.problem is not None, (tree, start, found)
        if error.errno == errno.ELOOP:
            assert found.problem is Problem.LOOP
        else:
            assert found.problem is Problem.MISSING
        return
    assert found.problem is None, (tree, start, found)
    assert os.path.samestat(real, os.stat(root / found.path)) if found.path else True
    assert Path(os.path.realpath(root / start)) == Path(os.path.realpath(root)) / found.path
