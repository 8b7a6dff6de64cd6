"""Parse code files with tree-sitter: JavaScript, JSX, TypeScript, TSX, and scripts in HTML/Vue."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from typing import Any

import tree_sitter as ts


class Dialect(enum.Enum):
    """The grammar a piece of code is parsed with."""

    JAVASCRIPT = "javascript"  # tree-sitter-javascript parses JSX too
    TYPESCRIPT = "typescript"
    TSX = "tsx"


# <script type="..."> values whose content is JavaScript (HTML Living Standard, "script
# element": an empty or absent type, a JavaScript MIME type, or "module"); Babel's
# in-browser JSX types too. Anything else (templates, JSON, importmaps) is data.
SCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "text/jsx",
        "text/babel",
    }
)


@functools.cache
def language(dialect: Dialect) -> ts.Language:
    """A grammar, loaded once per process."""
    if dialect is Dialect.JAVASCRIPT:
        return ts.Language(_grammar("tree_sitter_javascript").language())
    typescript = _grammar("tree_sitter_typescript")
    if dialect is Dialect.TYPESCRIPT:
        return ts.Language(typescript.language_typescript())
    return ts.Language(typescript.language_tsx())


@functools.cache
def _html() -> ts.Language:
    return ts.Language(_grammar("tree_sitter_html").language())


def _grammar(package: str) -> Any:
    """The compiled module of a tree-sitter grammar package (``tree_sitter_javascript`` ...).

    Loaded from the package's folder without running its ``__init__``, which imports
    importlib.resources (and with it tempfile and random) only to offer highlighting queries
    this reader never reads: about 3 ms of every run that reads code, out of a cold start the
    benchmark holds against Zoho's ``zet validate``. When the compiled ``_binding`` is not
    where these packages put it, the package is imported as usual.
    """
    import importlib
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec(package)  # finds a top-level package without running it
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    if folders:
        finder = importlib.machinery.FileFinder(
            folders[0],
            (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES),
        )
        found = finder.find_spec(f"{package}._binding")
        if found is not None and found.loader is not None:
            module = importlib.util.module_from_spec(found)
            found.loader.exec_module(module)
            return module
    return importlib.import_module(package)


@functools.cache
def _script_query() -> ts.Query:
    query: ts.Query = ts.Query(_html(), "(script_element (start_tag) @tag (raw_text) @text)")
    return query


# Expressions that only wrap the one they hold, around a callee or a call's receiver:
# parentheses, TypeScript's casts and non-null assertions, and `await` where
# tree-sitter-typescript puts it: `await f<T>(x)` parses as a call of `await f`
# (tree-sitter/tree-sitter-typescript#282), which is how typed API clients are called.
WRAPPERS = (
    "parenthesized_expression",
    "await_expression",
    "non_null_expression",
    "as_expression",
    "satisfies_expression",
    "type_assertion",
)


@functools.cache
def wrappers(dialect: Dialect) -> tuple[str, ...]:
    """The wrapping expressions the dialect's grammar has (JavaScript has no casts)."""
    lang = language(dialect)
    return tuple(w for w in WRAPPERS if lang.id_for_node_kind(w, True) is not None)


def wrapped(dialect: Dialect, pattern: str) -> str:
    """A query alternation: ``pattern`` bare, or inside one wrapping expression."""
    return "[" + " ".join([pattern, *(f"({w} {pattern})" for w in wrappers(dialect))]) + "]"


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """The expression a chain of wrapping expressions holds (``node`` itself when none);
    None when a wrapper holds nothing (a syntax error)."""
    while node is not None and node.type in WRAPPERS:
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            return None
        # `<T>x` holds its type first; `x as T`, `x satisfies T` hold it last
        node = inner[-1] if node.type == "type_assertion" else inner[0]
    return node


@dataclass(frozen=True, slots=True)
class Program:
    """A parsed piece of code: the tree over the whole file's bytes, and the grammar."""

    tree: ts.Tree
    dialect: Dialect
    data: bytes


def dialect_of(path: str) -> Dialect | None:
    """The grammar for a file by its suffix; None for HTML and Vue (scripts inside)."""
    lower = path.lower()
    if lower.endswith((".ts", ".mts", ".cts")):
        return Dialect.TYPESCRIPT
    if lower.endswith(".tsx"):
        return Dialect.TSX
    if lower.endswith((".html", ".htm", ".vue")):
        return None
    return Dialect.JAVASCRIPT


@dataclass(frozen=True, slots=True)
class InlineCode:
    """Code in an attribute of a page (``onclick``, Vue's ``@click`` and ``:value``, a
    ``javascript:`` URL): the bytes of its value. It is not parsed; the reader only looks
    whether it could hold a request."""

    attribute: str
    start_byte: int
    end_byte: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file's programs, and (for a page) the code in its attributes."""

    programs: list[Program]
    inline: list[InlineCode]


# Attribute names whose values are code: HTML's event handlers, Vue's directives.
_CODE_ATTRIBUTE = re.compile(r"on[a-z]+|@.+|v-on:.+|:.+|v-bind:.+|v-[a-z-]+", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})


def parse(path: str, data: bytes) -> Parsed:
    """Parse one file: a script file is one program; an HTML page or Vue component is one
    program per script language, over the byte ranges of its inline ``<script>`` elements
    (positions stay those of the whole file; HTML comments hide a script, as in a browser),
    and the code in its attributes.
    """
    dialect = dialect_of(path)
    if dialect is not None:
        return Parsed([Program(ts.Parser(language(dialect)).parse(data), dialect, data)], [])
    page = ts.Parser(_html()).parse(data)
    ranges: dict[Dialect, list[ts.Range]] = {}
    for _, match in ts.QueryCursor(_script_query()).matches(page.root_node):
        tag = match["tag"][0]
        text = match["text"][0]
        script = _script_dialect(tag, data)
        if script is None or text.end_byte <= text.start_byte:
            continue
        ranges.setdefault(script, []).append(
            ts.Range(text.start_point, text.end_point, text.start_byte, text.end_byte)
        )
    programs = []
    for script, parts in ranges.items():
        parser = ts.Parser(language(script))
        parser.included_ranges = sorted(parts, key=lambda r: r.start_byte)
        programs.append(Program(parser.parse(data), script, data))
    return Parsed(programs, _inline(page, data))


def _inline(page: ts.Tree, data: bytes) -> list[InlineCode]:
    """The attributes of a page whose values are code."""
    out = []
    for _, match in ts.QueryCursor(_attribute_query()).matches(page.root_node):
        name = data[match["name"][0].start_byte : match["name"][0].end_byte]
        attribute = name.decode("utf-8", "replace")
        value = match["value"][0]
        raw = data[value.start_byte : value.end_byte].strip(b"\"'").lstrip()
        if _CODE_ATTRIBUTE.fullmatch(attribute) or (
            attribute.lower() in _URL_ATTRIBUTES and raw[:11].lower() == b"javascript:"
        ):
            out.append(InlineCode(attribute, value.start_byte, value.end_byte))
    return out


@functools.cache
def _attribute_query() -> ts.Query:
    query: ts.Query = ts.Query(
        _html(),
        "(attribute (attribute_name) @name [(attribute_value) (quoted_attribute_value)] @value)",
    )
    return query


def _script_dialect(tag: ts.Node, data: bytes) -> Dialect | None:
    """The grammar of a ``<script>`` element from its start tag, None when it holds no code."""
    attributes: dict[str, str] = {}
    for child in tag.named_children:
        if child.type != "attribute":
            continue
        name = value = ""
        for part in child.named_children:
            if part.type == "attribute_name":
                name = data[part.start_byte : part.end_byte].decode("utf-8", "replace").lower()
            elif part.type in ("attribute_value", "quoted_attribute_value"):
                raw = data[part.start_byte : part.end_byte].decode("utf-8", "replace")
                value = raw.strip("\"'").strip().lower()
        attributes[name] = value
    if "src" in attributes:
        return None  # the code is in the named file (read on its own when it is local)
    lang = attributes.get("lang", "")
    if lang in ("ts", "typescript"):
        return Dialect.TYPESCRIPT
    if lang == "tsx":
        return Dialect.TSX
    if attributes.get("type", "") not in SCRIPT_TYPES:
        return None
    return Dialect.JAVASCRIPT
