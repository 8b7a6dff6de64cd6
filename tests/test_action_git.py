"""The git funnel as the Action uses it: no repository config runs, one repository trusted."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from checker.errors import GitError
from checker.git import Repo, run_git

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "f").write_text("x\n")
    _git(root, "add", "f")
    return root


def test_fsmonitor_from_the_repository_config_never_runs(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    _git(repo, "config", "core.fsmonitor", str(hook))
    # `git status` refreshes the index, the one place git asks an fsmonitor hook.
    run_git(["status", "--porcelain"], cwd=repo)
    assert not marker.exists()
    _git(repo, "status", "--porcelain")  # the same command without the funnel runs it
    assert marker.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's owner needs root")
def test_safe_directory_trusts_only_the_named_repository(repo: Path) -> None:
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 4242, 4242)
    with pytest.raises(GitError, match=r"dubious ownership|another user"):
        Repo(repo).git("rev-parse", "--is-shallow-repository")
    with pytest.raises(GitError, match=r"dubious ownership|another user"):
        Repo(repo, safe_directory=repo.parent).git("rev-parse", "--is-shallow-repository")
    trusted = Repo(repo, safe_directory=repo)
    assert trusted.git("rev-parse", "--is-shallow-repository").strip() == b"false"
