"""Every real manifest of the shared corpus, whatever its service, is checked without a crash
(skipped when the corpus is absent)."""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from checker.cli import main
from checker.extension import ExtensionInput
from checker.report import FailOn, build_report
from checker.reporters import json_v1, text
from checker.validate import CRASH_RULE, check_extension

ROOT = Path(__file__).resolve().parent.parent
# The corpus lives beside the project (shared/corpus); it is never copied into the repository.
SHARED = Path(os.environ.get("ZMG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
HISTORY = CORPUS / "history"
CODE = CORPUS / "code"
# Every manifest version of the histories, and every manifest of the extension folders.
MANIFESTS = (sorted(HISTORY.glob("*/*.json")) if HISTORY.is_dir() else []) + (
    sorted(CODE.rglob("plugin-manifest.json")) if CODE.is_dir() else []
)
FOLDERS = [path.parent for path in MANIFESTS if path.name == "plugin-manifest.json"]
PARAMS = [pytest.param(path, id=path.relative_to(CORPUS).as_posix()) for path in MANIFESTS] or [
    pytest.param(
        None,
        marks=pytest.mark.skip(reason=f"no corpus of real manifests at {HISTORY}"),
        id="no-corpus",
    )
]


@pytest.mark.parametrize("path", PARAMS)
def test_real_manifest_is_checked_without_a_crash(path: Path) -> None:
    source = ExtensionInput(manifest_path="plugin-manifest.json", manifest=path.read_bytes())
    checked = check_extension(source)
    findings = checked.report.findings
    assert not [f for f in findings if f.rule == CRASH_RULE], [f.message for f in findings]
    # Every finding renders, in both formats, with its position resolved when it has one.
    report = build_report([checked.report], FailOn.ERROR)
    assert json.loads(json_v1.render(report))["version"] == 1
    assert text.render(report).endswith("\n")


@pytest.mark.parametrize("path", PARAMS)
def test_real_manifest_in_a_folder_without_app_files(path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "extension"
    folder.mkdir()
    shutil.copyfile(path, folder / "plugin-manifest.json")
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(folder), "--format", "json"])
    assert code in (0, 1), out.getvalue()
    report = json.loads(out.getvalue())
    rules = {f["rule"] for m in report["manifests"] for f in m["findings"]}
    assert CRASH_RULE not in rules


@pytest.mark.skipif(not FOLDERS, reason=f"no corpus of extension folders at {CODE}")
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(CODE).as_posix())
def test_real_extension_folder_is_checked_with_its_files(folder: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(folder), "--format", "json"])
    assert code in (0, 1), out.getvalue()
    report = json.loads(out.getvalue())
    [manifest] = [m for m in report["manifests"] if m["path"].endswith("plugin-manifest.json")]
    assert CRASH_RULE not in {f["rule"] for f in manifest["findings"]}


def test_the_corpus_holds_manifests_of_several_services() -> None:
    if not MANIFESTS:
        pytest.skip(f"no corpus of real manifests at {CORPUS}")
    services = set()
    for path in MANIFESTS:
        value = json.loads(path.read_text(encoding="utf-8"))
        services.add(value.get("service") if isinstance(value, dict) else None)
    # Desk, and other products: none is filtered out before checking.
    assert {"DESK", "FINANCE", "CRM", "MAIL"} <= services, services
