"""What a JavaScript expression can evaluate to, as far as one file tells: strings with holes.

A value is a short tuple of alternatives. A string alternative is a sequence of literal text
and holes (``*``: text the code computes at run time), so ``deskAPI + "/tickets/" + id`` is
``https://desk.zoho.com/api/v1/tickets/*``. Object literals stay nodes whose properties are
evaluated on demand. Identifiers are followed to their definitions in the same file: the
last assignment that reaches the use in straight-line code of the same function, or else
every assignment of the variable (an empty-string or ``null`` placeholder that is assigned
again is left out). Parameters take the arguments of the file's calls of their function;
a function of the file that returns a string expression is evaluated with its arguments.
Whatever cannot be followed is an :class:`Unknown` with the reason.
"""

from __future__ import annotations

import enum
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter as ts

from checker.calls.parse import Dialect, Program, language

MAX_ALTERNATIVES = 16
MAX_DEPTH = 40
MAX_CALL_DEPTH = 3
MAX_STEPS = 200_000

FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)
BLOCKS = frozenset({"program", "statement_block", "switch_case", "switch_default"})
_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "await_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)
# String methods that keep a string's start: the static prefix survives them.
_KEEPS_PREFIX = frozenset({"concat", "replace", "replaceAll", "padEnd", "trimEnd", "trimRight"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_UNICODE = re.compile(r"u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})")


class Hole(enum.Enum):
    """Text computed at run time."""

    ANY = "*"


Part = str | Hole


@dataclass(frozen=True, slots=True)
class Text:
    """A string: literal parts and holes, adjacent literals merged, holes never doubled."""

    parts: tuple[Part, ...]

    @property
    def literal(self) -> str | None:
        """The whole string when it has no hole."""
        if not self.parts:
            return ""
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            return self.parts[0]
        return None

    def shown(self) -> str:
        """The string with ``*`` for each hole."""
        return "".join(p if isinstance(p, str) else "*" for p in self.parts)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the reader cannot follow, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class Absent:
    """``undefined``: a property the object does not have, a missing argument."""


@dataclass(frozen=True, slots=True)
class Obj:
    """An object literal of the file; ``name`` is the variable it was read from, if any."""

    node: ts.Node
    env: Env | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Func:
    """A function of the file (declaration, expression, arrow or method)."""

    node: ts.Node


Atom = Text | Unknown | Absent | Obj | Func
Value = tuple[Atom, ...]
ABSENT: Value = (Absent(),)


@dataclass(frozen=True, slots=True)
class Env:
    """Argument values of the functions being evaluated: (function node id, name) -> value."""

    bindings: tuple[tuple[tuple[int, str], Value], ...]
    depth: int

    def get(self, function: ts.Node, name: str) -> Value | None:
        """The value bound to a parameter, if this evaluation bound it."""
        for (node_id, bound), value in self.bindings:
            if node_id == function.id and bound == name:
                return value
        return None


def text(parts: tuple[Part, ...] | list[Part]) -> Text:
    """A normalised :class:`Text`."""
    merged: list[Part] = []
    for part in parts:
        if part == "":
            continue
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif merged and part is Hole.ANY and merged[-1] is Hole.ANY:
            continue
        else:
            merged.append(part)
    return Text(tuple(merged))


def unknown(reason: str) -> Value:
    """A one-alternative unknown value."""
    return (Unknown(reason),)


def union(*values: Value) -> Value:
    """Alternatives of all values, duplicates removed; too many collapse to unknown."""
    seen: dict[Atom, None] = {}
    for value in values:
        for atom in value:
            seen.setdefault(atom, None)
    if len(seen) > MAX_ALTERNATIVES:
        return unknown("too many alternatives")
    return tuple(seen)


def _as_parts(atom: Atom) -> tuple[Part, ...]:
    if isinstance(atom, Text):
        return atom.parts
    return (Hole.ANY,)


def concat(left: Value, right: Value) -> Value:
    """``left + right`` for every pair of alternatives; non-strings become holes."""
    if len(left) * len(right) > MAX_ALTERNATIVES:
        return unknown("too many alternatives")
    out: list[Atom] = []
    for a in left:
        for b in right:
            if isinstance(a, Unknown) and not isinstance(b, Text):
                out.append(a)
            else:
                out.append(text(_as_parts(a) + _as_parts(b)))
    return union(tuple(out))


def node_text(data: bytes, node: ts.Node) -> str:
    """The source text of a node."""
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _unescape(raw: str) -> str:
    """A JavaScript escape sequence's character(s); ``raw`` starts with the backslash."""
    body = raw[1:]
    if not body:
        return ""
    if body[0] in _ESCAPES and body != "0" * len(body):
        return _ESCAPES[body[0]] if len(body) == 1 else raw
    if body[0] in "ux":
        match = _UNICODE.fullmatch(body)
        if match:
            code = int(next(g for g in match.groups() if g), 16)
            return chr(code) if code <= 0x10FFFF else ""
    if body[0] in "\r\n":  # a line continuation
        return ""
    return body


class Resolver:
    """Evaluates expressions of one parsed program (one file, or one page's scripts)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.data = program.data
        self.steps = 0
        self._index: dict[str, list[ts.Node]] | None = None
        self._props: dict[tuple[str, str], list[ts.Node]] = {}
        self._words: Counter[bytes] | None = None
        self._calls: dict[str, list[ts.Node]] = {}
        self._scopes: dict[int, ts.Node | None] = {}
        self._active: set[tuple[int, str]] = set()

    # ----------------------------------------------------------------- indexes

    def _build(self) -> dict[str, list[ts.Node]]:
        """Definitions by name (declarators, assignments, functions) and other name uses,
        found with one query each over the whole tree (in C, not a Python walk)."""
        queries = _queries(self.program)
        index: dict[str, list[ts.Node]] = {}
        cursor = ts.QueryCursor(queries[0])
        for _, match in cursor.matches(self.program.tree.root_node):
            name = node_text(self.data, match["name"][0])
            index.setdefault(name, []).append(match["def"][0])
        for _, match in ts.QueryCursor(queries[1]).matches(self.program.tree.root_node):
            key = (node_text(self.data, match["obj"][0]), node_text(self.data, match["prop"][0]))
            self._props.setdefault(key, []).append(match["def"][0])
        return index

    def _uses(self, label: str) -> tuple[list[ts.Node], int]:
        """Calls of a function named ``label`` (``label(...)``, ``x.label(...)``), and how
        often the name appears in the text at all (comments and strings included, which
        only errs towards "used elsewhere"). One query and one word count per file."""
        if self._words is None:
            for _, match in ts.QueryCursor(_calls_query(self.program)).matches(
                self.program.tree.root_node
            ):
                name = node_text(self.data, match["callee"][0])
                self._calls.setdefault(name, []).append(match["call"][0])
            self._words = Counter(_WORD.findall(self.data))
        return self._calls.get(label, []), self._words[label.encode()]

    @property
    def index(self) -> dict[str, list[ts.Node]]:
        """Definitions by name."""
        if self._index is None:
            self._index = self._build()
        return self._index

    # --------------------------------------------------------------- evaluation

    def eval(self, node: ts.Node | None, env: Env | None = None, depth: int = 0) -> Value:
        """The alternatives ``node`` can evaluate to."""
        if node is None:
            return ABSENT
        self.steps += 1
        if self.steps > MAX_STEPS:
            return unknown("the file is too complex to follow")
        if depth > MAX_DEPTH:
            return unknown("nested too deeply")
        kind = node.type
        if kind == "string":
            return (text([self._string(node)]),)
        if kind == "template_string":
            return self._template(node, env, depth)
        if kind in ("number",):
            return (text([node_text(self.data, node)]),)
        if kind in ("null", "undefined"):
            return ABSENT
        if kind in ("true", "false"):
            return (text([kind]),)
        if kind in _WRAPPERS:
            inner = node.named_children
            return self.eval(inner[0] if inner else None, env, depth + 1)
        if kind == "identifier":
            return self.identifier(node, node_text(self.data, node), env, depth)
        if kind == "binary_expression":
            return self._binary(node, env, depth)
        if kind == "ternary_expression":
            return union(
                self.eval(node.child_by_field_name("consequence"), env, depth + 1),
                self.eval(node.child_by_field_name("alternative"), env, depth + 1),
            )
        if kind == "object":
            return (Obj(node, env),)
        if kind in FUNCTIONS:
            return (Func(node),)
        if kind == "member_expression":
            prop = node.child_by_field_name("property")
            name = node_text(self.data, prop) if prop is not None else ""
            return self.member(node.child_by_field_name("object"), name, env, depth)
        if kind == "subscript_expression":
            return self._subscript(node, env, depth)
        if kind == "call_expression":
            return self._call(node, env, depth)
        if kind == "assignment_expression":
            return self.eval(node.child_by_field_name("right"), env, depth + 1)
        return unknown(f"computed by a {kind.replace('_', ' ')}")

    def _string(self, node: ts.Node) -> str:
        out = []
        for child in node.named_children:
            if child.type == "string_fragment":
                out.append(node_text(self.data, child))
            elif child.type == "escape_sequence":
                out.append(_unescape(node_text(self.data, child)))
        return "".join(out)

    def _template(self, node: ts.Node, env: Env | None, depth: int) -> Value:
        value: Value = (text([]),)
        for child in node.named_children:
            if child.type == "string_fragment":
                part: Value = (text([node_text(self.data, child)]),)
            elif child.type == "escape_sequence":
                part = (text([_unescape(node_text(self.data, child))]),)
            elif child.type == "template_substitution":
                inner = child.named_children
                part = self.eval(inner[0] if inner else None, env, depth + 1)
                part = tuple(a if isinstance(a, Text) else text([Hole.ANY]) for a in part)
            else:
                continue
            value = concat(value, part)
        return value

    def _binary(self, node: ts.Node, env: Env | None, depth: int) -> Value:
        operator = node.child_by_field_name("operator")
        op = node_text(self.data, operator) if operator is not None else ""
        left = self.eval(node.child_by_field_name("left"), env, depth + 1)
        right = self.eval(node.child_by_field_name("right"), env, depth + 1)
        if op == "+":
            return concat(left, right)
        if op in ("||", "??", "&&"):
            # a || b is a when truthy, else b: either may be the value
            return union(tuple(a for a in left if not isinstance(a, Absent)), right)
        return unknown(f"computed with the operator {op}")

    def _subscript(self, node: ts.Node, env: Env | None, depth: int) -> Value:
        index = self.eval(node.child_by_field_name("index"), env, depth + 1)
        target = node.child_by_field_name("object")
        names = [a.literal for a in index if isinstance(a, Text)]
        if names and all(n is not None for n in names) and len(names) == len(index):
            return union(*(self.member(target, n or "", env, depth) for n in names))
        # an unknown key: any property of the object literal(s)
        objects = self.eval(target, env, depth + 1)
        out: list[Value] = []
        for atom in objects:
            if not isinstance(atom, Obj):
                return unknown("an element chosen at run time")
            values = self.properties(atom, depth)
            if values is None:
                return unknown("an element chosen at run time")
            out.extend(values.values())
        return union(*out) if out else unknown("an element chosen at run time")

    def member(self, target: ts.Node | None, name: str, env: Env | None, depth: int) -> Value:
        """``target.name``: the property of the object literal(s) ``target`` evaluates to,
        with assignments ``target.name = ...`` of the file."""
        if target is None:
            return unknown("a property")
        assigned: list[Value] = []
        if target.type == "identifier":
            base = node_text(self.data, target)
            _ = self.index
            for definition in self._props.get((base, name), []):
                assigned.append(self.eval(definition.child_by_field_name("right"), env, depth + 1))
        objects = self.eval(target, env, depth + 1)
        out: list[Value] = list(assigned)
        for atom in objects:
            if isinstance(atom, Obj):
                out.append(self.property(atom, name, depth))
            elif not assigned:
                return unknown(f"the property {name} of a value computed at run time")
        return union(*out) if out else unknown(f"the property {name}")

    def properties(self, obj: Obj, depth: int) -> dict[str, Value] | None:
        """Every property of an object literal, or None when a spread hides some."""
        out: dict[str, Value] = {}
        for child in obj.node.named_children:
            key = self._key(child)
            if key is None:
                return None
            out[key] = self.property(obj, key, depth)
        return out

    def _key(self, child: ts.Node) -> str | None:
        if child.type == "shorthand_property_identifier":
            return node_text(self.data, child)
        if child.type in ("pair", "method_definition"):
            key = child.child_by_field_name("key") or child.child_by_field_name("name")
            if key is None:
                return None
            if key.type == "string":
                return self._string(key)
            if key.type in ("property_identifier", "number", "identifier"):
                return node_text(self.data, key)
            return None
        if child.type == "comment":
            return ""
        return None

    def property(self, obj: Obj, name: str, depth: int) -> Value:
        """One property of an object literal: the last one of that name wins, as in JS; a
        spread after it (or a computed key) may replace it."""
        found: Value | None = None
        for child in obj.node.named_children:
            if child.type == "comment":
                continue
            key = self._key(child)
            if key is None:
                if child.type == "spread_element":
                    inner = child.named_children
                    spread = self.eval(inner[0] if inner else None, obj.env, depth + 1)
                    if all(isinstance(a, Obj) for a in spread):
                        values = [
                            self.property(a, name, depth) for a in spread if isinstance(a, Obj)
                        ]
                        if all(v != ABSENT for v in values):
                            found = union(*values)
                        continue
                found = unknown(f"the property {name} may come from a spread or computed key")
                continue
            if key != name:
                continue
            if child.type == "shorthand_property_identifier":
                found = self.identifier(child, name, obj.env, depth + 1)
            elif child.type == "method_definition":
                found = (Func(child),)
            else:
                found = self.eval(child.child_by_field_name("value"), obj.env, depth + 1)
        return ABSENT if found is None else found

    def _call(self, node: ts.Node, env: Env | None, depth: int) -> Value:
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if callee is None:
            return unknown("a call")
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            method = node_text(self.data, prop) if prop is not None else ""
            if method in _KEEPS_PREFIX:
                base = self.eval(callee.child_by_field_name("object"), env, depth + 1)
                texts = tuple(a for a in base if isinstance(a, Text))
                if texts and len(texts) == len(base):
                    if method == "concat" and args is not None:
                        value: Value = texts
                        for arg in args.named_children:
                            value = concat(value, self.eval(arg, env, depth + 1))
                        return value
                    return tuple(text([*a.parts, Hole.ANY]) for a in texts)
            return unknown(f"the result of {node_text(self.data, callee)[:60]}()")
        if callee.type != "identifier":
            return unknown("the result of a call")
        name = node_text(self.data, callee)
        targets = self.identifier(callee, name, env, depth + 1)
        functions = [a for a in targets if isinstance(a, Func)]
        if not functions or len(functions) != len(targets):
            return unknown(f"the result of {name}()")
        if (env.depth if env else 0) >= MAX_CALL_DEPTH:
            return unknown(f"the result of {name}() (calls nested too deeply)")
        values = [self.eval(a, env, depth + 1) for a in (args.named_children if args else [])]
        out = []
        for function in functions:
            out.append(self._returns(function.node, values, env, depth))
        return union(*out)

    def _returns(self, function: ts.Node, args: list[Value], env: Env | None, depth: int) -> Value:
        """What a function of the file returns when called with ``args``."""
        bindings = list(env.bindings) if env else []
        for position, name in enumerate(_parameters(function, self.data)):
            if name is not None:
                bound = args[position] if position < len(args) else ABSENT
                bindings.append(((function.id, name), bound))
        inner = Env(tuple(bindings), (env.depth if env else 0) + 1)
        body = function.child_by_field_name("body")
        if body is None:
            return unknown("a function without a body")
        if body.type != "statement_block":
            return self.eval(body, inner, depth + 1)
        returns = list(_returns_of(body))
        if not returns or len(returns) > 4:
            return unknown("the result of a function with no single return")
        out = []
        for statement in returns:
            expression = statement.named_children
            out.append(self.eval(expression[0] if expression else None, inner, depth + 1))
        return union(*out)

    # --------------------------------------------------------------- identifiers

    def identifier(self, use: ts.Node, name: str, env: Env | None, depth: int) -> Value:
        """The values a variable can hold where ``use`` reads it."""
        if name == "undefined":
            return ABSENT
        definitions = self.index.get(name, [])
        scope, parameter = self._binding(use, name, definitions)
        found, complete = self._reaching(use, name, definitions, scope, env=env, depth=depth)
        if complete:
            return found
        if parameter is not None:
            bound = env.get(parameter, name) if env else None
            if bound is None:
                bound = self._arguments(parameter, name, depth)
            return union(found, bound)
        return union(found, self._everywhere(name, definitions, scope, env, depth))

    def _binding(
        self, use: ts.Node, name: str, definitions: list[ts.Node]
    ) -> tuple[ts.Node | None, ts.Node | None]:
        """The scope node that declares ``name`` for ``use`` (None: a global), and the
        function when the binding is one of its parameters."""
        scopes: set[int] = set()
        for definition in definitions:
            if definition.type in ("variable_declarator", "function_declaration"):
                scope = self._scope_of(definition)
                if scope is not None:
                    scopes.add(scope.id)
        node: ts.Node | None = use.parent
        while node is not None:
            if node.id in scopes:
                return node, None
            if node.type in FUNCTIONS and name in _parameters(node, self.data):
                return node, node
            node = node.parent
        return None, None

    def _scope_of(self, definition: ts.Node) -> ts.Node | None:
        """:func:`_declaring_scope`, remembered per definition."""
        key = definition.id
        if key not in self._scopes:
            self._scopes[key] = _declaring_scope(definition)
        return self._scopes[key]

    def _reaching(
        self,
        use: ts.Node,
        name: str,
        definitions: list[ts.Node],
        scope: ts.Node | None,
        *,
        env: Env | None,
        depth: int,
    ) -> tuple[Value, bool]:
        """Definitions that reach ``use`` in straight-line code of its function: scanning
        the statements before it, and before each enclosing statement, back to the start
        of the function. True when one of them assigns the variable for certain."""
        found: list[Value] = []
        if not definitions:
            return (), False
        node = use
        while node.parent is not None:
            parent = node.parent
            if parent.type in FUNCTIONS:
                break
            if parent.type in BLOCKS:
                sibling = node.prev_named_sibling
                while sibling is not None:
                    certain = self._assigns(sibling, name, env, depth)
                    if certain is not None:
                        # `let x;` (or = null, = "") assigned again below: a placeholder
                        if not (found and all(_placeholder(a) for a in certain)):
                            found.append(certain)
                        return union(*found), True
                    inside = [
                        d
                        for d in definitions
                        if sibling.start_byte <= d.start_byte < sibling.end_byte
                        and not _in_function_below(d, sibling)
                    ]
                    for definition in inside:
                        found.append(self._value_of(definition, name, env, depth))
                    sibling = sibling.prev_named_sibling
            if scope is not None and parent.id == scope.id:
                break
            node = parent
        return union(*found), False

    def _assigns(self, statement: ts.Node, name: str, env: Env | None, depth: int) -> Value | None:
        """The value a statement certainly gives ``name``, or None."""
        if statement.type in ("lexical_declaration", "variable_declaration"):
            result = None
            for declarator in statement.named_children:
                if declarator.type != "variable_declarator":
                    continue
                target = declarator.child_by_field_name("name")
                if (
                    target is not None
                    and target.type == "identifier"
                    and node_text(self.data, target) == name
                ):
                    value = declarator.child_by_field_name("value")
                    if value is None and statement.type == "variable_declaration":
                        continue  # `var x;` keeps the value x had
                    result = self.eval(value, env, depth + 1)
            return result
        if statement.type == "expression_statement":
            inner = statement.named_children
            expression = inner[0] if inner else None
            while expression is not None and expression.type == "sequence_expression":
                parts = expression.named_children
                expression = parts[-1] if parts else None
            if expression is not None and expression.type == "assignment_expression":
                left = expression.child_by_field_name("left")
                if (
                    left is not None
                    and left.type == "identifier"
                    and node_text(self.data, left) == name
                ):
                    return self.eval(expression.child_by_field_name("right"), env, depth + 1)
            if expression is not None and expression.type == "augmented_assignment_expression":
                left = expression.child_by_field_name("left")
                if left is not None and node_text(self.data, left) == name:
                    before = self.identifier(left, name, env, depth + 1)
                    operator = expression.child_by_field_name("operator")
                    if operator is not None and node_text(self.data, operator) == "+=":
                        right = self.eval(expression.child_by_field_name("right"), env, depth + 1)
                        return concat(before, right)
                    return unknown(f"{name} changed by an operator")
        if statement.type == "function_declaration":
            target = statement.child_by_field_name("name")
            if target is not None and node_text(self.data, target) == name:
                return (Func(statement),)
        return None

    def _value_of(self, definition: ts.Node, name: str, env: Env | None, depth: int) -> Value:
        """The value one definition gives ``name``."""
        kind = definition.type
        if kind == "variable_declarator":
            target = definition.child_by_field_name("name")
            value = definition.child_by_field_name("value")
            if target is not None and target.type == "identifier":
                if value is None:
                    return ABSENT
                return self.eval(value, env, depth + 1)
            if target is not None and target.type == "object_pattern" and value is not None:
                return self.member(value, name, env, depth + 1)
            return unknown(f"{name} is destructured")
        if kind == "assignment_expression":
            return self.eval(definition.child_by_field_name("right"), env, depth + 1)
        if kind == "augmented_assignment_expression":
            operator = definition.child_by_field_name("operator")
            if operator is not None and node_text(self.data, operator) == "+=":
                return (Unknown("+="),)  # a marker: see _everywhere
            return unknown(f"{name} changed by an operator")
        if kind in ("function_declaration", "class_declaration"):
            return (Func(definition),) if kind == "function_declaration" else unknown("a class")
        return unknown(f"{name} bound by a {kind.replace('_', ' ')}")

    def _everywhere(
        self,
        name: str,
        definitions: list[ts.Node],
        scope: ts.Node | None,
        env: Env | None,
        depth: int,
    ) -> Value:
        """Every value the variable is given in its scope, when flow cannot say which."""
        key = (scope.id if scope is not None else -1, name)
        if key in self._active:
            return unknown(f"{name} is computed from itself")
        self._active.add(key)
        try:
            values: list[Value] = []
            appends = False
            for definition in definitions:
                bound = self._binding(definition, name, definitions)[0]
                if _id(bound) != _id(scope):
                    continue
                value = self._value_of(definition, name, env, depth)
                if value == (Unknown("+="),):
                    appends = True
                    continue
                values.append(value)
        finally:
            self._active.discard(key)
        if not values:
            where = (
                "another file or the page" if scope is None else "a way the reader cannot follow"
            )
            return unknown(f"{name} is set in {where}")
        found = union(*values)
        # `var api = "";` (or null) followed by real assignments: a placeholder
        real = tuple(a for a in found if not _placeholder(a))
        if real and len(values) > 1:
            found = real
        if appends:
            found = union(found, tuple(text([*_as_parts(a), Hole.ANY]) for a in found))
        return found

    def _arguments(self, function: ts.Node, name: str, depth: int) -> Value:
        """A parameter's values: the arguments of the file's calls of its function."""
        position = _parameters(function, self.data).index(name)
        label = _function_name(function, self.data)
        if label is None or not _IDENTIFIER.match(label):
            return unknown(f"{name} is a parameter of a callback")
        calls, mentions = self._uses(label)
        out: list[Value] = []
        for call in calls:
            args = call.child_by_field_name("arguments")
            given = args.named_children if args is not None else []
            given = [a for a in given if a.type != "comment"]
            if position < len(given):
                out.append(self.eval(given[position], None, depth + 1))
            else:
                out.append(ABSENT)
        # the name once where the function is defined, once in each call
        others = mentions > len(calls) + 1
        if others or not calls:
            why = "used as a value elsewhere" if calls else "not called in this file"
            out.append(unknown(f"{name} is a parameter of {label}(), {why}"))
        return union(*out)


def _placeholder(atom: Atom) -> bool:
    return isinstance(atom, Absent) or (isinstance(atom, Text) and atom.literal == "")


def _declaring_scope(definition: ts.Node) -> ts.Node | None:
    """The scope a declaration binds in: the function (or program) for ``var`` and function
    declarations, the nearest block for ``let``, ``const`` and classes."""
    statement = definition.parent
    hoisted = definition.type == "function_declaration" or (
        statement is not None and statement.type == "variable_declaration"
    )
    node = statement if definition.type == "variable_declarator" else definition.parent
    while node is not None:
        if node.type in FUNCTIONS or node.type == "program":
            if node.type in FUNCTIONS:
                body = node.child_by_field_name("body")
                return body if body is not None and not hoisted else node
            return node
        if not hoisted and node.type in ("statement_block", "for_statement", "for_in_statement"):
            return node
        node = node.parent
    return None


def _in_function_below(node: ts.Node, top: ts.Node) -> bool:
    """Whether ``node`` sits in a function nested inside ``top``."""
    current = node.parent
    while current is not None and current.id != top.id:
        if current.type in FUNCTIONS:
            return True
        current = current.parent
    return False


def _parameters(function: ts.Node, data: bytes) -> list[str | None]:
    """Parameter names by position (None for patterns)."""
    params = function.child_by_field_name("parameters")
    if params is None:
        single = function.child_by_field_name("parameter")
        return [node_text(data, single)] if single is not None else []
    names: list[str | None] = []
    for child in params.named_children:
        node: ts.Node | None = child
        if child.type in ("required_parameter", "optional_parameter"):
            node = child.child_by_field_name("pattern")
        elif child.type == "assignment_pattern":
            node = child.child_by_field_name("left")
        elif child.type == "comment":
            continue
        names.append(
            node_text(data, node) if node is not None and node.type == "identifier" else None
        )
    return names


def _function_name(function: ts.Node, data: bytes) -> str | None:
    """The name calls use for a function: its declared name, the variable or property it is
    assigned to, or None for a callback passed as an argument."""
    named = function.child_by_field_name("name")
    if named is not None and function.type != "function_expression":
        return node_text(data, named)
    parent = function.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        target = parent.child_by_field_name("name")
        return node_text(data, target) if target is not None else None
    if parent.type == "assignment_expression":
        target = parent.child_by_field_name("left")
        if target is not None and target.type == "identifier":
            return node_text(data, target)
        if target is not None and target.type == "member_expression":
            prop = target.child_by_field_name("property")
            return node_text(data, prop) if prop is not None else None
    if parent.type == "pair":
        key = parent.child_by_field_name("key")
        return node_text(data, key) if key is not None else None
    if named is not None:
        return node_text(data, named)
    return None


def _returns_of(body: ts.Node) -> Iterator[ts.Node]:
    """The return statements of a function body, not of functions nested in it."""
    stack = [body]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "return_statement":
                yield child
            elif child.type not in FUNCTIONS and child.type != "class_declaration":
                stack.append(child)


_QUERY_TEXT = (
    """
    (variable_declarator name: (identifier) @name) @def
    (variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @name)) @def
    (assignment_expression left: (identifier) @name) @def
    (augmented_assignment_expression left: (identifier) @name) @def
    (function_declaration name: (identifier) @name) @def
    """,
    """
    (assignment_expression
      left: (member_expression
              object: (identifier) @obj
              property: (property_identifier) @prop)) @def
    """,
)
_CALLS_TEXT = """
    (call_expression function: (identifier) @callee) @call
    (call_expression function: (member_expression property: (property_identifier) @callee)) @call
"""
_WORD = re.compile(rb"[A-Za-z_$][A-Za-z0-9_$]*")


def _calls_query(program: Program) -> ts.Query:
    return _compiled_calls(program.dialect)


@functools.cache
def _compiled_calls(dialect: Dialect) -> ts.Query:
    query: ts.Query = ts.Query(language(dialect), _CALLS_TEXT)
    return query


_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")


def _id(node: ts.Node | None) -> int:
    return -1 if node is None else node.id


def _queries(program: Program) -> tuple[ts.Query, ...]:
    return _compiled(program.dialect)


_CACHE: dict[object, tuple[ts.Query, ...]] = {}


def _compiled(dialect: object) -> tuple[ts.Query, ...]:
    found = _CACHE.get(dialect)
    if found is None:
        from checker.calls.parse import Dialect

        assert isinstance(dialect, Dialect)
        lang = language(dialect)
        found = tuple(ts.Query(lang, q) for q in _QUERY_TEXT)
        _CACHE[dialect] = found
    return found
