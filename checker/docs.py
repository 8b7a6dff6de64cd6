"""Render docs/rules.md from the rule catalogue (``python -m checker.docs --write``)."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.rule_index import all_rule_infos
from checker.rules.base import RuleInfo

HEADER = """# Rules reference

Every finding carries one of these ids. Each section says what the rule checks, why it
matters, how to fix it, and how Zoho's own toolkit (`zet validate`, v1.0.24) behaves on the
same input. Where this tool is stricter than the toolkit on purpose, the section says so.

This file is generated from the rule definitions by `python -m checker.docs --write`;
a test fails when it is out of date.
"""


def _section(info: RuleInfo) -> str:
    lines = [
        f"## {info.id}",
        "",
        f"*Severity:* {info.severity.value}. *Zoho's toolkit:* {info.zet.value}.",
        "",
        info.summary,
        "",
        info.doc.strip(),
        "",
    ]
    return "\n".join(lines)


def render() -> str:
    """The whole rules reference."""
    infos = all_rule_infos()
    index = "\n".join(f"- [`{i.id}`](#{i.id}): {i.summary}" for i in infos)
    body = "\n".join(_section(i) for i in infos)
    return f"{HEADER}\n{index}\n\n{body}"


def main(argv: list[str]) -> int:
    """Print the reference, or write it to docs/rules.md with ``--write``."""
    text = render()
    if argv == ["--write"]:
        target = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
        target.write_text(text, encoding="utf-8")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
