"""Where a JavaScript name gets its value in one program: definitions, scopes, flow, calls."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Protocol

import tree_sitter as ts

from checker.calls.parse import Dialect, Program, language, wrapped
from checker.calls.values import (
    ABSENT,
    Absent,
    Atom,
    Env,
    Func,
    Hole,
    Text,
    Unknown,
    Value,
    as_parts,
    concat,
    node_text,
    text,
    union,
    unknown,
)

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


class Evaluator(Protocol):
    """What the name lookup asks of the expression evaluator (a :class:`Resolver`)."""

    def eval(self, node: ts.Node | None, env: Env | None = None, depth: int = 0) -> Value: ...

    def member(self, target: ts.Node | None, name: str, env: Env | None, depth: int) -> Value: ...


class NameIndex:
    """The program's definitions by name, property assignments and calls by callee name,
    each found with one query over the whole tree (in C, not a Python walk), on first use."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.data = program.data
        self._definitions: dict[str, list[ts.Node]] | None = None
        self._props: dict[tuple[str, str], list[ts.Node]] = {}
        self._words: Counter[bytes] | None = None
        self._calls: dict[str, list[ts.Node]] = {}

    @property
    def definitions(self) -> dict[str, list[ts.Node]]:
        """Definitions by name (declarators, assignments, functions)."""
        if self._definitions is None:
            self._definitions = self._build()
        return self._definitions

    def assigned(self, base: str, name: str) -> list[ts.Node]:
        """The assignments ``base.name = ...`` of the program."""
        _ = self.definitions
        return self._props.get((base, name), [])

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

    def uses(self, label: str) -> tuple[list[ts.Node], int]:
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


class Names:
    """The values a name can hold where it is read: the definitions that reach the use, or
    every one of its scope, or a parameter's arguments."""

    def __init__(self, program: Program, evaluator: Evaluator) -> None:
        self.data = program.data
        self.index = NameIndex(program)
        self._evaluator = evaluator
        self._scopes: dict[int, ts.Node | None] = {}
        self._active: set[tuple[int, str]] = set()

    def identifier(self, use: ts.Node, name: str, env: Env | None, depth: int) -> Value:
        """The values a variable can hold where ``use`` reads it."""
        if name == "undefined":
            return ABSENT
        definitions = self.index.definitions.get(name, [])
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
            if node.type in FUNCTIONS and name in parameters(node, self.data):
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
                    result = self._evaluator.eval(value, env, depth + 1)
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
                    return self._evaluator.eval(
                        expression.child_by_field_name("right"), env, depth + 1
                    )
            if expression is not None and expression.type == "augmented_assignment_expression":
                left = expression.child_by_field_name("left")
                if left is not None and node_text(self.data, left) == name:
                    before = self.identifier(left, name, env, depth + 1)
                    operator = expression.child_by_field_name("operator")
                    if operator is not None and node_text(self.data, operator) == "+=":
                        right = self._evaluator.eval(
                            expression.child_by_field_name("right"), env, depth + 1
                        )
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
                return self._evaluator.eval(value, env, depth + 1)
            if target is not None and target.type == "object_pattern" and value is not None:
                return self._evaluator.member(value, name, env, depth + 1)
            return unknown(f"{name} is destructured")
        if kind == "assignment_expression":
            return self._evaluator.eval(definition.child_by_field_name("right"), env, depth + 1)
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
            found = union(found, tuple(text([*as_parts(a), Hole.ANY]) for a in found))
        return found

    def _arguments(self, function: ts.Node, name: str, depth: int) -> Value:
        """A parameter's values: the arguments of the file's calls of its function."""
        position = parameters(function, self.data).index(name)
        label = _function_name(function, self.data)
        if label is None or not _IDENTIFIER.match(label):
            return unknown(f"{name} is a parameter of a callback")
        calls, mentions = self.index.uses(label)
        out: list[Value] = []
        for call in calls:
            args = call.child_by_field_name("arguments")
            given = args.named_children if args is not None else []
            given = [a for a in given if a.type != "comment"]
            if position < len(given):
                out.append(self._evaluator.eval(given[position], None, depth + 1))
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


def parameters(function: ts.Node, data: bytes) -> list[str | None]:
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
# A callee may stand in one wrapping expression, as in sites.py (`await get<T>(url)`).
_CALLS_TEXT = """
    (call_expression function: {function}) @call
    (call_expression function: {method}) @call
"""
_WORD = re.compile(rb"[A-Za-z_$][A-Za-z0-9_$]*")


def _calls_query(program: Program) -> ts.Query:
    return _compiled_calls(program.dialect)


@functools.cache
def _compiled_calls(dialect: Dialect) -> ts.Query:
    text = _CALLS_TEXT.format(
        function=wrapped(dialect, "(identifier) @callee"),
        method=wrapped(dialect, "(member_expression property: (property_identifier) @callee)"),
    )
    query: ts.Query = ts.Query(language(dialect), text)
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
