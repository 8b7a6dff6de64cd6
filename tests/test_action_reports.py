"""Report files never follow a link: a pull request that commits the report folder, a report
file or the sarif-file's path as a symbolic link gets exit 2, and nothing outside is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import test_action_e2e as e2e
from tests.test_action_e2e import dump, example_manifest, with_scope

pytestmark = pytest.mark.slow

github = e2e.github
scenario = e2e.scenario
REPORTS = ".zoho-manifest-guard"


def _outside(tmp: Path) -> Path:
    folder = tmp / "outside"
    folder.mkdir(exist_ok=True)
    return folder


# (what the pull request commits, relative to the repository) -> link target (absolute)
CASES = {
    "folder-link": (REPORTS, "outside"),
    "folder-dangling": (REPORTS, "outside/nowhere"),
    "report-link": (f"{REPORTS}/report.json", "outside/victim.txt"),
    "summary-dangling": (f"{REPORTS}/summary.md", "outside/created.md"),
    "sarif-folder-link": ("reports", "outside"),
    "sarif-dangling": ("reports/guard.sarif", "outside/created.sarif"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_committed_link_on_a_report_path_is_refused_and_nothing_outside_is_written(
    scenario, case
) -> None:
    where, target = CASES[case]

    def commit_link(repo: Path) -> None:
        outside = _outside(repo.parent)
        (outside / "victim.txt").write_text("untouched\n", encoding="utf-8")
        link = repo / where
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(repo.parent / target)

    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"), edit=commit_link)
    assert (s.work / where).is_symlink()  # it came through git, as a pull request brings it
    before = {p: p.read_bytes() for p in _outside(s.tmp).iterdir()}
    result = s.run(s.env(sarif_file="reports/guard.sarif"))
    assert result.code == 2, result.stdout
    assert "symbolic link" in result.step_summary
    assert where in result.step_summary
    after = {p: p.read_bytes() for p in _outside(s.tmp).iterdir()}
    assert after == before, "a file outside the workspace was written"
    assert not (s.tmp / "outside" / "nowhere").exists()
    assert s.state.check_runs == {}, "refused before posting anything"


def test_a_report_folder_that_is_a_file_is_refused(scenario) -> None:
    s = scenario(
        dump(example_manifest()),
        dump(example_manifest()),
        extra_head={REPORTS: "not a folder\n"},
    )
    result = s.run(s.env())
    assert result.code == 2, result.stdout
    assert "not a folder" in result.step_summary


def test_committed_report_files_are_replaced_not_written_through(scenario) -> None:
    s = scenario(
        dump(example_manifest()),
        with_scope("Desk.settings.ALL"),
        extra_head={
            f"{REPORTS}/report.json": '{"verdict": "pass"}\n',
            "reports/guard.sarif": "{}\n",
        },
    )
    committed = s.work / REPORTS / "report.json"
    # a second name of the same file (git cannot commit one, an earlier step could make it)
    other_name = s.tmp / "other-name.json"
    os.link(committed, other_name)
    result = s.run(s.env(sarif_file="reports/guard.sarif"))
    assert result.code == 1, result.stdout
    report = json.loads(committed.read_text(encoding="utf-8"))
    assert report["verdict"] == "fail"
    # a new file was created: the old one, under its other name, is as it was
    assert other_name.read_text(encoding="utf-8") == '{"verdict": "pass"}\n'
    sarif = json.loads((s.work / "reports" / "guard.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert oct(os.stat(s.work / REPORTS).st_mode)[-3:] in ("755", "775")


def test_many_escalations_fill_each_summary_most_severe_first(scenario) -> None:
    manifest = example_manifest()
    manifest["zohoAuthorisation"]["scope"] += [f"Desk.custom{i}.READ" for i in range(3000)]
    s = scenario(dump(example_manifest()), dump(manifest))
    env = s.env()
    env["GITHUB_RUN_ID"] = "4242"
    result = s.run(env)
    assert result.code == 1, result.stdout[-2000:]
    escalations = int(result.outputs["escalations"])
    assert escalations == 3000
    run_link = "[this run](https://github.com/acme/extensions/actions/runs/4242)"
    (comment,) = e2e.our_comments(s.state)
    (check,) = s.state.check_runs.values()
    for text, limit in ((comment["body"], 65_536), (check["output"]["summary"], 65_535)):
        assert len(text) <= limit
        lines = text.splitlines()
        assert "### Most severe escalations" in lines
        listed = sum(1 for line in lines if line.startswith("- ⛔ **blocks**"))
        assert listed > 100
        assert f"- … and {escalations - listed:,} more (in the full report)" in lines
        assert f"The full report: the job summary of {run_link}" in text
        assert "| Connection |" not in text  # no table without its (too long) row
    job = result.step_summary
    assert len(job.encode()) <= 1024 * 1024
    # the job summary has a mebibyte: it keeps all it can (each line links to its line at the
    # head commit, so about 2,900 of 3,000 fit) and says how many more there are
    in_job = sum(1 for line in job.splitlines() if line.startswith("- ⛔ **blocks**"))
    assert in_job > 2500
    assert in_job == 3000 or f"- … and {3000 - in_job:,} more (in the full report)" in job
