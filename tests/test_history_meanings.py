"""Every Desk scope that the real manifest histories add is explained in diff's output.

Reads the shared corpus (``$ZMG_SHARED/corpus/history``, see tests/test_history.py); skips
when it is absent.
"""

from __future__ import annotations

import csv
import json

import pytest
from conftest import CORPUS

from checker.changes import ChangeKind
from checker.compare import ManifestPair, analyse
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY
from checker.reporters import json_v1, markdown

HISTORY = CORPUS / "history"
INDEX = HISTORY / "INDEX.tsv"
GRANTING = {ChangeKind.SCOPE_ADDED.value, ChangeKind.SCOPE_BROADENED.value}

pytestmark = pytest.mark.skipif(not INDEX.is_file(), reason="shared corpus history not present")


def _payloads() -> list[tuple[str, dict[str, object], str]]:
    with INDEX.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    found = []
    for row in rows:
        path = row["path"]

        def side(name: str, path: str = path) -> ExtensionInput:
            return ExtensionInput(path, (HISTORY / name).read_bytes())

        pair = ManifestPair(path, side(row["base_file"]), side(row["head_file"]))
        report = analyse([pair], DEFAULT_POLICY)
        found.append(
            (row["head_file"], json.loads(json_v1.render(report)), markdown.render(report))
        )
    return found


def test_diff_gives_a_meaning_for_every_desk_scope_the_history_adds() -> None:
    added: dict[str, str | None] = {}
    for head, payload, summary in _payloads():
        manifests = payload["manifests"]
        assert isinstance(manifests, list)
        for change in (c for m in manifests for c in m["changes"]):
            scope = change["subject"]
            if change["kind"] not in GRANTING or not scope.lower().startswith("desk."):
                continue
            added[scope] = change["meaning"]
            assert change["meaning"], f"{head}: {scope} has no meaning"
            assert change["tier"] in ("low", "medium", "high", "critical"), f"{head}: {scope}"
            assert change["docs"].startswith("https://desk.zoho.com/"), f"{head}: {scope}"
            # the reviewer's summary shows it beside the scope
            assert change["meaning"].split(":")[0] in summary.replace("\\:", ":"), head
    # the corpus adds Desk scopes (INDEX.tsv describes them): the test saw some
    assert len(added) >= 3, sorted(added)
