"""The benchmark keeps working: bench/run.py --smoke prints its table and writes its JSON.

No timing is judged here (that is what the full run is for), and Zoho's toolkit is hidden
so that the test neither needs Node nor waits for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_smoke_run_prints_every_row(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["ZMG_ZET_DIR"] = str(tmp_path / "no-zet")
    env["TMPDIR"] = str(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = done.stdout
    for expected in (
        "Zoho Manifest Guard benchmark",
        "machine: nproc ",
        "check: ours = JSON, schema and every rule",
        "check-jsonschema",
        "linearity: time per manifest at 3 / at 1",
        "cold start, one clean extension",
        "ours: check",
        "ours: --no-code",
        "check on 2 extensions with 1.0 MB of JavaScript each",
        "reading the code: ",
        "zet validate skipped: Zoho's toolkit is not installed",
        "diff: 3 manifests changed between two commits",
        "diff --base REF --head REF",
        "diff --base-file --head-file",
        "GitHub API requests",
        "targets",
        "ours --no-code / check-jsonschema at 3 manifests <= 0.5",
        "--no-code/theirs",
        "peak memory at 3 manifests < 100 MB",
        "GitHub requests <= ceil(N / 50) + 10",
    ):
        assert expected in table, f"{expected!r} missing from:\n{table}"
    rows = [line.split() for line in table.splitlines()]
    assert any(r[:1] == ["1"] and "MB" in r for r in rows)
    assert any(r[:1] == ["3"] and "MB" in r for r in rows)
    api = [r for r in rows if len(r) == 6 and r[-1] in ("PASS", "FAIL")]
    assert [r[0] for r in api] == ["0", "10"]
    assert all(r[-1] == "PASS" for r in api), table
    assert "(not judged)" in table
    assert " FAIL" not in table.split("targets")[-1]

    saved = json.loads((out / "latest-smoke.json").read_text(encoding="utf-8"))
    assert saved["smoke"] is True
    assert [row["manifests"] for row in saved["check"]] == [1, 3]
    assert saved["check"][0]["ours"]["samples"][0]["code"] == 0
    assert saved["check"][0]["ours-no-code"]["samples"][0]["code"] == 0
    assert "ratio_no_code" in saved["check"][0]
    assert saved["diff"]["pairs"] == 3
    assert [row["findings"] for row in saved["api"]] == [0, 10]
    assert "note" in saved["cold"]
    assert "zet" not in saved["cold"]
    assert not list(tmp_path.glob("zmg-bench-*")), "the generated files are removed"


def test_only_runs_the_named_sections(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["ZMG_ZET_DIR"] = str(tmp_path / "no-zet")
    env["TMPDIR"] = str(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--only", "cold", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cold start, one clean extension" in done.stdout
    for absent in ("check: ours = JSON", "JavaScript each", "diff: ", "GitHub API requests"):
        assert absent not in done.stdout, done.stdout
    saved = json.loads((out / "latest-smoke.json").read_text(encoding="utf-8"))
    assert set(saved) & {"check", "code", "diff", "api"} == set()
    assert saved["cold"]["ours-no-code"]["samples"][0]["code"] == 0
    wrong = subprocess.run(
        [sys.executable, "bench/run.py", "--only", "cold,nothing"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert wrong.returncode == 2
    assert "--only takes some of check, code, cold, diff, api, not nothing" in wrong.stderr
