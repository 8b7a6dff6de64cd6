"""The head side reads each extension's code, as ``check`` does, wherever the manifests come
from: the work tree (check mode), git blobs (``diff``), the contents API or the head's archive
(post mode, within a request budget). The example widget makes one call, through
``orderlookup_desk`` for Desk.contacts.READ, so a Desk.settings.ALL added to that connection
is ``scope-unused``; code that could not be read is ``code-not-analysed`` and never makes a
grant look unused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import checker.action.readers
from checker import git_tree
from checker.cli import main
from checker.git import Repo
from checker.workspace import read_code
from tests import test_action_e2e as e2e
from tests.github_server import Fault
from tests.test_action_e2e import MANIFEST, dump, example_manifest, git, with_scope

pytestmark = pytest.mark.slow

github = e2e.github
scenario = e2e.scenario
CODE_FILES = ["ext/app/contact.html", "ext/app/js/widget.js", "ext/app/widget.html"]


def _findings(s: e2e.Scenario, result: e2e.Result) -> list[dict[str, Any]]:
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    (manifest,) = report["manifests"]
    return manifest["findings"]


def _rules(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(f["rule"] for f in findings)


def _post(s: e2e.Scenario, **inputs: str) -> e2e.Result:
    """The workflow_run post mode for the scenario's (fork's) pull request."""
    s.state.pulls[e2e.PR].head_repo = "fork/extensions"
    payload = {
        "action": "completed",
        "workflow_run": {
            "id": 99,
            "head_sha": s.head,
            "pull_requests": [],
            "head_repository": {"full_name": "fork/extensions"},
        },
    }
    return s.run(s.env("workflow_run", payload, **inputs))


def _code_reads(s: e2e.Scenario, start: int = 0) -> list[str]:
    return [
        r.path.split("/contents/", 1)[1]
        for r in s.state.requests[start:]
        if "/contents/ext/app/" in r.path and r.query.get("ref") == [s.head]
    ]


def test_check_mode_audits_the_head_code_and_the_code_input_switches_it_off(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    (unused,) = [f for f in _findings(s, result) if f["rule"] == "scope-unused"]
    assert "Desk.settings.ALL" in unused["message"]
    assert unused["path"] == MANIFEST
    assert result.outputs["findings"] == "1"
    off = s.run(s.env(code="false"))
    assert off.code == 1
    assert _findings(s, off) == []


def test_post_mode_reads_the_head_code_through_the_contents_api(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    checked = s.run(s.env())
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    # the same findings as the check of the work tree, the code read at the head commit
    assert _findings(s, posted) == _findings(s, checked)
    assert _rules(_findings(s, posted)) == ["scope-unused"]
    assert sorted(_code_reads(s, before)) == CODE_FILES
    check = list(s.state.check_runs.values())[-1]  # the post run's
    assert any(a["title"].startswith("scope-unused:") for a in check["annotations"])
    # code: false reads no code file
    before = len(s.state.requests)
    assert _findings(s, _post(s, code="false")) == []
    assert _code_reads(s, before) == []


def test_post_mode_reads_many_code_files_from_the_heads_archive(scenario, monkeypatch) -> None:
    monkeypatch.setattr(checker.action.readers, "CODE_FILES_BEFORE_ARCHIVE", 1)
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    assert _rules(_findings(s, posted)) == ["scope-unused"]
    assert "code files to read" in posted.stdout
    # one file one by one, then the head's tarball (its address, one download)
    assert len(_code_reads(s, before)) == 1
    requests = s.state.requests[before:]
    assert [r.path for r in requests if "/tarball/" in r.path] == [
        f"/api/v3/repos/acme/extensions/tarball/{s.head}"
    ]


def test_code_over_the_request_budget_is_not_analysed_never_unused(scenario, monkeypatch) -> None:
    # the archive cannot be used and the budget allows one request: two code files stay
    # unread, and the scope that is unused in fact is not reported as such
    monkeypatch.setattr(checker.action.readers, "CODE_FILES_BEFORE_ARCHIVE", 1)
    monkeypatch.setattr(checker.action.readers, "CODE_REQUESTS", 1)
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.faults.append(Fault("GET", r"/tarball/", 502, {"message": "Server Error"}, times=50))
    before = len(s.state.requests)
    posted = _post(s)
    assert posted.code == 1, posted.stdout
    findings = _findings(s, posted)
    rules = _rules(findings)
    assert "scope-unused" not in rules
    assert "code-not-analysed" in rules
    budget = [f for f in findings if "request" in f["message"] and "budget" in f["message"]]
    assert budget, findings
    assert len(_code_reads(s, before)) == 1


def _commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def test_diff_reads_the_head_code_from_git_blobs(tmp_path, monkeypatch, capsys) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "ext").mkdir()
    for source in (e2e.EXAMPLES / "desk-extension").rglob("*"):
        target = root / "ext" / source.relative_to(e2e.EXAMPLES / "desk-extension")
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    (root / "ext" / "plugin-manifest.json").write_text(dump(example_manifest()))
    _commit_all(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "ext" / "plugin-manifest.json").write_text(with_scope("Desk.settings.ALL"))
    head = _commit_all(root, "widen")
    # the work tree no longer holds the code: only the commit's blobs can give it
    (root / "ext" / "app" / "js" / "widget.js").unlink()
    monkeypatch.chdir(root)

    def diff(*extra: str) -> list[str]:
        main(["diff", "--base", "main", "--head", "HEAD", "--format", "json", *extra])
        payload = json.loads(capsys.readouterr().out)
        return [f["rule"] for m in payload["manifests"] for f in m["findings"]]

    assert diff() == ["scope-unused"]
    assert diff("--no-code") == []
    # the blobs give what check gives for the same files on disk
    git(root, "checkout", "-q", "--", ".")
    [read] = git_tree.read_extensions_at(
        Repo(root), head, ["ext/plugin-manifest.json"], max_bytes=10**6, with_tree=True, code=True
    )
    assert read.code == read_code("ext", read.tree, root)
