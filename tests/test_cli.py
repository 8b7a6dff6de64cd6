"""The command line as a user meets it: exit codes, usage errors, output formats."""

from __future__ import annotations

import json
import shutil
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
    out, err = capsys.readouterr()
    assert f"{tmp_path}: no plugin-manifest.json in it or below it" in err
    assert out == ""  # never "0 manifests: pass"


@pytest.mark.parametrize("output", ["text", "json", "sarif", "markdown"])
def test_every_path_that_names_no_manifest_is_exit_2_naming_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    output: str,
) -> None:
    # `check empty ext` checked ext and passed: the empty folder went unnoticed
    shutil.copytree(EXAMPLES / "desk-extension", tmp_path / "ext")
    (tmp_path / "empty" / "node_modules" / "x").mkdir(parents=True)
    shutil.copy(
        EXAMPLES / "desk-extension" / "plugin-manifest.json",
        tmp_path / "empty" / "node_modules" / "x",
    )
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path)
    for paths in (["empty", "ext"], ["ext", "./empty/"], ["ext/", "empty", "other"]):
        code = main(["check", *paths, "--format", output])
        out, err = capsys.readouterr()
        assert code == 2, paths
        assert "pass" not in out
        named = [line.split(":")[0] for line in err.splitlines()]
        expected = [p for p in paths if p.strip("./") in ("empty", "other")]
        assert named == ["zoho-manifest-guard", *expected[1:]], err
        assert f"error: {expected[0]}: no plugin-manifest.json in it or below it" in err
    assert main(["check", "ext", ".", "--format", output]) == 0
    capsys.readouterr()


def test_a_folder_named_like_a_manifest_is_reported_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "desk-extension", tmp_path / "ext")
    (tmp_path / "odd" / "plugin-manifest.json").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    for paths in (["."], ["odd"], ["odd/plugin-manifest.json"], [".", "ext"]):
        code = main(["check", *paths, "--format", "json"])
        out, err = capsys.readouterr()
        assert code == 2, (paths, err)
        found = [
            (m["path"], f["rule"], f["message"])
            for m in json.loads(out)["manifests"]
            for f in m["findings"]
        ]
        assert (
            "odd/plugin-manifest.json",
            "file-unreadable",
            "is a folder, not a file; nothing was read (a manifest is a JSON file)",
        ) in found, paths


def test_error_messages_never_carry_raw_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text('"de\\e[31mny": []\n', encoding="utf-8")
    base = EXAMPLES / "desk-extension" / "plugin-manifest.json"
    head = tmp_path / "plugin-manifest.json"
    shutil.copyfile(base, head)
    argv = ["diff", "--base-file", str(base), "--head-file", str(head), "--policy", str(policy)]
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


def test_a_deeply_nested_policy_file_is_exit_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "deep.yml"
    policy.write_text("deny: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    head = EXAMPLES / "desk-extension" / "plugin-manifest.json"
    code = main(["diff", "--head-file", str(head), "--policy", str(policy)])
    err = capsys.readouterr().err
    assert code == 2, err  # was 3: RecursionError
    assert err.startswith(f"zoho-manifest-guard: error: {policy}:1: values are nested more than")


@pytest.mark.parametrize("max_depth", ["64", "500"])
def test_deep_json_manifests_and_resources_are_findings_on_either_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], max_depth: str
) -> None:
    # 5,000 levels, beyond what Python's recursion could parse, whatever --max-depth allows
    shutil.copytree(EXAMPLES / "desk-extension", tmp_path / "ext")
    deep = "[" * 5000 + "]" * 5000
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "plugin-manifest.json").write_text(deep, encoding="utf-8")
    (tmp_path / "ext" / "resources.json").write_text(deep, encoding="utf-8")
    good = str(tmp_path / "ext" / "plugin-manifest.json")
    clean = str(EXAMPLES / "desk-extension" / "plugin-manifest.json")
    bad = str(tmp_path / "deep" / "plugin-manifest.json")
    runs = [
        ["check", bad],
        ["check", good],
        ["diff", "--base-file", bad, "--head-file", clean],
        ["diff", "--base-file", clean, "--head-file", bad],
        ["diff", "--base-file", good, "--head-file", clean],
    ]
    for argv in runs:
        code = main([*argv, "--max-depth", max_depth, "--format", "json"])
        out, err = capsys.readouterr()
        assert code in (0, 1), (argv, err)
        payload = json.loads(out)
        assert "internal error" not in err
        if argv[0] == "check":
            rules = {f["rule"] for m in payload["manifests"] for f in m["findings"]}
            assert "json-too-deep" in rules, argv


def test_help_is_laid_out_as_argparse_lays_it_out(monkeypatch, capsys):
    # the formatter is told the width instead of asking shutil: the help must not change
    import argparse

    from checker import cli

    def help_text(columns: str) -> str:
        monkeypatch.setenv("COLUMNS", columns)
        with pytest.raises(SystemExit):
            cli.main(["check", "--help"])
        return capsys.readouterr().out

    narrow, wide = help_text("50"), help_text("120")
    assert "--no-code" in narrow
    assert len(narrow.splitlines()) > len(wide.splitlines())
    monkeypatch.setattr(cli, "_Formatter", argparse.HelpFormatter)
    assert (help_text("50"), help_text("120")) == (narrow, wide)
