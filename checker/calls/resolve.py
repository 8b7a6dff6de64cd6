"""Evaluates the expressions of one parsed program to values: strings with holes.

Identifiers are followed to their definitions in the same file (:mod:`checker.calls.names`):
the last assignment that reaches the use in straight-line code of the same function, or else
every assignment of the variable (an empty-string or ``null`` placeholder that is assigned
again is left out). Parameters take the arguments of the file's calls of their function;
a function of the file that returns a string expression is evaluated with its arguments.
Whatever cannot be followed is an :class:`~checker.calls.values.Unknown` with the reason.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator

import tree_sitter as ts

from checker.calls.names import FUNCTIONS, Names, parameters
from checker.calls.parse import WRAPPERS, Program, unwrap
from checker.calls.values import (
    ABSENT,
    Absent,
    Env,
    Func,
    Hole,
    Obj,
    Text,
    Value,
    concat,
    node_text,
    text,
    union,
    unknown,
)

MAX_DEPTH = 40
MAX_CALL_DEPTH = 3
MAX_STEPS = 200_000

# String methods that keep a string's start: the static prefix survives them.
_KEEPS_PREFIX = frozenset({"concat", "replace", "replaceAll", "padEnd", "trimEnd", "trimRight"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_UNICODE = re.compile(r"u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})")


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
        # Names calls back through a weak proxy: a reference cycle would keep the parsed
        # tree and the indexes alive until the garbage collector runs (2 MB more at 100
        # extensions), where plain reference counting frees them with the resolver.
        self.names = Names(program, weakref.proxy(self))

    @property
    def index(self) -> dict[str, list[ts.Node]]:
        """Definitions by name."""
        return self.names.index.definitions

    def identifier(self, use: ts.Node, name: str, env: Env | None, depth: int) -> Value:
        """The values a variable can hold where ``use`` reads it."""
        return self.names.identifier(use, name, env, depth)

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
        if kind in WRAPPERS:
            return self.eval(unwrap(node), env, depth + 1)
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
            for definition in self.names.index.assigned(base, name):
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
        callee = unwrap(node.child_by_field_name("function"))
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
        for position, name in enumerate(parameters(function, self.data)):
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
