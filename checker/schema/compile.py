"""The fast validity test: a schema compiled once into nested closures."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from checker.source import unescape_token

Check = Callable[[Any], bool]
Token = str | int


class Unsupported(Exception):
    """The schema uses a keyword the fast test does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


# The same type tests as jsonschema's Draft 2020-12 type checker (1.0 is an integer).
TYPE_TESTS: dict[str, Check] = {
    "null": lambda value: value is None,
    "boolean": lambda value: isinstance(value, bool),
    "string": lambda value: isinstance(value, str),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "number": _is_number,
    "integer": _is_integer,
}
# The type tests that are one isinstance: an array of them is tested in C (items).
_TYPE_CLASSES: dict[int, type] = {
    id(TYPE_TESTS["boolean"]): bool,
    id(TYPE_TESTS["string"]): str,
    id(TYPE_TESTS["array"]): list,
    id(TYPE_TESTS["object"]): dict,
}


def json_equal(one: Any, two: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0, arrays and objects compare member-wise."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(json_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(json_equal(one[k], two[k]) for k in one)
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return bool(one == two)


# Every keyword jsonschema's Draft202012Validator acts on (a test keeps the two equal); all
# other keys are annotations, x- hints or unknown keywords, which validation ignores.
VOCABULARY = frozenset(
    {
        "$dynamicRef",
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependentRequired",
        "dependentSchemas",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "required",
        "type",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
    }
)


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _all_of(checks: Sequence[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def check(value: Any) -> bool:
        for one in frozen:  # noqa: SIM110 - a plain loop beats all() over a generator here
            if not one(value):
                return False
        return True

    return check


class FastCompiler:
    """Turns a schema into nested closures; raises Unsupported for keywords it lacks."""

    __slots__ = ("_refs", "_root")

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Check] = {}

    def compile(self, node: Any) -> Check:
        if node is True:
            return _always
        if node is False:
            return _never
        if not isinstance(node, Mapping):
            raise Unsupported("a schema must be an object or a boolean")
        checks: list[Check] = []
        if "type" in node:  # first: the cheapest test and the most common failure
            checks.append(self._type(node["type"]))
        for keyword, value in node.items():
            if keyword == "type" or keyword not in VOCABULARY:
                continue  # annotations, x- hints and keywords jsonschema ignores
            build = _KEYWORDS.get(keyword)
            if build is None:
                raise Unsupported(keyword)
            check = build(self, value, node)
            if check is not _always:
                checks.append(check)
        return _all_of(checks)

    def _type(self, expected: str | list[str]) -> Check:
        names = [expected] if isinstance(expected, str) else list(expected)
        tests = tuple(TYPE_TESTS[name] for name in names)
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def ref(self, ref: str, _node: Mapping[str, Any]) -> Check:
        if ref in self._refs:
            return self._refs[ref]
        target = local_target(self._root, ref)
        if target is None:
            raise Unsupported(f"$ref {ref}")
        cell: list[Check] = []

        def late(value: Any) -> bool:  # stands in while a target that refers to itself compiles
            return cell[0](value)

        self._refs[ref] = late
        compiled = self.compile(target)
        cell.append(compiled)
        self._refs[ref] = compiled
        return compiled

    def properties(self, members: Mapping[str, Any], _node: Mapping[str, Any]) -> Check:
        pairs = tuple((name, self.compile(sub)) for name, sub in members.items())

        def check(value: Any) -> bool:
            if isinstance(value, dict):
                for name, one in pairs:
                    if name in value and not one(value[name]):
                        return False
            return True

        return check

    def additional(self, schema: Any, node: Mapping[str, Any]) -> Check:
        if "patternProperties" in node:
            raise Unsupported("patternProperties")
        known = frozenset(node.get("properties", ()))
        one = self.compile(schema)

        def check(value: Any) -> bool:
            if isinstance(value, dict):
                for name, member in value.items():
                    if name not in known and not one(member):
                        return False
            return True

        return check

    def items(self, schema: Any, node: Mapping[str, Any]) -> Check:
        if "prefixItems" in node:
            raise Unsupported("prefixItems")
        one = self.compile(schema)
        kind = _TYPE_CLASSES.get(id(one))
        if kind is not None:  # e.g. an array of strings: isinstance called from C
            repeat = itertools.repeat
            return lambda value: (
                not isinstance(value, list) or all(map(isinstance, value, repeat(kind)))
            )
        return lambda value: not isinstance(value, list) or all(map(one, value))

    def required(self, names: Sequence[str], _node: Mapping[str, Any]) -> Check:
        wanted = frozenset(names)
        return lambda value: not isinstance(value, dict) or value.keys() >= wanted

    def dependent_required(
        self, rules: Mapping[str, Sequence[str]], _node: Mapping[str, Any]
    ) -> Check:
        pairs = tuple((name, tuple(needs)) for name, needs in rules.items())

        def check(value: Any) -> bool:
            if isinstance(value, dict):
                for name, needs in pairs:
                    if name in value and not all(n in value for n in needs):
                        return False
            return True

        return check

    def enum(self, allowed: Sequence[Any], _node: Mapping[str, Any]) -> Check:
        options = tuple(allowed)
        if options and all(isinstance(option, str) for option in options):
            # JSON equality with a string is string equality: a set lookup
            names = frozenset(options)
            return lambda value: isinstance(value, str) and value in names
        return lambda value: any(json_equal(value, option) for option in options)

    def const(self, expected: Any, _node: Mapping[str, Any]) -> Check:
        if expected is None or isinstance(expected, bool):
            return lambda value: value is expected  # JSON equality: true is not 1
        if isinstance(expected, str):
            return lambda value: isinstance(value, str) and value == expected
        return lambda value: json_equal(value, expected)

    def if_then(self, condition: Any, node: Mapping[str, Any]) -> Check:
        test = self.compile(condition)
        then = self.compile(node.get("then", True))
        otherwise = self.compile(node.get("else", True))
        return lambda value: then(value) if test(value) else otherwise(value)

    def all_of(self, schemas: Sequence[Any], _node: Mapping[str, Any]) -> Check:
        return _all_of([self.compile(s) for s in schemas])

    def any_of(self, schemas: Sequence[Any], _node: Mapping[str, Any]) -> Check:
        checks = tuple(self.compile(s) for s in schemas)

        def check(value: Any) -> bool:
            for one in checks:  # noqa: SIM110 - a plain loop beats any() over a generator here
                if one(value):
                    return True
            return False

        return check

    def one_of(self, schemas: Sequence[Any], _node: Mapping[str, Any]) -> Check:
        checks = tuple(self.compile(s) for s in schemas)
        return lambda value: sum(1 for one in checks if one(value)) == 1

    def not_(self, schema: Any, _node: Mapping[str, Any]) -> Check:
        one = self.compile(schema)
        return lambda value: not one(value)


def _size(kind: str, compare: Callable[[int, int], bool]) -> Callable[..., Check]:
    applies = TYPE_TESTS[kind]

    def build(_compiler: FastCompiler, limit: int, _node: Mapping[str, Any]) -> Check:
        return lambda value: not applies(value) or compare(len(value), limit)

    return build


def _at_least(size: int, limit: int) -> bool:
    return size >= limit


def _at_most(size: int, limit: int) -> bool:
    return size <= limit


def _ignored(_compiler: FastCompiler, _value: Any, _node: Mapping[str, Any]) -> Check:
    return _always


_KEYWORDS: dict[str, Callable[..., Check]] = {
    "$ref": FastCompiler.ref,
    "properties": FastCompiler.properties,
    "additionalProperties": FastCompiler.additional,
    "items": FastCompiler.items,
    "required": FastCompiler.required,
    "dependentRequired": FastCompiler.dependent_required,
    "enum": FastCompiler.enum,
    "const": FastCompiler.const,
    "if": FastCompiler.if_then,
    "allOf": FastCompiler.all_of,
    "anyOf": FastCompiler.any_of,
    "oneOf": FastCompiler.one_of,
    "not": FastCompiler.not_,
    "minItems": _size("array", _at_least),
    "maxItems": _size("array", _at_most),
    "minLength": _size("string", _at_least),
    "maxLength": _size("string", _at_most),
    "minProperties": _size("object", _at_least),
    "maxProperties": _size("object", _at_most),
    # Without a format checker (none is configured) "format" is an annotation.
    "format": _ignored,
}


def local_target(root: Mapping[str, Any], ref: str) -> Any:
    """The node a same-document ``$ref`` ("#/$defs/x") names, or None."""
    if not ref.startswith("#"):
        return None
    target: Any = root
    for escaped in filter(None, ref[1:].split("/")):
        token = unescape_token(escaped)
        if isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        elif isinstance(target, Mapping) and token in target:
            target = target[token]
        else:
            return None
    return target
