"""The bundled examples: the clean one stays clean, the broken one reports its known problems."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker.cli import main
from checker.rule_index import all_rule_infos

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden" / "broken-extension.txt"


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Display paths are relative to the current folder; goldens use paths from the root.
    monkeypatch.chdir(ROOT)


def test_desk_extension_checks_clean() -> None:
    code, output = _run("check", "examples/desk-extension", "--color", "never")
    assert code == 0, output
    assert output == "0 errors, 0 warnings, 0 notices in 1 manifest: pass\n"


def test_desk_extension_json_report_is_empty() -> None:
    code, output = _run("check", "examples/desk-extension", "--format", "json")
    report = json.loads(output)
    assert code == 0
    assert report["manifests"][0]["findings"] == []
    assert (report["version"], report["verdict"]) == (1, "pass")
    summary = report["summary"]
    assert (summary["errors"], summary["warnings"], summary["notices"]) == (0, 0, 0)


def test_broken_extension_output_matches_the_golden_file(update_golden: bool) -> None:
    code, output = _run("check", "examples/broken-extension", "--color", "never")
    assert code == 1, output
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(output, encoding="utf-8")
    assert output == GOLDEN.read_text(encoding="utf-8")


def test_broken_extension_readme_names_rules_that_fire() -> None:
    readme = (EXAMPLES / "broken-extension" / "README.md").read_text(encoding="utf-8")
    known = {info.id for info in all_rule_infos()}
    named = set(re.findall(r"`([a-z][a-z0-9-]+)`", readme)) & known
    assert len(named) >= 6, named
    _, output = _run("check", "examples/broken-extension", "--color", "never")
    fired = set(re.findall(r"\[([a-z0-9-]+)\]$", output, flags=re.MULTILINE))
    assert named <= fired, sorted(named - fired)


def test_broken_extension_hides_a_scope_behind_a_duplicate_key() -> None:
    manifest = EXAMPLES / "broken-extension" / "plugin-manifest.json"
    scopes = json.loads(manifest.read_text(encoding="utf-8"))["zohoAuthorisation"]["scope"]
    assert "Desk.settings.ALL" in scopes  # the last copy wins, as in every JSON parser
    first = manifest.read_text(encoding="utf-8").split('"scope"')[1]
    assert "Desk.settings.ALL" not in first.split("]")[0]
