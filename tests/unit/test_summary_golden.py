"""The reviewer's summary of representative pull requests, golden (``--update-golden``).

Each case of tests/summary_cases.py is rendered with links to the pull request's head commit
(tests/golden/summary-<case>.md), as the comment, the check run and the job summary show it.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from summary_cases import CASES, HEAD_SHA, LINKS, report

from checker.reporters import markdown

GOLDEN = ROOT / "tests" / "golden"
BLOB = f"https://github.com/octo-org/orders-extension/blob/{HEAD_SHA}/"


@pytest.mark.parametrize("name", sorted(CASES))
def test_summary_golden(name: str, update_golden: bool) -> None:
    output = markdown.render(report(name), links=LINKS)
    golden = GOLDEN / f"summary-{name}.md"
    if update_golden:
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing; run pytest --update-golden"
    assert output == golden.read_text(encoding="utf-8")


def test_added_scopes_link_to_their_line_and_say_what_they_mean() -> None:
    text = markdown.render(report("new-scope"), links=LINKS)
    row = next(line for line in text.splitlines() if "Desk.<wbr>settings.<wbr>ALL" in line)
    assert f"**+** <code>Desk.<wbr>settings.<wbr>ALL</code> ([line 41]({BLOB}" in row
    assert "plugin-manifest.json#L41)" in row
    assert "🟥 **critical**: read, create, change and delete all Zoho Desk settings" in row
    assert "*+1 unchanged*" in row


def test_without_link_context_line_references_stay_plain_text() -> None:
    text = markdown.render(report("new-scope"))
    assert "(line 41)" in text
    assert "/blob/" not in text
    # the only links left are the catalogue's documentation pages
    assert set(re.findall(r"\]\(([^)]*)\)", text)) == {
        "https://desk.zoho.com/DeskAPIDocument#OauthTokens"
    }


def test_removed_scopes_are_struck_and_link_to_the_base() -> None:
    text = markdown.render(report("removed"), links=LINKS)
    assert "**-** ~~<code>Desk.<wbr>tickets.<wbr>READ</code>~~ ([line 41 of the base](" in text
    assert "/blob/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d/" in text
    assert "<code>orderlookup\\_<wbr>api</code> *(removed, [line 45 of the base](" in text


def test_unchanged_scopes_collapse_to_a_count() -> None:
    text = markdown.render(report("many-unchanged"), links=LINKS)
    assert "*+14 unchanged*" in text
    assert "Desk.<wbr>articles" not in text


def test_findings_after_the_first_ten_are_folded() -> None:
    text = markdown.render(report("many-findings"), links=LINKS)
    before, folded = text.split("<details><summary>4 more findings</summary>", 1)
    assert len(re.findall(r"^\| error \| \[\d+:\d+\]\(", before, re.MULTILINE)) == 10
    assert len(re.findall(r"^\| error \| \[\d+:\d+\]\(", folded, re.MULTILINE)) == 4
    assert "</details>" in folded


def test_a_shortened_summary_keeps_links_and_folds_findings() -> None:
    full = markdown.render(report("many-findings"), links=LINKS)
    short = markdown.render(report("many-findings"), links=LINKS, max_chars=len(full) - 500)
    assert short.startswith("## ")
    assert "**Shortened**" in short
    assert f"]({BLOB}" in short
