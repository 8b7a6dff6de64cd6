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
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {re.split(r"[<>=!~ \[]", d)[0].lower() for d in declared} == {
        "jsonschema",
        "pygithub",
        "pyyaml",
    }


def test_wheel_installs_into_a_fresh_venv_and_entrypoint_runs(tmp_path) -> None:
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
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples", workspace / "examples")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}))
    output = tmp_path / "output"
    summary = tmp_path / "summary"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "acme/extensions",
        "GITHUB_SHA": "a" * 40,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "INPUT_TOKEN": "",
        "INPUT_PATHS": "examples/**/plugin-manifest.json",
        "INPUT_FAIL-ON": "error",
        "INPUT_ANNOTATIONS": "workflow-commands",
    }
    done = subprocess.run(
        [python, str(app / "entrypoint.py")],
        check=False,
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    where = subprocess.run(
        [python, "-c", "import checker; print(checker.__file__)"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in where, where  # the installed wheel, not the source tree
    assert done.returncode == 1, done.stdout + done.stderr  # broken-extension fails
    assert "::error file=examples/broken-extension/plugin-manifest.json" in done.stdout
    outputs = output.read_text()
    assert re.search(r"^verdict<<(\S+)\nfail\n\1$", outputs, re.M)
    report = json.loads((workspace / ".zoho-manifest-guard" / "report.json").read_text())
    assert sorted(m["path"] for m in report["manifests"]) == [
        "examples/broken-extension/plugin-manifest.json",
        "examples/desk-extension/plugin-manifest.json",
    ]
    assert "Zoho Manifest Guard" in summary.read_text()
