"""``zoho-manifest-guard init``: what it writes passes GitHub's workflow schema, zizmor and our
own policy loader; it never overwrites without --force and never writes through a link."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from github_files import load, schema_errors, severe, zizmor

from checker import scaffold
from checker.cli import main
from checker.policy import DEFAULT_POLICY, parse_policy, policy_schema_text

SHA = "0123456789abcdef0123456789abcdef01234567"
WORKFLOW = ".github/workflows/manifest-guard.yml"
POST = ".github/workflows/manifest-guard-post.yml"
POLICY = ".github/zoho-manifest-guard.yml"

pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["init", "--action-sha", SHA, "--action-version", "v1.2.3", *args])
    out, err = capsys.readouterr()
    return code, out, err


def text(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def test_init_in_an_empty_repository_writes_files_that_pass_schema_zizmor_and_loader(
    repo, capsys
) -> None:
    code, out, _ = init(capsys)
    assert code == 0
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / ".github").rglob("*")) == [
        ".github/workflows",
        WORKFLOW,
        POLICY,
    ]
    assert f"wrote {WORKFLOW}\nwrote {POLICY}\n" in out
    assert "no plugin-manifest.json found yet" in out
    workflow = text(repo, WORKFLOW)
    assert schema_errors("github-workflow.json", workflow) == []
    assert severe(zizmor(repo / ".github" / "workflows")) == []
    policy = parse_policy(text(repo, POLICY), POLICY)
    assert policy == dataclasses.replace(DEFAULT_POLICY, source=POLICY)
    schema_id = json.loads(policy_schema_text())["$id"]
    assert text(repo, POLICY).startswith(f"# yaml-language-server: $schema={schema_id}\n")
    parsed = load(workflow)
    assert parsed["permissions"] == {}
    assert parsed["on"]["push"]["branches"] == ["main"]
    assert parsed["on"]["pull_request"]["paths"] == [
        "**/plugin-manifest.json",
        "**/resources.json",
        POLICY,
        WORKFLOW,
    ]
    assert parsed["on"]["push"]["paths"] == parsed["on"]["pull_request"]["paths"]
    assert "merge_group" in parsed["on"]


def test_every_action_is_pinned_by_commit_with_its_version(repo, capsys) -> None:
    assert init(capsys, "--forks")[0] == 0
    uses = re.findall(r"uses: (\S+)@(\S+) # (\S+)", text(repo, WORKFLOW) + text(repo, POST))
    pins = scaffold.action_pins()
    assert {name for name, _, _ in uses} == {
        "actions/checkout",
        "zoho-manifest-guard/zoho-manifest-guard",
    }
    for name, commit, version in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", commit), name
        if name in pins:
            assert (commit, version) == (pins[name].commit, pins[name].version)
        else:
            assert (commit, version) == (SHA, "v1.2.3")
    assert len(re.findall(r"uses: ", text(repo, WORKFLOW) + text(repo, POST))) == len(uses)


def test_paths_are_the_extensions_found(repo, capsys) -> None:
    shutil.copytree(EXAMPLES / "desk-extension", repo / "apps" / "orders")
    shutil.copytree(EXAMPLES / "broken-extension", repo / "legacy")
    shutil.copytree(EXAMPLES / "desk-extension", repo / "node_modules" / "x")  # not searched
    code, out, _ = init(capsys)
    assert code == 0
    assert "extensions found: apps/orders/plugin-manifest.json, legacy/plugin-manifest.json" in out
    paths = load(text(repo, WORKFLOW))["on"]["pull_request"]["paths"]
    assert paths == [
        "**/plugin-manifest.json",
        "**/resources.json",
        "apps/orders/**",
        "legacy/**",
        POLICY,
        WORKFLOW,
    ]


def test_an_extension_at_the_root_needs_no_paths_filter(repo, capsys) -> None:
    shutil.copytree(EXAMPLES / "desk-extension", repo, dirs_exist_ok=True)
    assert init(capsys)[0] == 0
    workflow = text(repo, WORKFLOW)
    assert "paths" not in load(workflow)["on"]["pull_request"]
    assert "paths" not in load(workflow)["on"]["push"]
    assert schema_errors("github-workflow.json", workflow) == []


def test_forks_adds_the_workflow_run_pair(repo, capsys) -> None:
    code, out, _ = init(capsys, "--forks")
    assert code == 0
    assert f"wrote {POST}" in out
    workflow, post = load(text(repo, WORKFLOW)), load(text(repo, POST))
    # the posting run reads nothing the fork's run saved: no artifact on either side
    assert not any(
        "artifact" in step.get("uses", "") for step in workflow["jobs"]["guard"]["steps"]
    )
    assert post["on"]["workflow_run"]["workflows"] == [workflow["name"]]
    job = post["jobs"]["post"]
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    assert "actions" not in job["permissions"]
    assert [step.get("uses", "").split("@")[0] for step in job["steps"]] == [
        "zoho-manifest-guard/zoho-manifest-guard"
    ]
    for path in (WORKFLOW, POST):
        assert schema_errors("github-workflow.json", text(repo, path)) == [], path
    assert severe(zizmor(repo / ".github" / "workflows")) == []


def test_the_workflow_asks_for_the_permissions_the_readme_documents(repo, capsys) -> None:
    assert init(capsys)[0] == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("In a workflow (`.github/workflows/manifest-guard.yml`):", 1)[1]
    documented = load(block.split("```yaml\n", 1)[1].split("```", 1)[0])
    written = load(text(repo, WORKFLOW))
    assert written["jobs"]["guard"]["permissions"] == documented["jobs"]["guard"]["permissions"]
    assert written["on"]["pull_request"]["types"] == documented["on"]["pull_request"]["types"]
    checkout = written["jobs"]["guard"]["steps"][0]
    assert checkout == documented["jobs"]["guard"]["steps"][0]


def test_existing_files_are_never_overwritten_without_force(repo, capsys) -> None:
    (repo / ".github").mkdir()
    (repo / POLICY).write_text("warn-only: true\n", encoding="utf-8")
    code, _, err = init(capsys)
    assert code == 2
    assert ".github/zoho-manifest-guard.yml already exist" in err
    assert "--force" in err
    assert not (repo / WORKFLOW).exists()  # all checked before anything is written
    assert text(repo, POLICY) == "warn-only: true\n"
    code, out, _ = init(capsys, "--force")
    assert code == 0
    assert f"wrote {POLICY}" in out
    assert parse_policy(text(repo, POLICY)) == dataclasses.replace(DEFAULT_POLICY, source=POLICY)


def test_links_are_refused_even_with_force(repo, tmp_path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".github").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = init(capsys, "--force")
    assert code == 2
    assert ".github is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []
    (repo / ".github").unlink()
    (repo / ".github" / "workflows").mkdir(parents=True)
    target = tmp_path / "target.yml"
    target.write_text("keep\n", encoding="utf-8")
    (repo / WORKFLOW).symlink_to(target)
    code, _, err = init(capsys, "--force")
    assert code == 2
    assert f"{WORKFLOW} is a symbolic link" in err
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert not (repo / POLICY).exists()


def test_a_file_where_a_folder_belongs_is_an_input_error(repo, capsys) -> None:
    (repo / ".github").write_text("not a folder\n", encoding="utf-8")
    code, _, err = init(capsys, "--force")
    assert code == 2
    assert ".github is not a folder" in err


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    path = tmp_path / "file.yml"
    path.write_text("old\n", encoding="utf-8")

    def broken(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        scaffold.write_atomically(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["file.yml"]


def test_written_files_are_whole_and_readable(tmp_path) -> None:
    path = tmp_path / "a" / "b.yml"
    scaffold.write_atomically(path, "x: 1\n")
    assert path.read_text(encoding="utf-8") == "x: 1\n"
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in path.parent.iterdir()] == ["b.yml"]


def test_outside_a_repository_init_refuses(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = init(capsys)
    assert code == 2
    assert "is not inside a git repository" in err
    assert not (tmp_path / ".github").exists()


def test_a_malformed_action_sha_is_refused(repo, capsys) -> None:
    code = main(["init", "--action-sha", "v1.2.3"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--action-sha 'v1.2.3' is not a full commit id" in err
    assert not (repo / ".github").exists()


def test_a_development_build_asks_for_the_commit_to_pin(repo, capsys, monkeypatch) -> None:
    monkeypatch.setattr(scaffold, "release_pin", lambda: None)
    code = main(["init"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "pass --action-sha" in err
    assert not (repo / ".github").exists()


def test_a_release_build_pins_its_own_commit(repo, capsys, monkeypatch) -> None:
    real = scaffold._data

    def data(package: str, name: str) -> str:
        if name == scaffold.RELEASE_FILE:
            return json.dumps({"version": "2.0.1", "commit": "f" * 40})
        return real(package, name)

    monkeypatch.setattr(scaffold, "_data", data)
    assert main(["init"]) == 0
    assert f"zoho-manifest-guard/zoho-manifest-guard@{'f' * 40} # v2.0.1" in text(repo, WORKFLOW)


def test_the_push_branch_is_the_remote_default(repo, capsys) -> None:
    subprocess.run(["git", "switch", "-q", "-c", "develop"], check=True)
    assert init(capsys)[0] == 0
    assert load(text(repo, WORKFLOW))["on"]["push"]["branches"] == ["develop"]
    assert init(capsys, "--force", "--branch", "trunk")[0] == 0
    assert load(text(repo, WORKFLOW))["on"]["push"]["branches"] == ["trunk"]
    code, _, err = init(capsys, "--force", "--branch", "a]b")
    assert code == 2
    assert "is not a branch name" in err


def test_action_pins_catalogue_has_the_shape_of_pins() -> None:
    raw = json.loads((ROOT / "checker" / "catalog" / "action_pins.json").read_text())
    assert raw
    for name, entry in raw.items():
        assert re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", name), name
        assert set(entry) == {"commit", "version"}, name
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), name
        assert re.fullmatch(r"v\d+\.\d+\.\d+", entry["version"]), name


def test_readme_and_workflows_use_the_catalogue_pins() -> None:
    """One pin per action across the README, this repository's workflows and init's output."""
    pins = scaffold.action_pins()
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / ".github").rglob("*.yml")]
    for found in re.finditer(r"uses: (actions/[a-z-]+)@(\S+) # (\S+)", "\n".join(texts)):
        name, commit, version = found.groups()
        if name in pins:
            assert (commit, version) == (pins[name].commit, pins[name].version), name


def test_policy_template_spells_out_every_key_of_the_schema() -> None:
    keys = set(json.loads(policy_schema_text())["properties"])
    template = (ROOT / "checker" / "templates" / "zoho-manifest-guard.yml").read_text()
    written = {line.split(":", 1)[0] for line in template.splitlines() if re.match(r"[a-z]", line)}
    assert written == keys
