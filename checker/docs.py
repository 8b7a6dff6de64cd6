"""Render docs/rules.md from the rule catalogue (``python -m checker.docs --write``)."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.rule_index import all_rule_infos
from checker.rules import RULE_SETS, UNKNOWN_SERVICE_RULES
from checker.rules.base import RuleInfo
from checker.services import REGISTRY, ServiceInfo

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


SERVICES_HEADER = """## Services

How Zoho's toolkit treats each `service` value it accepts, and what this tool runs for it.
Every manifest, whatever its service, gets the rules that hold for any product: {shared}.
The rules listed under a service are the ones it gets besides those.
"""


def _service_section(info: ServiceInfo) -> str:
    name = info.service.value
    if info.schema is None:
        schema = "none."
    elif info.schema_enforced:
        schema = (
            f"`{info.schema}`, enforced by `manifest-schema` "
            f"(`zoho-manifest-guard schema --service {name}`)."
        )
    else:
        schema = (
            f"`{info.schema}`, printed by `zoho-manifest-guard schema --service {name}`, "
            "not enforced."
        )
    own = [rule.id for rule in RULE_SETS[info.service] if rule.services is not None]
    rules = (", ".join(f"`{rule_id}`" for rule_id in own) or "none") + "."
    lines = [
        f"### {name}",
        "",
        f"{info.product}. *Zoho's toolkit runs:* {info.route.value}. *Schema:* {schema}",
        "",
        f"*Rules of this tool for {name}:* {rules}",
        "",
        info.doc.strip(),
        "",
    ]
    return "\n".join(lines)


def render() -> str:
    """The whole rules reference: every rule, then every service."""
    infos = all_rule_infos()
    index = "\n".join(f"- [`{i.id}`](#{i.id}): {i.summary}" for i in infos)
    index += "\n- [Services](#services): what the toolkit and this tool check per `service`."
    body = "\n".join(_section(i) for i in infos)
    shared = ", ".join(f"`{rule.id}`" for rule in UNKNOWN_SERVICE_RULES)
    services = "\n".join(_service_section(info) for info in REGISTRY.values())
    return f"{HEADER}\n{index}\n\n{body}\n{SERVICES_HEADER.format(shared=shared)}\n{services}"


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
