"""``diff`` in real temporary git repositories: renames, additions, deletions, shallow clones."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from checker.cli import main

MANIFEST = "plugin-manifest.json"
TEMPLATE = ROOT / "tests" / "cases" / "_template"


pytestmark = pytest.mark.usefixtures("isolated_git")


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def manifest(*scopes: str, **members: Any) -> str:
    value: dict[str, Any] = {
        "locale": ["en"],
        "service": "DESK",
        "storage": False,
        "type": "personal",
        "modules": {
            "widgets": [
                {
                    "name": "Panel",
                    "url": "/app/widget.html",
                    "location": "desk.ticket.detail.rightpanel",
                    "logo": "/app/img/logo.png",
                    "icon": "/app/img/icon.png",
                }
            ]
        },
        "connectors": [],
        "config": [],
        "whiteListedDomains": [],
        "zohoAuthorisation": {
            "type": "connectors",
            "connectionLinkName": "zoho_desk",
            "connectionName": "zoho_desk",
            "serviceName": "zlabs_integration",
            "userAccess": True,
            "isUserDefinedService": False,
            "sharedBy": "1",
            "scope": list(scopes),
        },
    }
    value.update(members)
    return json.dumps(value, indent=2) + "\n"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def extension(root: Path, folder: str, text: str) -> None:
    """A complete extension folder: the case template's app/ and resources.json, a manifest."""
    shutil.copytree(TEMPLATE, root / folder, dirs_exist_ok=True)
    write(root, f"{folder}/{MANIFEST}", text)


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with ext/plugin-manifest.json on main and a feature branch checked out."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    extension(root, "ext", manifest("Desk.tickets.READ"))
    write(root, "README.md", "x\n")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def run(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(root, monkeypatch, capsys, *args):
    code, out, err = run(root, monkeypatch, capsys, *args, "--format", "json")
    assert out, err
    return code, json.loads(out)


def kinds(payload: dict[str, Any]) -> list[str]:
    return sorted(c["kind"] for m in payload["manifests"] for c in m["changes"])


def test_modified_manifest_with_an_escalation_fails(repo, monkeypatch, capsys):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", "Desk.settings.ALL"))
    commit(repo, "widen")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 1
    assert payload["verdict"] == "fail"
    assert payload["summary"]["escalations"] == 1
    assert payload["summary"]["blocking"] == 1
    (entry,) = payload["manifests"]
    assert entry["path"] == f"ext/{MANIFEST}"
    (change,) = entry["changes"]
    assert change["kind"] == "scope-added"
    assert change["detail"] == 'scope "Desk.settings.ALL" is new on connection "zoho_desk"'
    assert change["pointer"] == "/zohoAuthorisation/scope/1"
    text = (repo / f"ext/{MANIFEST}").read_text().splitlines()
    assert '"Desk.settings.ALL"' in text[change["line"] - 1]
    assert change["decision"]["reason"] == "escalation"


def test_text_output_has_the_connection_table(repo, monkeypatch, capsys):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.ALL"))
    commit(repo, "broaden")
    code, out, _ = run(repo, monkeypatch, capsys, "--base", "main")
    assert code == 1
    assert "- Desk.tickets.READ" in out
    assert "+ Desk.tickets.ALL" in out
    assert 'BLOCKS critical: scope "Desk.tickets.ALL" on connection "zoho_desk" broadens' in out


def test_renamed_manifest_is_paired_with_its_old_path(repo, monkeypatch, capsys):
    git(repo, "mv", "ext", "desk-extension")
    write(repo, f"desk-extension/{MANIFEST}", manifest("Desk.tickets.READ", storage=True))
    commit(repo, "rename")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    (entry,) = payload["manifests"]
    assert entry["path"] == f"desk-extension/{MANIFEST}"
    assert entry["base_path"] == f"ext/{MANIFEST}"
    assert kinds(payload) == ["manifest-renamed", "storage-enabled"]
    assert code == 0


def test_added_manifest_makes_every_grant_new(repo, monkeypatch, capsys):
    extension(repo, "other", manifest("Desk.basic.READ"))
    commit(repo, "add")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 1
    (entry,) = payload["manifests"]
    assert entry["path"] == f"other/{MANIFEST}"
    assert entry["base_path"] is None
    assert kinds(payload) == [
        "manifest-added",
        "scope-added",
        "widget-added",
        "zoho-authorisation-added",
    ]


def test_deleted_manifest_is_a_removal_and_passes(repo, monkeypatch, capsys):
    git(repo, "rm", "-q", "-r", "ext")
    commit(repo, "delete")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 0
    assert kinds(payload) == [
        "connection-removed",
        "manifest-removed",
        "widget-removed",
        "zoho-authorisation-removed",
    ]
    assert payload["manifests"][0]["findings"] == []


def test_the_merge_base_is_used_when_the_base_branch_moved_on(repo, monkeypatch, capsys):
    fork = git(repo, "rev-parse", "HEAD")
    write(repo, "feature.txt", "work\n")
    commit(repo, "unrelated work on the feature branch")
    git(repo, "checkout", "-q", "main")
    # after the fork, main narrows its grant; the feature branch still holds the old one
    write(repo, f"ext/{MANIFEST}", manifest())
    commit(repo, "main drops a scope")
    git(repo, "checkout", "-q", "feature")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 0
    assert payload["manifests"] == []
    assert any(fork[:12] in note for note in payload["notes"])
    # comparing with main's tip instead would have blamed the feature branch
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "--head", "main")
    assert payload["manifests"] == []


def test_paths_filter_the_manifests(repo, monkeypatch, capsys):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.ALL"))
    extension(repo, "second", manifest("Desk.basic.READ"))
    commit(repo, "two")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "second")
    assert [m["path"] for m in payload["manifests"]] == [f"second/{MANIFEST}"]
    assert code == 1


def test_a_changed_resources_json_pulls_in_its_manifest(repo, monkeypatch, capsys):
    hook = {"webhook": {"name": "h", "url": "https://hooks.example.net/", "subscriptions": {}}}
    write(repo, "ext/resources.json", json.dumps(hook))
    commit(repo, "webhook")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "--fail-on", "never")
    assert kinds(payload) == ["webhook-added"]
    (change,) = payload["manifests"][0]["changes"]
    assert change["path"] == "ext/resources.json"
    assert code == 0  # a high-risk change that is not an escalation reports, does not block


def test_a_symlinked_manifest_is_not_followed(repo, monkeypatch, capsys, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "do-not-leak"}')
    (repo / "ext" / MANIFEST).unlink()
    (repo / "ext" / MANIFEST).symlink_to(secret)
    commit(repo, "link")
    assert git(repo, "ls-files", "-s", f"ext/{MANIFEST}").startswith("120000")
    code, out, _ = run(repo, monkeypatch, capsys, "--base", "main", "--format", "json")
    assert "do-not-leak" not in out
    payload = json.loads(out)
    rules = [f["rule"] for m in payload["manifests"] for f in m["findings"]]
    assert rules == ["file-symlink"]
    assert "manifest-unreadable" in kinds(payload)
    assert code == 1


# --- links inside the repository (issue 9, items 1 and 13) -------------------------------------


def link(root: Path, relative: str, target: str) -> None:
    """Make ``relative`` a symbolic link to ``target`` (as written, relative or not)."""
    path = root / relative
    if path.is_symlink() or path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def on_main(root: Path, message: str) -> None:
    """Commit the work tree on main and start the feature branch again from there."""
    git(root, "checkout", "-q", "main")
    commit(root, message)
    git(root, "branch", "-q", "-D", "feature")
    git(root, "checkout", "-q", "-b", "feature")


HEADS = ([], ["--head", "HEAD"])  # the work tree, and a commit


@pytest.mark.parametrize(
    "layout",
    [
        # (the link, its target as written, the file that holds the manifest)
        [(f"ext/{MANIFEST}", "real.json")],
        [(f"ext/{MANIFEST}", "../shared/m.json")],
        [(f"ext/{MANIFEST}", "alias.json"), ("ext/alias.json", "../shared/m.json")],
        [(f"ext/{MANIFEST}", "../via/m.json"), ("via", "shared")],  # a folder link on the way
    ],
    ids=["beside", "relative", "link-to-link", "through-a-folder-link"],
)
def test_a_change_of_a_linked_manifests_target_is_a_change_of_the_manifest(
    repo, monkeypatch, capsys, layout
):
    # A pull request links the manifest to another file (merged); a later one edits only the
    # target. It passed as "no plugin-manifest.json changed".
    git(repo, "checkout", "-q", "main")
    target = "ext/real.json" if layout[0][1] == "real.json" else "shared/m.json"
    write(repo, target, manifest("Desk.tickets.READ"))
    for path, to in layout:
        link(repo, path, to)
    on_main(repo, "link the manifest")
    write(repo, target, manifest("Desk.tickets.READ", "Desk.settings.ALL"))
    for head in HEADS:
        code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", *head)
        assert code == 1, (head, payload)
        (entry,) = payload["manifests"]
        assert entry["path"] == f"ext/{MANIFEST}"
        assert kinds(payload) == ["scope-added"], head
        # the head's code is audited too: the fixture's widget calls no connection
        assert [f["rule"] for f in entry["findings"]] == ["connection-unused"], head
        commit(repo, "widen through the link") if not head else None


def test_a_linked_resources_json_is_compared_by_its_target(repo, monkeypatch, capsys):
    git(repo, "checkout", "-q", "main")
    write(repo, "shared/resources.json", "{}\n")
    link(repo, "ext/resources.json", "../shared/resources.json")
    on_main(repo, "share resources.json")
    hook = {
        "webhook": {
            "resourceName": "hook",
            "url": "https://hooks.example.com/x",
            "name": "Hook",
            "subscriptions": {"Ticket_Add": None},
        }
    }
    write(repo, "shared/resources.json", json.dumps(hook) + "\n")
    for head in HEADS:
        _, payload = run_json(repo, monkeypatch, capsys, "--base", "main", *head)
        assert "webhook-added" in kinds(payload), head
        commit(repo, "hook") if not head else None


@pytest.mark.parametrize("name", [MANIFEST, "resources.json"])
def test_a_manifest_or_resources_json_that_becomes_a_link_is_reported(
    repo, monkeypatch, capsys, name
):
    original = (repo / "ext" / name).read_text()
    write(repo, f"ext/real-{name}", original)
    link(repo, f"ext/{name}", f"real-{name}")
    for head in HEADS:
        code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", *head)
        (entry,) = payload["manifests"]
        (change,) = entry["changes"]
        assert change["kind"] == "manifest-linked", head
        assert change["detail"].startswith(
            f'"ext/{name}" is now a symbolic link to "ext/real-{name}"'
        )
        assert change["blocks"]
        assert code == 1
        commit(repo, "link") if not head else None
    # approved, it passes; linked again elsewhere, it is reported again
    code, _ = run_json(repo, monkeypatch, capsys, "--base", "main", "--approved")
    assert code == 0
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "feature")
    git(repo, "checkout", "-q", "-B", "feature")
    write(repo, f"ext/other-{name}", original)
    link(repo, f"ext/{name}", f"other-{name}")
    _, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    ((change,),) = [m["changes"] for m in payload["manifests"]]
    assert change["detail"].startswith(
        f'"ext/{name}" is now a symbolic link to "ext/other-{name}" (before: "ext/real-{name}")'
    )


@pytest.mark.parametrize(
    "links",
    [
        [(f"ext/{MANIFEST}", MANIFEST)],
        [(f"ext/{MANIFEST}", "a.json"), ("ext/a.json", "b.json"), ("ext/b.json", "a.json")],
        [(f"ext/{MANIFEST}", "../loop/m.json"), ("loop", "loop")],
    ],
    ids=["itself", "a-loop", "a-folder-loop"],
)
def test_a_link_loop_is_a_finding_not_a_crash(repo, monkeypatch, capsys, links):
    for path, to in links:
        link(repo, path, to)
    for head in HEADS:
        code, out, err = run(repo, monkeypatch, capsys, "--base", "main", "--format", "json", *head)
        assert code == 1, err  # was 3: "RuntimeError: Symlink loop"
        (entry,) = json.loads(out)["manifests"]
        found = [(f["rule"], f["path"], f["message"]) for f in entry["findings"]]
        assert found == [("file-symlink", f"ext/{MANIFEST}", found[0][2])], found
        assert "a loop of symbolic links" in found[0][2]
        commit(repo, "loop") if not head else None
    monkeypatch.chdir(repo)
    assert main(["check", "ext"]) == 1
    out = capsys.readouterr().out
    assert f"ext/{MANIFEST}: error: is a loop of symbolic links" in out


def test_a_committed_link_out_of_the_repository_stays_a_finding(repo, monkeypatch, capsys):
    for target in ("../../outside.json", "/etc/hostname"):
        link(repo, f"ext/{MANIFEST}", target)
        commit(repo, f"link to {target}")
        code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "--head", "HEAD")
        (entry,) = payload["manifests"]
        assert [f["rule"] for f in entry["findings"]] == ["file-symlink"], target
        assert "outside the repository" in entry["findings"][0]["message"]
        assert code == 1


def test_the_policy_is_read_from_the_merge_base_not_from_the_head(repo, monkeypatch, capsys):
    git(repo, "checkout", "-q", "main")
    write(repo, ".github/zoho-manifest-guard.yml", "allow:\n  - 'Desk.basic.*'\n")
    commit(repo, "policy")
    git(repo, "checkout", "-q", "-B", "feature")
    # the branch tries to switch its own gate off
    write(repo, ".github/zoho-manifest-guard.yml", "warn-only: true\n")
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", "Desk.basic.READ", "Desk.x.ALL"))
    commit(repo, "escalate and weaken the policy")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    decisions = {
        c["subject"]: c["decision"]["reason"] for m in payload["manifests"] for c in m["changes"]
    }
    assert decisions == {"Desk.basic.READ": "allowed", "Desk.x.ALL": "escalation"}
    assert code == 1
    assert any("at the merge base" in note for note in payload["notes"])
    # an explicit --policy (from the work tree) is the local override
    code, payload = run_json(
        repo, monkeypatch, capsys, "--base", "main", "--policy", ".github/zoho-manifest-guard.yml"
    )
    assert code == 0
    assert payload["summary"]["blocking"] == 0


def test_an_invalid_base_policy_is_a_config_error(repo, monkeypatch, capsys):
    git(repo, "checkout", "-q", "main")
    write(repo, ".github/zoho-manifest-guard.yml", "warn-only: yes please\n")
    commit(repo, "bad policy")
    git(repo, "checkout", "-q", "-B", "feature")
    code, _, err = run(repo, monkeypatch, capsys, "--base", "main")
    assert code == 2
    assert ".github/zoho-manifest-guard.yml@" in err
    assert ":1: warn-only:" in err


def test_approved_lets_escalations_pass(repo, monkeypatch, capsys):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.ALL"))
    commit(repo, "broaden")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "--approved")
    assert code == 0
    assert payload["summary"] == {**payload["summary"], "escalations": 1, "blocking": 0}


def test_shallow_clone_names_the_missing_fetch_or_fetches_it(repo, monkeypatch, capsys, tmp_path):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", "Desk.contacts.ALL"))
    commit(repo, "feature 1")
    write(repo, "notes.txt", "more\n")
    commit(repo, "feature 2")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "feature", repo.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    code, _, err = run(clone, monkeypatch, capsys, "--base", "origin/main")
    assert code == 2
    assert (
        "`git fetch --no-tags --depth=50 origin +refs/heads/main:refs/remotes/origin/main`" in err
    )
    # the fetched base alone is not enough: the fork point is below the clone's cut-off
    git(
        clone,
        "fetch",
        "-q",
        "--no-tags",
        "--depth=1",
        "origin",
        "+refs/heads/main:refs/remotes/origin/main",
    )
    code, _, err = run(clone, monkeypatch, capsys, "--base", "origin/main")
    assert code == 2
    assert "`git fetch --no-tags --unshallow origin`" in err
    code, payload = run_json(clone, monkeypatch, capsys, "--base", "origin/main", "--fetch")
    assert code == 1
    assert kinds(payload) == ["scope-added"]


def test_git_and_the_work_tree_prune_the_same_folders(repo, monkeypatch, capsys):
    # node_modules, dist and build are left out of a listing on disk; a commit that holds them
    # must not give findings that checking the same files on disk would not give.
    write(repo, "ext/app/node_modules/bad name/lib.js", "x\n")
    write(repo, "ext/app/build/Thumbs.PNG", "x\n")
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", storage=True))
    commit(repo, "vendored files")
    _, committed = run_json(repo, monkeypatch, capsys, "--base", "main", "--head", "HEAD")
    monkeypatch.chdir(repo)
    # diff reads the head's code from the commit's blobs as check reads it from disk
    main(["check", "ext", "--format", "json"])
    on_disk = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for m in committed["manifests"] for f in m["findings"]}
    assert rules == {f["rule"] for m in on_disk["manifests"] for f in m["findings"]}
    assert not rules & {"app-folder-name", "app-file-extension"}


# --- the work tree as the head --------------------------------------------------------------


def test_uncommitted_edits_are_compared_unless_a_head_commit_is_named(repo, monkeypatch, capsys):
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", "Desk.settings.ALL"))
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 1
    assert kinds(payload) == ["scope-added"]
    (entry,) = payload["manifests"]
    assert entry["path"] == f"ext/{MANIFEST}"
    (change,) = entry["changes"]
    text = (repo / f"ext/{MANIFEST}").read_text().splitlines()
    assert '"Desk.settings.ALL"' in text[change["line"] - 1]
    assert any("the work tree (HEAD and uncommitted changes)" in n for n in payload["notes"])
    # a named head is a commit: what is not committed is not part of it
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "--head", "HEAD")
    assert (code, payload["manifests"]) == (0, [])
    assert any(note.startswith("compared HEAD with the merge base") for note in payload["notes"])


def test_untracked_manifests_count_unless_git_ignores_them(repo, monkeypatch, capsys):
    extension(repo, "draft", manifest("Desk.basic.READ"))
    extension(repo, "vendor/copy", manifest("Desk.contacts.ALL"))
    write(repo, ".gitignore", "vendor/\n")
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 1
    assert [m["path"] for m in payload["manifests"]] == [f"draft/{MANIFEST}"]
    assert "manifest-added" in kinds(payload)
    # a new resources.json beside an unchanged manifest brings that manifest in
    hook = {"webhook": {"name": "h", "url": "https://hooks.example.net/", "subscriptions": {}}}
    write(repo, "ext/resources.json", json.dumps(hook))
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", "ext")
    assert kinds(payload) == ["webhook-added"]


def test_a_manifest_deleted_from_the_work_tree_is_a_removal(repo, monkeypatch, capsys):
    (repo / "ext" / MANIFEST).unlink()
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert code == 0
    assert "manifest-removed" in kinds(payload)


def test_paths_are_repository_relative_from_a_subfolder(repo, monkeypatch, capsys, tmp_path):
    write(repo, f"ext/{MANIFEST}", '{"service": "DESK", "service": "DESK"}\n')
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (repo / "ext" / "resources.json").unlink()  # the template's
    (repo / "ext" / "resources.json").symlink_to(outside)
    code, payload = run_json(repo / "ext", monkeypatch, capsys, "--base", "main", ".")
    assert code == 1
    (entry,) = payload["manifests"]
    assert entry["path"] == f"ext/{MANIFEST}"
    found = {(f["rule"], f["path"]) for f in entry["findings"]}
    assert ("json-duplicate-key", f"ext/{MANIFEST}") in found
    assert ("file-symlink", "ext/resources.json") in found
    assert {path for _, path in found} == {f"ext/{MANIFEST}", "ext/resources.json"}


def test_an_uncommitted_symlink_out_of_the_repository_is_not_followed(
    repo, monkeypatch, capsys, tmp_path
):
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "do-not-leak"}')
    (repo / "ext" / MANIFEST).unlink()
    (repo / "ext" / MANIFEST).symlink_to(secret)
    code, out, _ = run(repo, monkeypatch, capsys, "--base", "main", "--format", "json")
    assert "do-not-leak" not in out
    payload = json.loads(out)
    (entry,) = payload["manifests"]
    assert [(f["rule"], entry["path"]) for f in entry["findings"]] == [
        ("file-symlink", f"ext/{MANIFEST}")
    ]
    assert code == 1


def test_a_path_that_names_nothing_is_exit_2_naming_it(repo, monkeypatch, capsys):
    # `diff --base main no-such-path` compared nothing and passed
    write(repo, f"ext/{MANIFEST}", manifest("Desk.tickets.READ", "Desk.settings.ALL"))
    commit(repo, "widen")
    for head in ([], ["--head", "HEAD"]):
        code, out, err = run(repo, monkeypatch, capsys, "--base", "main", *head, "no-such-path")
        assert code == 2, err
        assert "no-such-path: names no file or folder" in err
        assert "pass" not in out
        code, _, err = run(repo, monkeypatch, capsys, "--base", "main", *head, "ext", "nope/")
        assert code == 2
        assert "nope/: names no file or folder" in err


def test_a_path_only_the_merge_base_has_still_names_something(repo, monkeypatch, capsys):
    git(repo, "rm", "-q", "-r", "ext")
    commit(repo, "remove the extension")
    for head in ([], ["--head", "HEAD"]):
        code, payload = run_json(repo, monkeypatch, capsys, "--base", "main", *head, "ext")
        assert code == 0, payload
        assert "manifest-removed" in kinds(payload)


def test_nothing_changed_is_never_called_a_pass(repo, monkeypatch, capsys):
    write(repo, "README.md", "y\n")
    commit(repo, "docs")
    code, out, _ = run(repo, monkeypatch, capsys, "--base", "main", "ext")
    assert code == 0
    assert "pass" not in out
    assert out.splitlines()[-1] == (
        "0 errors, 0 warnings, 0 notices in 0 manifests: none (nothing to check)"
    )
    code, payload = run_json(repo, monkeypatch, capsys, "--base", "main")
    assert (code, payload["verdict"], payload["summary"]["manifests"]) == (0, "none", 0)
    for output in ("markdown", "sarif"):
        code, out, _ = run(repo, monkeypatch, capsys, "--base", "main", "--format", output)
        assert code == 0
        assert "pass" not in out.lower().replace("passed", ""), output


def test_outside_a_repository_diff_says_how_to_compare_files(tmp_path, monkeypatch, capsys):
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run(plain, monkeypatch, capsys, "--base", "main")
    assert code == 2
    assert "not inside a git repository" in err
    assert "--base-file OLD --head-file NEW" in err


def test_unknown_base_ref(repo, monkeypatch, capsys):
    code, _, err = run(repo, monkeypatch, capsys, "--base", "no-such-branch")
    assert code == 2
    assert "'no-such-branch' is not a commit" in err


# --- file mode ----------------------------------------------------------------------------------


def test_file_mode_without_a_base_treats_every_grant_as_new(tmp_path, monkeypatch, capsys):
    extension(tmp_path, "new", manifest("Desk.tickets.READ"))
    code, payload = run_json(tmp_path, monkeypatch, capsys, "--head-file", f"new/{MANIFEST}")
    assert code == 1
    assert kinds(payload) == [
        "manifest-added",
        "scope-added",
        "widget-added",
        "zoho-authorisation-added",
    ]


def test_file_mode_compares_two_files(tmp_path, monkeypatch, capsys):
    write(tmp_path, "old.json", manifest("Desk.tickets.READ"))
    write(tmp_path, "new.json", manifest("Desk.tickets.READ"))
    _, payload = run_json(
        tmp_path, monkeypatch, capsys, "--base-file", "old.json", "--head-file", "new.json"
    )
    assert kinds(payload) == []
    assert payload["summary"]["escalations"] == 0
    _, out, _ = run(
        tmp_path,
        monkeypatch,
        capsys,
        "--base-file",
        "old.json",
        "--head-file",
        "new.json",
        "--format",
        "markdown",
    )
    assert out.startswith("## ")
    assert "Zoho Manifest Guard" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "diff needs --base REF"),
        (["--base-file", "old.json"], "--base-file needs --head-file"),
        (["--base", "main", "--head-file", "new.json"], "not both"),
        (["--head-file", "missing.json"], "missing.json: no such file"),
        (["--head-file", "new.json", "--policy", "nope.yml"], "nope.yml: no such policy file"),
        # a folder was taken for the manifest in it: here the head compared with itself
        (["--base-file", "ext", "--head-file", f"ext/{MANIFEST}"], "ext: is a folder"),
        (["--base-file", "new.json", "--head-file", "ext"], "ext: is a folder; --head-file"),
        (["--base-file", "new.json", "--head-file", "./new.json"], "are the same file"),
    ],
)
def test_usage_errors_exit_2(tmp_path, monkeypatch, capsys, args, message):
    write(tmp_path, "new.json", manifest())
    extension(tmp_path, "ext", manifest("Desk.tickets.READ"))
    code, _, err = run(tmp_path, monkeypatch, capsys, *args)
    assert code == 2
    assert message in err
