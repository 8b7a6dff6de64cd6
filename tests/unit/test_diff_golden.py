"""Golden outputs of representative diffs in text, markdown and JSON (``--update-golden``).

Inputs are ``tests/golden/diff-<name>.base.json`` (absent: a new manifest), ``.head.json``, an
optional ``.policy.yml`` and an optional ``.head.js`` (the head's code, as app/js/main.js: the
escalations then say whether the code needs them); outputs are ``diff-<name>.txt``, ``.md``
and ``.json``. The tool version is scrubbed from the JSON so a release does not rewrite every
golden file, and the validation findings are left out (the check goldens and the rule tests
own those), so a reworded rule message does not rewrite the diff goldens.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import ROOT

from checker.calls.model import CodeFile, CodeInput
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY, parse_policy
from checker.report import FailOn, Report, build_report
from checker.reporters import json_v1, markdown, text

GOLDEN = ROOT / "tests" / "golden"
PATH = "extensions/orders/plugin-manifest.json"
# name -> approved
SCENARIOS = {"escalation": False, "narrowing": False, "policy": True, "hostile": False}


def _report(name: str) -> Report:
    def source(side: str) -> ExtensionInput | None:
        file = GOLDEN / f"diff-{name}.{side}.json"
        script = GOLDEN / f"diff-{name}.{side}.js"
        code = (
            CodeInput((CodeFile("app/js/main.js", script.read_bytes()),))
            if script.exists()
            else None
        )
        return (
            ExtensionInput(PATH, file.read_bytes(), root="extensions/orders", code=code)
            if file.exists()
            else None
        )

    policy_file = GOLDEN / f"diff-{name}.policy.yml"
    policy = (
        parse_policy(policy_file.read_text(encoding="utf-8"), ".github/zoho-manifest-guard.yml")
        if policy_file.exists()
        else DEFAULT_POLICY
    )
    pair = ManifestPair(PATH, source("base"), source("head"))
    report = analyse([pair], policy, approved=SCENARIOS[name], fail_on=FailOn.ERROR)
    manifests = [replace(m, findings=()) for m in report.manifests]
    return build_report(
        manifests,
        FailOn.ERROR,
        escalations=report.escalations,
        blocking=report.blocking,
        notes=report.notes,
    )


def _json(report: Report) -> str:
    payload = json.loads(json_v1.render(report))
    assert payload["tool"]["version"]
    payload["tool"]["version"] = "X"
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {
    "txt": lambda r: text.render(r, color=False),
    "md": lambda r: markdown.render(r, marker="zoho-manifest-guard"),
    "json": _json,
}


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden(name, suffix, update_golden):
    output = RENDERERS[suffix](_report(name))
    golden = GOLDEN / f"diff-{name}.{suffix}"
    if update_golden:
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing; run pytest --update-golden"
    assert output == golden.read_text(encoding="utf-8")


def test_scenarios_have_the_verdicts_they_illustrate():
    verdicts = {name: _report(name) for name in SCENARIOS}
    assert verdicts["escalation"].blocking > 0
    assert verdicts["narrowing"].escalations == 0
    assert verdicts["narrowing"].verdict.value == "pass"
    policy = verdicts["policy"]
    reasons = {c.decision.reason.value for m in policy.manifests for c in m.changes if c.decision}
    assert {"deny", "allowed", "approved"} <= reasons
