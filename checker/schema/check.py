"""A shipped schema compiled once: the fast test, and the errors only where it fails."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checker.package_data import read_text
from checker.schema.compile import Check, FastCompiler, Unsupported
from checker.schema.errors import ErrorFinder, SchemaError
from checker.schema.explain import Explainer, Problem

if TYPE_CHECKING:  # jsonschema is imported on first need: a run of valid manifests never needs it
    from jsonschema import Draft202012Validator

SCHEMA_FILE = "plugin-manifest.schema.json"


def schema_text(name: str = SCHEMA_FILE) -> str:
    """A shipped schema exactly as shipped (the Desk one unless ``name`` says which)."""
    return read_text(f"schemas/{name}")


class SchemaChecker:
    """A schema compiled once: a fast validity test, and jsonschema to explain failures.

    Most manifests are valid, and python-jsonschema spends most of its time setting up each
    sub-schema it descends into. The fast test is a tree of closures over the keywords the
    shipped schema uses; a schema with other keywords falls back to jsonschema's
    ``is_valid``. Only an invalid value is walked with jsonschema (imported then), and only
    the top-level members that fail the fast test, plus the top-level keywords (``required``
    and the like). The schema itself is checked against the metaschema by the tests.
    """

    __slots__ = (
        "_explainer",
        "_fast",
        "_finder",
        "_members",
        "_schema",
        "_shell",
        "_validators",
        "fast_path",
    )

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self._schema = schema
        self._explainer = Explainer(schema)
        self._validators: list[Draft202012Validator] = []
        self._members: tuple[tuple[str, Check, Any], ...] = ()
        self._finder: ErrorFinder | None = None
        self._shell = {k: v for k, v in schema.items() if k != "properties"}
        compiler = FastCompiler(schema)
        try:
            self._fast: Check = compiler.compile(schema)
            self.fast_path = True
        except Unsupported:
            self._fast = lambda value: self._validator(whole=True).is_valid(value)
            self.fast_path = False
            return
        members = schema.get("properties")
        if isinstance(members, Mapping) and not _NARROWING_BLOCKERS & schema.keys():
            self._members = tuple((n, compiler.compile(s), s) for n, s in members.items())
        if ErrorFinder.supports(schema):
            self._finder = ErrorFinder(schema, compiler)

    def _validator(self, *, whole: bool) -> Draft202012Validator:
        """jsonschema's validator of the whole schema, or of its shell (without "properties")."""
        if not self._validators:
            from jsonschema import Draft202012Validator

            shell = {k: v for k, v in self._schema.items() if k != "properties"}
            self._validators = [Draft202012Validator(self._schema), Draft202012Validator(shell)]
        return self._validators[0 if whole else 1]

    def is_valid(self, value: Any) -> bool:
        """Whether the value matches the schema."""
        return self._fast(value)

    def errors(self, value: Any) -> list[SchemaError]:
        """jsonschema's errors for the value, found by descending only where it fails.

        For a schema of the keywords :class:`ErrorFinder` knows (the shipped one) the
        errors are its own, the same as jsonschema's: importing jsonschema cost 50 ms, in
        every process (and pool worker) that met one invalid manifest.
        """
        if self._fast(value):
            return []
        finder = self._finder
        if finder is not None:
            if not self._members or not isinstance(value, dict):
                return list(finder.errors(self._schema, value, ()))
            found: list[SchemaError] = list(finder.errors(self._shell, value, ()))
            for name, fast, subschema in self._members:
                if name in value and not fast(value[name]):
                    found.extend(finder.errors(subschema, value[name], (name,)))
            return found
        if not self._members or not isinstance(value, dict):
            return list(self._validator(whole=True).iter_errors(value))
        shell = self._validator(whole=False)
        found_: list[SchemaError] = list(shell.iter_errors(value))
        for name, fast, subschema in self._members:
            if name in value and not fast(value[name]):
                found_.extend(shell.descend(value[name], subschema, path=name))
        return found_

    def problems(self, value: Any) -> list[Problem]:
        """Every violation, one problem each, in words."""
        return self._explainer.explain(self.errors(value))


# The shell (the root schema without "properties") evaluates every other root keyword on the
# whole value; only these two read the sibling "properties", so with them the whole value is
# walked instead.
_NARROWING_BLOCKERS = frozenset({"additionalProperties", "unevaluatedProperties"})


@functools.lru_cache(maxsize=16)
def shipped_checker(name: str = SCHEMA_FILE) -> SchemaChecker:
    """The checker of a shipped schema (the Desk one by default), built on first use."""
    schema: dict[str, Any] = json.loads(schema_text(name))
    return SchemaChecker(schema)
