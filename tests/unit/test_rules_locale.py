"""Locale codes and translation files (manifest-facts 2.2)."""

from __future__ import annotations

from typing import Any

import pytest
from rules_support import TREE, found, manifest, pointers

from checker.extension import FileTree
from checker.findings import Severity
from checker.rules.locale import LOCALES


def _tree_with(*codes: str) -> FileTree:
    files = dict(TREE.files)
    files.update({f"app/translations/{code}.json": 2 for code in codes})
    return FileTree(files, TREE.dirs)


def test_all_22_codes_with_their_files_pass() -> None:
    assert len(LOCALES) == 22
    value = manifest(locale=list(LOCALES))
    tree = _tree_with(*LOCALES)
    assert found(value, "locale-code", tree) == []
    assert found(value, "locale-translation-file", tree) == []


def test_each_invalid_code_is_reported_at_its_own_entry() -> None:
    # ZET: one line "Invalid locale codes 'xx','yy' ..." for the whole array.
    value = manifest(locale=["xx", "en", "yy"])
    assert pointers(value, "locale-code") == ["/locale/0", "/locale/2"]


@pytest.mark.parametrize(
    ("code", "guess"),
    [("EN", "en"), ("zh-TW", "tw"), ("fr ", "fr"), ("iw", "he"), ("english", None)],
)
def test_invalid_codes_get_the_closest_valid_one(code: str, guess: str | None) -> None:
    [finding] = found(manifest(locale=["en", code]), "locale-code")
    assert finding.severity is Severity.ERROR
    if guess:
        assert f'did you mean "{guess}"?' in finding.message
    else:
        assert "https://www.zoho.com/desk/extensions/guide/#plugin-manifest" in finding.message


@pytest.mark.parametrize("codes", [[], ["fr"], ["EN"]])
def test_en_is_required(codes: list[str]) -> None:
    messages = [f.message for f in found(manifest(locale=codes), "locale-code")]
    assert any('does not list "en"' in m for m in messages)


def test_duplicate_code_is_a_warning_at_the_repeat() -> None:
    [finding] = found(manifest(locale=["en", "en"]), "locale-code")
    assert finding.severity is Severity.WARNING
    assert finding.location.pointer == "/locale/1"
    assert finding.related[0].pointer == "/locale/0"


def test_translation_file_missing_for_a_valid_code_only() -> None:
    value = manifest(locale=["en", "fr", "xx", "fr"])
    assert pointers(value, "locale-translation-file") == ["/locale/1"]


def test_translation_files_are_not_checked_without_a_folder() -> None:
    assert found(manifest(locale=["en", "fr"]), "locale-translation-file", tree=None) == []


@pytest.mark.parametrize("locale", [None, "en", 5, {"en": True}, [None, 5, ["en"]], [{"en": 1}]])
def test_wrong_types_are_left_to_the_schema(locale: Any) -> None:
    value = manifest(locale=locale)
    # no crash; the non-string entries are skipped (so only the "en missing" error can remain)
    for finding in found(value, "locale-code"):
        assert 'does not list "en"' in finding.message
    assert found(value, "locale-translation-file") == []
