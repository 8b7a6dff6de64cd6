"""Schema errors in words: what, where, expected, read with the schema's x- hints."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker.rules.base import quote
from checker.schema.compile import Token, local_target
from checker.schema.errors import SchemaError
from checker.source import join_pointer
from checker.wording import plural

# The phrases behind the schema's x-null and x-wrong-type hints (manifest-facts, section 1.6).
_ZET_NOTES = {
    "crash": "Zoho's toolkit crashes on it and still exits 0",
    "crash-null": "Zoho's toolkit crashes on null and still exits 0",
    "skip-null": "Zoho's toolkit silently skips null, so nothing in it is checked",
}
_SECRET_NAME = re.compile(
    r"secret|passw(?:or)?d|api[-_]?key|private[-_]?key|access[-_]?token|refresh[-_]?token",
    re.IGNORECASE,
)
_TYPE_WORDS = {
    "null": "null",
    "boolean": "true or false",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "array": "an array",
    "object": "an object",
}
_ITEM_WORDS = {"string": "strings", "integer": "whole numbers", "number": "numbers"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema violation in words: the pointer it concerns, the message, related members."""

    pointer: str
    message: str
    related: tuple[str, ...] = ()


def _keyword(error: SchemaError) -> str:
    return error.validator if isinstance(error.validator, str) else ""


def _schema_of(error: SchemaError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _is_secret(path: Sequence[Token]) -> bool:
    return any(isinstance(t, str) and _SECRET_NAME.search(t) for t in path)


def _describe(value: Any, secret: bool) -> str:
    """A value for "..., not <this>"; secrets are described by their type only."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean" if secret else json.dumps(value)
    if isinstance(value, (int, float)):
        return "a number" if secret else f"the number {quote(value)}"
    if isinstance(value, str):
        return "a string" if secret else f"the string {quote(value)}"
    if isinstance(value, list):
        return "an array" if value else "an empty array"
    return "an object" if value else "an empty object"


def _as_choice(value: Any, secret: bool) -> str:
    """A value among allowed choices: strings bare-quoted, so "team" reads like "org"."""
    if isinstance(value, str) and not secret:
        return quote(value)
    return _describe(value, secret)


def _or_list(words: Sequence[str]) -> str:
    if len(words) <= 2:
        return " or ".join(words)
    return f"one of {', '.join(words[:-1])} or {words[-1]}"


def _and_list(words: Sequence[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _by_path(errors: Iterable[SchemaError]) -> list[SchemaError]:
    """One problem per place: a wrong type hides the other complaints about the same value."""
    groups: dict[tuple[Token, ...], list[SchemaError]] = {}
    for error in errors:
        groups.setdefault(tuple(error.absolute_path), []).append(error)
    kept: list[SchemaError] = []
    for group in groups.values():
        wrong_type = [e for e in group if _keyword(e) == "type"]
        if wrong_type:
            kept.append(wrong_type[0])
        elif any(_keyword(e) == "minProperties" for e in group):
            # an empty object: "it is empty" says it all, not one line per missing member
            kept.extend(e for e in group if _keyword(e) not in ("required", "dependentRequired"))
        else:
            kept.extend(group)
    return kept


class Explainer:
    """Turns jsonschema errors into problems, reading the schema's x- hints."""

    __slots__ = ("_root",)

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root

    def explain(self, errors: Iterable[SchemaError]) -> list[Problem]:
        problems: list[Problem] = []
        for error in _by_path(errors):
            problems.extend(self._explain(error))
        return list(dict.fromkeys(problems))

    # schema navigation, for names and hints

    def _deref(self, ref: str) -> Mapping[str, Any] | None:
        target = local_target(self._root, ref)
        return target if isinstance(target, Mapping) else None

    def _expand(self, nodes: Iterable[Any]) -> list[Mapping[str, Any]]:
        """The nodes plus the schemas they pull in by $ref and allOf, own hints first."""
        result: list[Mapping[str, Any]] = []
        pending = [n for n in nodes if isinstance(n, Mapping)]
        while pending and len(result) < 64:
            node = pending.pop(0)
            if any(node is seen for seen in result):
                continue
            result.append(node)
            ref = node.get("$ref")
            target = self._deref(ref) if isinstance(ref, str) else None
            if target is not None:
                pending.append(target)
            pending.extend(s for s in node.get("allOf", ()) if isinstance(s, Mapping))
        return result

    def _nodes_at(self, path: Sequence[Token]) -> list[Mapping[str, Any]]:
        nodes = self._expand([self._root])
        for token in path:
            nodes = self._expand(_child(node, token) for node in nodes)
        return nodes

    def _hint(self, key: str, nodes: Iterable[Mapping[str, Any]]) -> Any:
        for node in nodes:
            if key in node:
                return node[key]
        return None

    def _subject(self, path: Sequence[Token]) -> str:
        """How a message names a place: "storage", "url" in widget 2, item 3 of "scope"..."""
        phrase = "the manifest"
        nodes = self._expand([self._root])
        for depth, token in enumerate(path):
            nodes = self._expand(_child(node, token) for node in nodes)
            if isinstance(token, int):
                item = self._hint("x-item", nodes)
                phrase = f"{item} {token + 1}" if item else f"item {token + 1} of {phrase}"
            else:
                name = quote(token, 40)
                phrase = name if depth == 0 else f"{name} in {phrase}"
        return phrase

    def _expected(self, schema: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]]) -> str:
        noun = self._hint("x-noun", [schema, *nodes])
        if isinstance(noun, str):
            return noun
        names = schema.get("type", [])
        names = [names] if isinstance(names, str) else list(names)
        words = []
        for name in names:
            items = self._hint("items", self._expand([schema])) if name == "array" else None
            item_type = items.get("type") if isinstance(items, Mapping) else None
            if isinstance(item_type, str) and item_type in _ITEM_WORDS:
                words.append(f"an array of {_ITEM_WORDS[item_type]}")
            else:
                words.append(_TYPE_WORDS.get(name, name))
        return " or ".join(words) if words else "a different value"

    def _note(
        self, value: Any, schema: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]]
    ) -> str:
        if self._hint("x-wrong-type", [schema, *nodes]) == "crash":
            return f" ({_ZET_NOTES['crash']})"
        if value is None:
            treatment = self._hint("x-null", [schema, *nodes])
            note = _ZET_NOTES.get(f"{treatment}-null")
            if note:
                return f" ({note})"
        return ""

    # one error

    def _explain(self, error: SchemaError) -> list[Problem]:
        keyword = _keyword(error)
        path = list(error.absolute_path)
        pointer = join_pointer("", *path)
        if keyword in ("anyOf", "oneOf"):
            return self._alternatives(error, keyword, path, pointer)
        if keyword == "required":
            return self._missing(error, path, pointer)
        if keyword == "dependentRequired":
            return self._dependent(error, path, pointer)
        schema = _schema_of(error)
        subject = self._subject(path)
        secret = _is_secret(path)
        instance = error.instance
        limit: Any = error.validator_value
        count = len(instance) if isinstance(instance, (str, list, dict)) else 0
        template = self._hint("x-message", [schema])
        if isinstance(template, Mapping) and isinstance(template.get(keyword), str):
            words = {"subject": subject, "limit": limit, "count": count}
            words["actual"] = _describe(instance, secret)
            return [Problem(pointer, template[keyword].format_map(words))]
        if keyword == "type":
            nodes = self._nodes_at(path)
            expected = self._expected(schema, nodes)
            note = self._note(instance, schema, nodes)
            message = f"{subject} must be {expected}, not {_describe(instance, secret)}{note}"
        elif keyword == "enum" and isinstance(limit, list):
            choices = _or_list([_as_choice(v, False) for v in limit])
            message = f"{subject} must be {choices}, not {_as_choice(instance, secret)}"
        elif keyword == "const":
            expected = _as_choice(limit, False)
            message = f"{subject} must be {expected}, not {_as_choice(instance, secret)}"
        elif keyword == "minItems":
            message = (
                f"{subject} must not be empty; it needs at least {plural(limit, 'item')}"
                if count == 0
                else f"{subject} has {plural(count, 'item')}, but needs at least {limit}"
            )
        elif keyword == "maxItems":
            message = (
                f"{subject} has {plural(count, 'item')}, but at most {limit} are allowed; "
                f"remove {count - limit}"
            )
        elif keyword == "minLength":
            message = (
                f"{subject} is {plural(count, 'character')} long, but must be at least {limit}"
            )
        elif keyword == "maxLength":
            message = (
                f"{subject} is {plural(count, 'character')} long, but at most {limit} are "
                f"allowed; shorten it by {count - limit}"
            )
        elif keyword == "minProperties":
            needed = [quote(n) for n in schema.get("required", ()) if isinstance(n, str)]
            if count == 0 and needed:
                message = f"{subject} is an empty object; it needs {_and_list(needed)}"
            elif count == 0:
                message = f"{subject} is an empty object; remove it or fill it in"
            else:
                message = f"{subject} has {plural(count, 'member')}, but needs at least {limit}"
        elif keyword == "maxProperties":
            message = f"{subject} has {plural(count, 'member')}, but at most {limit} are allowed"
        elif keyword == "not":
            message = f"{subject} must not be {_describe(instance, secret)} here"
        else:
            condition = f"{quote(keyword)} condition" if keyword else "conditions"
            message = f"{subject} does not meet the schema's {condition}"
        return [Problem(pointer, message)]

    def _missing(self, error: SchemaError, path: list[Token], pointer: str) -> list[Problem]:
        instance = error.instance
        names = error.validator_value
        if not isinstance(instance, dict) or not isinstance(names, list):
            return []
        schema = _schema_of(error)
        owner = self._subject(path)
        because = self._hint("x-because", [schema])
        trigger = self._hint("x-related", [schema])
        related = (join_pointer(pointer, trigger),) if trigger in instance else ()
        problems = []
        for name in names:
            if name in instance:
                continue
            message = f"{owner} is missing its required {quote(name)} member"
            if isinstance(because, str):
                message += f" (required {because})"
            fix = self._hint("x-missing", self._nodes_at([*path, name]))
            if isinstance(fix, str):
                message += f"; {fix}"
            problems.append(Problem(join_pointer(pointer, name), message, related))
        return problems

    def _dependent(self, error: SchemaError, path: list[Token], pointer: str) -> list[Problem]:
        instance = error.instance
        rules = error.validator_value
        if not isinstance(instance, dict) or not isinstance(rules, Mapping):
            return []
        owner = self._subject(path)
        problems = []
        for trigger, needs in rules.items():
            if trigger not in instance:
                continue
            for name in needs:
                if name not in instance:
                    message = (
                        f"{owner} is missing its required {quote(name)} member "
                        f"(required because {quote(trigger)} is present)"
                    )
                    related = (join_pointer(pointer, trigger),)
                    problems.append(Problem(join_pointer(pointer, name), message, related))
        return problems

    def _alternatives(
        self, error: SchemaError, keyword: str, path: list[Token], pointer: str
    ) -> list[Problem]:
        """Pick the alternative the author most likely meant and explain only that one."""
        subject = self._subject(path)
        if not error.context:
            message = (
                f"{subject} matches more than one of the allowed forms; it must match exactly one"
            )
            return [Problem(pointer, message)]
        branches: dict[Token, list[SchemaError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)

        def wrong_type(errors: list[SchemaError]) -> bool:
            return any(_keyword(e) == "type" and not e.relative_path for e in errors)

        fitting = {index: errs for index, errs in branches.items() if not wrong_type(errs)}
        if not fitting:
            schema = _schema_of(error)
            nodes = self._nodes_at(path)
            noun = self._hint("x-noun", [schema, *nodes])
            if isinstance(noun, str):
                expected = noun
            else:
                words: list[str] = []
                for errs in branches.values():
                    own = next(e for e in errs if _keyword(e) == "type" and not e.relative_path)
                    word = self._expected(_schema_of(own), [])
                    if word not in words:
                        words.append(word)
                expected = " or ".join(words)
            secret = _is_secret(path)
            note = self._note(error.instance, schema, nodes)
            message = f"{subject} must be {expected}, not {_describe(error.instance, secret)}{note}"
            return [Problem(pointer, message)]

        def rank(item: tuple[Token, list[SchemaError]]) -> tuple[bool, int, int, int]:
            index, errs = item
            # a failed const/enum usually marks the wrong variant; fewer and deeper errors
            # mean the value got further into that variant
            discriminated = any(_keyword(e) in ("const", "enum") for e in errs)
            depth = max(len(e.relative_path) for e in errs)
            return (discriminated, len(errs), -depth, index if isinstance(index, int) else 0)

        _, chosen = min(fitting.items(), key=rank)
        return self.explain(chosen)


def _child(node: Mapping[str, Any], token: Token) -> Any:
    """The sub-schema that applies to one member or item of a value ``node`` describes."""
    if isinstance(token, int):
        return node.get("items")
    members = node.get("properties")
    if isinstance(members, Mapping) and token in members:
        return members[token]
    return node.get("additionalProperties")
