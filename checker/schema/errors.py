"""jsonschema's errors for the keywords the shipped schema uses, found without jsonschema."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence, Sized
from typing import Any, Protocol

from checker.schema.compile import (
    TYPE_TESTS,
    VOCABULARY,
    Check,
    FastCompiler,
    Token,
    json_equal,
    local_target,
)


class SchemaError(Protocol):
    """What the explanations read of an error: jsonschema's ValidationError, or _Error."""

    @property
    def validator(self) -> Any: ...
    @property
    def validator_value(self) -> Any: ...
    @property
    def schema(self) -> Any: ...
    @property
    def instance(self) -> Any: ...
    @property
    def absolute_path(self) -> Sequence[Token]: ...
    @property
    def relative_path(self) -> Sequence[Token]: ...
    @property
    def relative_schema_path(self) -> Sequence[Token]: ...
    @property
    def context(self) -> Sequence[SchemaError]: ...


class _Error:
    """One error as jsonschema reports it: the keyword that failed, its value, the schema
    node holding it, the instance, and the instance's path from the root. Like a
    ValidationError outside any anyOf/oneOf (which ErrorFinder does not take on), its
    relative path is its absolute path and it has no context."""

    __slots__ = ("absolute_path", "instance", "schema", "validator", "validator_value")

    context: tuple[SchemaError, ...] = ()
    relative_schema_path: tuple[Token, ...] = ()

    def __init__(
        self, validator: Any, value: Any, schema: Any, instance: Any, path: tuple[Token, ...]
    ) -> None:
        self.validator = validator
        self.validator_value = value
        self.schema = schema
        self.instance = instance
        self.absolute_path = path

    @property
    def relative_path(self) -> tuple[Token, ...]:
        return self.absolute_path


ErrorWalk = Callable[["ErrorFinder", Any, Any, Mapping[str, Any], tuple[Token, ...]], Any]


class ErrorFinder:
    """jsonschema's Draft 2020-12 ``iter_errors`` for the keywords the shipped schema uses.

    Each keyword does what python-jsonschema's ``_keywords`` module does, in the schema's
    key order, descending as it descends; the tests compare the two on mutated manifests.
    A schema with any other keyword keeps jsonschema (see :meth:`supports`).
    """

    __slots__ = ("_checks", "_compiler", "_root")

    def __init__(self, root: Mapping[str, Any], compiler: FastCompiler) -> None:
        self._root = root
        self._compiler = compiler
        self._checks: dict[int, tuple[Any, Check]] = {}  # id(node) -> (node, its fast test)

    @classmethod
    def supports(cls, root: Mapping[str, Any]) -> bool:
        """Whether every schema node of ``root`` uses only known keywords (and local refs)."""
        pending: list[Any] = [root]
        seen: set[int] = set()
        while pending:
            node = pending.pop()
            if isinstance(node, bool):
                continue
            if not isinstance(node, Mapping):
                return False
            if id(node) in seen:
                continue
            seen.add(id(node))
            for keyword, value in node.items():
                if keyword not in VOCABULARY:
                    continue
                if keyword not in KNOWN:
                    return False
                if keyword == "$ref":
                    target = local_target(root, value) if isinstance(value, str) else None
                    if target is None or not value.startswith("#/$defs/"):
                        return False
                    pending.append(target)
                elif keyword == "properties":
                    pending.extend(value.values())
                elif keyword == "allOf":
                    pending.extend(value)
                elif keyword in ("items", "additionalProperties", "if"):
                    pending.append(value)
            for keyword in ("then", "else"):
                if "if" in node and keyword in node:
                    pending.append(node[keyword])
        return True

    def errors(self, node: Any, instance: Any, path: tuple[Token, ...]) -> Iterator[_Error]:
        """The errors of ``instance`` (at ``path``) against the schema ``node``."""
        if node is True:
            return
        if node is False:
            yield _Error(None, None, node, instance, path)
            return
        for keyword, value in node.items():
            walk = _ERROR_WALKS.get(keyword)
            if walk is not None:
                yield from walk(self, value, instance, node, path)

    def is_valid(self, node: Any, instance: Any) -> bool:
        """The fast test of a sub-schema (an ``if``), compiled once."""
        known = self._checks.get(id(node))
        if known is None:
            known = (node, self._compiler.compile(node))  # the node is kept: its id stays its
            self._checks[id(node)] = known
        return known[1](instance)

    def ref(self, ref: str, instance: Any, _node: Any, path: tuple[Token, ...]) -> Iterator[_Error]:
        yield from self.errors(local_target(self._root, ref), instance, path)

    def type_(
        self, expected: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        names = [expected] if isinstance(expected, str) else expected
        if not any(TYPE_TESTS[name](instance) for name in names):
            yield _Error("type", expected, node, instance, path)

    def properties(
        self, members: Any, instance: Any, _node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if isinstance(instance, dict):
            for name, subschema in members.items():
                if name in instance:
                    yield from self.errors(subschema, instance[name], (*path, name))

    def additional(
        self, schema: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if not isinstance(instance, dict):
            return
        known = node.get("properties", {})
        extras = [name for name in instance if name not in known]
        if isinstance(schema, dict):
            for name in extras:
                yield from self.errors(schema, instance[name], (*path, name))
        elif not schema and extras:
            yield _Error("additionalProperties", schema, node, instance, path)

    def items(
        self, schema: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if not isinstance(instance, list) or not instance:
            return
        if schema is False:
            yield _Error("items", schema, node, instance, path)
            return
        for index, item in enumerate(instance):
            yield from self.errors(schema, item, (*path, index))

    def required(
        self, names: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if isinstance(instance, dict):
            for name in names:
                if name not in instance:
                    yield _Error("required", names, node, instance, path)

    def dependent_required(
        self, rules: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if isinstance(instance, dict):
            for name, needs in rules.items():
                if name in instance:
                    for need in needs:
                        if need not in instance:
                            yield _Error("dependentRequired", rules, node, instance, path)

    def enum(
        self, allowed: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if all(not json_equal(option, instance) for option in allowed):
            yield _Error("enum", allowed, node, instance, path)

    def const(
        self, expected: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if not json_equal(instance, expected):
            yield _Error("const", expected, node, instance, path)

    def if_(
        self, condition: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if self.is_valid(condition, instance):
            if "then" in node:
                yield from self.errors(node["then"], instance, path)
        elif "else" in node:
            yield from self.errors(node["else"], instance, path)

    def all_of(
        self, schemas: Any, instance: Any, _node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        for schema in schemas:
            yield from self.errors(schema, instance, path)


def _size_errors(keyword: str, kind: type[Sized], more: bool) -> ErrorWalk:
    """minItems and friends: too few (``more`` false: too many) items, characters, members."""

    def walk(
        _finder: ErrorFinder, limit: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if isinstance(instance, kind) and (
            len(instance) > limit if more else len(instance) < limit
        ):
            yield _Error(keyword, limit, node, instance, path)

    return walk


_ERROR_WALKS: dict[str, ErrorWalk] = {
    "$ref": ErrorFinder.ref,
    "type": ErrorFinder.type_,
    "properties": ErrorFinder.properties,
    "additionalProperties": ErrorFinder.additional,
    "items": ErrorFinder.items,
    "required": ErrorFinder.required,
    "dependentRequired": ErrorFinder.dependent_required,
    "enum": ErrorFinder.enum,
    "const": ErrorFinder.const,
    "if": ErrorFinder.if_,
    "allOf": ErrorFinder.all_of,
    "minItems": _size_errors("minItems", list, more=False),
    "maxItems": _size_errors("maxItems", list, more=True),
    "minLength": _size_errors("minLength", str, more=False),
    "maxLength": _size_errors("maxLength", str, more=True),
    "minProperties": _size_errors("minProperties", dict, more=False),
    "maxProperties": _size_errors("maxProperties", dict, more=True),
}
# The keywords ErrorFinder takes on: those with an error walk, and "format", which without a
# format checker is an annotation. Any other keyword of VOCABULARY makes supports() false.
KNOWN = frozenset(_ERROR_WALKS) | {"format"}
