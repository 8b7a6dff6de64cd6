"""app/ folder rules: ZET's folder checks and FileCheckRule, counted and classified like ZET."""

from __future__ import annotations

import pytest

from checker.extension import Extension, FileTree
from checker.findings import Severity
from checker.rules import appfiles
from checker.rules.appfiles import Kind, classify
from checker.rules.base import Hit, Rule
from checker.source import parse

BASE = {
    "plugin-manifest.json": 500,
    "resources.json": 2,
    "app/widget.html": 300,
    "app/translations/en.json": 20,
    "app/img/logo.png": 69,
}


def _extension(files: dict[str, int] | None, dirs: set[str] | None = None) -> Extension:
    manifest = parse("plugin-manifest.json", b'{"service": "DESK"}').document
    assert manifest is not None
    tree = None if files is None else FileTree(files, frozenset(dirs or set()))
    return Extension(manifest, "", tree, None, True)


def _hits(rule: Rule, files: dict[str, int] | None, dirs: set[str] | None = None) -> list[Hit]:
    hits = list(rule.run(_extension(files, dirs)))
    assert all(hit.pointer == "" and hit.file for hit in hits)
    return hits


def _files(hits: list[Hit]) -> list[str | None]:
    return [hit.file for hit in hits]


def test_a_normal_extension_passes_every_rule() -> None:
    ext = _extension(BASE, {"app", "app/translations", "app/img"})
    assert [h for r in appfiles.RULES for h in r.run(ext)] == []


def test_every_rule_is_skipped_without_a_folder_listing() -> None:
    ext = _extension(None)
    assert [h for r in appfiles.RULES for h in r.run(ext)] == []


@pytest.mark.parametrize(
    ("files", "dirs", "fragment"),
    [
        ({"plugin-manifest.json": 1}, set(), "no app/ folder"),
        ({"plugin-manifest.json": 1, "App/widget.html": 1}, {"App"}, "no app/ folder"),
        ({"plugin-manifest.json": 1, "app": 3}, set(), "is a file"),
        ({"plugin-manifest.json": 1}, {"app"}, "empty"),
    ],
)
def test_app_folder_missing_or_empty(files: dict[str, int], dirs: set[str], fragment: str) -> None:
    hits = _hits(appfiles.app_folder, files, dirs)
    assert _files(hits) == ["app"]
    assert fragment in hits[0].message


def test_app_folder_with_only_an_empty_subfolder_is_not_empty() -> None:
    # ZET only asks whether readdir(app) returns anything.
    assert _hits(appfiles.app_folder, {"plugin-manifest.json": 1}, {"app", "app/js"}) == []


def test_folder_names_are_checked_at_every_depth_and_all_reported() -> None:
    files = {**BASE, "app/my images/a.png": 1, "app/js/v1.2/x.js": 1, "app/ok_$-1/x.js": 1}
    dirs = {"app", "app/my images", "app/js", "app/js/v1.2", "app/ok_$-1", "app/empty dir"}
    hits = _hits(appfiles.app_folder_name, files, dirs)
    assert _files(hits) == ["app/empty dir", "app/js/v1.2", "app/my images"]


def test_folders_outside_app_are_not_checked() -> None:
    files = {**BASE, "my src/index.js": 1}
    assert _hits(appfiles.app_folder_name, files, {"my src"}) == []


def test_folders_implied_by_file_paths_are_checked() -> None:
    assert _files(_hits(appfiles.app_folder_name, {**BASE, "app/a b/x.js": 1})) == ["app/a b"]


@pytest.mark.parametrize(
    ("name", "count", "fragment"),
    [
        ("my file.js", 1, "may contain only"),
        ("caf\u00e9.js", 1, "may contain only"),
        (".js", 1, "only an extension"),
        ("a" * 48 + ".js", 1, "51 characters"),
        ("a b" + "c" * 50 + ".css", 2, "may contain only"),
    ],
)
def test_file_name_problems(name: str, count: int, fragment: str) -> None:
    hits = _hits(appfiles.app_file_name, {**BASE, f"app/js/{name}": 1})
    assert _files(hits) == [f"app/js/{name}"] * count
    assert fragment in hits[0].message


@pytest.mark.parametrize(
    "name", ["a" * 47 + ".js", "jquery-3.7.1.min.js", "$main.js", "x.tar.json", "index.js"]
)
def test_good_file_names(name: str) -> None:
    assert _hits(appfiles.app_file_name, {**BASE, f"app/{name}": 1}) == []


def test_names_of_files_zoho_does_not_pack_are_not_checked() -> None:
    assert _hits(appfiles.app_file_name, {**BASE, "app/read me.exe": 1}) == []


def test_file_size_limit_is_5_000_000_bytes() -> None:
    files = {**BASE, "app/big.js": 5_000_001, "app/ok.mp4": 5_000_000, "app/big.zip": 9**9}
    hits = _hits(appfiles.app_file_size, files)
    assert _files(hits) == ["app/big.js"]
    assert "5,000,001 bytes" in hits[0].message


def test_file_count_counts_translations_twice_like_zet() -> None:
    files = {f"app/js/f{i}.js": 1 for i in range(240)}
    files.update({f"app/translations/l{i}.json": 1 for i in range(5)})
    # 245 packed files, 5 of them translations: 250 as ZET counts them, allowed.
    assert _hits(appfiles.app_file_count, files) == []
    files["app/translations/more.json"] = 1
    hits = _hits(appfiles.app_file_count, files)
    assert _files(hits) == ["app"]
    assert "252 in all" in hits[0].message
    assert "twice" in hits[0].message


def test_file_count_ignores_files_zoho_does_not_pack() -> None:
    files = {f"app/f{i}.js": 1 for i in range(250)}
    files.update({f"app/f{i}.bak": 1 for i in range(50)})
    assert _hits(appfiles.app_file_count, files) == []
    files["app/one-more.css"] = 1
    assert len(_hits(appfiles.app_file_count, files)) == 1


def test_unpacked_extensions_are_warnings() -> None:
    files = {
        **BASE,
        "app/x.exe": 1,
        "app/img/logo.PNG": 1,
        "app/.DS_Store": 1,
        "app/LICENSE": 1,
        "app/a.": 1,
        "app/server/source/1/fn.dre": 1,
        "app/server/source/latest/fn.dre": 1,
        "app/server/fn.dre": 1,
    }
    hits = _hits(appfiles.app_file_extension, files)
    assert _files(hits) == [
        "app/.DS_Store",
        "app/LICENSE",
        "app/a.",
        "app/img/logo.PNG",
        "app/server/fn.dre",
        "app/x.exe",
    ]
    assert appfiles.app_file_extension.severity is Severity.WARNING
    assert 'rename it to "logo.png"' in hits[3].message
    assert "app/server/source" in hits[4].message


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("app/translations/en.json", Kind.TRANSLATION),
        ("app/translations/sub/en.json", Kind.TRANSLATION),
        ("app/translationsX/en.json", Kind.TRANSLATION),
        ("app/data/en.json", Kind.DATA),
        ("app/translations/readme.md", Kind.DATA),
        ("app/.js", Kind.SCRIPT),
        ("app/.gitkeep", Kind.MISC),
        ("app/x.JS", Kind.MISC),
        ("app/server/source/0x1F/f.dre", Kind.DATA),
        ("app/server/source/v1/f.dre", Kind.SKIPPED),
        ("app/server/source/1.5e3/f.dre", Kind.DATA),
    ],
)
def test_classification_follows_zets_file_tree_parser(path: str, kind: Kind) -> None:
    assert classify(path, 1).kind is kind


def test_files_outside_app_are_ignored() -> None:
    files = {**BASE, "src/huge.js": 10**9, "node stuff/x y.exe": 1}
    ext = _extension(files)
    assert [h for r in appfiles.RULES for h in r.run(ext)] == []
