"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers (pure)."""

from __future__ import annotations

import json
from typing import Any

from checker import __version__
from checker.changes import USAGE_KINDS, Change, ChangeKind
from checker.explain import usage
from checker.findings import Finding, Location, Severity
from checker.report import Report
from checker.reporters.annotations import annotated_sources, change_finding, repo_path
from checker.reporters.markdown import code, escape_text
from checker.rule_index import all_rule_infos
from checker.rules.base import DOCS_URL, RuleInfo, docs_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = DOCS_URL.rsplit("/blob/", 1)[0]
# Change kinds are listed, with what blocks by default, under the README's policy section.
CHANGES_URI = f"{INFORMATION_URI}#policy-file"
_KINDS = {kind.value: kind for kind in ChangeKind}

# SARIF result levels ("3.27.10 level"): error, warning, note.
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}


def _scope_help(changes: list[Change]) -> tuple[dict[str, str], str | None]:
    """The help of a change kind's rule: each scope its results name, with what it means,
    its tier and docs (and whether the code needs it); the docs page as the rule's helpUri
    when every such scope shares one."""
    text: list[str] = []
    markdown: list[str] = []
    seen: set[tuple[str | None, str | None]] = set()
    for change in changes:
        if change.meaning is None or (change.subject, change.meaning) in seen:
            continue
        seen.add((change.subject, change.meaning))
        scope = change.subject or ""
        tier = f" ({change.tier.value} tier)" if change.tier is not None else ""
        words = usage(change)
        used = f"; {words}" if words else ""
        text.append(f"{scope}{tier}: lets the extension {change.meaning}{used}. {change.docs}")
        link = f" [Scope documentation]({change.docs})" if change.docs else ""
        markdown.append(
            f"- {code(scope)}{tier}: lets the extension {escape_text(change.meaning)}"
            f"{escape_text(used)}.{link}"
        )
    docs = {change.docs for change in changes if change.meaning is not None}
    help_uri = docs.pop() if len(docs) == 1 else None
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}, help_uri


def _rule_descriptor(
    rule_id: str, info: RuleInfo | None, changes: list[Change] | None = None
) -> dict[str, Any]:
    kind = _KINDS.get(rule_id) if info is None else None
    if kind is not None:
        what = "an escalation" if kind.escalates else "a change of what the extension may do"
        about: dict[str, Any] = {
            "id": rule_id,
            "helpUri": CHANGES_URI,
            "shortDescription": {"text": f"Compared with the base: {what} ({rule_id})."},
        }
        help_text, help_uri = _scope_help(changes or [])
        if help_text["text"]:
            about["help"] = help_text
            about["helpUri"] = help_uri or CHANGES_URI
        return about
    descriptor: dict[str, Any] = {"id": rule_id, "helpUri": docs_url(rule_id)}
    if info is not None:
        descriptor["shortDescription"] = {"text": info.summary}
        descriptor["defaultConfiguration"] = {"level": _LEVEL[info.severity]}
    return descriptor


def _location(location: Location, root: str) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": repo_path(location.file, root), "uriBaseId": "%SRCROOT%"}
    }
    span = location.span
    if span is not None:
        region = {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line}
        # SARIF end columns are exclusive; findings' are too, and must not precede the start.
        if span.end_line > span.line or span.end_column > span.column:
            region["endColumn"] = span.end_column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(
    finding: Finding, index: int, root: str, change: Change | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.location, root)],
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **_location(related, root)}
            for number, related in enumerate(finding.related, 1)
        ]
    if change is not None and change.kind in USAGE_KINDS:
        # SARIF "3.8 Property bags": the diff's answer whether the head's code needs the
        # grant (true, false, or null when that is not known), as in the JSON report
        result["properties"] = {
            "used_by_code": change.used_by_code,
            "used_by_code_note": change.usage_note,
        }
    return result


def payload(report: Report, root: str = "") -> dict[str, Any]:
    """The report as one SARIF run; rules are the ids that occur, in first-seen order.

    Results are what the check run annotates: every finding, and each change compared with
    the base that blocks, escalates or is of medium risk or more (its kind as the rule id).
    SARIF keeps help on rules, not results, so a change kind's rule carries, as its help,
    what each scope among its results means (tier, docs link), and that docs page as its
    helpUri when all of them share one; each result's message says it too;
    a scope or connection escalation has ``used_by_code`` in its properties.
    """
    known = {info.id: info for info in all_rule_infos()}
    items = list(annotated_sources(report))
    order: dict[str, int] = {}
    for finding, _ in items:
        order.setdefault(finding.rule, len(order))
    # the changes behind each change kind's results: their scopes' meanings are its help
    shown: dict[str, list[Change]] = {}
    for manifest in report.manifests:
        for change in manifest.changes:
            if change_finding(change) is not None:
                shown.setdefault(change.kind.value, []).append(change)
    rules = [_rule_descriptor(rule_id, known.get(rule_id), shown.get(rule_id)) for rule_id in order]
    results = [_result(f, order[f.rule], root, change) for f, change in items]
    return {
        "$schema": SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "zoho-manifest-guard",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "repository root"}}},
                "results": results,
            }
        ],
    }


def render(report: Report, root: str = "") -> str:
    """SARIF text, indented and key-stable."""
    return json.dumps(payload(report, root), indent=2, ensure_ascii=False) + "\n"
