"""The hooks of .pre-commit-hooks.yaml run by the real pre-commit (``pre-commit try-repo``).

pre-commit builds the hooks' environment itself, with pip from the package index, as a user's
machine does; the tests skip, saying why, only when that index cannot be reached. Each
``try-repo`` builds a fresh environment (pre-commit gives it a store of its own), so the
tests are few and each asks for one verdict that matters.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def _environment(home: Path) -> dict[str, str]:
    """The caller's environment (pip's index settings and cache) with git kept to itself."""
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "PRE_COMMIT_HOME": str(home / "pre-commit-home"),
        "NO_COLOR": "1",
    }


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def index_reachable(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip when pip cannot reach the package index pre-commit installs the hooks from."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: pre-commit try-repo clones it")
    probe = tmp_path_factory.mktemp("probe")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(probe), "pyyaml>=6"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.skip(
            "the package index is unreachable (pip download pyyaml failed), so pre-commit "
            f"cannot build the hook's environment: {done.stderr.strip()[-300:]}"
        )


@pytest.fixture
def repo(tmp_path: Path, index_reachable: None) -> tuple[Path, dict[str, str]]:
    """A user's repository holding both bundled examples, committed on main."""
    env = _environment(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    _git(work, env, "init", "-q", "-b", "main")
    for name in ("broken-extension", "desk-extension"):
        shutil.copytree(EXAMPLES / name, work / "extensions" / name)
    _git(work, env, "add", "-A")
    _git(work, env, "commit", "-q", "-m", "extensions")
    return work, env


def _try_repo(work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *args, "--verbose"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if "Could not fetch URL" in done.stdout + done.stderr:
        pytest.skip("pip lost the package index while pre-commit built the hook's environment")
    return done


def test_hooks_file_declares_both_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"zoho-manifest-guard", "zoho-manifest-guard-diff"}
    check, diff = hooks["zoho-manifest-guard"], hooks["zoho-manifest-guard-diff"]
    assert check["language"] == diff["language"] == "python"
    assert check["entry"] == "zoho-manifest-guard check --changed-files"
    assert diff["entry"] == "zoho-manifest-guard diff --pre-push"
    assert diff["stages"] == ["pre-push"]
    assert diff["pass_filenames"] is False
    pattern = re.compile(check["files"])
    assert pattern.search("plugin-manifest.json")
    assert pattern.search("a/b/resources.json")
    assert not pattern.search("a/my-plugin-manifest.json")
    assert not pattern.search("a/resources.json.bak")


def test_check_hook_fails_on_the_broken_example_with_its_rule_ids(repo) -> None:
    work, env = repo
    folder = "extensions/broken-extension"
    done = _try_repo(
        work,
        env,
        "zoho-manifest-guard",
        "--files",
        f"{folder}/resources.json",
        f"{folder}/README.md",
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Zoho Manifest Guard (check)" in out, out
    assert "Failed" in out, out
    # only resources.json was named: the extension it belongs to is checked whole
    for rule in ("[manifest-schema]", "[json-duplicate-key]", "[resources-webhook-org]"):
        assert rule in out, out
    assert f"{folder}/plugin-manifest.json:4:14: error:" in out, out


def test_check_hook_passes_the_clean_example(repo) -> None:
    work, env = repo
    folder = "extensions/desk-extension"
    done = _try_repo(
        work,
        env,
        "zoho-manifest-guard",
        "--files",
        f"{folder}/plugin-manifest.json",
        f"{folder}/resources.json",
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "Passed" in out, out
    assert "0 errors, 0 warnings, 0 notices in 1 manifest: pass" in out, out


def test_pre_push_hook_blocks_an_escalation_whatever_the_branch_policy_says(repo) -> None:
    """A pushed branch that adds Desk.settings.ALL and, in the same push, a policy that would
    let it through: the policy is read at the merge base (as in CI), so the push is blocked."""
    work, env = repo
    remote = work.parent / "remote.git"
    _git(work.parent, env, "init", "-q", "--bare", "-b", "main", str(remote))
    _git(work, env, "remote", "add", "origin", str(remote))
    _git(work, env, "push", "-q", "origin", "main")
    _git(work, env, "remote", "set-head", "origin", "main")
    _git(work, env, "switch", "-q", "-c", "feature")
    manifest = work / "extensions" / "desk-extension" / "plugin-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["zohoAuthorisation"]["scope"].append("Desk.settings.ALL")
    manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    policy = work / ".github" / "zoho-manifest-guard.yml"
    policy.parent.mkdir()
    policy.write_text("warn-only: true\n", encoding="utf-8")
    _git(work, env, "add", "-A")
    _git(work, env, "commit", "-q", "-m", "widen the scopes")
    pushed = _git(work, env, "rev-parse", "HEAD")
    done = _try_repo(
        work,
        env,
        "zoho-manifest-guard-diff",
        "--hook-stage",
        "pre-push",
        "--from-ref",
        _git(work, env, "rev-parse", "origin/main"),
        "--to-ref",
        pushed,
        "--remote-name",
        "origin",
        "--remote-url",
        str(remote),
        "--remote-branch",
        "refs/heads/feature",
        "--local-branch",
        "refs/heads/feature",
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "[scope-added]" in out, out
    assert "Desk.settings.ALL" in out, out
    assert "of origin/HEAD" in out, out
    assert "policy: the defaults" in out, out  # not the branch's warn-only file
