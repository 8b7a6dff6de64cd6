"""The README's "What you get" samples are the Action's real output (``--update-golden``).

One pull request adds ``Desk.settings.ALL`` to the bundled example extension; the check-run
annotation on that scope's line, the workflow command a read-only token gets instead, and the
pull-request summary are compared with tests/golden/action-*, and the README must show them
exactly (the summary as a block quote).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.action.render import SUMMARY_MARKER
from tests.test_action_e2e import (
    dump,
    example_manifest,
    github,  # noqa: F401 - a fixture the scenario fixture uses
    our_comments,
    scenario,  # noqa: F401 - the fixture
    with_scope,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
README = ROOT / "README.md"


def _samples(make) -> dict[str, str]:
    s = make(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    assert s.run(s.env()).code == 1
    (check,) = s.state.check_runs.values()
    (annotation,) = [a for a in check["annotations"] if a["title"].startswith("scope-added")]
    body = our_comments(s.state)[0]["body"]
    assert body.startswith(SUMMARY_MARKER + "\n")
    summary = body.removeprefix(SUMMARY_MARKER + "\n").rstrip("\n") + "\n"
    s.state.read_only = True
    forked = s.run(s.env())
    (command,) = [line for line in forked.stdout.splitlines() if "title=scope-added::" in line]
    return {
        "action-annotation.json": json.dumps(annotation, indent=2, ensure_ascii=False) + "\n",
        "action-command.txt": command + "\n",
        "action-summary.md": summary,
    }


def _quoted(markdown: str) -> str:
    return "".join(f"> {line}".rstrip() + "\n" for line in markdown.splitlines())


def test_readme_samples_are_real_output(scenario, update_golden) -> None:  # noqa: F811
    samples = _samples(scenario)
    for name, text in samples.items():
        path = GOLDEN / name
        if update_golden:
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{name} changed: --update-golden"
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## What you get", 1)[1].split("\n## ", 1)[0]
    assert f"```json\n{samples['action-annotation.json']}```" in section
    assert f"```text\n{samples['action-command.txt']}```" in section
    assert _quoted(samples["action-summary.md"]) in section
