"""compare.analyse: the head validated, the base only parsed, unreadable sides said out loud."""

from __future__ import annotations

import json

from test_diff import manifest, zoho

from checker.changes import ChangeKind
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.findings import Finding, Location, Severity
from checker.policy import DEFAULT_POLICY
from checker.report import FailOn, Verdict

PATH = "ext/plugin-manifest.json"


def _source(value: object, path: str = PATH) -> ExtensionInput:
    data = value if isinstance(value, bytes) else json.dumps(value, indent=2).encode()
    return ExtensionInput(path, data, root="ext")


def _kinds(report) -> list[str]:
    return sorted(c.kind.value for m in report.manifests for c in m.changes)


def test_an_unparseable_base_is_said_and_every_head_grant_counts_as_new():
    head = _source(manifest(zohoAuthorisation=zoho("Desk.tickets.READ")))
    report = analyse([ManifestPair(PATH, _source(b'{"service": "DESK",}'), head)], DEFAULT_POLICY)
    assert "base-unreadable" in _kinds(report)
    assert "manifest-added" not in _kinds(report)
    assert report.escalations == 2  # zohoAuthorisation and its scope, as on a new manifest
    (note,) = [n for n in report.notes if "could not be parsed" in n]
    assert "trailing comma" in note
    assert "every grant in the head is treated as new" in note
    # the base's own defects are not the pull request's: no findings come from it
    assert all(f.location.file == PATH for f in report.findings)
    assert not [f for f in report.findings if f.rule == "json-syntax"]


def test_a_base_the_adapter_could_not_read_is_unreadable_too():
    finding = Finding("file-symlink", Severity.ERROR, "is a link", Location(PATH, ""))
    base = ExtensionInput(PATH, None, read_errors=(finding,))
    head = _source(manifest())
    report = analyse([ManifestPair(PATH, base, head)], DEFAULT_POLICY)
    assert "base-unreadable" in _kinds(report)
    assert any("is a link [file-symlink]" in n for n in report.notes)


def test_an_unparseable_head_blocks_even_with_fail_on_never():
    base = _source(manifest())
    head = _source(b"[]")
    report = analyse([ManifestPair(PATH, base, head)], DEFAULT_POLICY, fail_on=FailOn.NEVER)
    assert _kinds(report) == ["manifest-unreadable"]
    assert report.blocking == 1
    assert report.verdict is Verdict.FAIL
    assert [f.rule for f in report.findings] == ["json-root-type"]


def test_rename_deletion_and_the_service_of_a_deleted_manifest():
    value = manifest(zohoAuthorisation=zoho("Desk.tickets.READ"))
    renamed = ManifestPair(
        "new/plugin-manifest.json",
        _source(value, "old/plugin-manifest.json"),
        _source(value, "new/plugin-manifest.json"),
        base_path="old/plugin-manifest.json",
    )
    deleted = ManifestPair(
        "gone/plugin-manifest.json", _source(value, "gone/plugin-manifest.json"), None
    )
    report = analyse([renamed, deleted], DEFAULT_POLICY)
    by_path = {m.path: m for m in report.manifests}
    moved = by_path["new/plugin-manifest.json"]
    assert moved.base_path == "old/plugin-manifest.json"
    assert [c.kind for c in moved.changes] == [ChangeKind.MANIFEST_RENAMED]
    gone = by_path["gone/plugin-manifest.json"]
    assert gone.service == "DESK"
    assert gone.findings == ()
    assert ChangeKind.MANIFEST_REMOVED in {c.kind for c in gone.changes}
    assert report.verdict is Verdict.PASS


def test_changes_carry_resolved_lines_and_decisions():
    base = _source(manifest(zohoAuthorisation=zoho("Desk.tickets.READ")))
    head = _source(manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.basic.ALL")))
    report = analyse([ManifestPair(PATH, base, head)], DEFAULT_POLICY, notes=("policy: defaults",))
    (change,) = report.manifests[0].changes
    assert change.location.span is not None
    assert change.decision is not None
    assert change.decision.blocks
    assert report.notes[0] == "policy: defaults"
    assert any("1 escalation block" in n for n in report.notes)
