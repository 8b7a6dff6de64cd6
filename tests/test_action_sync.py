"""action.yml, the Action's settings and the README's inputs/outputs table say the same thing."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from checker.actions_env import INPUT_NAMES, OUTPUT_NAMES, ActionSettings, settings_from_env

ROOT = Path(__file__).resolve().parent.parent


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _readme_rows() -> dict[str, dict[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Inputs and outputs", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, dict[str, str]] = {"input": {}, "output": {}}
    kind = None
    for line in section.splitlines():
        header = re.match(r"\| (input|output) \|", line)
        if header:
            kind = header.group(1)
            continue
        row = re.match(r"\| `([a-z-]+)` \| (.*?) \|", line)
        if row and kind:
            tables[kind][row.group(1)] = row.group(2)
    return tables


def test_action_yml_is_a_docker_action() -> None:
    action = _action()
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert {"icon", "color"} <= set(action["branding"])


def test_inputs_match_settings_and_readme() -> None:
    action = _action()
    assert tuple(action["inputs"]) == INPUT_NAMES
    fields = {f.name for f in dataclasses.fields(ActionSettings)}
    assert {name.replace("-", "_") for name in INPUT_NAMES} <= fields
    rows = _readme_rows()
    assert tuple(rows["input"]) == INPUT_NAMES
    for name, spec in action["inputs"].items():
        default = str(spec.get("default", ""))
        shown = rows["input"][name]
        assert shown == (f"`{default}`" if default else "(none)"), name


def test_outputs_match_readme() -> None:
    action = _action()
    assert tuple(action["outputs"]) == OUTPUT_NAMES
    assert tuple(_readme_rows()["output"]) == OUTPUT_NAMES


def test_action_yml_defaults_are_the_settings_defaults() -> None:
    defaults = {
        f"INPUT_{name.upper()}": str(spec.get("default", ""))
        for name, spec in _action()["inputs"].items()
        if "${{" not in str(spec.get("default", ""))
    }
    assert settings_from_env(defaults) == settings_from_env({})
