"""Property tests: no mutated manifest makes the checker raise, exit 3 or print broken JSON."""

from __future__ import annotations

import copy
import io
import json
import shutil
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "desk-extension"
BASE_MANIFEST: dict[str, Any] = json.loads(
    (EXAMPLE / "plugin-manifest.json").read_text(encoding="utf-8")
)
BASE_RESOURCES: dict[str, Any] = {
    "permissions": [{"apiName": "a", "displayName": "A", "description": "d", "defaultState": True}],
    "webhook": {
        "resourceName": "hook",
        "url": "https://hooks.example.com",
        "name": "Hook",
        "subscriptions": {"Ticket_Add": None},
        "ignoreSourceId": "2df92c1a-973a-48f5-95b7-5792c68b9c36",
    },
    "targets": [
        {
            "resourceName": "t",
            "targetName": "T",
            "url": "https://a.example.com",
            "httpMethod": "GET",
        }
    ],
}
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            " ",
            "zlabs_integration",
            "Desk.tickets.ALL",
            "https://x.example.com",
            "http://",
            "/app/widget.html",
            "en",
            "\u202e\u0000\ufeff",
            "\U0001f600" * 200,
        ]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


MANIFEST_PATHS = [p for p in _paths(BASE_MANIFEST) if p]
RESOURCES_PATHS = [p for p in _paths(BASE_RESOURCES) if p]


def _set(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    document = copy.deepcopy(document)
    parent = document
    for token in path[:-1]:
        parent = parent[token]
    parent[path[-1]] = value
    return document


def _delete(document: Any, path: tuple[str | int, ...]) -> Any:
    document = copy.deepcopy(document)
    parent = document
    for token in path[:-1]:
        parent = parent[token]
    del parent[path[-1]]
    return document


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("prop") / "ext"
    shutil.copytree(EXAMPLE, target)
    return target


def _check(folder: Path, manifest: bytes, resources: bytes | None = None) -> dict[str, Any]:
    (folder / "plugin-manifest.json").write_bytes(manifest)
    resources_file = folder / "resources.json"
    if resources is None:
        resources_file.write_bytes(b"{}")
    else:
        resources_file.write_bytes(resources)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(folder), "--format", "json"])
    assert code in (0, 1), out.getvalue()
    report: dict[str, Any] = json.loads(out.getvalue())
    assert report["version"] == 1
    assert report["verdict"] == ("fail" if code == 1 else "pass")
    [manifest_report] = report["manifests"]
    for finding in manifest_report["findings"]:
        assert finding["rule"] != "checker-crash", finding
        assert finding["severity"] in ("error", "warning", "notice")
        assert isinstance(finding["message"], str)
        assert finding["message"]
    return report


def _text(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")


@PROPERTY_SETTINGS
@given(path=st.sampled_from(MANIFEST_PATHS), value=json_values)
def test_any_value_anywhere_in_the_manifest(folder: Path, path: Any, value: Any) -> None:
    _check(folder, _text(_set(BASE_MANIFEST, path, value)))


@PROPERTY_SETTINGS
@given(
    paths=st.lists(st.sampled_from(MANIFEST_PATHS), min_size=1, max_size=3),
    value=json_values,
    new_key=st.text(max_size=15),
)
def test_deleted_and_added_members(folder: Path, paths: Any, value: Any, new_key: str) -> None:
    document: Any = BASE_MANIFEST
    for path in paths:
        try:
            document = _delete(document, path)
        except (KeyError, IndexError, TypeError):
            continue  # an ancestor was deleted already
    if isinstance(document, dict):
        document[new_key] = value
    _check(folder, _text(document))


@PROPERTY_SETTINGS
@given(path=st.sampled_from(MANIFEST_PATHS), value=json_values, hidden_first=st.booleans())
def test_duplicated_members_in_the_text(
    folder: Path, path: Any, value: Any, hidden_first: bool
) -> None:
    key = path[-1]
    if not isinstance(key, str):
        return
    original: Any = BASE_MANIFEST
    for token in path:
        original = original[token]
    # Write the member twice: the new value before the original one, or after it.
    document = BASE_MANIFEST if hidden_first else _set(BASE_MANIFEST, path, value)
    earlier = value if hidden_first else original
    text = _text(document).decode("utf-8")
    needle = json.dumps(key, ensure_ascii=False) + ": "
    at = text.find(needle)
    assert at >= 0
    text = f"{text[:at]}{needle}{json.dumps(earlier, ensure_ascii=False)}, {text[at:]}"
    report = _check(folder, text.encode("utf-8"))
    rules = {f["rule"] for f in report["manifests"][0]["findings"]}
    assert "json-duplicate-key" in rules or "json-too-deep" in rules


@PROPERTY_SETTINGS
@given(
    data=st.data(),
    operation=st.sampled_from(["truncate", "overwrite", "insert", "delete"]),
    noise=st.binary(min_size=1, max_size=16),
)
def test_random_bytes_and_truncation(folder: Path, data: Any, operation: str, noise: bytes) -> None:
    raw = _text(BASE_MANIFEST)
    at = data.draw(st.integers(min_value=0, max_value=len(raw)))
    if operation == "truncate":
        raw = raw[:at]
    elif operation == "overwrite":
        raw = raw[:at] + noise + raw[at + len(noise) :]
    elif operation == "insert":
        raw = raw[:at] + noise + raw[at:]
    else:
        raw = raw[:at] + raw[at + len(noise) :]
    _check(folder, raw)


@PROPERTY_SETTINGS
@given(
    path=st.sampled_from(MANIFEST_PATHS),
    depth=st.integers(min_value=1, max_value=400),
    shape=st.sampled_from(["array", "object", "mixed"]),
)
def test_deep_nesting(folder: Path, path: Any, depth: int, shape: str) -> None:
    value: Any = "leaf"
    for level in range(depth):
        as_array = shape == "array" or (shape == "mixed" and level % 2 == 0)
        value = [value] if as_array else {"k": value}
    report = _check(folder, _text(_set(BASE_MANIFEST, path, value)))
    if depth > 70:  # the default limit is 64 levels
        rules = {f["rule"] for f in report["manifests"][0]["findings"]}
        assert "json-too-deep" in rules


@PROPERTY_SETTINGS
@given(
    key=st.text(min_size=1, max_size=20),
    value=st.text(max_size=40),
    path=st.sampled_from([p for p in MANIFEST_PATHS if isinstance(p[-1], str)]),
)
def test_unicode_keys_and_values(folder: Path, key: str, value: str, path: Any) -> None:
    document = _set(BASE_MANIFEST, path, value)
    parent: Any = document
    for token in path[:-1]:
        parent = parent[token]
    parent[key] = {key: [value]}
    _check(folder, _text(document))
    _check(folder, json.dumps(document, ensure_ascii=True).encode("ascii"))


@PROPERTY_SETTINGS
@given(path=st.sampled_from(RESOURCES_PATHS), value=json_values, cut=st.integers(0, 400))
def test_resources_json_mutations(folder: Path, path: Any, value: Any, cut: int) -> None:
    resources = _text(_set(BASE_RESOURCES, path, value))
    _check(folder, _text(BASE_MANIFEST), resources)
    _check(folder, _text(BASE_MANIFEST), resources[:cut])
