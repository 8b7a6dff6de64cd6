"""SARIF 2.1.0: the shape code scanning accepts."""

from __future__ import annotations

import json
from pathlib import Path

from checker.findings import Finding, Location, Severity, Span
from checker.report import FailOn, ManifestReport, build_report
from checker.reporters import sarif


def test_sarif_shape() -> None:
    findings = (
        Finding(
            "json-syntax",
            Severity.ERROR,
            "bad",
            Location("a/plugin-manifest.json", span=Span(3, 2, 3, 7)),
        ),
        Finding("not-in-catalog", Severity.NOTICE, "n", Location("a/plugin-manifest.json")),
    )
    report = build_report(
        [ManifestReport("a/plugin-manifest.json", "DESK", findings)], FailOn.ERROR
    )
    data = json.loads(sarif.render(report, root="sub"))
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    assert run["tool"]["driver"]["name"] == "zoho-manifest-guard"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["json-syntax", "not-in-catalog"]
    assert rules[0]["shortDescription"]["text"]
    assert rules[0]["helpUri"].endswith("#json-syntax")
    first, second = run["results"]
    assert first["ruleIndex"] == 0
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "sub/a/plugin-manifest.json",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 7}
    assert second["level"] == "note"
    assert "region" not in second["locations"][0]["physicalLocation"]


def test_changes_compared_with_the_base_are_results_too(tmp_path, monkeypatch, capsys) -> None:
    from checker.cli import main

    manifest = json.loads(
        (Path(__file__).parents[2] / "examples/desk-extension/plugin-manifest.json").read_text()
    )
    (tmp_path / "old.json").write_text(json.dumps(manifest, indent=2))
    manifest["zohoAuthorisation"]["scope"].append("Desk.settings.ALL")
    (tmp_path / "new.json").write_text(json.dumps(manifest, indent=2))
    monkeypatch.chdir(tmp_path)
    args = ["diff", "--base-file", "old.json", "--head-file", "new.json", "--format", "sarif"]
    assert main(args) == 1
    data = json.loads(capsys.readouterr().out)
    (run,) = data["runs"]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "scope-added"]
    # SARIF keeps help on rules: the kind's rule says what its scope means, and links the
    # scope's documentation (the only one among its results)
    assert rule["helpUri"] == "https://desk.zoho.com/DeskAPIDocument#OauthTokens"
    assert "an escalation" in rule["shortDescription"]["text"]
    assert rule["help"]["text"].startswith("Desk.settings.ALL (critical tier): lets the extension")
    assert "all Zoho Desk settings" in rule["help"]["markdown"]
    assert "[Scope documentation](https://desk.zoho.com/" in rule["help"]["markdown"]
    (result,) = [r for r in run["results"] if r["ruleId"] == "scope-added"]
    assert result["level"] == "error"  # the policy blocks it
    assert '"Desk.settings.ALL"' in result["message"]["text"]
    assert (
        "It lets the extension read, create, change and delete all Zoho Desk settings"
        in (result["message"]["text"])
    )
    region = result["locations"][0]["physicalLocation"]["region"]
    lines = (tmp_path / "new.json").read_text().splitlines()
    assert '"Desk.settings.ALL"' in lines[region["startLine"] - 1]
