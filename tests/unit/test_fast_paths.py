"""The fast paths (one-walk listing, cached folders, worker processes, the pointer locator)
give exactly what the plain ones give."""

from __future__ import annotations

import collections
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from checker import app, workspace
from checker.action import discovery
from checker.actions_env import REPORT_DIR
from checker.extension import FileTree
from checker.settings import CheckSettings
from checker.source import _Index, parent_pointer, parse
from tests.conftest import EXAMPLES


def _walk_tree(root: Path) -> FileTree | None:
    """The listing as workspace._list_tree made it before it was fast (os.walk)."""
    files: dict[str, int] = {}
    dirs: set[str] = set()
    for current, subdirs, names in os.walk(root, followlinks=False):
        subdirs[:] = [d for d in subdirs if d not in workspace.SKIP_DIRS]
        base = Path(current).relative_to(root)
        for name in subdirs:
            dirs.add((base / name).as_posix())
        for name in names:
            relative = (base / name).as_posix()
            try:
                files[relative] = os.lstat(Path(current) / name).st_size
            except OSError:
                files[relative] = 0
            if len(files) > workspace.MAX_TREE_FILES:
                return None
    return FileTree(files, frozenset(dirs))


@pytest.fixture
def tricky(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Extensions with links in and out, skipped folders, a nested extension, a stray file."""
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    shutil.copytree(EXAMPLES / "desk-extension", outside)
    for name in ("one", "two", "deep/three"):
        shutil.copytree(EXAMPLES / "desk-extension", root / name)
    (root / "one" / "app" / "linked").symlink_to(outside / "app", target_is_directory=True)
    (root / "one" / "app" / "gone.js").symlink_to(tmp_path / "missing.js")
    (root / "one" / "node_modules" / "pkg").mkdir(parents=True)
    shutil.copy(root / "one" / "plugin-manifest.json", root / "one" / "node_modules" / "pkg")
    (root / "link").symlink_to(root / "one", target_is_directory=True)
    (root / "alias").mkdir()
    (root / "alias" / "plugin-manifest.json").symlink_to(root / "two" / "plugin-manifest.json")
    nested = root / "two" / "app" / "inner"
    nested.mkdir()
    shutil.copy(root / "two" / "plugin-manifest.json", nested)
    (root / "two" / "resources.json").unlink()
    (root / "two" / "resources.json").mkdir()
    (root / "loose.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_one_walk_lists_what_os_walk_lists(tricky: Path) -> None:
    listings = workspace.Listings()
    found = list(workspace.find_manifests(["."], listings))
    assert sorted(found) == sorted(workspace.discover(["."]))
    assert len(found) == 5
    for manifest in found:
        assert listings.tree(manifest.parent) == _walk_tree(manifest.parent)
        assert workspace._list_tree(manifest.parent) == _walk_tree(manifest.parent)


def test_units_cover_the_same_manifests(tricky: Path) -> None:
    paths = [".", "two", "loose.json", "link", "alias/plugin-manifest.json"]
    expected = sorted(set(workspace.discover(paths)))
    for spread in (0, 2, 64):
        units = workspace.plan(paths, spread=spread)
        listings = workspace.Listings()
        found = {m for u in units for m in workspace.manifests_in(u, listings)}
        assert sorted(found) == expected, spread


def test_a_folder_named_like_a_manifest_is_found_by_every_walk(tricky: Path) -> None:
    (tricky / "odd" / "plugin-manifest.json" / "in" / "plugin-manifest.json").mkdir(parents=True)
    (tricky / "odd" / "deeper" / "plugin-manifest.json").mkdir(parents=True)
    expected = sorted(set(workspace.discover(["."])))
    for folder in ("odd", "odd/plugin-manifest.json/in", "odd/deeper"):
        assert Path(folder, "plugin-manifest.json") in expected
    for spread in (0, 2, 64):
        listings = workspace.Listings()
        units = workspace.plan(["."], spread=spread)
        found = {m for u in units for m in workspace.manifests_in(u, listings)}
        assert sorted(found) == expected, spread


def test_cached_display_paths_match_display_path(tricky: Path) -> None:
    listings = workspace.Listings()
    paths = [
        "one/plugin-manifest.json",
        "alias/plugin-manifest.json",
        "link/plugin-manifest.json",
        "one/../two/resources.json",
        "two",
        ".",
        "loose.json",
        str(tricky.parent / "outside" / "resources.json"),
        "../outside/app",
    ]
    for raw in paths * 2:
        assert listings.display(Path(raw)) == workspace.display_path(Path(raw)), raw


def test_manifests_sharing_a_folder_list_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = (EXAMPLES / "desk-extension" / "plugin-manifest.json").read_bytes()
    for number in range(30):
        (tmp_path / f"m{number}.json").write_bytes(manifest)
    monkeypatch.chdir(tmp_path)
    calls: list[Path] = []
    real = workspace._list_tree
    monkeypatch.setattr(workspace, "_list_tree", lambda root: calls.append(root) or real(root))
    settings = CheckSettings(paths=tuple(sorted(p.name for p in tmp_path.iterdir())))
    reports = app.check_paths(settings, jobs=1)
    assert len(reports) == 30
    assert calls == [Path(".")]


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are used on Linux only")
def test_worker_processes_give_the_same_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "POOL_UNITS", 8)
    monkeypatch.setattr(app, "SPREAD", 16)
    rng = random.Random(3)
    template = json.loads((EXAMPLES / "desk-extension" / "plugin-manifest.json").read_text())
    for number in range(16):
        folder = tmp_path / f"team{number % 3}" / f"ext{number:02d}"
        shutil.copytree(EXAMPLES / "desk-extension", folder)
        manifest = json.loads(json.dumps(template))
        if rng.random() < 0.5:
            manifest["zohoAuthorisation"]["scope"].append("Desk.tickets.REED ")
        if rng.random() < 0.3:
            manifest["storage"] = "yes"
        text = json.dumps(manifest, indent=2)
        (folder / "plugin-manifest.json").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = CheckSettings(paths=(".", "team1"))
    serial = app.check_paths(settings, jobs=1)
    pools: list[int] = []
    real = app._check_in_pool
    monkeypatch.setattr(app, "_check_in_pool", lambda *args: pools.append(args[-1]) or real(*args))
    pooled = app.check_paths(settings, jobs=2)
    if sys.version_info >= (3, 11) and threading.active_count() == 1:
        assert pools == [2]
    assert len(serial) == 16
    assert pooled == serial
    assert [r.path for r in serial] == sorted(r.path for r in serial)


def _index_span(text: str, pointer: str, key: bool) -> object:
    """Document.span as it was before the locator: through the full _Index."""
    index = _Index(text)
    if key and pointer in index.keys:
        return index.span(*index.keys[pointer])
    probe = pointer
    while True:
        if probe in index.values:
            if probe != pointer and probe in index.keys:
                return index.span(*index.keys[probe])
            return index.span(*index.values[probe])
        if not probe:
            return None
        probe = parent_pointer(probe)


def _random_json(rng: random.Random, depth: int = 0) -> str:
    def space() -> str:
        return rng.choice(["", " ", "\n", "\t ", "\r\n  "])

    keys = ["a", "b/c", "~x", "", "é", '"q', "0", "k k", "\u2028"]
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        scalar = rng.choice([1, -2.5e3, "s", 't"x\n', True, None, "日本", 0])
        return json.dumps(scalar, ensure_ascii=rng.random() < 0.5)
    if roll < 0.65 or depth == 0:
        members = {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}
        inner = ",".join(
            f"{space()}{json.dumps(k, ensure_ascii=rng.random() < 0.5)}{space()}:{space()}{v}"
            for k, v in members.items()
        )
        return "{" + inner + space() + "}"
    items = ",".join(space() + _random_json(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    return "[" + items + space() + "]"


def test_locator_spans_match_the_full_index() -> None:
    rng = random.Random(11)
    texts = [space + _random_json(rng) + "\n" for space in ("", "  ", "\n") for _ in range(150)]
    texts.append((EXAMPLES / "desk-extension" / "plugin-manifest.json").read_text())
    compared = 0
    for text in texts:
        document = parse("x.json", text.encode()).document
        if document is None or document.has_duplicates:
            continue
        pointers = list(_Index(text).values)
        pointers += [p + "/missing" for p in pointers] + [p + "/0" for p in pointers]
        for pointer in pointers:
            for key in (False, True):
                assert document.span(pointer, key=key) == _index_span(text, pointer, key)
                compared += 1
    assert compared > 10_000


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", ["plugin-manifest.json", "resources.json"])
def test_a_named_pipe_is_reported_without_waiting_for_a_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    folder = tmp_path / "ext"
    shutil.copytree(EXAMPLES / "desk-extension", folder)
    (folder / name).unlink()
    os.mkfifo(folder / name)
    monkeypatch.chdir(tmp_path)
    done: list[object] = []
    # A thread, so that a read that blocks fails the test instead of hanging the run.
    reader = threading.Thread(
        target=lambda: done.append(
            workspace.read_extension(Path("ext/plugin-manifest.json"), 1 << 20)
        ),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=20)
    assert done, f"reading a FIFO named {name} blocked"
    source = done[0]
    assert isinstance(source, workspace.ExtensionInput)
    [finding] = [f for f in source.read_errors if f.location.file == f"ext/{name}"]
    assert finding.rule == workspace.UNREADABLE_RULE
    assert "not a regular file" in finding.message


def test_diff_with_the_default_policy_imports_no_yaml_or_jsonschema(tmp_path: Path) -> None:
    """PyYAML and jsonschema cost about 75 ms at start-up; only a policy file needs them."""
    manifest = EXAMPLES / "desk-extension" / "plugin-manifest.json"
    shutil.copytree(manifest.parent, tmp_path / "head")
    head = tmp_path / "head" / "plugin-manifest.json"
    script = (
        "import sys\n"
        "from checker.cli import main\n"
        f"code = main(['diff', '--base-file', {str(manifest)!r}, '--head-file', "
        f"{str(head)!r}, '--format', 'json'])\n"
        "assert code == 0, code\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'jsonschema')]\n"
        "assert not loaded, loaded\n"
        "from checker.policy import parse_policy\n"
        "parse_policy('deny: [Desk.settings.ALL]\\n', 'policy.yml')\n"
        "assert 'yaml' in sys.modules and 'jsonschema' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 0, result.stderr


def _action_heads_one_by_one(root: Path, patterns: tuple[str, ...]) -> dict[str, object]:
    """The Action's head side as it was read before the one walk: os.walk, then each file's
    folder listed again by read_extension."""
    found = []
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in discovery.SKIP_DIRS)
        base = Path(current).relative_to(root)
        for name in sorted(files):
            relative = (base / name).as_posix()
            if discovery.matches(patterns, relative):
                found.append(relative)
    return {path: workspace.read_extension(Path(path), 1 << 20, root) for path in sorted(found)}


@pytest.mark.parametrize(
    "patterns",
    [
        ("**/plugin-manifest.json",),
        ("two/**/plugin-manifest.json", "*.json"),
        ("**/resources.json", "one/app/**"),
        ("**/*.json",),
    ],
)
def test_the_action_finds_and_reads_what_it_read_file_by_file(
    tricky: Path, patterns: tuple[str, ...]
) -> None:
    # The Action searches dist/ and build/ (check does not) but not its report folder; the
    # listings of extension folders leave out dist/ and build/ and keep the report folder.
    for folder in ("dist", "build", "one/dist", "one/app/build"):
        shutil.copytree(EXAMPLES / "desk-extension", tricky / folder)
    report = tricky / "two" / REPORT_DIR
    report.mkdir()
    (report / "plugin-manifest.json").write_text("{}", encoding="utf-8")
    (report / "deep").mkdir()
    (report / "deep" / "note.json").write_text("{}", encoding="utf-8")
    expected = _action_heads_one_by_one(tricky, patterns)
    heads = discovery.read_heads(patterns, tricky)
    assert list(heads) == list(expected)
    assert heads == expected
    assert len(heads) >= 3


def test_the_action_loads_pygithub_only_to_post(tmp_path: Path) -> None:
    """PyGithub and requests cost about 0.1 s at start-up; a run without a token needs neither."""
    script = (
        "import sys\n"
        "import checker.action\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('github', 'requests')]\n"
        "assert not loaded, loaded\n"
        "from checker.github_client import PyGithubClient\n"
        "PyGithubClient('token', 'owner/repo', api_url='http://127.0.0.1:9')\n"
        "assert 'github' in sys.modules and 'requests' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 0, result.stderr


def _mutations(rng: random.Random, document: dict[str, object], count: int) -> list[object]:
    """Copies of a manifest with one to three values replaced, removed or added."""
    values: list[object] = [None, True, 0, 1.5, "", "x", "org", "text", [], ["a"], [1], {}]
    values += [{"type": "x"}, [{}], "d" * 300, "zlabs_integration", {"a": 1}]

    def places(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        found = [path]
        if isinstance(value, dict):
            for key, member in value.items():
                found += places(member, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                found += places(item, (*path, index))
        return found

    made: list[object] = []
    for _ in range(count):
        mutated = copy.deepcopy(document)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(places(mutated)[1:])
            target: object = mutated
            for token in path[:-1]:
                target = target[token]  # type: ignore[index]
            if isinstance(target, dict) and rng.random() < 0.3:
                del target[path[-1]]
            elif isinstance(target, (dict, list)):
                target[path[-1]] = copy.deepcopy(rng.choice(values))  # type: ignore[index]
        if rng.random() < 0.2:
            mutated["extra"] = rng.choice(values)
        made.append(mutated)
    return made


def test_schema_errors_without_jsonschema_are_jsonschemas() -> None:
    """The shipped schema's errors come from _ErrorFinder; they are jsonschema's, one for one
    (keyword, value, schema node, instance and path), and explained the same."""
    from checker.schema import SCHEMA_FILE, SchemaChecker

    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "checker" / "schemas" / SCHEMA_FILE).read_text()
    )
    own = SchemaChecker(schema)
    theirs = SchemaChecker(schema)
    theirs._finder = None  # jsonschema's iter_errors, as before
    assert own._finder is not None

    def key(error: object) -> tuple[object, ...]:
        e: object = error
        return (
            tuple(e.absolute_path),  # type: ignore[attr-defined]
            e.validator,  # type: ignore[attr-defined]
            repr(e.validator_value),  # type: ignore[attr-defined]
            repr(e.instance),  # type: ignore[attr-defined]
            repr(e.schema),  # type: ignore[attr-defined]
        )

    template = json.loads((EXAMPLES / "desk-extension" / "plugin-manifest.json").read_text())
    invalid = 0
    for document in _mutations(random.Random(7), template, 1500):
        expected = theirs.errors(document)
        assert collections.Counter(map(key, own.errors(document))) == collections.Counter(
            map(key, expected)
        )
        assert own.problems(document) == theirs.problems(document)
        invalid += bool(expected)
    assert invalid > 500


def test_checking_invalid_manifests_does_not_import_jsonschema(tmp_path: Path) -> None:
    folder = tmp_path / "ext"
    shutil.copytree(EXAMPLES / "desk-extension", folder)
    manifest = json.loads((folder / "plugin-manifest.json").read_text())
    manifest["storage"] = "yes"
    manifest["modules"]["widgets"][0].pop("location")
    (folder / "plugin-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    script = (
        "import sys\n"
        "from checker.cli import main\n"
        "code = main(['check', 'ext'])\n"
        "assert code == 1, code\n"
        "assert not [m for m in sys.modules if m.startswith('jsonschema')]\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 0, result.stderr
    assert "[manifest-schema]" in result.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are used on Linux only")
@pytest.mark.parametrize("failing", ["team0/ext00", "team2/ext17"])
def test_an_error_in_any_worker_process_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    monkeypatch.setattr(app, "POOL_UNITS", 8)
    monkeypatch.setattr(app, "SPREAD", 16)
    for number in range(18):
        shutil.copytree(
            EXAMPLES / "desk-extension", tmp_path / f"team{number % 3}" / f"ext{number:02d}"
        )
    monkeypatch.chdir(tmp_path)
    real = app.check_extension

    def check(source: workspace.ExtensionInput, **kwargs: object) -> object:
        if source.manifest_path.startswith(failing):
            raise ValueError(f"broken on {failing}")
        return real(source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "check_extension", check)
    if threading.active_count() != 1 or sys.version_info < (3, 11):
        pytest.skip("the pool needs a single-threaded Python 3.11+")
    with pytest.raises(ValueError, match=f"broken on {failing}"):
        app.check_paths(CheckSettings(paths=(".",)), jobs=2)
