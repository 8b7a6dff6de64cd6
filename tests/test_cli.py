"""The command line as a user meets it: exit codes, usage errors, output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import EXAMPLES


def test_clean_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "desk-extension"), "--color", "never"]) == 0
    assert capsys.readouterr().out.endswith("in 1 manifest: pass\n")


def test_broken_example_exits_1_and_json_has_the_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(EXAMPLES / "broken-extension"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert report["verdict"] == "fail"
    manifest = report["manifests"][0]
    assert set(manifest) >= {"path", "service", "findings"}
    assert set(manifest["findings"][0]) >= {"rule", "severity", "message", "pointer", "line"}
    assert report["summary"]["errors"] > 0


def test_fail_on_never_and_warning(capsys: pytest.CaptureFixture[str]) -> None:
    broken = str(EXAMPLES / "broken-extension")
    assert main(["check", broken, "--fail-on", "never"]) == 0
    assert main(["check", str(EXAMPLES / "desk-extension"), "--fail-on", "warning"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "no/such/folder"],
        ["frobnicate"],
        [],
        ["check", ".", "--fail-on", "sometimes"],
        ["check", ".", "--max-depth", "0"],
        ["check", ".", "--max-bytes", "0"],
        ["check", ".", "--format", "xml"],
    ],
)
def test_usage_errors_exit_2_without_a_traceback(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("zoho-manifest-guard: error: ")
    assert "Traceback" not in err


def test_a_folder_without_manifests_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path)]) == 2
    assert "no plugin-manifest.json found" in capsys.readouterr().out


def test_error_messages_never_carry_raw_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text('"de\\e[31mny": []\n', encoding="utf-8")
    base = EXAMPLES / "desk-extension" / "plugin-manifest.json"
    argv = ["diff", "--base-file", str(base), "--head-file", str(base), "--policy", str(policy)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert "\x1b" not in err
    assert "\\u001b" in err


def test_python_dash_m_checker_runs_the_same_tool() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(EXAMPLES / "desk-extension")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("in 1 manifest: pass\n")
