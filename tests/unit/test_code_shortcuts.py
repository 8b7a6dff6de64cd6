"""The code reader's shortcuts change no result: the callee pre-filter, the bracket count,
and the workspace reader's remembered folders.

The pre-filter (:func:`checker.calls.sites.may_call`) lets a file that names no recognised
callee skip the query and the resolver (it is still parsed: a syntax error is reported all
the same). These tests run the analysis with and without it over every code file of the
shared corpus (when ``ZMG_SHARED`` names it), over the tests' and examples' own code files
and over generated snippets, and hold each recognised call form to being looked for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.calls import sites
from checker.calls.analyse import _nesting, _too_deep, analyse, analyse_file
from checker.calls.model import CodeFile, CodeInput, SkipReason
from checker.calls.sites import may_call
from checker.links import resolve
from checker.workspace import disk_lookup, remembered_realpath, resolve_on_disk

ROOT = Path(__file__).resolve().parents[2]
CODE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".html")
SHARED = os.environ.get("ZMG_SHARED")
CORPUS = Path(SHARED, "corpus", "code") if SHARED else None


def _code_files(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        found.extend(
            p
            for p in root.rglob("*")
            if p.is_file() and p.name.lower().endswith(CODE_SUFFIXES) and ".venv" not in p.parts
        )
    return sorted(found)


def _same_both_ways(path: str, data: bytes) -> tuple[int, bool]:
    """Asserts the file analyses alike with and without the pre-filter: (sites, filtered)."""
    file = CodeFile(path, data)
    with_filter = analyse_file(file)
    without = analyse_file(file, prefilter=False)
    assert with_filter == without, path
    if without[0]:
        assert may_call(data), path
    return len(without[0]), not may_call(data)


def _same_analysis(files: list[CodeFile]) -> None:
    """The whole analysis (call sites sorted, skipped list) is the same both ways."""
    code = CodeInput(tuple(files))
    assert analyse(code) == analyse(code, prefilter=False)


@pytest.mark.skipif(
    CORPUS is None or not CORPUS.is_dir(), reason="ZMG_SHARED does not name the shared corpus"
)
def test_every_corpus_code_file_gives_the_same_calls_and_skips_with_the_prefilter() -> None:
    assert CORPUS is not None
    paths = _code_files(CORPUS)
    assert len(paths) > 100  # the corpus, not an empty folder
    files = [CodeFile(p.relative_to(CORPUS).as_posix(), p.read_bytes()) for p in paths]
    counts = [_same_both_ways(f.path, f.data) for f in files]
    assert sum(n for n, _ in counts) > 50  # files with call sites were compared
    assert any(filtered for _, filtered in counts)  # and files the filter leaves out
    _same_analysis(files)


def test_the_tests_and_examples_code_files_give_the_same_calls_with_the_prefilter() -> None:
    paths = _code_files(ROOT / "tests", ROOT / "examples")
    assert len(paths) > 20
    files = [CodeFile(p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in paths]
    counts = [_same_both_ways(f.path, f.data) for f in files]
    assert sum(n for n, _ in counts) > 10
    _same_analysis(files)


DESK = "{ url: 'https://desk.zoho.com/api/v1/tickets', type: 'GET', connectionLinkName: 'desk' }"
# Every callee form sites.py recognises, each with the call it must find (kind, line 1 or 2).
CALL_FORMS = {
    "desk": f"ZOHODESK.request({DESK});",
    "desk-spaced": f"ZOHODESK . request ({DESK});",
    "finance": "ZFAPPS.request({ url: 'https://www.zohoapis.com/books/v3/invoices', "
    "method: 'GET', connection_link_name: 'books' });",
    "crm": "ZOHO.CRM.CONNECTION.invoke('crm', { url: 'https://www.zohoapis.com/crm/v2/Leads', "
    "method: 'GET' });",
    "bare-request": "request({ url: 'https://sprints.zoho.com/x', connectionLinkName: 'sp' });",
    "app-request": "App.request({ url: 'https://desk.zoho.com/api/v1/x', type: 'GET' });",
    "aliased-receiver": f"const api = ZOHODESK;\napi.request({DESK});",
    "aliased-options": f"const options = {DESK};\nZOHODESK.request(options);",
    "fetch": "fetch('https://api.example.com/a');",
    "window-fetch": "window.fetch('https://api.example.com/a', { method: 'POST' });",
    "global-fetch": "globalThis.fetch('https://api.example.com/a');",
    "self-fetch": "self.fetch('https://api.example.com/a');",
    "xhr": "const x = new XMLHttpRequest();\nx.open('GET', 'https://api.example.com/a');",
    "xhr-method-variable": "const m = 'POST';\nreq.open(m, 'https://api.example.com/a');",
    "axios": "axios('https://api.example.com/a');",
    "axios-config": "axios({ url: 'https://api.example.com/a', method: 'put' });",
    "axios-request": "axios.request({ url: 'https://api.example.com/a' });",
    "axios-get": "axios.get('https://api.example.com/a');",
    "axios-post": "axios.post('https://api.example.com/a', {});",
    "axios-put": "axios.put('https://api.example.com/a', {});",
    "axios-patch": "axios.patch('https://api.example.com/a', {});",
    "axios-delete": "axios.delete('https://api.example.com/a');",
    "axios-head": "axios.head('https://api.example.com/a');",
    "axios-options": "axios.options('https://api.example.com/a');",
    "jquery-ajax": "$.ajax({ url: 'https://api.example.com/a' });",
    "jquery-get": "$.get('https://api.example.com/a');",
    "jquery-getjson": "$.getJSON('https://api.example.com/a');",
    "jquery-post": "$.post('https://api.example.com/a');",
    "jquery-name-ajax": "jQuery.ajax('https://api.example.com/a', { type: 'POST' });",
    "jquery-name-get": "jQuery.get('https://api.example.com/a');",
    "websocket": "new WebSocket('wss://api.example.com/a');",
    "event-source": "new EventSource('https://api.example.com/a');",
    "beacon": "navigator.sendBeacon('https://api.example.com/a', '');",
}


@pytest.mark.parametrize("name", sorted(CALL_FORMS))
@pytest.mark.parametrize("path", ["app/js/a.js", "src/a.ts", "app/page.html"])
def test_a_file_with_each_recognised_call_form_is_still_read(name: str, path: str) -> None:
    source = CALL_FORMS[name]
    if path.endswith(".html"):
        source = f"<!DOCTYPE html>\n<script>\n{source}\n</script>\n"
    data = source.encode()
    assert may_call(data)
    found, problem = analyse_file(CodeFile(path, data))
    assert problem is None
    assert len(found) == 1, found
    assert (found, problem) == analyse_file(CodeFile(path, data), prefilter=False)


def test_files_without_a_recognised_callee_are_left_out_but_syntax_errors_still_count() -> None:
    quiet = b"ZOHODESK.extension.onload().then((App) => { App.instance.on('x', f); });\n"
    assert not may_call(quiet)
    assert analyse_file(CodeFile("app/js/a.js", quiet)) == ([], None)
    page = b'<html><script src="js/a.js"></script><script>var a = 1;</script></html>'
    assert not may_call(page)
    assert analyse_file(CodeFile("app/a.html", page)) == ([], None)
    # no callee, but a missing bracket: reported as before, as the filter skips only the query
    broken = b"if (ready) { render()\n"
    assert not may_call(broken)
    found, problem = analyse_file(CodeFile("app/js/b.js", broken))
    assert found == []
    assert problem is not None
    assert problem.reason is SkipReason.SYNTAX
    assert (found, problem) == analyse_file(CodeFile("app/js/b.js", broken), prefilter=False)
    # `get`/`post`/`put`... count only on $, jQuery or axios: no receiver of theirs, no call
    verbs = b"map.get(key); store.put(a); list.delete(b); cache.head(); opts.options(1);\n"
    assert not may_call(verbs)
    assert analyse_file(CodeFile("app/js/c.js", verbs), prefilter=False) == ([], None)


def test_the_prefilter_covers_every_callee_name_of_the_query() -> None:
    """A name added to the query must be added to the pre-filter (or gated like `get`)."""
    names = set(re.findall(r'"(\w+)"', sites._CANDIDATES))
    words = {w.decode() for w in sites._CALLEE_WORDS}
    gated = {w.decode() for w in sites._JQUERY_WORDS}
    axios_only = {"put", "patch", "delete", "head", "options"}
    for name in names:
        assert name in words or any(name.startswith(g) for g in gated) or name in axios_only, name
    assert axios_only <= set(sites._AXIOS_VERBS)
    assert set(sites._JQUERY_VERBS) <= {n for n in names if any(n.startswith(g) for g in gated)}


RECEIVERS = [
    "ZOHODESK",
    "ZFAPPS",
    "ZOHO.CRM.CONNECTION",
    "axios",
    "$",
    "jQuery",
    "window",
    "navigator",
    "xhr",
    "App",
    "api",
    "map",
    "(ZOHODESK)",
]
METHODS = sorted(set(re.findall(r'"(\w+)"', sites._CANDIDATES)) | {"then", "on", "set"})
ARGUMENTS = [
    "",
    "'GET', 'https://a.example.com/x'",
    "{ url: 'https://a.example.com/x', type: 'GET' }",
    "{ url: u, connectionLinkName: 'c' }",
    "'c', { url: 'https://a.example.com/x', method: 'GET' }",
    "u, { method: 'POST' }",
    "opts",
]
PREFIXES = [
    "",
    "const api = ZOHODESK;\n",
    "const opts = { url: 'https://a.example.com', connectionLinkName: 'c' };\n",
    "var u = 'https://a.example.com/' + id;\n",
    "let xhr = new XMLHttpRequest();\n",
    "const m = 'GET';\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(PREFIXES),
    calls=st.lists(
        st.tuples(
            st.sampled_from([*RECEIVERS, ""]),
            st.sampled_from(METHODS),
            st.sampled_from(ARGUMENTS),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    html=st.booleans(),
)
def test_generated_snippets_give_the_same_calls_with_the_prefilter(
    prefix: str, calls: list[tuple[str, str, str, bool]], html: bool
) -> None:
    lines = []
    for receiver, method, arguments, constructed in calls:
        callee = f"{receiver}.{method}" if receiver else method
        lines.append(f"{'new ' if constructed else ''}{callee}({arguments});")
    source = prefix + "\n".join(lines) + "\n"
    path = "app/js/a.js"
    if html:
        source = f"<html><body>\n<script>\n{source}</script>\n</body></html>\n"
        path = "app/a.html"
    _same_both_ways(path, source.encode())


def _nesting_walk(data: bytes) -> int:
    """The bracket walk _nesting replaced (the reference)."""
    depth = deepest = 0
    for match in re.finditer(rb"[\[\]{}()]", data):
        if match.group() in (b"[", b"{", b"("):
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet="[]{}()a\n", max_size=600).map(str.encode))
def test_bracket_nesting_is_the_walk_it_replaced(data: bytes) -> None:
    assert _nesting(data) == _nesting_walk(data)
    assert _too_deep(data) == (_nesting_walk(data) > 400)


def test_deep_nesting_past_the_limit_is_still_found() -> None:
    deep = b"(" * 401 + b")" * 401
    assert _too_deep(deep)
    assert not _too_deep(b"()" * 5000)  # many brackets, shallow
    assert _too_deep(b")" * 10 + b"[" * 401)


def _resolve_on_disk_before(path: str, workspace: str) -> object:
    """resolve_on_disk as it was: realpath every time, every component looked up."""
    root = os.path.realpath(workspace)
    folder, name = os.path.split(os.path.abspath(path))
    relative = os.path.relpath(os.path.realpath(folder), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    link = name if relative == os.curdir else f"{relative}/{name}"
    return link, resolve(link, disk_lookup(root), root=root)


def test_resolving_code_files_on_disk_is_unchanged_by_the_shortcut(tmp_path: Path) -> None:
    work = tmp_path / "work"
    js = work / "ext" / "app" / "js"
    js.mkdir(parents=True)
    (js / "a.js").write_text("a")
    (js / "link.js").symlink_to("a.js")
    (js / "chain.js").symlink_to("link.js")
    (js / "dangling.js").symlink_to("missing.js")
    (js / "loop.js").symlink_to("loop.js")
    (js / "sub").mkdir()
    (js / "folder-link").symlink_to("sub")
    (js / "sub" / "b.js").write_text("b")
    (work / "ext" / "app" / "linked-js").symlink_to("js")
    outside = tmp_path / "outside.js"
    outside.write_text("o")
    (js / "out.js").symlink_to(outside)
    (js / "abs.js").symlink_to(js / "a.js")
    (work / "ext" / "app" / "escape").symlink_to(tmp_path)
    os.mkfifo(js / "pipe.js")
    cases = [
        "ext/app/js/a.js",
        "ext/app/js/link.js",
        "ext/app/js/chain.js",
        "ext/app/js/dangling.js",
        "ext/app/js/loop.js",
        "ext/app/js/missing.js",
        "ext/app/js/sub",
        "ext/app/js/folder-link",
        "ext/app/js/sub/b.js",
        "ext/app/js/folder-link/b.js",
        "ext/app/linked-js/a.js",
        "ext/app/linked-js/link.js",
        "ext/app/js/out.js",
        "ext/app/js/abs.js",
        "ext/app/escape/outside.js",
        "ext/app/js/pipe.js",
        "ext/app/js/a.js/x.js",
        "ext/nothing/a.js",
        "../outside.js",
    ]
    cwd = os.getcwd()
    try:
        os.chdir(work)
        realpath = remembered_realpath()
        for case in cases:
            before = _resolve_on_disk_before(case, str(work))
            assert resolve_on_disk(case, str(work)) == before, case
            assert resolve_on_disk(case, str(work), realpath) == before, case
            assert resolve_on_disk(str(work / case), ".", realpath) == _resolve_on_disk_before(
                str(work / case), "."
            ), case
    finally:
        os.chdir(cwd)
