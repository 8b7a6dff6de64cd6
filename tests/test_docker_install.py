"""The container's install, without Docker: build the wheel, install it into a fresh venv with
the Dockerfile's pip flags, and run entrypoint.py the way the runner runs the container."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"

pytestmark = pytest.mark.slow


def _run_lines() -> list[str]:
    """RUN instructions of the Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip()[4:] for line in text.splitlines() if line.strip().startswith("RUN ")]


def _pip(command: str) -> list[str]:
    for line in _run_lines():
        for part in line.split("&&"):
            words = part.split()
            if words[:4] == ["python", "-m", "pip", command]:
                return words[4:]
    raise AssertionError(f"the Dockerfile has no 'python -m pip {command}'")


def test_dockerfile_installs_the_built_wheel_with_its_declared_dependencies() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", text, re.M)
    assert bases, "no FROM"
    for base in bases:
        assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim@sha256:[0-9a-f]{64}", base), base
    wheel = _pip("wheel")
    install = _pip("install")
    assert "--no-deps" in wheel  # the wheel alone; dependencies come from its metadata
    assert "--no-deps" not in install  # ... so the install resolves exactly those
    assert [a for a in install if not a.startswith("-")] == ["/wheels/zoho_manifest_guard-*.whl"]
    assert "COPY pyproject.toml README.md ./" in text
    assert "COPY checker ./checker" in text
    assert re.search(
        r'^ENTRYPOINT \["python", "/opt/zoho-manifest-guard/entrypoint.py"\]', text, re.M
    )
    assert not re.search(r"^USER ", text, re.M)  # documented: the workspace is root-owned
    # git in the final stage (it reads the base side), small: no recommends, no apt lists,
    # and the unpinned version is a documented hadolint exception.
    final = text.rsplit("\nFROM ", 1)[1].replace("\\\n", " ")
    apt = next(line for line in final.splitlines() if "apt-get install" in line)
    assert "apt-get update" in apt
    assert "apt-get install -y --no-install-recommends git " in apt + " "
    assert "rm -rf /var/lib/apt/lists/*" in apt
    ignore = text.index("# hadolint ignore=DL3008\nRUN apt-get update")
    assert "DL3008 (pin apt versions) is ignored on purpose" in text[:ignore]
    assert "falls back to the API" in text[:ignore]  # the size trade-off is explained
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {re.split(r"[<>=!~ \[]", d)[0].lower() for d in declared} == {
        "jsonschema",
        "pygithub",
        "pyyaml",
        "tree-sitter",
        "tree-sitter-javascript",
        "tree-sitter-typescript",
        "tree-sitter-html",
    }


@dataclass(frozen=True)
class Installed:
    """The wheel installed into a fresh venv, and entrypoint.py where the image puts it."""

    python: Path
    entrypoint: Path
    venv: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp_path = tmp_path_factory.mktemp("image")
    wheels = tmp_path / "wheels"
    wheel_flags = [a for a in _pip("wheel") if a.startswith("--") and a != "--wheel-dir"]
    # Offline here, so the build uses this environment's setuptools (--no-build-isolation).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            *wheel_flags,
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("zoho_manifest_guard-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies cannot be downloaded offline: this environment's site-packages is
    # appended after the fresh venv's own (a plain path line, so its editable hooks stay off).
    Path(purelib, "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # The Dockerfile's flags, plus --no-index --no-deps because this test is offline.
    install_flags = [a for a in _pip("install") if a.startswith("--")]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            *install_flags,
            "--no-index",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    check = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "check"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(ROOT / "entrypoint.py", app / "entrypoint.py")
    return Installed(python, app / "entrypoint.py", venv)


def _runner_env(tmp_path: Path, workspace: Path, event_name: str, payload: dict) -> dict:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "acme/extensions",
        "GITHUB_SHA": "a" * 40,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "INPUT_TOKEN": "",
        "INPUT_PATHS": "examples/**/plugin-manifest.json",
        "INPUT_FAIL-ON": "error",
        "INPUT_ANNOTATIONS": "workflow-commands",
    }


def _entrypoint(installed: Installed, workspace: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [installed.python, str(installed.entrypoint)],
        check=False,
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_wheel_installs_into_a_fresh_venv_and_entrypoint_runs(installed, tmp_path) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples", workspace / "examples")
    env = _runner_env(tmp_path, workspace, "workflow_dispatch", {"ref": "refs/heads/main"})
    done = _entrypoint(installed, workspace, env)
    where = subprocess.run(
        [installed.python, "-c", "import checker; print(checker.__file__)"],
        cwd=installed.entrypoint.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed.venv) in where, where  # the installed wheel, not the source tree
    assert done.returncode == 1, done.stdout + done.stderr  # broken-extension fails
    assert "::error file=examples/broken-extension/plugin-manifest.json" in done.stdout
    outputs = (tmp_path / "output").read_text()
    assert re.search(r"^verdict<<(\S+)\nfail\n\1$", outputs, re.M)
    report = json.loads((workspace / ".zoho-manifest-guard" / "report.json").read_text())
    assert sorted(m["path"] for m in report["manifests"]) == [
        "examples/broken-extension/plugin-manifest.json",
        "examples/desk-extension/plugin-manifest.json",
    ]
    assert "Zoho Manifest Guard" in (tmp_path / "summary").read_text()


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return done.stdout.decode().strip()


def test_entrypoint_reads_the_base_from_a_checkout_it_does_not_own(installed, tmp_path) -> None:
    """As the image runs: root, on a full clone owned by the runner's account, no token."""
    workspace = tmp_path / "workspace"
    extension = workspace / "examples" / "desk-extension"
    shutil.copytree(ROOT / "examples" / "desk-extension", extension)
    _git(workspace, "init", "-q", "-b", "main")
    _git(workspace, "add", "-A")
    _git(workspace, "commit", "-q", "-m", "base")
    before = _git(workspace, "rev-parse", "HEAD")
    manifest = json.loads((extension / "plugin-manifest.json").read_text())
    manifest["zohoAuthorisation"]["scope"].append("Desk.settings.ALL")
    (extension / "plugin-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    _git(workspace, "commit", "-q", "-am", "head")
    after = _git(workspace, "rev-parse", "HEAD")
    if os.geteuid() == 0:
        for path in [workspace, *workspace.rglob("*")]:
            os.lchown(path, 4242, 4242)
    payload = {"before": before, "after": after, "ref": "refs/heads/main"}
    env = _runner_env(tmp_path, workspace, "push", payload)
    done = _entrypoint(installed, workspace, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "base files from local git" in done.stdout, done.stdout
    outputs = (tmp_path / "output").read_text()
    assert re.search(r"^escalations<<(\S+)\n1\n\1$", outputs, re.M), outputs
    assert "Desk.settings.ALL" in (tmp_path / "summary").read_text()
