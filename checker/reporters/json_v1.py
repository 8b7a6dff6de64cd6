"""The versioned JSON contract (version 1); fields are only ever added, never changed."""

from __future__ import annotations

import json
from typing import Any

from checker import __version__
from checker.changes import USAGE_KINDS, Change, ConnectionDiff, ScopeLine
from checker.findings import Finding, Location
from checker.report import ManifestReport, Report

VERSION = 1


def _location(location: Location) -> dict[str, Any]:
    """The path, pointer, line and column fields of findings, changes and related places."""
    span = location.span
    return {
        "path": location.file,
        "pointer": location.pointer,
        "line": span.line if span else None,
        "column": span.column if span else None,
    }


def finding_payload(finding: Finding) -> dict[str, Any]:
    """One finding as JSON-ready data."""
    span = finding.location.span
    payload: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        **_location(finding.location),
        "end_line": span.end_line if span else None,
        "end_column": span.end_column if span else None,
    }
    if finding.related:
        payload["related"] = [_location(r) for r in finding.related]
    return payload


def change_payload(change: Change) -> dict[str, Any]:
    """One base-vs-head change as JSON-ready data; ``severity`` is the policy's.

    ``meaning``, ``docs`` and ``tier`` are the scope catalogue's word on the change's scope
    (null when it is not about a scope, or the catalogue does not know it). A scope or
    connection escalation (and no other change) has ``used_by_code``, true or false when the
    extension's code answers it, else null, and ``used_by_code_note``: why it is null, in
    words, when the code was read (null otherwise).
    """
    decision = change.decision
    payload: dict[str, Any] = {
        "kind": change.kind.value,
        "connection": change.connection,
        "detail": change.detail,
        "escalation": change.escalation,
        "severity": change.risk.value,
        "blocks": change.blocks,
        "decision": (
            {"blocks": decision.blocks, "reason": decision.reason.value, "note": decision.note}
            if decision is not None
            else None
        ),
        "side": change.side.value,
        **_location(change.location),
        "subject": change.subject,
        "service": change.service,
        "before": change.before,
        "after": change.after,
        "meaning": change.meaning,
        "docs": change.docs,
        "tier": change.tier.value if change.tier is not None else None,
    }
    if change.kind in USAGE_KINDS:
        payload["used_by_code"] = change.used_by_code
        payload["used_by_code_note"] = change.usage_note
    return payload


def connection_payload(row: ConnectionDiff) -> dict[str, Any]:
    """One row of the connection table: service and scopes on both sides, with marks."""
    return {
        "name": row.name,
        "declared_in": row.declared_in,
        "in_base": row.in_base,
        "in_head": row.in_head,
        "service_before": row.service_before,
        "service_after": row.service_after,
        "scopes_before": _scope_lines(row.before),
        "scopes_after": _scope_lines(row.after),
    }


def _scope_lines(lines: tuple[ScopeLine, ...]) -> list[dict[str, str]]:
    return [{"scope": line.scope, "mark": line.mark.value.strip()} for line in lines]


def manifest_payload(manifest: ManifestReport) -> dict[str, Any]:
    """One manifest as JSON-ready data."""
    return {
        "path": manifest.path,
        "service": manifest.service,
        "findings": [finding_payload(f) for f in manifest.findings],
        "base_path": manifest.base_path,
        "changes": [change_payload(c) for c in manifest.changes],
        "connections": [connection_payload(r) for r in manifest.connections],
    }


def payload(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return {
        "version": VERSION,
        "tool": {"name": "zoho-manifest-guard", "version": __version__},
        "manifests": [manifest_payload(m) for m in report.manifests],
        "summary": {
            "manifests": len(report.manifests),
            "errors": report.counts.errors,
            "warnings": report.counts.warnings,
            "notices": report.counts.notices,
            "escalations": report.escalations,
            "blocking": report.blocking,
        },
        "notes": list(report.notes),
        "verdict": report.verdict.value,
    }


def render(report: Report) -> str:
    """The report as indented, key-stable JSON text."""
    return json.dumps(payload(report), indent=2, ensure_ascii=False) + "\n"
