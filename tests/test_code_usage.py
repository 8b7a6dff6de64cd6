"""End to end: ``diff`` says whether the head's code needs each new scope or connection.

Each folder of ``tests/usage/`` (but ``base``) is the head of a pull request against
``tests/usage/base/plugin-manifest.json``: its manifest, its code under ``app/``, and
``expected.json``, a list of runs (extra arguments, ``used_by_code`` of every change that
carries it, by "kind after": the scope, or the connection's name, and ``used_by_code_note`` of
those whose answer is null: why, in words). The CLI runs as a user would, through ``main``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from checker.changes import USAGE_KINDS
from checker.cli import main

CASES = ROOT / "tests" / "usage"
BASE = CASES / "base" / "plugin-manifest.json"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name != "base")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def diff_json(capsys: pytest.CaptureFixture[str], head: Path, *args: str) -> dict[str, Any]:
    code, out = run(
        capsys,
        "diff",
        "--base-file",
        str(BASE),
        "--head-file",
        str(head / "plugin-manifest.json"),
        "--format",
        "json",
        *args,
    )
    assert code == 1, out  # every case escalates
    payload: dict[str, Any] = json.loads(out)
    return payload


def usage(payload: dict[str, Any]) -> dict[str, bool | None]:
    """``used_by_code`` of every change that has it, by "kind after"; other kinds have none."""
    found = {}
    for manifest in payload["manifests"]:
        for change in manifest["changes"]:
            carries = change["kind"] in {k.value for k in USAGE_KINDS}
            assert ("used_by_code" in change) == carries, change
            if carries:
                found[f"{change['kind']} {change['after']}"] = change["used_by_code"]
    return found


def notes(payload: dict[str, Any]) -> dict[str, str]:
    """``used_by_code_note`` of every change that has one, by "kind after"; only a null answer
    has a note."""
    found = {}
    for manifest in payload["manifests"]:
        for change in manifest["changes"]:
            if change["kind"] not in {k.value for k in USAGE_KINDS}:
                assert "used_by_code_note" not in change, change
                continue
            note = change["used_by_code_note"]
            assert (note is None) or change["used_by_code"] is None, change
            if note is not None:
                found[f"{change['kind']} {change['after']}"] = note
    return found


def test_every_case_is_listed():
    assert len(NAMES) >= 10
    for name in NAMES:
        assert (CASES / name / "expected.json").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_used_by_code(name, capsys):
    expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
    for case in expected["runs"]:
        payload = diff_json(capsys, CASES / name, *case["args"])
        assert usage(payload) == case["used_by_code"], (name, case["args"])
        assert notes(payload) == case.get("used_by_code_note", {}), (name, case["args"])
        if "--no-code" not in case["args"]:
            # the code was read: every answer that is not there says why
            unknown = {k for k, v in case["used_by_code"].items() if v is None}
            assert unknown == set(case.get("used_by_code_note", {})), name


@pytest.mark.parametrize("name", NAMES)
def test_no_code_answers_nothing(name, capsys):
    payload = diff_json(capsys, CASES / name, "--no-code")
    found = usage(payload)
    assert found
    assert set(found.values()) == {None}
    assert notes(payload) == {}  # not read by choice: nothing to explain


def _under(out: str, kind: str, *, detail: str = "") -> list[str]:
    """The explanation lines printed under the first change of ``kind`` (whose line holds
    ``detail``)."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if f"[{kind}]" in line and detail in line)
    below = []
    for line in lines[at + 1 :]:
        if not line.startswith("      "):
            break
        below.append(line.strip())
    return below


def test_text_says_it_under_the_escalation(capsys):
    args = ("diff", "--base-file", str(BASE), "--head-file")
    _, out = run(capsys, *args, str(CASES / "connection-unused" / "plugin-manifest.json"))
    assert "No call in the code uses this connection." in _under(out, "connection-added")
    assert "No call in the code needs this scope." in _under(out, "scope-added", detail="slack")
    _, out = run(capsys, *args, str(CASES / "scope-needed" / "plugin-manifest.json"))
    assert "Used by the code." in _under(out, "scope-added", detail='"zohodesk"')
    # not known: it says so, and why
    _, out = run(capsys, *args, str(CASES / "url-unresolved" / "plugin-manifest.json"))
    assert _under(out, "scope-added")[-1] == (
        "Not analysed against the code: 1 call of the connection was not analysed."
    )
    assert "code-not-analysed" in out  # the finding says which call, and what stopped it
    # not read at all (--no-code): nothing is said about the code
    _, out = run(capsys, *args, str(CASES / "url-unresolved" / "plugin-manifest.json"), "--no-code")
    below = _under(out, "scope-added")
    assert not any("code" in line for line in below), below


def sarif_results(capsys: pytest.CaptureFixture[str], name: str) -> list[dict[str, Any]]:
    """The SARIF results of ``diff`` from the base to the fixture head ``name``."""
    head = CASES / name / "plugin-manifest.json"
    _, out = run(
        capsys, "diff", "--base-file", str(BASE), "--head-file", str(head), "--format", "sarif"
    )
    results: list[dict[str, Any]] = json.loads(out)["runs"][0]["results"]
    return results


def test_sarif_carries_it_in_the_results_properties(capsys):
    results = sarif_results(capsys, "lattice")
    shown = {
        r["message"]["text"].split('"')[1]: r["properties"]["used_by_code"]
        for r in results
        if r["ruleId"] == "scope-added"
    }
    assert shown == {"Desk.contacts.ALL": True, "Desk.tasks.CREATE": False}
    assert {
        r["properties"]["used_by_code_note"] for r in results if r["ruleId"] == "scope-added"
    } == {None}
    (added,) = [r for r in sarif_results(capsys, "link-unresolved") if r["ruleId"] == "scope-added"]
    assert added["properties"] == {
        "used_by_code": None,
        "used_by_code_note": "the connection of 1 call is not known",
    }
    # findings have no such property
    assert all("properties" not in r for r in results if r["ruleId"] != "scope-added")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_work_tree_heads_carry_their_code(tmp_path, monkeypatch, capsys):
    # diff --base REF compares the work tree: its code is read as check reads it
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "plugin-manifest.json").write_bytes(BASE.read_bytes())
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    head = CASES / "scope-unneeded"
    (ext / "plugin-manifest.json").write_bytes((head / "plugin-manifest.json").read_bytes())
    (ext / "app" / "js").mkdir(parents=True)
    (ext / "app" / "js" / "main.js").write_bytes((head / "app" / "js" / "main.js").read_bytes())
    monkeypatch.chdir(tmp_path)
    for args, expected in (((), False), (("--no-code",), None)):
        code, out = run(capsys, "diff", "--base", "main", "--format", "json", *args)
        assert code == 1, out
        assert usage(json.loads(out)) == {"scope-added Desk.settings.ALL": expected}


def test_an_extension_without_code_files_is_no_evidence(tmp_path, capsys):
    # No widget code at all (a server or Deluge may use the connection): check reports nothing
    # unused and diff says null, where the same manifest beside code that calls nothing
    # else says false.
    head = CASES / "scope-unneeded"
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "plugin-manifest.json").write_bytes((head / "plugin-manifest.json").read_bytes())
    assert usage(diff_json(capsys, head)) == {"scope-added Desk.settings.ALL": False}
    bare_payload = diff_json(capsys, bare)
    assert usage(bare_payload) == {"scope-added Desk.settings.ALL": None}
    assert notes(bare_payload) == {
        "scope-added Desk.settings.ALL": "the extension has no code file to read"
    }
    for folder, unused in ((head, True), (bare, False)):
        _, out = run(capsys, "check", str(folder), "--format", "json")
        rules = {f["rule"] for m in json.loads(out)["manifests"] for f in m["findings"]}
        assert bool(rules & {"scope-unused", "connection-unused", "domain-unused"}) is unused, (
            folder,
            rules,
        )
