"""The versioned JSON contract (version 1); fields are only ever added, never changed."""

from __future__ import annotations

import json
from typing import Any

from checker import __version__
from checker.findings import Finding, Location
from checker.report import ManifestReport, Report

VERSION = 1


def _location(location: Location) -> dict[str, Any]:
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
        "path": finding.location.file,
        "pointer": finding.location.pointer,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_column if span else None,
    }
    if finding.related:
        payload["related"] = [_location(r) for r in finding.related]
    return payload


def manifest_payload(manifest: ManifestReport) -> dict[str, Any]:
    """One manifest as JSON-ready data."""
    return {
        "path": manifest.path,
        "service": manifest.service,
        "findings": [finding_payload(f) for f in manifest.findings],
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
        },
        "verdict": report.verdict.value,
    }


def render(report: Report) -> str:
    """The report as indented, key-stable JSON text."""
    return json.dumps(payload(report), indent=2, ensure_ascii=False) + "\n"
