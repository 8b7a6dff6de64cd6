"""The diff reads grants through checker.grants, every shape of them: on every manifest of the
shared corpus its connection table holds exactly the grants read_grants finds, a manifest
compared with itself changes nothing, and a new manifest makes every grant new."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.changes import ChangeKind
from checker.diff import diff_manifests
from checker.grants import read_grants
from checker.source import Document, parse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared")) / "corpus"
NEW_GRANT = {ChangeKind.CONNECTION_ADDED, ChangeKind.ZOHO_AUTHORISATION_ADDED}


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("history/*/*.json")) + sorted(
        CORPUS.rglob("code/**/plugin-manifest.json")
    )


def _documents() -> list[tuple[Path, Document]]:
    found = []
    for path in _corpus():
        parsed = parse(path.name, path.read_bytes())
        if parsed.document is not None:
            found.append((path, parsed.document))
    return found


@pytest.mark.skipif(not _corpus(), reason=f"the shared corpus is not present at {CORPUS}")
def test_the_diff_sees_every_grant_read_grants_finds_on_the_corpus() -> None:
    with_grants = 0
    for path, document in _documents():
        keys = {grant.key for grant in read_grants(document, every_duplicate=True)}
        new = diff_manifests(None, document)
        rows = [row for row in new.connections if row.declared_in not in ("deskOauth", "TPAOauth")]
        assert len(rows) == len(keys), path
        assert all(row.in_head and not row.in_base for row in rows), path
        added = [c for c in new.changes if c.kind in NEW_GRANT]
        assert len(added) == len(keys), path
        if not document.has_duplicates:
            same = diff_manifests(document, document)
            assert same.changes == (), (path, [c.detail for c in same.changes])
        with_grants += bool(keys)
    assert with_grants > 20


def test_every_shape_is_a_row_of_the_connection_table() -> None:
    text = (
        '{"service": "DESK", "zohoAuthorisation": {"connectionLinkName": "desk",'
        ' "serviceName": "zlabs_integration", "scope": ["Desk.tickets.READ"]},'
        ' "connectors": [{"connectionLinkName": "gh", "serviceName": "github", "scope": ["repo"]}],'
        ' "usedConnections": [{"connectionLinkName": "books", "serviceName": "zoho_books",'
        ' "scope": ["ZohoBooks.invoices.READ"]}],'
        ' "client": {"id": "1000.X", "scope": "ZohoCatalyst.cache.READ"},'
        ' "authConfig": {"type": "oauth", "scopes": ["ZohoCreator.report.READ"]}}'
    )
    parsed = parse("plugin-manifest.json", text.encode())
    assert parsed.document is not None
    rows = diff_manifests(None, parsed.document).connections
    assert [(row.name, row.declared_in, [line.scope for line in row.after]) for row in rows] == [
        ("desk", "zohoAuthorisation", ["Desk.tickets.READ"]),
        ("gh", "connectors", ["repo"]),
        ("books", "usedConnections", ["ZohoBooks.invoices.READ"]),
        ("client 1000.X", "client", ["ZohoCatalyst.cache.READ"]),
        ("authConfig", "authConfig", ["ZohoCreator.report.READ"]),
    ]


def test_a_connection_declared_in_two_shapes_is_one_row() -> None:
    text = (
        '{"zohoAuthorisation": {"connectionLinkName": "desk", "serviceName": "zlabs_integration",'
        ' "scope": ["Desk.tickets.READ"]},'
        ' "usedConnections": [{"connectionLinkName": "Desk", "serviceName": "zlabs_integration",'
        ' "scope": ["Desk.contacts.READ"]}]}'
    )
    parsed = parse("plugin-manifest.json", text.encode())
    assert parsed.document is not None
    [row] = diff_manifests(None, parsed.document).connections
    assert row.declared_in == "zohoAuthorisation, usedConnections"
    assert [line.scope for line in row.after] == ["Desk.tickets.READ", "Desk.contacts.READ"]
