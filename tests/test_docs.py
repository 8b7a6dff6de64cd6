"""The rules reference is generated from the rule catalogue and kept in sync."""

from __future__ import annotations

from pathlib import Path

from checker.docs import README_END, README_START, readme, render, summary_sample
from checker.rule_index import all_rule_infos

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_rules_reference_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale; run: python -m checker.docs --write"
    )


def test_rule_ids_are_unique_kebab_case_and_documented() -> None:
    infos = all_rule_infos()
    ids = [info.id for info in infos]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for info in infos:
        assert info.summary.endswith("."), info.id
        assert len(info.doc) > 40, f"{info.id}: the documentation is too thin"
        assert f"## {info.id}\n" in DOCS.read_text(encoding="utf-8")


def test_readme_summary_sample_is_generated_and_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == readme(text), (
        "README's summary sample is stale; run: python -m checker.docs --write"
    )
    section = text.split("## What you get", 1)[1].split("\n## ", 1)[0]
    assert README_START in section
    assert README_END in section
    sample = summary_sample()
    assert "| Connection | Scopes |" in sample
    assert "🟥 **critical**: read, create, change and delete all Zoho Desk settings" in sample
    assert "[line 41](https://github.com/acme/extensions/blob/" in sample
