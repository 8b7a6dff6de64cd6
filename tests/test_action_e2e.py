"""End to end: the Action with real PyGithub over real HTTP against tests/github_server.py,
on a real git repository holding base, head and merge commits."""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import checker.action.base
from checker.action import run
from checker.action.render import REQUEST_CHANGES_MARKER, SUMMARY_MARKER, token_signature
from tests.conftest import EXAMPLES
from tests.github_server import GitHubServer, GitHubState, PullState

pytestmark = pytest.mark.slow

MANIFEST = "ext/plugin-manifest.json"
PR = 7
SCOPE_LINE = re.compile(r'"scope": \[')


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def example_manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (EXAMPLES / "desk-extension" / "plugin-manifest.json").read_text(encoding="utf-8")
    )
    return data


def dump(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


@dataclass
class Scenario:
    """A repository with main moved on after the branch point, a feature head and a merge."""

    work: Path
    merge_base: str
    base_tip: str
    head: str
    merge: str
    state: GitHubState
    server: GitHubServer
    tmp: Path

    def reclone(self, mode: str) -> None:
        """Replace the workspace with another kind of checkout of the head (see CLONES)."""
        shutil.rmtree(self.work)
        checkout(self.tmp / "origin", self.work, self.head, mode)

    def env(
        self, event: str = "pull_request", payload: dict[str, Any] | None = None, **inputs: str
    ) -> dict[str, str]:
        event_path = self.tmp / "event.json"
        if payload is None:
            payload = pull_payload(self)
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        env = {
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": self.state.full_name,
            "GITHUB_SHA": self.merge,
            "GITHUB_API_URL": self.server.api_url,
            "GITHUB_WORKSPACE": str(self.work),
            "GITHUB_OUTPUT": str(self.tmp / "output.txt"),
            "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md"),
            "INPUT_TOKEN": self.state.token,
            "INPUT_PATHS": "**/plugin-manifest.json",
            "ZMG_SECONDS_BETWEEN_REQUESTS": "0",
            "ZMG_SECONDS_BETWEEN_WRITES": "0",
            "ZMG_RETRY_BACKOFF": "0.01",
        }
        for name, value in inputs.items():
            env[f"INPUT_{name.upper().replace('_', '-')}"] = value
        for name in ("output.txt", "summary.md"):
            (self.tmp / name).write_text("", encoding="utf-8")
        return env

    def run(self, env: dict[str, str]) -> Result:
        stdout = io.StringIO()
        code = run(env, stdout)
        return Result(
            code,
            stdout.getvalue(),
            (self.tmp / "output.txt").read_text(encoding="utf-8"),
            (self.tmp / "summary.md").read_text(encoding="utf-8"),
        )


@dataclass
class Result:
    code: int
    stdout: str
    output_file: str
    step_summary: str

    @property
    def outputs(self) -> dict[str, str]:
        found = {}
        for match in re.finditer(r"^(\S+)<<(\S+)\n(.*?)\n\2$", self.output_file, re.M | re.S):
            found[match.group(1)] = match.group(3)
        return found


def pull_payload(s: Scenario) -> dict[str, Any]:
    repo = {"full_name": s.state.full_name}
    return {
        "action": "synchronize",
        "number": PR,
        "pull_request": {
            "number": PR,
            "head": {"sha": s.head, "ref": "feature", "repo": repo},
            "base": {"sha": s.base_tip, "ref": "main", "repo": repo},
            "labels": [],
        },
        "sender": {"login": "contributor"},
    }


def build(
    tmp: Path,
    state: GitHubState,
    server: GitHubServer,
    base: str,
    head: str,
    *,
    policy: str | None = None,
    extra_head: dict[str, str] | None = None,
    extra_base: dict[str, str] | None = None,
    edit: Callable[[Path], None] | None = None,
    edit_base: Callable[[Path], None] | None = None,
    clone: str = "full",
) -> Scenario:
    repo = tmp / "origin"
    shutil.copytree(EXAMPLES / "desk-extension", repo / "ext")
    (repo / "ext" / "plugin-manifest.json").write_text(base, encoding="utf-8")
    for name, text in (extra_base or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    if policy is not None:
        (repo / ".github").mkdir()
        (repo / ".github" / "zoho-manifest-guard.yml").write_text(policy, encoding="utf-8")
    if edit_base is not None:
        edit_base(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    merge_base = git(repo, "rev-parse", "HEAD")
    (repo / "NOTES.md").write_text("main moved on\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "main moves on")
    base_tip = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature", merge_base)
    (repo / "ext" / "plugin-manifest.json").write_text(head, encoding="utf-8")
    for name, text in (extra_head or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    if edit is not None:
        edit(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "head")
    head_sha = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "feature")
    merge = git(repo, "rev-parse", "HEAD")
    # The workspace: a checkout of the pull request's head, as the README's workflow does.
    work = tmp / "workspace"
    checkout(repo, work, head_sha, clone)
    register(state, repo, merge_base, base_tip, head_sha)
    return Scenario(work, merge_base, base_tip, head_sha, merge, state, server, tmp)


# How the workspace is checked out: "full" history (actions/checkout with fetch-depth: 0),
# "shallow" (its default, fetch-depth: 1), "branch" (only the feature branch: the base
# commit is missing) or "files" (no .git at all).
CLONES = ("full", "shallow", "branch", "files")


def checkout(repo: Path, work: Path, head: str, mode: str) -> None:
    if mode == "shallow":
        git(repo.parent, "clone", "-q", "--depth=1", "--branch=feature", repo.as_uri(), str(work))
    elif mode == "branch":
        # file:// so that git sends only what the branch reaches (a path would copy every object).
        uri = repo.as_uri()
        git(repo.parent, "clone", "-q", "--single-branch", "--branch=feature", uri, str(work))
    else:
        git(repo.parent, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", head)
    if mode == "files":
        shutil.rmtree(work / ".git")


def changed_files(repo: Path, old: str, new: str) -> list[dict[str, Any]]:
    files = []
    for line in git(repo, "diff", "--name-status", "-M", old, new).splitlines():
        parts = line.split("\t")
        letter = parts[0][0]
        status = {"A": "added", "D": "removed", "M": "modified", "T": "changed"}.get(
            letter, "renamed"
        )
        item: dict[str, Any] = {"filename": parts[-1], "status": status, "sha": "0" * 40}
        if status == "renamed":
            item["previous_filename"] = parts[1]
        files.append(item)
    return files


def tree_of(repo: Path, sha: str) -> list[dict[str, Any]]:
    """The commit's recursive tree as the git trees API lists it."""
    items = []
    for line in git(repo, "ls-tree", "-r", "-t", "-l", sha).splitlines():
        meta, path = line.split("\t", 1)
        mode, kind, object_sha, size = meta.split()
        item: dict[str, Any] = {"path": path, "mode": mode, "type": kind, "sha": object_sha}
        if kind == "blob":
            item["size"] = int(size)
        items.append(item)
    return items


def register(state: GitHubState, repo: Path, merge_base: str, base_tip: str, head: str) -> None:
    files = changed_files(repo, merge_base, head)
    state.pulls[PR] = PullState(PR, head, base_tip, files=files)
    state.compares[(base_tip, head)] = (merge_base, files)
    for sha in (merge_base, base_tip, head):
        state.trees[sha] = tree_of(repo, sha)
        # the tarball GitHub serves: git archive, below one owner-repo-sha folder
        prefix = f"--prefix={state.owner}-{state.repo}-{sha[:7]}/"
        state.archives[sha] = subprocess.run(
            ["git", "archive", "--format=tar.gz", prefix, sha],
            cwd=repo,
            capture_output=True,
            check=True,
        ).stdout
        listed = [line.split("\t", 1) for line in git(repo, "ls-tree", "-r", sha).splitlines()]
        led_to = _link_targets(repo, sha, listed)
        for meta, path in listed:
            # Only what the action may ask for: manifests, resources.json, the policy file,
            # JSON files a link may lead to, the code of an extension (the head side reads
            # it for the code audit), and every link and the file it names (the head side
            # follows a code file's links wherever they lead in the repository).
            code = any(part in ("app", "src") for part in path.split("/")[:-1])
            link = meta.startswith("120000 ")
            if (
                not path.endswith(".json")
                and not path.startswith(".github/")
                and not code
                and not link
                and path not in led_to
            ):
                continue
            blob = subprocess.run(
                ["git", "show", f"{sha}:{path}"], cwd=repo, capture_output=True, check=True
            ).stdout
            # a link, as GitHub answers for one that does not lead to a file it can serve
            state.contents[(sha, path)] = ("symlink", blob.decode()) if link else blob


def _link_targets(repo: Path, sha: str, listed: list[list[str]]) -> set[str]:
    """The repository paths the links of a commit name (taken from each link's folder)."""
    found = set()
    for meta, path in listed:
        if meta.startswith("120000 "):
            target = git(repo, "cat-file", "blob", f"{sha}:{path}")
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(path), target)))
    return found


@pytest.fixture
def github():
    state = GitHubState()
    state.permissions.update({"maintainer": "maintain", "reader": "read"})
    with GitHubServer(state) as server:
        yield state, server
    assert state.invalid == [], "requests GitHub would reject with 422"
    assert state.count("GET", r"/user$") == 0, "GET /user must never be called"


@pytest.fixture
def scenario(tmp_path, github):
    state, server = github

    def make(base: str, head: str, **kwargs: Any) -> Scenario:
        return build(tmp_path, state, server, base, head, **kwargs)

    return make


def needs_compare() -> None:
    pytest.importorskip("checker.compare", reason="the diff engine (issue 3) has not landed")


def with_scope(extra: str) -> str:
    manifest = example_manifest()
    manifest["zohoAuthorisation"]["scope"].append(extra)
    return dump(manifest)


def many_findings(count: int) -> str:
    manifest = example_manifest()
    # Each scope written with a trailing space is one scope-grammar error on its own line.
    manifest["zohoAuthorisation"]["scope"] += [f"Desk.t{i}.READ " for i in range(count)]
    return dump(manifest)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def our_comments(state: GitHubState) -> list[dict[str, Any]]:
    return [c for c in state.comments if c["user"]["login"] == state.bot]


# --- tests ---------------------------------------------------------------------------------------


def test_clean_pull_request(scenario) -> None:
    clean = dump(example_manifest())
    s = scenario(clean, clean)
    result = s.run(s.env())
    assert result.code == 0, result.stdout
    runs = list(s.state.check_runs.values())
    assert len(runs) == 1
    assert runs[0]["head_sha"] == s.head != s.merge
    assert runs[0]["conclusion"] == "success"
    assert runs[0]["annotations"] == []
    assert len(our_comments(s.state)) == 1
    assert SUMMARY_MARKER in our_comments(s.state)[0]["body"]
    assert result.outputs["verdict"] == "pass"
    assert result.outputs["findings"] == "0"
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    assert report["verdict"] == "pass"
    assert (s.work / result.outputs["summary-markdown"]).is_file()
    assert "Zoho Manifest Guard" in result.step_summary
    assert s.state.token not in result.stdout + result.step_summary


def test_escalation_fails_with_annotation_on_the_scope_line(scenario) -> None:
    needs_compare()
    head = with_scope("Desk.settings.ALL")
    s = scenario(dump(example_manifest()), head)
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    (check,) = s.state.check_runs.values()
    assert check["conclusion"] == "failure"
    line = line_of(head, '"Desk.settings.ALL"')
    lines = {(a["path"], a["start_line"]) for a in check["annotations"]}
    assert (MANIFEST, line) in lines
    assert result.outputs["verdict"] == "fail"
    assert int(result.outputs["escalations"]) >= 1


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_more_than_fifty_findings_are_all_delivered_in_batches(scenario, clone) -> None:
    base = dump(example_manifest())
    s = scenario(base, many_findings(120), clone=clone)
    # the manifest's findings alone (the code audit would add a scope-unused for each scope)
    result = s.run(s.env(code="false"))
    assert result.code == 1
    (check,) = s.state.check_runs.values()
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    findings = sum(len(m["findings"]) for m in report["manifests"])
    assert findings == int(result.outputs["findings"]) == 120
    # Every finding, plus every new scope (an escalation) on its own line.
    total = findings + int(result.outputs["escalations"])
    assert total == 240
    assert len(check["annotations"]) == total
    assert len({(a["start_line"], a["title"]) for a in check["annotations"]}) == total
    posts = [r for r in s.state.requests if r.path.endswith("/check-runs")]
    patches = [r for r in s.state.requests if re.search(r"/check-runs/\d+$", r.path)]
    assert len(posts) == 1
    assert len(patches) == -(-total // 50) - 1
    for request in posts + patches:
        assert len(request.body["output"].get("annotations", [])) <= 50
    # The whole run: ceil(N/50) check-run requests plus a small constant: label events and
    # comments (one page each), the comment; without local history also compare, the files
    # list and the pull request (whose count says whether the list is whole), the policy
    # (absent: the base tree's top level says so) and the manifest at the base.
    constant = 3 if clone == "full" else 9
    assert len(s.state.requests) == -(-total // 50) + constant, [r.path for r in s.state.requests]


def test_second_run_updates_the_summary_instead_of_repeating_it(scenario) -> None:
    base = dump(example_manifest())
    s = scenario(base, many_findings(2))
    foreign = s.state.add_comment(PR, "mallory", f"{SUMMARY_MARKER}\nfake summary")
    s.run(s.env())
    assert len(our_comments(s.state)) == 1
    first = our_comments(s.state)[0]["body"]

    # Nothing changed: the comment is left alone (no PATCH at all).
    before = len(s.state.requests)
    s.run(s.env())
    edits = [r for r in s.state.requests[before:] if r.method == "PATCH" and "comments" in r.path]
    assert edits == []
    assert our_comments(s.state)[0]["body"] == first

    # The head changes: the same comment is edited in place.
    (s.work / MANIFEST).write_text(many_findings(3), encoding="utf-8")
    before = len(s.state.requests)
    s.run(s.env())
    edits = [r for r in s.state.requests[before:] if r.method == "PATCH" and "comments" in r.path]
    assert len(edits) == 1
    assert len(our_comments(s.state)) == 1
    assert our_comments(s.state)[0]["body"] != first
    assert foreign["body"] == f"{SUMMARY_MARKER}\nfake summary"


def test_a_personal_token_finds_its_own_summary_again_without_asking_who_it_is(scenario) -> None:
    # A personal access token writes as its user (here "release-manager"), may not create
    # check runs, and the action never calls GET /user: its comments carry a signature.
    s = scenario(dump(example_manifest()), many_findings(2))
    s.state.token = "ghp_personal_token_not_secret"
    s.state.bot = "release-manager"
    s.state.forbidden.append(r"/check-runs")
    s.run(s.env())
    (first,) = [c for c in s.state.comments if c["user"]["login"] == "release-manager"]
    assert "zoho-manifest-guard:signed:" in first["body"]
    assert s.state.token not in first["body"]

    # a copy by someone else comes later; an unchanged report edits nothing
    copy = s.state.add_comment(PR, "mallory", first["body"])
    before = len(s.state.requests)
    s.run(s.env())
    writes = [r for r in s.state.requests[before:] if r.method in ("POST", "PATCH")]
    assert [r.path for r in writes if "/comments" in r.path] == []

    # a new head: the action's own comment is edited, the copy is left alone
    (s.work / MANIFEST).write_text(many_findings(3), encoding="utf-8")
    s.run(s.env())
    mine = [c for c in s.state.comments if c["user"]["login"] == "release-manager"]
    assert [c["id"] for c in mine] == [first["id"]]
    assert mine[0]["body"] != copy["body"]
    assert len(s.state.comments) == 2

    # the workflow's own token (ghs_) adds no signature: its bot's name is enough
    assert token_signature("ghs_workflow_token", "acme/extensions", PR) == ""
    other = token_signature("ghp_other_token", "acme/extensions", PR)
    assert other
    assert other not in first["body"]


@pytest.mark.parametrize(("labeller", "expected"), [("maintainer", 0), ("reader", 1)])
def test_approval_label_counts_only_from_users_with_write_access(
    scenario, labeller, expected
) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.label(PR, "scope-escalation-approved", labeller)
    result = s.run(s.env("pull_request", _labelled(s, "labeled", labeller)))
    assert result.code == expected, result.stdout
    assert f"`{labeller}`" in result.step_summary
    assert s.state.count("GET", rf"/collaborators/{labeller}/permission$") == 1


def test_fork_read_only_token_falls_back_to_workflow_commands(scenario) -> None:
    s = scenario(dump(example_manifest()), many_findings(3))
    s.state.read_only = True
    payload = pull_payload(s)
    payload["pull_request"]["head"]["repo"] = {"full_name": "contributor/extensions"}
    result = s.run(s.env("pull_request", payload))
    assert result.code == 1
    assert s.state.check_runs == {}
    assert s.state.comments == []
    commands = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    # 3 findings and the 3 new scopes they are (escalations), each on its line.
    assert len(commands) == 6
    assert all(f"file={MANIFEST}" in line for line in commands)
    assert result.stdout.count("lacks 'checks: write'") == 1
    assert result.stdout.count("lacks 'pull-requests: write'") == 1
    assert "checks: write" in result.step_summary
    assert "scope-grammar" in result.step_summary
    assert "comes from a fork (`contributor/extensions`)" in result.step_summary
    assert "workflow_run" in result.step_summary


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_server_errors_are_retried(scenario, clone) -> None:
    clean = dump(example_manifest())
    s = scenario(clean, clean, clone=clone)
    s.state.fail_first = 2
    result = s.run(s.env())
    assert result.code == 0, result.stdout
    # The first request: the check run (a POST) with local git, the compare (a GET) without.
    first = s.state.requests[0]
    assert first.method == ("POST" if clone == "full" else "GET")
    assert [r.status for r in s.state.requests[:3]] == [502, 502, 201 if clone == "full" else 200]
    assert {r.path for r in s.state.requests[:3]} == {first.path}
    assert len(s.state.check_runs) == 1


def test_secondary_rate_limit_waits_for_retry_after(scenario) -> None:
    clean = dump(example_manifest())
    s = scenario(clean, clean)
    s.state.rate_limit_first = 1
    result = s.run(s.env())
    assert result.code == 0, result.stdout
    assert [r.status for r in s.state.requests[:2]] == [403, 201]
    assert s.state.requests[0].path == s.state.requests[1].path
    assert s.state.requests[1].at - s.state.requests[0].at >= 0.95  # retry-after: 1


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_push_event_compares_before_and_after(scenario, clone) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone=clone)
    s.state.compares[(s.merge_base, s.head)] = s.state.compares[(s.base_tip, s.head)]
    payload = {"before": s.merge_base, "after": s.head, "ref": "refs/heads/feature"}
    env = s.env("push", payload)
    result = s.run(env)
    assert result.code == 1
    assert result.outputs["escalations"] == "1"
    (check,) = s.state.check_runs.values()
    assert check["head_sha"] == s.head
    compares = s.state.count("GET", rf"/compare/{s.merge_base}\.\.\.{s.head}$")
    assert compares == (0 if clone == "full" else 1)
    assert s.state.count("GET", "/contents/") == (0 if clone == "full" else 2)
    assert s.state.comments == []


def test_injection_in_manifest_values_and_paths_comes_out_escaped(scenario) -> None:
    hostile = "Desk.tickets.READ\n::error::pwned @admin <img src=x onerror=alert(1)> | x |"
    evil_dir = "::stop-commands::abc"
    s = scenario(
        dump(example_manifest()),
        with_scope(hostile),
        extra_head={f"{evil_dir}/plugin-manifest.json": with_scope(hostile)},
    )
    result = s.run(s.env(annotations="both"))
    assert result.code == 1
    allowed = ("::error ", "::warning ", "::notice ", "::group::", "::endgroup::")
    for line in result.stdout.splitlines():
        if line.lstrip().startswith(("::", "##[")):
            assert line.startswith(allowed), line
    shown = [line for line in result.stdout.splitlines() if "::stop-commands::abc" in line]
    assert shown  # the hostile path is shown, on neutralised lines only
    assert all(line.startswith(("\\", "::error ", "::warning ", "::notice ")) for line in shown)
    assert "file=%3A%3Astop-commands%3A%3Aabc/plugin-manifest.json" in result.stdout
    body = our_comments(s.state)[0]["body"]
    prose = re.sub(r"`[^`\n]*`", "", body)  # code spans show text, they render no markup
    assert "<img" not in prose
    assert "@admin" not in prose


def test_symlinked_manifest_is_not_followed(scenario) -> None:
    clean = dump(example_manifest())
    s = scenario(clean, clean)
    leak = s.work / "leak"
    leak.mkdir()
    (leak / "plugin-manifest.json").symlink_to("/proc/self/environ")
    result = s.run(s.env())
    assert result.code == 1
    secret = os.environ.get("PATH", "")
    assert secret
    sent = json.dumps([r.body for r in s.state.requests])
    for text in (sent, result.stdout, result.step_summary):
        assert secret not in text
    (check,) = s.state.check_runs.values()
    assert any(
        a["path"] == "leak/plugin-manifest.json" and "symbolic link" in a["message"]
        for a in check["annotations"]
    )


def test_a_manifest_linked_to_itself_is_a_finding_not_a_crash(scenario) -> None:
    clean = dump(example_manifest())
    s = scenario(clean, clean)
    loop = s.work / "loop"
    loop.mkdir()
    (loop / "plugin-manifest.json").symlink_to("plugin-manifest.json")
    result = s.run(s.env())
    assert result.code == 1, result.stdout  # was 3: "RuntimeError: Symlink loop"
    (check,) = s.state.check_runs.values()
    assert any(
        a["path"] == "loop/plugin-manifest.json" and "loop of symbolic links" in a["message"]
        for a in check["annotations"]
    )


def _workflow_run_payload(s: Scenario, head: str) -> dict[str, Any]:
    """The workflow_run event of a fork's pull request (GitHub leaves pull_requests empty);
    the pull request is made a fork's, as the event says."""
    s.state.pulls[PR].head_repo = "fork/extensions"
    return {
        "action": "completed",
        "workflow_run": {
            "id": 99,
            "head_sha": head,
            "pull_requests": [],
            "head_repository": {"full_name": "fork/extensions"},
        },
    }


def test_workflow_run_checks_the_pull_request_again_only_when_it_still_matches(scenario) -> None:
    s = scenario(dump(example_manifest()), many_findings(2))
    s.state.read_only = True
    first = s.run(s.env())
    assert first.code == 1
    s.state.read_only = False

    # A new push happened since: no open pull request is at the run's head; nothing is posted.
    stale = s.env("workflow_run", _workflow_run_payload(s, "1" * 40))
    before = len(s.state.requests)
    refused = s.run(stale)
    assert refused.code == 2
    assert "no open pull request" in refused.stdout
    assert [r for r in s.state.requests[before:] if r.method != "GET"] == []

    posted = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert posted.code == 1, posted.stdout  # the policy's answer, worked out again
    (check,) = s.state.check_runs.values()
    assert check["head_sha"] == s.head
    assert check["conclusion"] == "failure"
    # 2 scope-grammar findings, the 2 new scopes they are, and (the head's code read through
    # the API) 2 scope-unused, as the fork's run saw them
    assert len(check["annotations"]) == 6
    rules = sorted(a["title"].split(":")[0] for a in check["annotations"])
    assert rules.count("scope-unused") == 2
    assert {a["path"] for a in check["annotations"]} == {MANIFEST}
    assert len(our_comments(s.state)) == 1
    assert s.state.count("GET", rf"/git/trees/{s.head}$") == 1
    assert posted.outputs["escalations"] == "2"


def test_workflow_run_ignores_what_the_fork_run_saved(scenario) -> None:
    # A fork's pull_request run executes the pull request's own workflows, so what it saves
    # can say anything: here a clean pass and a mention. None of it is read.
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.read_only = True
    assert s.run(s.env()).code == 1
    s.state.read_only = False
    saved = s.work / ".zoho-manifest-guard"
    forged = {"version": 1, "manifests": [], "summary": {"escalations": 0}, "verdict": "pass"}
    (saved / "report.json").write_text(json.dumps(forged), encoding="utf-8")
    (saved / "summary.md").write_text("All clear @maintainers", encoding="utf-8")
    context = {"pr_number": PR, "head_sha": s.head, "verdict": "pass", "exit_code": 0}
    (saved / "context.json").write_text(
        json.dumps({**context, "working_directory": "../.."}), encoding="utf-8"
    )
    env = s.env("workflow_run", _workflow_run_payload(s, s.head), sarif_file="guard.sarif")
    posted = s.run(env)
    assert posted.code == 1, posted.stdout
    (check,) = s.state.check_runs.values()
    assert check["conclusion"] == "failure"
    assert any("Desk.settings.ALL" in a["message"] for a in check["annotations"])
    results = json.loads((s.work / "guard.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert "scope-added" in {r["ruleId"] for r in results["results"]}
    (comment,) = our_comments(s.state)
    assert "All clear" not in comment["body"]
    assert "Desk.settings.ALL" in comment["body"]
    # The label alone approves nothing here: this run cannot tell at which commit it was
    # applied (the artifact could say anything), and it says what the approver can do.
    s.state.label(PR, "scope-escalation-approved", "maintainer")
    refused = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert refused.code == 1, refused.stdout
    assert "cannot tell at which commit the label was applied" in refused.step_summary
    assert "`pull_request_target`" in our_comments(s.state)[0]["body"]


@pytest.mark.parametrize("context", ["not json", "[]", '{"pr_number": 8, "head_sha": "x"}'])
def test_workflow_run_does_not_read_the_saved_context(scenario, context) -> None:
    s = scenario(dump(example_manifest()), dump(example_manifest()))
    s.state.read_only = True
    s.run(s.env())
    s.state.read_only = False
    (s.work / ".zoho-manifest-guard" / "context.json").write_text(context, encoding="utf-8")
    result = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert result.code == 0, result.stdout
    assert [c["issue"] for c in our_comments(s.state)] == [PR]


def test_workflow_run_when_github_cannot_list_the_whole_tree(scenario) -> None:
    s = scenario(dump(example_manifest()), dump(example_manifest()))
    s.state.read_only = True
    s.run(s.env())
    s.state.read_only = False
    s.state.trees_truncated = True
    result = s.run(s.env("workflow_run", _workflow_run_payload(s, s.head)))
    assert result.code == 2, result.stdout
    assert "only in part" in result.step_summary
    assert s.state.check_runs == {}


def test_request_changes_review_is_dismissed_once_the_escalation_is_gone(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    env = s.env(request_changes="true")
    assert s.run(env).code == 1
    reviews = [r for r in s.state.reviews if REQUEST_CHANGES_MARKER in r["body"]]
    assert [r["state"] for r in reviews] == ["CHANGES_REQUESTED"]
    assert s.run(env).code == 1
    assert len([r for r in s.state.reviews if REQUEST_CHANGES_MARKER in r["body"]]) == 1
    s.state.label(PR, "scope-escalation-approved", "maintainer")
    assert s.run(s.env("pull_request", _labelled(s, "labeled"), request_changes="true")).code == 0
    assert reviews[0]["state"] == "DISMISSED"


# --- where the base side comes from ------------------------------------------------------------

WEBHOOK = {
    "webhook": [
        {
            "name": "orders",
            "url": "https://hooks.example.com/desk",
            "subscriptions": {"Ticket_Add": None},
        }
    ]
}
BASE_POLICY = "fail-on-severity: high\n"


def _resources_with_webhook() -> str:
    resources = json.loads((EXAMPLES / "desk-extension" / "resources.json").read_text())
    return json.dumps({**resources, **WEBHOOK}, indent=2) + "\n"


def _move_extension(repo: Path) -> None:
    """The head moves ext/ to apps/orders/ (a rename git and GitHub both detect)."""
    (repo / "apps").mkdir()
    (repo / "ext").rename(repo / "apps" / "orders")


def _gist(report: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(path, base path, change kind, blocks) of every change in a JSON report."""
    return sorted(
        (m["path"], m.get("base_path") or "", c["kind"], c["blocks"])
        for m in report["manifests"]
        for c in m["changes"]
    )


def test_base_side_from_local_git_or_else_the_contents_api(scenario, monkeypatch) -> None:
    needs_compare()
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        policy=BASE_POLICY,
        # The pull request tries to weaken its own gate: the base's policy must still apply.
        extra_head={
            ".github/zoho-manifest-guard.yml": "warn-only: true\n",
            "ext/resources.json": _resources_with_webhook(),
        },
        edit=_move_extension,
    )
    reads = r"/contents/|/compare/|/pulls/\d+/files"
    results: dict[str, Result] = {}
    for mode in ("full", "shallow", "branch", "files", "no-git"):
        if mode != "full":
            s.reclone("full" if mode == "no-git" else mode)
        if mode == "no-git":
            empty = s.tmp / "empty-bin"
            empty.mkdir()
            monkeypatch.setenv("PATH", str(empty))
        before = len(s.state.requests)
        results[mode] = result = s.run(s.env())
        requests = s.state.requests[before:]
        reading = [r.path for r in requests if re.search(reads, r.path)]
        assert result.code == 1, (mode, result.stdout)
        if mode == "full":
            assert "base files from local git" in result.stdout
            assert reading == [], "local history: no API request for the base side"
            continue
        assert "base files from the contents API" in result.stdout, mode
        reason = {
            "shallow": "the clone is shallow",
            "branch": f"the base commit {s.base_tip[:12]} is not in the clone",
            "files": "the workspace is not a git clone",
            "no-git": "git is not installed",
        }[mode]
        assert reason in result.stdout, (mode, result.stdout)
        contents = {
            (r.query.get("ref", [""])[0], r.path.split("/contents/")[1])
            for r in requests
            if "/contents/" in r.path
        }
        assert (s.base_tip, ".github/zoho-manifest-guard.yml") in contents
        assert (s.merge_base, "ext/plugin-manifest.json") in contents
        assert (s.merge_base, "ext/resources.json") in contents
        assert s.state.count("GET", rf"/compare/{s.base_tip}\.\.\.{s.head}$") >= 1
    reports = {
        mode: json.loads((s.work / r.outputs["report-json"]).read_text(encoding="utf-8"))
        for mode, r in results.items()
    }
    expected = _gist(reports["full"])
    moved = ("apps/orders/plugin-manifest.json", "ext/plugin-manifest.json")
    assert (*moved, "scope-added", True) in expected
    assert (*moved, "webhook-added", True) in expected  # fail-on-severity: high (the base's)
    assert (*moved, "manifest-renamed", False) in expected
    for mode, report in reports.items():
        assert _gist(report) == expected, mode
        assert report["summary"] == reports["full"]["summary"], mode


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_unchanged_resources_are_not_read_again_and_not_reported(scenario, clone) -> None:
    needs_compare()
    resources = {"ext/resources.json": _resources_with_webhook()}
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        extra_base=resources,
        clone=clone,
    )
    result = s.run(s.env())
    assert result.code == 1
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    kinds = {c["kind"] for m in report["manifests"] for c in m["changes"]}
    assert "scope-added" in kinds
    assert "webhook-added" not in kinds  # the webhook was there before
    assert s.state.count("GET", r"/contents/ext/resources\.json$") == 0


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_a_new_webhook_alone_is_a_change(scenario, clone) -> None:
    needs_compare()
    clean = dump(example_manifest())
    s = scenario(
        clean,
        clean,
        policy=BASE_POLICY,
        extra_head={"ext/resources.json": _resources_with_webhook()},
        clone=clone,
    )
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    (check,) = s.state.check_runs.values()
    assert any(a["title"].startswith("webhook-added") for a in check["annotations"])
    assert s.state.count("GET", r"/contents/ext/plugin-manifest\.json$") == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's owner needs root")
def test_a_workspace_owned_by_another_user_is_read_with_git(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    # As on a runner: the container is root, the checkout belongs to the runner's account.
    for path in [s.work, *s.work.rglob("*")]:
        os.lchown(path, 4242, 4242)
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "base files from local git" in result.stdout, result.stdout
    assert s.state.count("GET", "/contents/|/compare/") == 0


def test_git_runs_nothing_the_clone_configures(scenario) -> None:
    """Hooks, fsmonitor, external diff, textconv and filters in .git never run."""
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    marker = s.tmp / "ran"
    hook = s.tmp / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    hook.chmod(0o755)
    for key in (
        "core.fsmonitor",
        "diff.external",
        "diff.zmg.textconv",
        "filter.zmg.clean",
        "filter.zmg.smudge",
        "core.pager",
    ):
        git(s.work, "config", key, str(hook))
    git(s.work, "config", "core.hooksPath", str(s.tmp))
    for name in ("post-checkout", "reference-transaction", "post-index-change"):
        (s.tmp / name).symlink_to(hook)
    (s.work / ".git" / "info" / "attributes").write_text("* diff=zmg filter=zmg\n")
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "base files from local git" in result.stdout
    assert not marker.exists()


# --- events that re-run the comparison without a push ------------------------------------------


def _labelled(
    s: Scenario,
    action: str,
    sender: str = "maintainer",
    *,
    label: str = "scope-escalation-approved",
    head: str | None = None,
) -> dict[str, Any]:
    """A labeled or unlabeled payload: the head it names is the one the label was put on."""
    payload = pull_payload(s)
    payload["action"] = action
    payload["label"] = {"name": label}
    payload["sender"] = {"login": sender}
    if head is not None:
        payload["pull_request"]["head"]["sha"] = head
    return payload


def approve(s: Scenario, sender: str = "maintainer", **inputs: str) -> Result:
    """Apply the approval label as GitHub does: the event, then the run of `labeled`."""
    s.state.label(PR, "scope-escalation-approved", sender)
    return s.run(s.env("pull_request", _labelled(s, "labeled", sender), **inputs))


def _review(s: Scenario) -> dict[str, Any]:
    """A pull_request_review payload: no top-level number, the review beside the PR."""
    payload = pull_payload(s)
    del payload["number"]
    payload["action"] = "submitted"
    payload["review"] = {"id": 55, "state": "approved", "user": {"login": "maintainer"}}
    payload["sender"] = {"login": "maintainer"}
    return payload


@pytest.mark.parametrize("event", ["pull_request", "push"])
def test_a_file_list_as_long_as_the_apis_limit_is_not_trusted_to_be_whole(
    scenario, monkeypatch, event
) -> None:
    # Without history the changed files come from the API, which lists at most 3,000 files of
    # a pull request (300 of a compare). Here the list holds one file, not the manifest: taken
    # at its word it would hide the escalation.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone="files")
    cut = [{"filename": "README.md", "status": "modified", "sha": "0" * 40}]
    s.state.pulls[PR].files = cut
    s.state.compares[(s.base_tip, s.head)] = (s.merge_base, cut)
    s.state.compares[(s.merge_base, s.head)] = (s.merge_base, cut)
    if event == "push":
        env = s.env("push", {"before": s.merge_base, "after": s.head, "ref": "refs/heads/x"})
        monkeypatch.setattr(checker.action.base, "COMPARE_FILES_LIMIT", 1)
    else:
        env = s.env()
        monkeypatch.setattr(checker.action.base, "PULL_FILES_LIMIT", 1)
    result = s.run(env)
    assert result.code == 1, result.stdout
    assert result.outputs["escalations"] == "1"
    assert "the list may be cut short" in result.stdout
    assert s.state.count("GET", "/contents/ext/plugin-manifest.json") == 1
    # below the limit the list is whole, and an unlisted manifest did not change
    monkeypatch.setattr(checker.action.base, "COMPARE_FILES_LIMIT", 300)
    monkeypatch.setattr(checker.action.base, "PULL_FILES_LIMIT", 3000)
    trusted = s.run(env)
    assert trusted.outputs["escalations"] == "0", trusted.stdout


def test_paths_that_match_no_manifest_are_an_error_never_a_pass(scenario) -> None:
    # it said "0 manifests: pass", and posted a passing check run
    clean = dump(example_manifest())
    s = scenario(clean, clean)
    result = s.run(s.env(paths="apps/**/plugin-manifest.json"))
    assert result.code == 2, result.stdout
    # the summary escapes markdown: apps/\*\*/...
    assert (
        "no file matched the paths input (apps/\\*\\*/plugin-manifest.json)" in result.step_summary
    )
    assert "pass" not in result.step_summary
    assert "verdict" not in result.outputs
    assert s.state.check_runs == {}


def _link_manifest(target: str) -> Callable[[Path], None]:
    def edit(repo: Path) -> None:
        manifest = repo / "ext" / "plugin-manifest.json"
        (repo / "ext" / target).write_text(manifest.read_text(encoding="utf-8"), encoding="utf-8")
        manifest.unlink()
        manifest.symlink_to(target)

    return edit


@pytest.mark.parametrize(
    ("clone", "served"),
    [("full", "link"), ("shallow", "link"), ("files", "link"), ("shallow", "file")],
)
def test_a_change_of_a_linked_manifests_target_is_a_change_of_the_manifest(
    scenario, clone, served
) -> None:
    # The manifest became a link to ext/real.json in an earlier pull request; this one edits
    # only ext/real.json. It passed as "unchanged" with git and with the API's file list.
    needs_compare()
    clean = dump(example_manifest())

    def widen(repo: Path) -> None:
        (repo / "ext" / "real.json").write_text(with_scope("Desk.settings.ALL"), encoding="utf-8")

    s = scenario(clean, clean, edit_base=_link_manifest("real.json"), edit=widen, clone=clone)
    if served == "file":  # as GitHub serves a link to a file of the repository: that file
        for key in [k for k, v in s.state.contents.items() if isinstance(v, tuple)]:
            s.state.contents[key] = s.state.contents[(key[0], "ext/real.json")]
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert result.outputs["escalations"] == "1"
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    assert _gist(report) == [("ext/plugin-manifest.json", "", "scope-added", True)]


@pytest.mark.parametrize("clone", ["full", "shallow"])
def test_a_manifest_that_becomes_a_link_is_an_escalation(scenario, clone) -> None:
    needs_compare()
    clean = dump(example_manifest())
    s = scenario(clean, clean, edit=_link_manifest("real.json"), clone=clone)
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    report = json.loads((s.work / result.outputs["report-json"]).read_text(encoding="utf-8"))
    ((change,),) = [m["changes"] for m in report["manifests"]]
    assert (change["kind"], change["blocks"]) == ("manifest-linked", True)
    assert change["detail"].startswith(
        '"ext/plugin-manifest.json" is now a symbolic link to "ext/real.json"'
    )


def test_a_workspace_without_the_head_commit_is_an_error_never_a_pass(scenario) -> None:
    # pull_request_target checks out the base branch by default: its manifests compared with
    # the merge base would hide the pull request's escalation.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    git(s.work, "checkout", "-q", s.base_tip)
    result = s.run(s.env("pull_request_target"))
    assert result.code == 2, result.stdout
    assert "does not contain the head" in result.step_summary
    assert "ref: ${{ github.event.pull_request.head.sha }}" in result.stdout
    assert s.state.writes() == []
    assert "verdict" not in result.outputs


def test_the_merge_commit_checkout_still_finds_the_escalation_and_warns(scenario) -> None:
    # actions/checkout's default for pull_request: one commit, GitHub's merge of the head.
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    shutil.rmtree(s.work)
    git(
        s.tmp,
        "clone",
        "-q",
        "--depth=1",
        "--branch=main",
        s.tmp.joinpath("origin").as_uri(),
        str(s.work),
    )
    assert git(s.work, "rev-parse", "HEAD") == s.merge
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert result.outputs["escalations"] == "1"
    assert "a commit that contains it" in result.step_summary
    assert f"not the head commit {s.head[:12]}" in result.stdout


def test_label_and_review_events_rerun_the_full_comparison(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone="shallow")
    assert s.run(s.env()).code == 1

    steps = [
        # (how the label changes first, the event, its payload, the expected exit code)
        (True, "pull_request", _labelled(s, "labeled"), 0),
        (False, "pull_request", _labelled(s, "unlabeled"), 1),
        (True, "pull_request", _labelled(s, "labeled"), 0),
        # the approval recorded by the labeled run holds in a review's run
        (None, "pull_request_review", _review(s), 0),
    ]
    for add, event, payload, expected in steps:
        if add is not None:
            s.state.label(PR, "scope-escalation-approved", "maintainer", added=add)
        before = len(s.state.requests)
        result = s.run(s.env(event, payload))
        assert result.code == expected, (event, payload["action"], result.stdout)
        requests = s.state.requests[before:]
        # The whole comparison, not a shortcut: merge base, changed files, base manifest.
        assert any(re.search(rf"/compare/{s.base_tip}\.\.\.{s.head}$", r.path) for r in requests)
        assert any(r.path.endswith(f"/pulls/{PR}/files") for r in requests)
        assert any(r.path.endswith("/contents/ext/plugin-manifest.json") for r in requests)
        assert any(r.path.endswith(f"/issues/{PR}/events") for r in requests)
        assert result.outputs["escalations"] == "1"
        run = list(s.state.check_runs.values())[-1]
        assert run["head_sha"] == s.head
        assert run["conclusion"] == ("neutral" if expected == 0 else "failure")
        assert len(our_comments(s.state)) == 1  # updated in place, never repeated
        approved = "Escalation approved with the label" in our_comments(s.state)[0]["body"]
        assert approved == (expected == 0)


def test_a_review_event_never_reads_the_policy_from_the_pull_request(scenario) -> None:
    """Without a base to read (no history, no token) a review run uses the defaults."""
    needs_compare()
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        extra_head={".github/zoho-manifest-guard.yml": "warn-only: true\n"},
        clone="files",
    )
    env = s.env("pull_request_review", _review(s))
    env["INPUT_TOKEN"] = ""
    result = s.run(env)
    assert result.code == 1, result.stdout
    assert "warn-only is on" not in result.stdout
    assert s.state.requests == []


# --- merge queue and push: the approval of the pull request that brings the change ------------


def test_merge_group_honours_the_queued_pull_requests_approval(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    # The queue tests the group's commit (main + this pull request) on top of its parent.
    git(s.work, "checkout", "-q", s.merge)
    payload = {
        "action": "checks_requested",
        "merge_group": {
            "head_sha": s.merge,
            "head_ref": f"refs/heads/gh-readonly-queue/main/pr-{PR}-{s.base_tip}",
            "base_sha": s.base_tip,
            "base_ref": "refs/heads/main",
        },
    }
    blocked = s.run(s.env("merge_group", payload))
    assert blocked.code == 1, blocked.stdout
    assert blocked.outputs["escalations"] == "1"
    git(s.work, "checkout", "-q", s.head)
    assert approve(s).code == 0  # the pull request's labeled run records the approval
    comments = [dict(c) for c in s.state.comments]
    git(s.work, "checkout", "-q", s.merge)
    approved = s.run(s.env("merge_group", payload))
    assert approved.code == 0, approved.stdout
    assert "Escalation approved with the label" in approved.step_summary
    runs = [r for r in s.state.check_runs.values() if r["head_sha"] == s.merge]
    assert [r["conclusion"] for r in runs] == ["failure", "neutral"]
    assert s.state.comments == comments  # nothing is posted to the pull request from the queue


@pytest.mark.parametrize("labelled", [True, False])
def test_push_honours_the_approval_of_the_merged_pull_request(scenario, labelled) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    if labelled:
        assert approve(s).code == 0
    comments = [dict(c) for c in s.state.comments]
    s.state.pulls[PR].merge_commit_sha = s.merge
    s.state.pulls[PR].state = "closed"
    git(s.work, "checkout", "-q", s.merge)
    payload = {"before": s.base_tip, "after": s.merge, "ref": "refs/heads/main"}
    before = len(s.state.requests)
    result = s.run(s.env("push", payload))
    assert result.code == (0 if labelled else 1), result.stdout
    requests = s.state.requests[before:]
    assert sum(1 for r in requests if r.path.endswith(f"/commits/{s.merge}/pulls")) == 1
    assert sum(1 for r in requests if r.path.endswith(f"/issues/{PR}/events")) == 1
    assert s.state.comments == comments


# --- faults: the job summary is always written, the token never shown ---------------------------


def test_an_invalid_base_policy_is_exit_2_with_a_job_summary(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), policy="deny: [5]\n")
    result = s.run(s.env())
    assert result.code == 2, result.stdout
    assert "::error title=zoho-manifest-guard::" in result.stdout
    assert "input or configuration error (exit code 2)" in result.step_summary
    assert "zoho-manifest-guard.yml" in result.step_summary


def test_a_symlinked_base_policy_is_exit_2_not_the_defaults(scenario) -> None:
    # Falling back to the defaults would silently drop the base's deny patterns.
    def link_policy(repo: Path) -> None:
        (repo / "policy.yml").write_text("deny: ['Desk.settings.*']\n", encoding="utf-8")
        (repo / ".github").mkdir()
        (repo / ".github" / "zoho-manifest-guard.yml").symlink_to("../policy.yml")

    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), edit_base=link_policy)
    result = s.run(s.env())
    assert result.code == 2, result.stdout
    assert "zoho-manifest-guard.yml" in result.step_summary
    assert "symbolic link" in result.step_summary


def test_failing_github_reads_are_exit_3_with_a_job_summary(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone="shallow")
    s.state.fail_first = 100
    result = s.run(s.env())
    assert result.code == 3, result.stdout
    assert 1 < len(s.state.requests) <= 6  # retried, a bounded number of times
    assert "error (exit code 3)" in result.step_summary
    assert "gave up after the bounded retries" in result.step_summary


def test_a_token_without_contents_read_says_what_to_do(scenario) -> None:
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), clone="shallow")
    s.state.forbidden = [r"/compare/"]
    result = s.run(s.env())
    assert result.code == 2, result.stdout
    assert "cannot read the base commit" in result.step_summary
    assert "lacks 'contents: read'" in result.stdout
    assert "fetch-depth: 0" in result.stdout


def test_failing_github_writes_still_give_the_verdict(scenario) -> None:
    needs_compare()
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    s.state.fail_first = 100  # local git reads the base: only the posting meets the errors
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "::warning title=zoho-manifest-guard::posting to GitHub failed" in result.stdout
    assert f"::error file={MANIFEST}" in result.stdout  # annotations fell back to the log
    assert "Desk.settings.ALL" in result.step_summary
    assert "could not check the approval label" in result.step_summary  # fail closed
    assert "posting to GitHub failed" in result.step_summary
    assert result.outputs["verdict"] == "fail"


def test_the_token_is_never_printed(scenario) -> None:
    s = scenario(dump(example_manifest()), dump(example_manifest()))
    token = s.state.token

    def leaky(settings: Any) -> Any:
        raise RuntimeError(f"could not connect with {settings.token}")

    stdout = io.StringIO()
    env = s.env()
    assert run(env, stdout, client_factory=leaky) == 3
    summary = (s.tmp / "summary.md").read_text(encoding="utf-8")
    assert "could not connect with ***" in stdout.getvalue()
    assert "could not connect with \\*\\*\\*" in summary or "with ***" in summary
    assert token not in stdout.getvalue() + summary


def test_files_and_comments_are_paginated(scenario) -> None:
    needs_compare()
    many = {f"docs/page-{i}.md": f"page {i}\n" for i in range(7)}
    s = scenario(
        dump(example_manifest()), with_scope("Desk.settings.ALL"), extra_head=many, clone="shallow"
    )
    s.state.page_size = 2
    for i in range(5):
        s.state.add_comment(PR, "someone", f"comment {i} {SUMMARY_MARKER if i == 2 else ''}")
    assert s.run(s.env()).code == 1
    assert s.state.count("GET", rf"/pulls/{PR}/files$") == 4  # 8 files, 2 a page
    (comment,) = our_comments(s.state)
    first = comment["body"]
    s.state.add_comment(PR, "someone", "later")
    (s.work / MANIFEST).write_text(with_scope("Desk.basic.ALL"), encoding="utf-8")
    assert s.run(s.env()).code == 1
    (again,) = our_comments(s.state)  # found on page 3 again, edited in place
    assert again["id"] == comment["id"]
    assert again["body"] != first


def test_workflow_run_posts_annotations_at_repository_paths(scenario) -> None:
    s = scenario(dump(example_manifest()), many_findings(2))
    s.state.read_only = True
    assert s.run(s.env(working_directory="ext")).code == 1
    s.state.read_only = False
    env = s.env("workflow_run", _workflow_run_payload(s, s.head), working_directory="ext")
    posted = s.run(env)
    assert posted.code == 1, posted.stdout
    (check,) = s.state.check_runs.values()
    assert {a["path"] for a in check["annotations"]} == {MANIFEST}
    report = json.loads((s.work / posted.outputs["report-json"]).read_text(encoding="utf-8"))
    assert [m["path"] for m in report["manifests"]] == ["plugin-manifest.json"]
