"""Run loading, the schema and every rule on one extension; resolve positions once (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from checker.calls.model import CodeAnalysis, CodeInput
from checker.extension import Extension, ExtensionInput, join_display
from checker.findings import Finding, Location, Severity, sorted_findings
from checker.report import ManifestReport
from checker.rules import ALL_RULES, RULE_SETS, UNKNOWN_SERVICE_RULES
from checker.rules.base import Hit, Rule
from checker.schema import schema_findings
from checker.services import known_service
from checker.source import Document, Limits, parse

CRASH_RULE = "checker-crash"


@dataclass(frozen=True, slots=True)
class Checked:
    """The report of one manifest and, when it could be parsed, the parsed extension.

    ``code`` is the analysis of the extension's code when it was read and analysed (None
    when no code was given, or reading it failed: the report then says why).
    """

    report: ManifestReport
    extension: Extension | None
    code: CodeAnalysis | None = None


def check_extension(
    source: ExtensionInput,
    *,
    limits: Limits | None = None,
    rules: Iterable[Rule] = ALL_RULES,
) -> Checked:
    """Check one extension; bad content becomes findings, never an exception."""
    limits = limits or Limits()
    findings: list[Finding] = list(source.read_errors)
    if source.manifest is None:
        return Checked(ManifestReport(source.manifest_path, None, sorted_findings(findings)), None)
    parsed = parse(source.manifest_path, source.manifest, limits)
    findings.extend(parsed.findings)
    document = parsed.document
    if document is None:
        return Checked(ManifestReport(source.manifest_path, None, sorted_findings(findings)), None)
    resources: Document | None = None
    if source.resources is not None:
        loaded = parse(source.resources_path, source.resources, limits)
        findings.extend(loaded.findings)
        resources = loaded.document
    extension = Extension(document, source.root, source.tree, resources, source.resources_present)
    service = extension.service
    findings.extend(schema_findings(document))
    for rule in _applicable(rules, service):
        try:
            # rule.check rather than rule.run: the same hits without one generator per rule;
            # list() drains it in C. Most rules find nothing in most extensions: only hits
            # are converted. A rule that fails adds its crash, none of its hits.
            hits = list(rule.check(extension))
        except Exception as error:
            findings.append(_crash(rule, error, extension))
            continue
        if hits:
            findings.extend([_to_finding(rule, hit, extension) for hit in hits])
    analysis = None
    if source.code is not None:
        audited, analysis = _audit_code(extension, source.code)
        findings.extend(audited)
    documents = {document.path: document}
    if resources is not None:
        documents[resources.path] = resources
    resolved = [_resolve(f, documents) for f in findings]
    report = ManifestReport(source.manifest_path, service, sorted_findings(resolved))
    return Checked(report, extension, analysis)


def _audit_code(extension: Extension, code: CodeInput) -> tuple[list[Finding], CodeAnalysis | None]:
    """The least-privilege findings and the analysis they came from; a failure of the
    reader fails the run closed (and leaves no analysis to trust)."""
    from checker.calls.analyse import analyse  # tree-sitter loads only when code is read
    from checker.calls.audit import audit

    try:
        analysis = analyse(code)
        return audit(extension, analysis), analysis
    except Exception as error:
        message = (
            f"reading the extension's code failed ({type(error).__name__}: {error}); the "
            "result is incomplete, so the run fails. Please report this bug."
        )
        where = Location(extension.manifest.path)
        return [Finding(CRASH_RULE, Severity.ERROR, message, where)], None


def _applicable(rules: Iterable[Rule], service: str | None) -> tuple[Rule, ...]:
    """The rules that run for a service, in order: the service's rule set for ALL_RULES."""
    if rules is ALL_RULES:
        known = known_service(service)
        return RULE_SETS[known] if known is not None else UNKNOWN_SERVICE_RULES
    return tuple(rule for rule in rules if rule.applies_to(service))


def _crash(rule: Rule, error: Exception, extension: Extension) -> Finding:
    message = (
        f"rule {rule.id} failed on this manifest ({type(error).__name__}: {error}); "
        "the result is incomplete, so the run fails. Please report this bug."
    )
    location = Location(extension.manifest.path, "")
    return Finding(CRASH_RULE, Severity.ERROR, message, location)


def _to_finding(rule: Rule, hit: Hit, extension: Extension) -> Finding:
    path = extension.manifest.path if hit.file is None else join_display(extension.root, hit.file)
    related = tuple(Location(path, pointer) for pointer in hit.related)
    return Finding(
        rule.id,
        hit.severity or rule.severity,
        hit.message,
        Location(path, hit.pointer, key=hit.key),
        related,
    )


def _resolve(finding: Finding, documents: dict[str, Document]) -> Finding:
    document = documents.get(finding.location.file)
    if document is None or (finding.location.span is not None and not finding.related):
        return finding
    location = document.resolve(finding.location)
    related = tuple(
        documents[r.file].resolve(r) if r.file in documents else r for r in finding.related
    )
    return Finding(finding.rule, finding.severity, finding.message, location, related)
