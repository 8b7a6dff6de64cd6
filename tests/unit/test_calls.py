"""The code reader: file choice, resolution of link names and URLs, hostile input, catalogue."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from checker.calls.analyse import analyse, analyse_file
from checker.calls.model import CallKind, CodeFile, CodeInput, HostKind, SkipReason
from checker.calls.select import MAX_FILE_BYTES, select
from checker.calls.urls import allowed, hosts, parse_source, to_url
from checker.calls.values import Hole, text
from checker.catalog.api_paths import catalogue


def _calls(source: str, path: str = "app/js/a.js"):
    found, problem = analyse_file(CodeFile(path, source.encode()))
    return found, problem


def _one(source: str, path: str = "app/js/a.js"):
    found, problem = _calls(source, path)
    assert problem is None
    assert len(found) == 1, found
    return found[0]


def test_selection_reads_app_and_src_code_and_says_why_it_leaves_files_out() -> None:
    listing = {
        "app/widget.html": 10,
        "app/js/a.js": 10,
        "app/js/a.min.js": 10,
        "app/js/ZohoDeskClientSDK.js": 10,
        "app/node_modules/x/index.js": 10,
        "app/css/a.css": 10,
        "src/App.vue": 10,
        "src/types/global.d.ts": 10,
        "src/main.ts": 10,
        "dist/app.js": 10,
        "build/app.js": 10,
        "app/big.js": MAX_FILE_BYTES + 1,
        "other/x.js": 10,
    }
    chosen = select(listing)
    assert chosen.read == ("app/js/a.js", "app/widget.html", "src/App.vue", "src/main.ts")
    reasons = {s.file: (s.reason, s.blind) for s in chosen.skipped}
    assert reasons == {
        "app/big.js": (SkipReason.TOO_LARGE, True),
        "app/js/ZohoDeskClientSDK.js": (SkipReason.VENDORED, False),
        "app/js/a.min.js": (SkipReason.MINIFIED, False),
    }
    budget = select({"app/a.js": 10, "app/b.js": 10}, max_files=1)
    assert budget.read == ("app/a.js",)
    assert budget.skipped[0].reason is SkipReason.BUDGET


def test_desk_finance_crm_and_sprints_calls_resolve_link_method_and_url() -> None:
    desk = _one(
        'ZOHODESK.request({url: "https://desk.zoho.com/api/v1/tickets", type: "get",'
        ' connectionLinkName: "desk"})'
    )
    assert (desk.kind, desk.links, desk.methods) == (CallKind.DESK_REQUEST, ("desk",), ("GET",))
    assert desk.urls[0].host == "desk.zoho.com"
    assert desk.analysed
    books = _one(
        'ZFAPPS.request({url: "https://www.zohoapis.com/books/v3/invoices",'
        ' method: "POST", connection_link_name: "books"})'
    )
    assert (books.kind, books.links, books.methods) == (
        CallKind.FINANCE_REQUEST,
        ("books",),
        ("POST",),
    )
    crm = _one(
        'ZOHO.CRM.CONNECTION.invoke("crmconn", {url: "https://www.zohoapis.com/crm/v2/Leads",'
        ' method: "GET"})'
    )
    assert (crm.kind, crm.links) == (CallKind.CRM_INVOKE, ("crmconn",))
    sprints = _one(
        'sdk.request({url: "https://api.example.com/x", connectionLinkName: "s", method: "GET"})'
    )
    assert (sprints.kind, sprints.links) == (CallKind.SDK_REQUEST, ("s",))
    plain = _one('ZOHODESK.request({url: "https://api.example.com/x", type: "GET"})')
    assert plain.links == ("",)


def test_browser_calls_of_every_kind_are_found() -> None:
    source = """
    fetch("https://a.example.com/1");
    window.fetch("https://a.example.com/2", {method: "put"});
    const x = new XMLHttpRequest(); x.open(verb, "https://a.example.com/3");
    axios.get("https://a.example.com/4");
    axios({url: "/5", baseURL: "https://a.example.com", method: "delete"});
    $.ajax({url: "https://a.example.com/6", type: "POST"});
    jQuery.getJSON("https://a.example.com/7");
    new WebSocket("wss://a.example.com/8");
    navigator.sendBeacon("https://a.example.com/9", data);
    window.open("https://a.example.com/not-a-request", "_blank");
    indexedDB.open("db", 1);
    """
    found, _ = _calls(source)
    kinds = [(c.kind, c.methods, c.urls[0].path) for c in found]
    assert kinds == [
        (CallKind.FETCH, ("GET",), "/1"),
        (CallKind.FETCH, ("PUT",), "/2"),
        (CallKind.XHR, (), "/3"),
        (CallKind.AXIOS, ("GET",), "/4"),
        (CallKind.AXIOS, ("DELETE",), "/5"),
        (CallKind.AJAX, ("POST",), "/6"),
        (CallKind.AJAX, ("GET",), "/7"),
        (CallKind.WEBSOCKET, ("GET",), "/8"),
        (CallKind.BEACON, ("POST",), "/9"),
    ]


def test_positions_are_lines_and_characters_and_a_byte_order_mark_is_no_column() -> None:
    source = '\ufefffetch("https://a.example.com/1");\n  const \u00e9t\u00e9 = 1; fetch("https://a.example.com/2");\r\n\tfetch("/3")'
    found, problem = _calls(source)
    assert problem is None
    assert [(c.line, c.column) for c in found] == [(1, 1), (2, 18), (3, 2)]
    html = '\ufeff<script>fetch("/4")</script>'
    (call,), _ = _calls(html, "app/widget.html")
    assert (call.line, call.column) == (1, 9)


def test_typescript_wrappers_around_a_callee_or_receiver_hide_no_call() -> None:
    # `await f<T>(x)` parses as a call of `await f` (tree-sitter/tree-sitter-typescript#282):
    # the typed API client's call must be found all the same, placed at its callee
    source = """async function load(id: string): Promise<void> {
      const rows = await axios.get<Order[]>("https://a.example.com/1");
      await ZOHODESK.request<any>({url: "https://desk.zoho.com/api/v1/tickets", type: "GET",
                                   connectionLinkName: "desk"});
      await fetch<Response>(<string>"https://a.example.com/2");
      (axios as any).post("https://a.example.com/3", {});
      (<any>ZFAPPS).request({url: "https://www.zohoapis.com/books/v3/invoices", method: "GET",
                             connection_link_name: "books"});
      axios.delete!("https://a.example.com/4");
      (axios.put)("https://a.example.com/5", {});
    }"""
    # TSX has no `<T>x` (it would be JSX): the same casts written with `as` there
    tsx = source.replace('<string>"https://a.example.com/2"', '"https://a.example.com/2" as string')
    tsx = tsx.replace("(<any>ZFAPPS)", "(ZFAPPS as any)")
    for path, code in (("src/a.ts", source), ("src/a.tsx", tsx)):
        found, problem = _calls(code, path)
        assert problem is None
        assert [(c.kind, c.links, c.urls[0].text, c.line, c.column) for c in found] == [
            (CallKind.AXIOS, ("",), "https://a.example.com/1", 2, 26),
            (CallKind.DESK_REQUEST, ("desk",), "https://desk.zoho.com/api/v1/tickets", 3, 13),
            (CallKind.FETCH, ("",), "https://a.example.com/2", 5, 13),
            (CallKind.AXIOS, ("",), "https://a.example.com/3", 6, 7),
            (
                CallKind.FINANCE_REQUEST,
                ("books",),
                "https://www.zohoapis.com/books/v3/invoices",
                7,
                7,
            ),
            (CallKind.AXIOS, ("",), "https://a.example.com/4", 9, 7),
            (CallKind.AXIOS, ("",), "https://a.example.com/5", 10, 7),
        ], path


def test_a_wrapper_called_with_type_arguments_passes_its_arguments() -> None:
    # every call of the wrapper is seen, so its parameter takes exactly their URLs
    source = """async function deskGet<T>(url: string): Promise<T> {
      return ZOHODESK.request({url, type: "GET", connectionLinkName: "desk"});
    }
    async function show(): Promise<void> {
      await deskGet<Ticket[]>("https://desk.zoho.com/api/v1/tickets");
      await deskGet<Agent[]>("https://desk.zoho.com/api/v1/agents");
    }"""
    call = _one(source, "src/a.ts")
    assert call.reasons == ()
    assert sorted(u.path for u in call.urls) == ["/api/v1/agents", "/api/v1/tickets"]


ESCAPE = "is used other than in a direct call, so the requests made through it are not seen"


@pytest.mark.parametrize(
    ("source", "kind", "shown"),
    [
        (
            "const send = ZOHODESK.request; send({connectionLinkName: 'c'});",
            "DESK_REQUEST",
            "ZOHODESK.request",
        ),
        (
            "ZOHODESK.request.call(ZOHODESK, {connectionLinkName: 'c'});",
            "DESK_REQUEST",
            "ZOHODESK.request",
        ),
        ("ZOHODESK['request']({connectionLinkName: 'c'});", "DESK_REQUEST", "ZOHODESK['request']"),
        ("const r = ZFAPPS.request.bind(ZFAPPS);", "FINANCE_REQUEST", "ZFAPPS.request"),
        ("run(ZOHO.CRM.CONNECTION.invoke);", "CRM_INVOKE", "ZOHO.CRM.CONNECTION.invoke"),
        (
            "const api = axios.create({baseURL: 'https://a.example.com'}); api.get('/x');",
            "AXIOS",
            "axios.create",
        ),
        ("axios.defaults.baseURL = 'https://a.example.com';", "AXIOS", "axios.defaults"),
        ("Vue.use(VueAxios, axios);", "AXIOS", "axios"),
        ("makeClient({ fetch });", "FETCH", "fetch"),
        ("makeClient({f: window.fetch});", "FETCH", "window.fetch"),
    ],
)
def test_a_request_api_used_other_than_in_a_call_is_not_analysed(
    source: str, kind: str, shown: str
) -> None:
    found, problem = _calls(source)
    assert problem is None
    escaped = [c for c in found if c.reasons and ESCAPE in c.reasons[0]]
    assert [(c.kind.name, c.reasons[0]) for c in escaped] == [(kind, f"{shown} {ESCAPE}")]
    # a proxied API's calls through it may use any connection
    assert escaped[0].links == (None if escaped[0].kind.proxied else ("",))


def test_direct_calls_declarations_types_and_harmless_members_are_no_escape() -> None:
    source = """import axios from "axios";
    const other = require("axios");
    axios.get("https://a.example.com/1"); axios({url: "https://a.example.com/2"});
    (axios as any).post("https://a.example.com/3"); axios.isCancel(e); axios.all([]);
    ZOHODESK.request({url: "https://desk.zoho.com/api/v1/tickets", connectionLinkName: "c"});
    window.fetch("https://a.example.com/4"); await fetch<any>("https://a.example.com/5");
    class Store { fetch(): void {} request(): void {} }
    const o = { fetch: 1, axios: 2 }; this.fetch(); other.request;
    function load(fetch: typeof globalThis.fetch, f: typeof axios): void {}
    """
    found, problem = _calls(source, "src/a.ts")
    assert problem is None
    assert all(not c.reasons for c in found), [c.reasons for c in found]
    assert len(found) == 6


INLINE = "the page, whose code the reader does not analyse"


def test_requests_in_page_attributes_are_not_analysed_and_other_attributes_are_silent() -> None:
    page = """<!doctype html>
    <button onclick="ZOHODESK.request({url: '/x', connectionLinkName: 'desk'})">a</button>
    <a href="javascript:fetch('https://a.example.com/1')">b</a>
    <a href="https://a.example.com/fetch" title="request a call">c</a>
    <button onclick="save()">d</button>
    <script>fetch("https://a.example.com/2");</script>
    """
    found, problem = _calls(page, "app/widget.html")
    assert problem is None
    assert [(c.kind, c.line, c.links, c.reasons) for c in found] == [
        (CallKind.DESK_REQUEST, 2, None, (f"it is in the onclick attribute of {INLINE}",)),
        (CallKind.FETCH, 3, ("",), (f"it is in the href attribute of {INLINE}",)),
        (CallKind.FETCH, 6, ("",), ()),
    ]
    component = """<template>
      <button @click="axios.post('https://a.example.com/3')">e</button>
      <input :value="requestCount" v-model="name">
    </template>
    <script setup lang="ts">const n: number = 1;</script>
    """
    found, problem = _calls(component, "src/App.vue")
    assert problem is None
    assert [(c.kind, c.line, c.reasons) for c in found] == [
        (CallKind.AXIOS, 2, (f"it is in the @click attribute of {INLINE}",))
    ]


def test_comments_never_count() -> None:
    source = """
    // ZOHODESK.request({url: "https://a.example.com", connectionLinkName: "old"});
    /* fetch("https://b.example.com"); */
    const note = "ZOHODESK.request({connectionLinkName: 'in a string'})";
    """
    assert _calls(source) == ([], None)
    html = '<!-- <script>fetch("https://c.example.com")</script> --><script>fetch("/d")</script>'
    found, _ = _calls(html, "app/widget.html")
    assert [c.urls[0].text for c in found] == ["/d"]


def test_constants_objects_templates_and_builders_resolve_to_a_static_prefix() -> None:
    source = """
    const API = 'https://desk.zoho.eu';
    const CONN = "deskconn";
    function callUrl(id) { return API + '/api/v1/calls/' + id; }
    function go(id) {
      let req = {url: callUrl(id), type: 'GET', connectionLinkName: CONN};
      ZOHODESK.request(req);
      ZOHODESK.request({url: `${API}/api/v1/layouts/${id}`, type: 'GET', connectionLinkName: CONN});
    }
    """
    found, _ = _calls(source)
    assert [c.urls[0].text for c in found] == [
        "https://desk.zoho.eu/api/v1/calls/*",
        "https://desk.zoho.eu/api/v1/layouts/*",
    ]
    assert all(c.links == ("deskconn",) and c.analysed for c in found)


def test_data_centre_switches_match_every_zoho_data_centre() -> None:
    call = _one("""
    function f(dc, domains, DC) {
      ZOHODESK.request({url: `https://desk.zoho.${dc}/api/v1/tickets`, type: "GET",
                        connectionLinkName: "d"});
    }""")
    (url,) = call.urls
    assert (url.host, url.path) == ("desk.zoho.{dc}", "/api/v1/tickets")
    assert "desk.zoho.com.au" in hosts(url, catalogue().data_centres)
    mapped = _one("""
    const domains = {EU: "eu", US: "com"};
    function f(dc) { ZOHODESK.request({url: `https://desk.zoho.${domains[dc]}/api/v1/tickets`,
                     type: "GET", connectionLinkName: "d"}); }""")
    assert sorted(u.host for u in mapped.urls) == ["desk.zoho.com", "desk.zoho.eu"]
    # a hole elsewhere in a host is not a data-centre switch
    assert to_url(text(["https://", Hole.ANY, ".example.com/x"])).kind is HostKind.UNKNOWN


def test_unresolved_link_names_and_hosts_are_not_analysed() -> None:
    found, _ = _calls("""
    function f(config, base) {
      ZOHODESK.request({url: "https://desk.zoho.com/api/v1/tickets", type: "GET",
                        connectionLinkName: config.name});
      ZOHODESK.request({url: base + "/api/v1/tickets", type: "GET", connectionLinkName: "d"});
      ZOHODESK.request(options);
    }""")
    assert [c.analysed for c in found] == [False, False, False]
    assert found[0].links is None
    assert "connection link name" in found[0].reasons[0]
    assert "host" in found[1].reasons[0]


def test_last_assignment_before_the_call_wins_and_placeholders_are_dropped() -> None:
    found, _ = _calls("""
    var api = "";
    if (location.hostname == "127.0.0.1") { api = "https://desk.zoho.eu/api/v1"; }
    else { api = "https://desk.zoho.com/api/v1"; }
    function a(id) {
      request = {url: api + "/tickets/" + id, type: "GET", connectionLinkName: "d"};
      ZOHODESK.request(request);
    }
    function b(id) {
      request = {url: api + "/accounts/" + id, type: "GET", connectionLinkName: "e"};
      ZOHODESK.request(request);
    }""")
    assert [c.links for c in found] == [("d",), ("e",)]
    assert sorted(u.text for u in found[0].urls) == [
        "https://desk.zoho.com/api/v1/tickets/*",
        "https://desk.zoho.eu/api/v1/tickets/*",
    ]


def test_wrapper_parameters_take_the_arguments_of_the_files_calls() -> None:
    found, _ = _calls("""
    function deskGet(path) {
      return ZOHODESK.request({url: "https://desk.zoho.com/api/v1" + path, type: "GET",
                               connectionLinkName: "d"});
    }
    deskGet("/agents"); deskGet("/contacts/" + id);
    """)
    (call,) = found
    assert sorted(u.path for u in call.urls) == ["/api/v1/agents", "/api/v1/contacts/*"]
    assert call.analysed
    escaped, _ = _calls("""
    function deskGet(path) {
      return ZOHODESK.request({url: "https://desk.zoho.com/api/v1" + path, type: "GET",
                               connectionLinkName: "d"});
    }
    deskGet("/agents"); window.api = {deskGet};
    """)
    # other files may call it with anything: the path stays open, so no scope is concluded
    assert sorted(u.path for u in escaped[0].urls) == ["/api/v1*", "/api/v1/agents"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"fetch('x')\x00\x01", SkipReason.BINARY),
        (b"fetch('\xff\xfe')", SkipReason.NOT_UTF8),
        (b"fetch(" + b"[\n" * 5000 + b"]\n" * 5000 + b")", SkipReason.TOO_DEEP),
        (b"var a=1;" * 2000 + b"fetch('https://x.example.com')", SkipReason.MINIFIED),
        (b"function (( { fetch('https://x.example.com' ;;; ", SkipReason.SYNTAX),
    ],
)
def test_hostile_files_are_not_analysed_with_a_reason(data: bytes, reason: SkipReason) -> None:
    _, problem = analyse_file(CodeFile("app/a.js", data))
    assert problem is not None
    assert problem.reason is reason
    assert problem.blind
    analysis = analyse(CodeInput((CodeFile("app/a.js", data),)))
    assert not analysis.complete


@pytest.mark.parametrize(
    ("data", "place"),
    [
        # the first syntax error that could hide a request, in characters of its line
        (b"var a = 1;\nconst \xc3\xa9 = 2; fetch('https://x.example.com' ;;; ", (2, 43)),
        (b"\xef\xbb\xbffunction (( { fetch('https://x.example.com' ;;; ", (1, 1)),
        # the first byte that is not UTF-8
        (b"var a = 1;\n  fetch('\xff')", (2, 10)),
    ],
)
def test_a_file_not_analysed_for_a_cause_in_its_text_is_placed_at_the_cause(
    data: bytes, place: tuple[int, int]
) -> None:
    _, problem = analyse_file(CodeFile("app/a.js", data))
    assert problem is not None
    assert (problem.line, problem.column) == place


def test_a_large_file_is_read_in_reasonable_time() -> None:
    body = "".join(
        f"function f{i}(x) {{ var u = 'https://api{i % 7}.example.com/v1/' + x; return u; }}\n"
        for i in range(20_000)
    )
    body += "fetch(f3('a'));\n"
    calls, problem = analyse_file(CodeFile("app/big.js", body.encode()))
    assert problem is None
    assert [c.urls[0].host for c in calls] == ["api3.example.com"]


def test_allow_list_matching_follows_csp_and_whitelist_rules() -> None:
    url = to_url(text(["https://api.example.com/v1"]))
    assert allowed(url, url.host, parse_source("https://*.example.com"), csp=False)
    assert not allowed(url, url.host, parse_source("http://api.example.com"), csp=False)
    assert allowed(url, url.host, parse_source("http://api.example.com"), csp=True)
    assert allowed(url, url.host, parse_source("https:"), csp=True)
    assert not allowed(url, url.host, parse_source("'self'"), csp=True)
    assert not allowed(url, url.host, parse_source("https://api.example.com:8443"), csp=True)


def test_api_path_catalogue_follows_its_schema_and_every_entry_resolves() -> None:
    folder = resources.files("checker.catalog")
    data = json.loads(folder.joinpath("api_paths.json").read_text("utf-8"))
    schema = json.loads(folder.joinpath("api_paths.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    apis = {api["id"] for api in data["apis"]}
    table = catalogue()
    for entry in data["paths"]:
        assert entry["api"] in apis, entry
        for requirement in entry["needs"]:
            for scope in requirement:
                placeholders = {p for p in ("{op}", "{module}", "{related}", "{x}") if p in scope}
                assert placeholders <= {"{op}", "{module}", "{related}", "{x}"}, scope
    for host, path, method, needs in [
        ("desk.zoho.com", "/api/v1/accounts/*", "GET", (("Desk.contacts.READ",),)),
        ("desk.zoho.{dc}", "/api/v1/tickets/moveToTrash", "POST", (("Desk.tickets.DELETE",),)),
        ("www.zohoapis.eu", "/crm/v6/Leads/*", "PUT", (("ZohoCRM.modules.leads.UPDATE",),)),
        (
            "books.zoho.com",
            "/api/v3/settings/orgvariables/*",
            "GET",
            (("ZohoBooks.settings.READ",),),
        ),
    ]:
        assert table.needs(host, path, method).requirements == needs
    assert table.needs("desk.zoho.com", "/api/v1/nothingHere", "GET").requirements is None
    assert table.needs("desk.zoho.com", "/api/v1/tickets", None).requirements is None


def test_grammars_load_without_their_packages_init() -> None:
    import sys

    from checker.calls.parse import _grammar

    module = _grammar("tree_sitter_javascript")
    assert module.__name__ == "tree_sitter_javascript._binding"
    assert callable(module.language)
    # a package without a compiled _binding beside it is imported as usual
    assert _grammar("jsonschema") is sys.modules["jsonschema"]
