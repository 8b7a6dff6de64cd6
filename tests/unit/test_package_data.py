"""Shipped data files read through the package's loader equal what importlib.resources reads."""

from __future__ import annotations

from importlib import resources

import pytest

import checker
from checker.package_data import read_text

FILES = ["schemas/plugin-manifest.schema.json", "catalog/api_paths.json", "catalog/scopes.json"]


@pytest.mark.parametrize("relative", FILES)
def test_read_text_matches_importlib_resources(relative):
    expected = resources.files("checker").joinpath(relative).read_text(encoding="utf-8")
    assert read_text(relative) == expected


def test_a_package_without_a_folder_falls_back_to_importlib_resources(monkeypatch):
    monkeypatch.setattr(checker.__spec__, "submodule_search_locations", [])
    assert read_text(FILES[0]) == resources.files("checker").joinpath(FILES[0]).read_text(
        encoding="utf-8"
    )
