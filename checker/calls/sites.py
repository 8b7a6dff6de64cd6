"""Find the request calls of one parsed program and resolve their link name, method and URL."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import tree_sitter as ts

from checker.calls.model import CallKind, CallSite, HostKind, Url
from checker.calls.parse import WRAPPERS, Dialect, Program, language, unwrap, wrapped
from checker.calls.resolve import Resolver
from checker.calls.urls import to_url
from checker.calls.values import (
    ABSENT,
    Absent,
    Obj,
    Text,
    Unknown,
    Value,
    node_text,
)

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_AXIOS_VERBS = {
    "get": "GET",
    "delete": "DELETE",
    "head": "HEAD",
    "options": "OPTIONS",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
}
_JQUERY_VERBS = {"get": "GET", "getJSON": "GET", "post": "POST", "ajax": None}
_JQUERY = frozenset({"$", "jQuery"})
_GLOBALS = frozenset({"window", "globalThis", "self"})

# Candidates are found by tree-sitter in C; the predicates keep the Python side small. A
# callee may stand in one wrapping expression (parse.WRAPPERS: `(axios.get)(u)`,
# `axios.get!(u)`, and `await api.get<T>(u)`, which the TypeScript grammar parses as a call of
# `await api.get`); _site unwraps it.
_CANDIDATES = """
(call_expression
  function: {method}
  (#any-of? @method "request" "invoke" "open" "ajax" "get" "getJSON" "post" "put" "patch"
                    "delete" "head" "options" "sendBeacon" "fetch")) @call
(call_expression
  function: {function}
  (#any-of? @function "fetch" "axios" "request")) @call
(new_expression
  constructor: (identifier) @class (#any-of? @class "WebSocket" "EventSource")) @new
"""
_METHOD = "(member_expression property: (property_identifier) @method)"
_FUNCTION = "(identifier) @function"


# What a call site needs in the file's bytes. The query above matches callees by the text of
# their nodes, which is a byte range of the file (escapes such as `\u0066etch` are not
# decoded, so they never match), and _site returns a call site only for:
# - `request`, `invoke`, `open`, `fetch`, `sendBeacon`, `axios` (a callee or, for its
#   verbs, the receiver), `new WebSocket`, `new EventSource`: the word itself;
# - `get`, `getJSON`, `post`, `ajax` on `$` or `jQuery` (on axios: `axios` is above);
#   `put`, `patch`, `delete`, `head` and `options` count only on axios.
# Aliases change nothing: the resolver follows the values of arguments, never a callee, so
# `const f = fetch; f(url)` is no call site. A file without these words has none.
_CALLEE_WORDS = (
    b"request",
    b"invoke",
    b"open",
    b"fetch",
    b"sendBeacon",
    b"axios",
    b"WebSocket",
    b"EventSource",
)
_JQUERY_RECEIVERS = (b"$", b"jQuery")
_JQUERY_WORDS = (b"get", b"post", b"ajax")


def may_call(data: bytes) -> bool:
    """False only when the bytes cannot hold a call site that :func:`call_sites` returns:
    a superset test, a few substring searches in C, so that most files of an extension (a
    page that loads its scripts, helpers that call no API) need no query and no resolver."""
    if any(word in data for word in _CALLEE_WORDS):
        return True
    return any(r in data for r in _JQUERY_RECEIVERS) and any(w in data for w in _JQUERY_WORDS)


@functools.cache
def _query(dialect: Dialect) -> ts.Query:
    text = _CANDIDATES.format(
        method=wrapped(dialect, _METHOD), function=wrapped(dialect, _FUNCTION)
    )
    query: ts.Query = ts.Query(language(dialect), text)
    return query


def call_sites(path: str, program: Program, resolver: Resolver | None = None) -> list[CallSite]:
    """Every request call of the program that the reader recognises, and every escape of a
    request API (see :func:`escapes`), in source order."""
    resolver = resolver or Resolver(program)
    found = []
    for _, match in ts.QueryCursor(_query(program.dialect)).matches(program.tree.root_node):
        node = (match.get("call") or match["new"])[0]
        site = _site(path, program, resolver, node)
        if site is not None:
            found.append(site)
    found.extend(escapes(path, program))
    found.sort(key=lambda s: (s.line, s.column))
    return found


# Uses of a request API other than a direct call: `const send = ZOHODESK.request;`,
# `ZOHODESK.request.call(...)`, `ZOHODESK["request"](...)`, `axios.create(...)`,
# `client({fetch})`. The requests made through them are not seen, so each is a call site
# that is not analysed: it keeps the audit from calling anything unused (fail closed).
# Found from the words in the bytes (a node lookup for each), not by another walk over
# every node of the tree, which would cost half as much again as the calls' query.
_ESCAPE_WORDS = (b"fetch", b"axios", b"request", b"invoke")
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")


def request_words(data: bytes) -> Iterator[tuple[int, int]]:
    """Where the words of the request APIs (fetch, axios, request, invoke) stand as whole
    words, by byte offsets (bytes.find runs in C: a regular expression over the file took as
    long as the rest of the escape search)."""
    for word in _ESCAPE_WORDS:
        at = data.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or data[at - 1] not in _WORD_BYTES) and (
                end == len(data) or data[end] not in _WORD_BYTES
            ):
                yield at, end
            at = data.find(word, end)


_PROXY_OBJECTS = {
    ("ZOHODESK", "request"): CallKind.DESK_REQUEST,
    ("ZFAPPS", "request"): CallKind.FINANCE_REQUEST,
    ("ZOHO.CRM.CONNECTION", "invoke"): CallKind.CRM_INVOKE,
}
# axios members that send nothing and change no request: using them hides no call.
_AXIOS_HARMLESS = frozenset(
    {
        "isCancel",
        "CancelToken",
        "Cancel",
        "all",
        "spread",
        "isAxiosError",
        "AxiosError",
        "VERSION",
        "HttpStatusCode",
        "toFormData",
        "formToJSON",
    }
)
# Where a name is declared or imported rather than used.
_DECLARING = frozenset(
    {
        "import_clause",
        "import_specifier",
        "namespace_import",
        "formal_parameters",
        "required_parameter",
        "optional_parameter",
        "function_declaration",
        "class_declaration",
    }
)


def escapes(path: str, program: Program) -> list[CallSite]:
    """Each use of a request API other than a call the reader analyses, as a call site that
    is not analysed (its link name, host and method unknown)."""
    data = program.data
    root = program.tree.root_node
    out = []
    for start, end in request_words(data):
        node = root.descendant_for_byte_range(start, end)
        if node is None or (node.start_byte, node.end_byte) != (start, end):
            continue  # in a comment, a string, or outside this program's scripts
        found, at = _escaped(data, node)
        if found is None or _not_code(at):
            continue
        kind, shown = found
        line, column = _position(program, at)
        reason = (
            f"{shown} is used other than in a direct call, so the requests made through it "
            "are not seen"
        )
        out.append(not_analysed(path, line, column, kind, reason))
    return out


def not_analysed(path: str, line: int, column: int, kind: CallKind, reason: str) -> CallSite:
    """A call site of ``kind`` whose request the reader cannot see: no method or URL, and
    for a proxied API no known link name (it may use any connection)."""
    links = None if kind.proxied else ("",)
    return CallSite(path, line, column, kind, links, (), (), (reason,))


def _escaped(data: bytes, node: ts.Node) -> tuple[tuple[CallKind, str] | None, ts.Node]:
    """What request API the word at ``node`` escapes, if any, and the node to report."""
    parent = node.parent
    if parent is None:
        return None, node
    if node.type in ("identifier", "shorthand_property_identifier"):
        if node_text(data, node) in ("fetch", "axios"):
            return _escaped_name(data, node), node
        return None, node
    if node.type == "property_identifier" and parent.type == "member_expression":
        prop = parent.child_by_field_name("property")
        if prop is not None and prop.id == node.id:
            return _escaped_member(data, parent), parent
        return None, node
    outer = parent.parent
    if node.type == "string_fragment" and outer is not None:
        index = outer.child_by_field_name("index")
        if outer.type == "subscript_expression" and index is not None and index.id == parent.id:
            return _escaped_subscript(data, outer), outer
    return None, node


# TypeScript nodes whose contents are types, never run (`f: typeof globalThis.fetch`).
_TYPES = frozenset({"type_annotation", "type_query", "type_alias_declaration", "type_arguments"})


def _not_code(node: ts.Node) -> bool:
    """Whether ``node`` stands in a type, or in text the parser could not read (the file is
    then reported as not analysed when the error could hide a request)."""
    parent = node.parent
    while parent is not None:
        if parent.type in _TYPES or parent.is_error:
            return True
        parent = parent.parent
    return False


def _receiver(data: bytes, node: ts.Node | None) -> str:
    target = unwrap(node)
    return "".join(node_text(data, target).split()) if target is not None else ""


def _api_kind(receiver: str, prop: str) -> CallKind | None:
    """The request API ``receiver.prop`` is, if it is one (a proxy's, or the global fetch)."""
    kind = _PROXY_OBJECTS.get((receiver, prop))
    if kind is None and prop == "fetch" and receiver in _GLOBALS:
        kind = CallKind.FETCH
    return kind


def _escaped_member(data: bytes, node: ts.Node) -> tuple[CallKind, str] | None:
    prop = node_text(data, node.child_by_field_name("property"))  # type: ignore[arg-type]
    receiver = _receiver(data, node.child_by_field_name("object"))
    kind = _api_kind(receiver, prop)
    if kind is None or _direct_callee(node):
        return None
    return kind, f"{receiver}.{prop}"


def _escaped_subscript(data: bytes, node: ts.Node) -> tuple[CallKind, str] | None:
    index = node.child_by_field_name("index")
    assert index is not None
    prop = "".join(node_text(data, c) for c in index.named_children)
    receiver = _receiver(data, node.child_by_field_name("object"))
    kind = _api_kind(receiver, prop)
    if kind is None:
        return None
    return kind, f"{receiver}[{prop!r}]"


def _escaped_name(data: bytes, node: ts.Node) -> tuple[CallKind, str] | None:
    name = node_text(data, node)
    parent = node.parent
    if parent is None or parent.type in _DECLARING:
        return None
    if parent.type in ("variable_declarator", "assignment_expression"):
        target = parent.child_by_field_name(
            "name" if parent.type != "assignment_expression" else "left"
        )
        if target is not None and target.id == node.id:
            return None  # `const axios = require("axios")`
    if node.type == "identifier" and _direct_callee(node):
        return None
    if name == "fetch":
        return CallKind.FETCH, "fetch"
    member = _outer(node)
    receiver = member.child_by_field_name("object") if member is not None else None
    if member is None or receiver is None or receiver.id != _outermost(node).id:
        return CallKind.AXIOS, "axios"  # passed on, returned, stored
    prop = node_text(data, member.child_by_field_name("property"))  # type: ignore[arg-type]
    if prop in _AXIOS_HARMLESS:
        return None
    if (prop in _AXIOS_VERBS or prop == "request") and _direct_callee(member):
        return None
    return CallKind.AXIOS, f"axios.{prop}"


def _outermost(node: ts.Node) -> ts.Node:
    """The outermost wrapping expression around ``node`` (``node`` itself when none)."""
    while node.parent is not None and node.parent.type in WRAPPERS:
        node = node.parent
    return node


def _outer(node: ts.Node) -> ts.Node | None:
    """What holds ``node`` and its wrapping expressions."""
    return _outermost(node).parent


def _direct_callee(node: ts.Node) -> bool:
    """Whether ``node`` (in wrapping expressions or not) is the function of a call."""
    outer = _outermost(node)
    parent = outer.parent
    if parent is None or parent.type != "call_expression":
        return False
    function = parent.child_by_field_name("function")
    return function is not None and function.id == outer.id


def _arguments(node: ts.Node) -> list[ts.Node]:
    args = node.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def _site(path: str, program: Program, resolver: Resolver, node: ts.Node) -> CallSite | None:
    data = program.data
    args = _arguments(node)
    if node.type == "new_expression":
        name = node_text(data, node.child_by_field_name("constructor"))  # type: ignore[arg-type]
        kind = CallKind.WEBSOCKET if name == "WebSocket" else CallKind.EVENT_SOURCE
        return _make(path, resolver, node, kind, url=_arg(resolver, args, 0), methods=("GET",))
    callee = unwrap(node.child_by_field_name("function"))
    if callee is None:
        return None
    if callee.type == "identifier":
        name = node_text(data, callee)
        if name == "fetch":
            return _fetch(path, resolver, node, args)
        if name == "axios":
            return _axios_call(path, resolver, node, args)
        return _generic_request(path, resolver, node, args)  # request({connectionLinkName})
    if callee.type != "member_expression":
        return None
    target = unwrap(callee.child_by_field_name("object"))  # `(ZOHODESK as any).request`
    prop = callee.child_by_field_name("property")
    if target is None or prop is None:
        return None
    method = node_text(data, prop)
    receiver = _receiver(data, target)
    if method == "request":
        if receiver == "ZOHODESK":
            return _proxied(
                path,
                resolver,
                node,
                args,
                CallKind.DESK_REQUEST,
                method_key="type",
                link_key="connectionLinkName",
            )
        if receiver == "ZFAPPS":
            return _proxied(
                path,
                resolver,
                node,
                args,
                CallKind.FINANCE_REQUEST,
                method_key="method",
                link_key="connection_link_name",
            )
        if receiver == "axios":
            return _axios_config(path, resolver, node, _arg(resolver, args, 0), None)
        if receiver in _JQUERY:
            return None
        return _generic_request(path, resolver, node, args)
    if method == "invoke":
        if receiver != "ZOHO.CRM.CONNECTION":
            return None
        link = _arg(resolver, args, 0)
        request = _arg(resolver, args, 1)
        return _from_object(
            path,
            resolver,
            node,
            CallKind.CRM_INVOKE,
            request=request,
            method_key="method",
            link=link,
        )
    if method == "open":
        return _xhr(path, resolver, node, target, args)
    if method == "fetch" and receiver in _GLOBALS:
        return _fetch(path, resolver, node, args)
    if method == "sendBeacon" and receiver == "navigator":
        return _make(
            path, resolver, node, CallKind.BEACON, url=_arg(resolver, args, 0), methods=("POST",)
        )
    if receiver == "axios" and method in _AXIOS_VERBS:
        url = _arg(resolver, args, 0)
        config = _arg(resolver, args, 2 if method in ("post", "put", "patch") else 1)
        return _axios_config(path, resolver, node, config, (url, _AXIOS_VERBS[method]))
    if receiver in _JQUERY and method in _JQUERY_VERBS:
        return _jquery(path, resolver, node, args, _JQUERY_VERBS[method])
    return None


def _arg(resolver: Resolver, args: list[ts.Node], index: int) -> Value:
    return resolver.eval(args[index]) if index < len(args) else ABSENT


_BOM = b"\xef\xbb\xbf"


def place(data: bytes, offset: int, row: int | None = None) -> tuple[int, int]:
    """1-based line and column, in characters, of a byte offset of a file.

    ``row`` is the 0-based line when the caller knows it (a parser node does), saving a count
    of the newlines before the offset. A byte-order mark is not a column (editors and GitHub
    do not show it); bytes before the offset that are not UTF-8 count one character each.
    """
    line_start = data.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and data.startswith(_BOM):
        line_start = len(_BOM)
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    if row is None:
        row = data.count(b"\n", 0, offset)
    return row + 1, column


def _position(program: Program, node: ts.Node) -> tuple[int, int]:
    """1-based line and column (in characters) of a call's start; a call the TypeScript
    grammar parses as a call of `await f` starts at `f`, as the same call without type
    arguments does."""
    callee = node.child_by_field_name("function")
    if callee is not None and callee.type == "await_expression":
        node = unwrap(callee) or node
    return place(program.data, node.start_byte, node.start_point[0])


def _link(value: Value) -> tuple[tuple[str, ...] | None, str]:
    """Link name alternatives ("" for none), or None with the reason."""
    names: list[str] = []
    for atom in value:
        if isinstance(atom, Absent):
            names.append("")
        elif isinstance(atom, Text) and atom.literal is not None:
            names.append(atom.literal)
        elif isinstance(atom, Unknown):
            return None, f"the connection link name is not resolved ({atom.reason})"
        else:
            return None, "the connection link name is computed at run time"
    return tuple(dict.fromkeys(names)), ""


def _methods(value: Value, default: str | None) -> tuple[str, ...]:
    """Upper-case HTTP method alternatives; empty when one of them is unknown."""
    out: list[str] = []
    for atom in value:
        if isinstance(atom, Absent):
            if default is None:
                return ()
            out.append(default)
        elif isinstance(atom, Text) and atom.literal is not None:
            out.append(atom.literal.strip().upper())
        else:
            return ()
    return tuple(dict.fromkeys(out))


def _urls(value: Value) -> tuple[tuple[Url, ...], list[str]]:
    urls: list[Url] = []
    reasons: list[str] = []
    for atom in value:
        if isinstance(atom, Text):
            url = to_url(atom)
            urls.append(url)
            if url.kind is HostKind.UNKNOWN:
                reasons.append(f"the host of {url.text!r} is computed at run time")
        elif isinstance(atom, Unknown):
            reasons.append(f"the URL is not resolved ({atom.reason})")
        elif isinstance(atom, Absent):
            reasons.append("no URL is given")
        else:
            reasons.append("the URL is not a string")
    return tuple(dict.fromkeys(urls)), reasons


def _make(
    path: str,
    resolver: Resolver,
    node: ts.Node,
    kind: CallKind,
    *,
    url: Value,
    methods: tuple[str, ...],
    link: Value = ABSENT,
) -> CallSite:
    """A call site of ``kind``; a browser call (fetch, axios, XHR) names no ``link``."""
    links, why = _link(link)
    urls, reasons = _urls(url)
    if links is None:
        reasons.insert(0, why)
    line, column = _position(resolver.program, node)
    return CallSite(path, line, column, kind, links, methods, urls, tuple(dict.fromkeys(reasons)))


def _objects(value: Value) -> list[Obj] | None:
    objects = [a for a in value if isinstance(a, Obj)]
    return objects if len(objects) == len(value) else None


def _from_object(
    path: str,
    resolver: Resolver,
    node: ts.Node,
    kind: CallKind,
    *,
    request: Value,
    method_key: str,
    link: Value,
    link_key: str | None = None,
) -> CallSite:
    objects = _objects(request)
    if not objects:
        why = next((a.reason for a in request if isinstance(a, Unknown)), "not an object literal")
        reason = f"the request options are not resolved ({why})"
        line, column = _position(resolver.program, node)
        links = None
        if link_key is None:
            links = _link(link)[0]
        return CallSite(path, line, column, kind, links, (), (), (reason,))
    url: Value = ()
    method: Value = ()
    names: Value = link
    for obj in objects:
        url += resolver.property(obj, "url", 0)
        method += resolver.property(obj, method_key, 0)
        if link_key is not None:
            names += resolver.property(obj, link_key, 0)
    return _make(path, resolver, node, kind, url=url, methods=_methods(method, None), link=names)


def _proxied(
    path: str,
    resolver: Resolver,
    node: ts.Node,
    args: list[ts.Node],
    kind: CallKind,
    *,
    method_key: str,
    link_key: str,
) -> CallSite:
    request = _arg(resolver, args, 0)
    return _from_object(
        path,
        resolver,
        node,
        kind,
        request=request,
        method_key=method_key,
        link=(),
        link_key=link_key,
    )


def _generic_request(
    path: str, resolver: Resolver, node: ts.Node, args: list[ts.Node]
) -> CallSite | None:
    """``App.request({...})`` (Desk's App object) or Sprints' ``sdk.request({...})``: only
    when the options are an object literal with ``connectionLinkName``, or Desk's ``url``
    with ``type``, so that unrelated ``request()`` functions stay out."""
    request = _arg(resolver, args, 0)
    objects = _objects(request)
    if not objects:
        return None
    keys = set()
    for obj in objects:
        props = resolver.properties(obj, 0) or {}
        keys |= {k for k, v in props.items() if v != ABSENT}
    if "connectionLinkName" not in keys and not {"url", "type"} <= keys:
        return None
    method_key = "type" if "type" in keys else "method"
    return _from_object(
        path,
        resolver,
        node,
        CallKind.SDK_REQUEST,
        request=request,
        method_key=method_key,
        link=(),
        link_key="connectionLinkName",
    )


def _fetch(path: str, resolver: Resolver, node: ts.Node, args: list[ts.Node]) -> CallSite:
    url = _arg(resolver, args, 0)
    init = _arg(resolver, args, 1)
    objects = _objects(init)
    if init == ABSENT:
        methods: tuple[str, ...] = ("GET",)
    elif objects:
        value: Value = ()
        for obj in objects:
            value += resolver.property(obj, "method", 0)
        methods = _methods(value, "GET")
    else:
        methods = ()
    return _make(path, resolver, node, CallKind.FETCH, url=url, methods=methods)


def _axios_call(path: str, resolver: Resolver, node: ts.Node, args: list[ts.Node]) -> CallSite:
    first = _arg(resolver, args, 0)
    if _objects(first):
        return _axios_config(path, resolver, node, first, None)
    return _axios_config(path, resolver, node, _arg(resolver, args, 1), (first, None))


def _axios_config(
    path: str,
    resolver: Resolver,
    node: ts.Node,
    config: Value,
    given: tuple[Value, str | None] | None,
) -> CallSite:
    """axios: ``url`` (after ``baseURL`` unless absolute) and ``method`` (default GET)."""
    objects = _objects(config)
    if config != ABSENT and not objects:
        if given is None:
            return _make(path, resolver, node, CallKind.AXIOS, url=config, methods=())
        url, verb = given
        return _make(path, resolver, node, CallKind.AXIOS, url=url, methods=(verb,) if verb else ())
    url = given[0] if given is not None else ()
    method: Value = ()
    base: Value = ()
    for obj in objects or []:
        if given is None:
            url += resolver.property(obj, "url", 0)
        method += resolver.property(obj, "method", 0)
        base += resolver.property(obj, "baseURL", 0)
    verb = given[1] if given is not None else None
    methods = (verb,) if verb else _methods(method or ABSENT, "GET")
    if base and base != ABSENT:
        url = _join_base(base, url)
    return _make(path, resolver, node, CallKind.AXIOS, url=url, methods=methods)


def _join_base(base: Value, url: Value) -> Value:
    """axios joins ``baseURL`` and a relative ``url``; an absolute ``url`` wins."""
    from checker.calls.values import concat

    out: Value = ()
    for atom in url:
        if isinstance(atom, Text) and to_url(atom).kind is HostKind.SELF:
            out += concat(base, (atom,))
        else:
            out += (atom,)
    return out


def _jquery(
    path: str, resolver: Resolver, node: ts.Node, args: list[ts.Node], verb: str | None
) -> CallSite:
    """``$.ajax(settings)``, ``$.ajax(url, settings)``, ``$.get(url)``, ``$.post(url)``."""
    first = _arg(resolver, args, 0)
    settings = _objects(first)
    if settings:
        url: Value = ()
        method: Value = ()
        for obj in settings:
            url += resolver.property(obj, "url", 0)
            method += resolver.property(obj, "method", 0) + resolver.property(obj, "type", 0)
        method = tuple(a for a in method if not isinstance(a, Absent)) or ABSENT
        methods = (verb,) if verb else _methods(method, "GET")
        return _make(path, resolver, node, CallKind.AJAX, url=url, methods=methods)
    methods = (verb,) if verb else ()
    if verb is None:
        more = _objects(_arg(resolver, args, 1))
        value: Value = ()
        for obj in more or []:
            value += resolver.property(obj, "method", 0) + resolver.property(obj, "type", 0)
        value = tuple(a for a in value if not isinstance(a, Absent)) or ABSENT
        methods = _methods(value, "GET") if more is not None else ()
    return _make(path, resolver, node, CallKind.AJAX, url=first, methods=methods)


def _xhr(
    path: str, resolver: Resolver, node: ts.Node, target: ts.Node, args: list[ts.Node]
) -> CallSite | None:
    """``xhr.open(method, url)``: an XMLHttpRequest when the receiver was made by ``new
    XMLHttpRequest()`` in this file, or when the first argument is an HTTP method."""
    if len(args) < 2:
        return None
    method = resolver.eval(args[0])
    literal = [a.literal for a in method if isinstance(a, Text)]
    is_method = bool(literal) and all(m is not None and m.upper() in HTTP_METHODS for m in literal)
    if not is_method and not _made_by_xhr(resolver, target):
        return None
    methods = _methods(method, None)
    return _make(path, resolver, node, CallKind.XHR, url=resolver.eval(args[1]), methods=methods)


def _made_by_xhr(resolver: Resolver, target: ts.Node) -> bool:
    if target.type != "identifier":
        return False
    name = node_text(resolver.data, target)
    for definition in resolver.index.get(name, []):
        value = definition.child_by_field_name("value") or definition.child_by_field_name("right")
        if value is not None and value.type == "new_expression":
            constructor = value.child_by_field_name("constructor")
            if (
                constructor is not None
                and node_text(resolver.data, constructor) == "XMLHttpRequest"
            ):
                return True
    return False
