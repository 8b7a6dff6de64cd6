"""workflow_run post mode: the pull request comes from GitHub, never from the fork's artifact.

A fork's ``pull_request`` run executes the fork's own workflow files, so whatever it saves can
name any pull request. The posting run takes the pull request from the workflow_run event, or,
since GitHub leaves that empty for forks, from the pull requests GitHub lists for the head
commit, and posts only when exactly one open pull request from that head repository into this
repository matches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import test_action_e2e as e2e
from tests.github_server import PullState
from tests.test_action_e2e import PR, Scenario, dump, example_manifest, git, with_scope

pytestmark = pytest.mark.slow

github = e2e.github
scenario = e2e.scenario
FORK = "fork/extensions"
LAX = 8


def _run_payload(s: Scenario, head: str, pulls: list[dict[str, Any]] | None = None) -> dict:
    return {
        "action": "completed",
        "workflow_run": {
            "id": 99,
            "event": "pull_request",
            "head_sha": head,
            "head_branch": "feature",
            "pull_requests": pulls or [],
            "head_repository": {"full_name": FORK},
        },
    }


def _from_fork(s: Scenario) -> None:
    s.state.pulls[PR].head_repo = FORK


def _lax_branch(s: Scenario) -> str:
    """A second base branch, cut at the merge base, whose policy lets everything pass."""
    origin = s.tmp / "origin"
    git(origin, "checkout", "-q", "-b", "lax", s.merge_base)
    (origin / ".github").mkdir(exist_ok=True)
    (origin / ".github" / "zoho-manifest-guard.yml").write_text("warn-only: true\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "lax policy")
    tip = git(origin, "rev-parse", "HEAD")
    git(origin, "checkout", "-q", "main")
    files = s.state.pulls[PR].files
    s.state.pulls[LAX] = PullState(LAX, s.head, tip, files=files, head_repo=FORK, base_ref="lax")
    s.state.compares[(tip, s.head)] = (s.merge_base, files)
    s.state.trees[tip] = e2e.tree_of(origin, tip)
    policy = git(origin, "show", f"{tip}:.github/zoho-manifest-guard.yml") + "\n"
    s.state.contents[(tip, ".github/zoho-manifest-guard.yml")] = policy.encode()
    return tip


def _forge_artifact(s: Scenario, number: int) -> None:
    """What a fork's run could save: any pull request number, at the right head."""
    saved = s.work / ".zoho-manifest-guard"
    saved.mkdir(exist_ok=True)
    context = {"version": 1, "pr_number": number, "head_sha": s.head, "exit_code": 0}
    (saved / "context.json").write_text(json.dumps(context), encoding="utf-8")


def test_two_pull_requests_with_the_same_head_post_nothing(scenario) -> None:
    # The brief's reproduction: the fork opens a second pull request with the same head
    # commit against a branch whose policy is lax, and its artifact names that one.
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    _from_fork(s)
    _lax_branch(s)
    _forge_artifact(s, LAX)
    result = s.run(s.env("workflow_run", _run_payload(s, s.head)))
    assert result.code == 2, result.stdout
    assert f"#{PR}" in result.step_summary
    assert f"#{LAX}" in result.step_summary
    assert s.state.writes() == [], "nothing may be posted for an ambiguous head"
    assert s.state.check_runs == {}


def test_the_fork_pull_request_is_found_from_its_head_commit_without_an_artifact(
    scenario,
) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    _from_fork(s)
    # someone else's fork may hold the same commit: only the run's head repository counts
    s.state.pulls[11] = PullState(11, s.head, s.base_tip, head_repo="other/extensions")
    s.state.pulls[12] = PullState(12, s.head, s.base_tip, state="closed", head_repo=FORK)
    assert not (s.work / ".zoho-manifest-guard").exists()
    result = s.run(s.env("workflow_run", _run_payload(s, s.head)))
    assert result.code == 1, result.stdout  # the policy's answer, worked out again
    (check,) = s.state.check_runs.values()
    assert check["head_sha"] == s.head
    assert check["conclusion"] == "failure"
    assert s.state.count("GET", rf"/commits/{s.head}/pulls$") == 1
    assert [c["issue"] for c in e2e.our_comments(s.state)] == [PR]
    assert f"pull request #{PR}" in result.stdout


def test_a_forged_artifact_cannot_choose_the_lax_pull_request(scenario) -> None:
    # Only the lax pull request is open now: it is the one GitHub lists, so it is judged
    # under its own base's policy; the artifact naming #7 changes nothing.
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    _from_fork(s)
    _lax_branch(s)
    s.state.pulls[PR].state = "closed"
    _forge_artifact(s, PR)
    result = s.run(s.env("workflow_run", _run_payload(s, s.head)))
    assert result.code == 0, result.stdout  # warn-only on the lax branch
    assert [c["issue"] for c in e2e.our_comments(s.state)] == [LAX]


def test_the_events_own_pull_requests_count_when_github_names_them(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    ours = f"{s.server.api_url}/repos/{s.state.full_name}"
    entry = {
        "number": PR,
        "url": f"{ours}/pulls/{PR}",
        "head": {"ref": "feature", "sha": s.head, "repo": {"url": ours, "name": "extensions"}},
        "base": {"ref": "main", "sha": s.base_tip, "repo": {"url": ours, "name": "extensions"}},
    }
    elsewhere = "https://api.github.example/repos/fork/extensions"
    foreign = {
        **entry,
        "number": 3,
        "base": {"ref": "main", "sha": s.base_tip, "repo": {"url": elsewhere, "name": "x"}},
    }
    payload = _run_payload(s, s.head, [foreign, entry])
    payload["workflow_run"]["head_repository"] = {"full_name": s.state.full_name}
    result = s.run(s.env("workflow_run", payload))
    assert result.code == 1, result.stdout
    assert s.state.count("GET", r"/commits/[0-9a-f]+/pulls$") == 0
    assert s.state.count("GET", r"/pulls/3$") == 0, "a pull request of another repository"
    assert len(s.state.check_runs) == 1


def test_a_head_that_moved_on_posts_nothing(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    _from_fork(s)
    result = s.run(s.env("workflow_run", _run_payload(s, "1" * 40)))
    assert result.code == 2, result.stdout
    assert "no open pull request" in result.step_summary
    assert s.state.writes() == []


def test_the_readme_post_workflow_downloads_no_artifact() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    post = readme.split("# .github/workflows/manifest-guard-post.yml", 1)[1].split("```", 1)[0]
    assert "download-artifact" not in post
    assert "actions: read" not in post
