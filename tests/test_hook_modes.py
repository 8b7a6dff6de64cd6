"""The CLI modes the pre-commit hooks use: ``check --changed-files`` and ``diff --pre-push``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES

from checker.cli import main

pytestmark = pytest.mark.usefixtures("isolated_git")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("broken-extension", "desk-extension"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_resources_json_checks_its_whole_extension(examples, capsys) -> None:
    code, out, _ = run(capsys, "check", "--changed-files", "broken-extension/resources.json")
    assert code == 1
    assert "broken-extension/plugin-manifest.json:4:14: error:" in out  # the manifest too
    assert "[resources-webhook-org]" in out
    assert out.rstrip().endswith("in 1 manifest: fail")


def test_changed_files_of_one_extension_check_it_once(examples, capsys) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--changed-files",
        "desk-extension/plugin-manifest.json",
        "desk-extension/resources.json",
        "--format",
        "json",
    )
    report = json.loads(out)
    assert code == 0
    assert [m["path"] for m in report["manifests"]] == ["desk-extension/plugin-manifest.json"]


def test_files_outside_an_extension_are_named_and_not_checked(examples, capsys) -> None:
    (examples / "other").mkdir()
    (examples / "other" / "resources.json").write_text("{}", encoding="utf-8")
    code, out, _ = run(
        capsys,
        "check",
        "--changed-files",
        "other/resources.json",
        "desk-extension/README.md",
        "--format",
        "json",
    )
    report = json.loads(out)
    assert code == 0
    assert report["manifests"] == []
    assert report["notes"] == [
        "other/resources.json: not a file of an extension, not checked",
        "desk-extension/README.md: not a file of an extension, not checked",
        "no extension among the changed files: nothing checked",
    ]


def test_a_missing_changed_file_is_an_input_error(examples, capsys) -> None:
    code, _, err = run(capsys, "check", "--changed-files", "gone/plugin-manifest.json")
    assert code == 2
    assert "gone/plugin-manifest.json: no such file or folder" in err


def test_without_changed_files_a_resources_json_is_read_as_a_manifest(examples, capsys) -> None:
    """The option is what turns file names into extensions: without it nothing changes."""
    code, out, _ = run(capsys, "check", "desk-extension/resources.json")
    assert code == 1
    assert "desk-extension/resources.json" in out


def _pushed_repo(root: Path) -> tuple[Path, str]:
    """main pushed to a bare origin; a feature commit that adds Desk.settings.ALL."""
    remote = root / "remote.git"
    work = root / "work"
    git(root, "init", "-q", "--bare", "-b", "main", str(remote))
    git(root, "init", "-q", "-b", "main", str(work))
    shutil.copytree(EXAMPLES / "desk-extension", work / "ext")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "base")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "origin", "main")
    git(work, "switch", "-q", "-c", "feature")
    manifest = work / "ext" / "plugin-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["zohoAuthorisation"]["scope"].append("Desk.settings.ALL")
    manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    git(work, "commit", "-q", "-am", "widen")
    return work, git(work, "rev-parse", "HEAD")


def test_pre_push_needs_the_remote_default_branch(tmp_path, monkeypatch, capsys) -> None:
    work, _ = _pushed_repo(tmp_path)
    monkeypatch.chdir(work)
    code, _, err = run(capsys, "diff", "--pre-push")
    assert code == 2
    assert "origin/HEAD" in err
    assert "git remote set-head origin --auto" in err
    assert "[--base, origin/main]" in err


def test_pre_push_compares_the_pushed_commit_with_the_default_branch(
    tmp_path, monkeypatch, capsys
) -> None:
    work, pushed = _pushed_repo(tmp_path)
    git(work, "remote", "set-head", "origin", "main")
    monkeypatch.chdir(work)
    # After the commit the escalation is undone in the work tree: the push still carries it.
    manifest = work / "ext" / "plugin-manifest.json"
    shutil.copy(EXAMPLES / "desk-extension" / "plugin-manifest.json", manifest)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", pushed)
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "origin")
    code, out, _ = run(capsys, "diff", "--pre-push")
    assert code == 1, out
    assert "Desk.settings.ALL" in out
    assert "[scope-added]" in out
    assert f"compared {pushed}" in out
    assert "of origin/HEAD" in out
    # without pre-commit's variables, HEAD is the commit a push would send
    monkeypatch.delenv("PRE_COMMIT_TO_REF")
    code, out, _ = run(capsys, "diff", "--pre-push")
    assert code == 1
    assert "compared HEAD with" in out


def test_pre_push_uses_the_named_remote_and_an_explicit_base(tmp_path, monkeypatch, capsys) -> None:
    work, pushed = _pushed_repo(tmp_path)
    monkeypatch.chdir(work)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", pushed)
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "upstream")
    code, _, err = run(capsys, "diff", "--pre-push")
    assert code == 2
    assert "upstream/HEAD" in err
    code, out, _ = run(capsys, "diff", "--pre-push", "--base", "origin/main")
    assert code == 1
    assert "of origin/main" in out
    code, out, _ = run(capsys, "diff", "--pre-push", "--base", "feature")
    assert code == 0, out  # the pushed commit against itself: nothing changed


def test_pre_push_takes_no_files(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "diff", "--pre-push", "--head-file", "x.json")
    assert code == 2
    assert "--pre-push compares commits" in err
