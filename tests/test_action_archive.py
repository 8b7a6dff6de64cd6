"""A shallow clone's base side through the API in a bounded number of requests: a few files
one by one, then the merge base's tarball (GitHub's redirect to codeload, read in memory),
each file checked against the commit's tree."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import test_action_e2e as e2e
from tests.github_server import Fault
from tests.test_action_e2e import dump, example_manifest, with_scope

pytestmark = pytest.mark.slow

github = e2e.github
scenario = e2e.scenario
EXAMPLE = e2e.EXAMPLES / "desk-extension"


def _extensions(count: int, *, scope: str | None) -> Any:
    """An edit that writes ``count`` copies of the example extension under apps/, each with
    ``scope`` added (or none)."""

    def edit(repo: Path) -> None:
        for index in range(count):
            folder = repo / "apps" / f"ext{index:03}"
            if not folder.exists():
                shutil.copytree(EXAMPLE, folder)
            text = with_scope(scope) if scope else dump(example_manifest())
            (folder / "plugin-manifest.json").write_text(text, encoding="utf-8")

    return edit


def _gist(work: Path, result: e2e.Result) -> list[tuple[str, str, bool]]:
    report = json.loads((work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    return sorted(
        (m["path"], c["kind"], c["blocks"]) for m in report["manifests"] for c in m["changes"]
    )


def _reads(state, requests, commit: str) -> int:
    return sum(1 for r in requests if "/contents/" in r.path and r.query.get("ref") == [commit])


COUNT = 40  # 80 base files (manifest and resources.json each): over the threshold of 20


def test_many_changed_manifests_cost_a_bounded_number_of_requests(scenario) -> None:
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        edit_base=_extensions(COUNT, scope=None),
        edit=_extensions(COUNT, scope="Desk.settings.ALL"),
    )
    full = s.run(s.env())
    assert full.code == 1, full.stdout
    expected = _gist(s.work, full)
    assert sum(1 for _, kind, _ in expected if kind == "scope-added") == COUNT + 1

    s.reclone("shallow")
    before = len(s.state.requests)
    result = s.run(s.env())
    requests = s.state.requests[before:]
    assert result.code == 1, result.stdout
    assert _gist(s.work, result) == expected
    assert "reading its archive (one download, held in memory)" in result.stdout
    # 20 files one by one, then the tree, the archive's address and its download
    assert _reads(s.state, requests, s.merge_base) == 20
    assert [r.path for r in requests if "/tarball/" in r.path] == [
        f"/api/v3/repos/acme/extensions/tarball/{s.merge_base}"
    ]
    downloads = [r for r in requests if r.path.startswith("/_codeload/")]
    assert len(downloads) == 1
    assert downloads[0].authorization == "", "the API token went to the download host"
    assert sum(1 for r in requests if r.path.endswith(f"/git/trees/{s.merge_base}")) == 1
    # nothing was extracted: the workspace holds the checkout and the reports only
    assert not list(s.work.rglob("*.tar.gz"))
    assert not any("acme-extensions-" in p.name for p in s.tmp.rglob("*"))


def _tamper(archive: bytes, path: str, old: bytes, new: bytes) -> bytes:
    import gzip

    raw = gzip.decompress(archive)
    assert raw.count(old) >= 1
    # same length, so the tar structure stays valid; only this member's bytes change
    assert len(old) == len(new)
    position = raw.index(path.encode())
    at = raw.index(old, position)
    return gzip.compress(raw[:at] + new + raw[at + len(old) :])


def test_a_member_that_differs_from_the_tree_is_read_through_the_contents_api(scenario) -> None:
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        edit_base=_extensions(COUNT, scope=None),
        edit=_extensions(COUNT, scope="Desk.settings.ALL"),
        clone="shallow",
    )
    # the archive's copy of the last manifest narrows a scope the commit really grants
    s.state.archives[s.merge_base] = _tamper(
        s.state.archives[s.merge_base],
        f"apps/ext{COUNT - 1:03}/plugin-manifest.json",
        b"Desk.contacts.READ",
        b"Desk.contacts.XXXX",
    )
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    changes = _gist(s.work, result)
    assert not any(kind == "scope-removed" for _, kind, _ in changes), changes
    manifest = f"apps/ext{COUNT - 1:03}/plugin-manifest.json"
    assert s.state.count("GET", rf"/contents/{re.escape(manifest)}$") == 1


@pytest.mark.parametrize("fault", ["download", "address", "tree"])
def test_an_archive_that_cannot_be_had_falls_back_to_one_file_at_a_time(scenario, fault) -> None:
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        edit_base=_extensions(COUNT, scope=None),
        edit=_extensions(COUNT, scope="Desk.settings.ALL"),
        clone="shallow",
    )
    route = {
        "download": r"^/_codeload/",
        "address": r"/tarball/",
        "tree": rf"/git/trees/{s.merge_base}$",  # the policy's lookup is at the base tip
    }[fault]
    body = b"<html>busy</html>" if fault == "download" else {"message": "Server Error"}
    s.state.faults.append(Fault("GET", route, 502, body, times=100))
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "cannot be used" in result.stdout
    assert sum(1 for _, kind, _ in _gist(s.work, result) if kind == "scope-added") == COUNT + 1
    assert s.state.token not in result.stdout
    assert s.state.codeload_token not in result.stdout + result.step_summary
