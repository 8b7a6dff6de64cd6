"""The rules reference is generated from the rule catalogue and kept in sync."""

from __future__ import annotations

from pathlib import Path

from checker.docs import render
from checker.rule_index import all_rule_infos

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


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
