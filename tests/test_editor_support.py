"""Editor support: stable schema ids, ``schema --policy``, and the README's VS Code settings."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

from checker.cli import main
from checker.policy import policy_schema_text

BASE = "https://raw.githubusercontent.com/zoho-manifest-guard/zoho-manifest-guard/main/"
# The ids editors and users' settings point at: changing one breaks their configuration.
IDS = {
    "plugin-manifest.schema.json": BASE + "checker/schemas/plugin-manifest.schema.json",
    "policy.schema.json": BASE + "checker/schemas/policy.schema.json",
}


@pytest.mark.parametrize("name", sorted(IDS))
def test_schema_ids_are_stable_and_name_the_file_in_this_repository(name: str) -> None:
    schema = json.loads((ROOT / "checker" / "schemas" / name).read_text(encoding="utf-8"))
    assert schema["$id"] == IDS[name]
    assert (ROOT / schema["$id"].removeprefix(BASE)).is_file()


def test_schema_policy_prints_the_policy_schema(capsys) -> None:
    assert main(["schema", "--policy"]) == 0
    out = capsys.readouterr().out
    assert out == policy_schema_text()
    assert json.loads(out)["$id"] == IDS["policy.schema.json"]
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == IDS["plugin-manifest.schema.json"]


def test_readme_shows_vs_code_settings_for_both_schemas() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Editor support", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```json\n(.*?)```", section, re.S)
    settings = json.loads(block)
    assert settings["json.schemas"] == [
        {"fileMatch": ["**/plugin-manifest.json"], "url": IDS["plugin-manifest.schema.json"]}
    ]
    assert settings["yaml.schemas"] == {
        IDS["policy.schema.json"]: ".github/zoho-manifest-guard.yml"
    }
    assert "zoho-manifest-guard schema --policy" in section


def test_the_policy_file_init_writes_names_its_schema() -> None:
    template = (ROOT / "checker" / "templates" / "zoho-manifest-guard.yml").read_text()
    assert template.startswith("# yaml-language-server: $schema=%%POLICY_SCHEMA%%\n")
