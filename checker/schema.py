"""The shipped JSON Schema of a Desk plugin-manifest.json, compiled once, errors as findings."""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from checker.findings import Finding, Location, Severity
from checker.package_data import read_text
from checker.rules.base import RuleInfo, Zet, quote
from checker.services import manifest_service, schema_file
from checker.source import Document, join_pointer, unescape_token
from checker.wording import plural

if TYPE_CHECKING:  # jsonschema is imported on first need: a run of valid manifests never needs it
    from jsonschema import Draft202012Validator

SCHEMA_RULE = "manifest-schema"
SCHEMA_FILE = "plugin-manifest.schema.json"
SCHEMA_INFO = RuleInfo(
    SCHEMA_RULE,
    Severity.ERROR,
    "The manifest does not match the shape of a plugin-manifest.json of its service.",
    """
The shipped JSON Schema (Draft 2020-12, printed by `zoho-manifest-guard schema`, usable in
editors and with any validator) describes the *shape* of a Desk manifest. Manifests of
Projects, SDP, Creator, Catalyst and Bigin are checked with a schema of their own (printed by
`zoho-manifest-guard schema --service NAME`), which follows what Zoho's toolkit checks for
that service; the service sections at the end of this page say what each one checks and
where it is stricter. Other services have no enforced schema (the Finance family's documented
shape is printed by `--service FINANCE`, but not enforced). The rest of this section is about
the Desk schema, which runs when `service` is `"DESK"`. Each violation is one finding that
names the member, what was found and what is expected, e.g. `"storage" must be true or
false, not the string "yes"` or `widget 2 is missing its required "url" member` (items are
counted from 1).

What it checks:

- the seven members Zoho requires: `locale`, `storage`, `service`, `modules`, `connectors`,
  `config`, `whiteListedDomains`; `modules.widgets` with at least one widget, each with
  `name` and `url`;
- JSON types of every documented member: widgets (`name`, `url`, `location`, `logo`,
  `icon`), `locale` and `whiteListedDomains` (arrays of strings), `storage` and
  `moduleSupport` (booleans), `type` (`"personal"` or `"org"`), `cspDomains` (an object of
  string arrays that needs `connect-src`, at most 10 entries), `connectors` and
  `usedConnections` (connection objects), `zohoAuthorisation`, `config`, `deskOauth`,
  `TPAOauth`, `callbackListener` (an object of strings) and `secret`;
- required members of nested objects: a connector needs `connectionName`, `serviceName` and
  `connectionLinkName`; `zohoAuthorisation` needs `type` as soon as it has any member; a
  config item needs `name`, and `type`, `mandatory` and `secure` when `userdefined` is true
  (`type` then one of `text`, `number`, `radio`, `switch`, `picklist`, `multiselect`,
  `checkbox`); `deskOauth` needs `clientId`, `name` and `clientSecret`; a `TPAOauth` entry
  needs `name`, `clientId`, `clientSecret`, `authoriseUrl` and `tokenUrl`; `secret` is
  required when `callbackListener` is present;
- limits: at most 20 `config` items, `displayName` and `description` at most 255
  characters; no empty connector, config item or `TPAOauth` entry.

Members the schema does not know are allowed (the `unknown-key` rule warns about
unknown top-level names). Meaning (blank names, URL and scope syntax, files on disk,
uniqueness) is left to the other rules, which skip values of the wrong type because this
rule already reports them. Values of members named like secrets are never quoted.

**Stricter than Zoho's toolkit, on purpose:**

- `null` for an object or array (`modules`, `zohoAuthorisation`, `deskOauth`,
  `callbackListener`, a widget, connector or config item) is an error: the toolkit crashes on
  it and still exits 0, so the manifest would pass unchecked. A `null` `locale`,
  `whiteListedDomains` or `cspDomains` is an error too: the toolkit skips it silently.
- `modules`, `zohoAuthorisation`, `deskOauth` and `callbackListener` must be objects; the
  toolkit also accepts arrays.
- `zohoAuthorisation.scope` must be an array of strings; the toolkit accepts a single string
  or anything at all there. Its other members are typed like a connector's.
- Connector `userAccess`, `isUserDefinedService` and `sharedBy` (a whole number or a
  string) are typed; the toolkit ignores them. So are widget `location`, `deskOauth.scopes`
  entries, `moduleSupport` and everything in `usedConnections`, which it never reads.
- `mandatory` and `secure` must be booleans even when `userdefined` is not true; the toolkit
  checks them only then.
- `TPAOauth` `clientId` and `clientSecret` must be strings or numbers; the toolkit accepts
  any value except `""`.
- `callbackListener` values must be strings, also for listener names the toolkit ignores.

One difference the other way: lengths are counted in Unicode characters, while the toolkit
counts UTF-16 code units, so a `displayName` full of emoji may pass here and fail there.

**Fix:** change the member to the expected type or add the missing member; the message says
which.

```json
{"storage": "yes", "modules": {"widgets": [{"name": "Panel"}]}}
```
""",
    Zet.STRICTER,
)

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

Check = Callable[[Any], bool]
Token = str | int


def schema_text(name: str = SCHEMA_FILE) -> str:
    """A shipped schema exactly as shipped (the Desk one unless ``name`` says which)."""
    return read_text(f"schemas/{name}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema violation in words: the pointer it concerns, the message, related members."""

    pointer: str
    message: str
    related: tuple[str, ...] = ()


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
        self._explainer = _Explainer(schema)
        self._validators: list[Draft202012Validator] = []
        self._members: tuple[tuple[str, Check, Any], ...] = ()
        self._finder: _ErrorFinder | None = None
        self._shell = {k: v for k, v in schema.items() if k != "properties"}
        compiler = _FastCompiler(schema)
        try:
            self._fast: Check = compiler.compile(schema)
            self.fast_path = True
        except _Unsupported:
            self._fast = lambda value: self._validator(whole=True).is_valid(value)
            self.fast_path = False
            return
        members = schema.get("properties")
        if isinstance(members, Mapping) and not _NARROWING_BLOCKERS & schema.keys():
            self._members = tuple((n, compiler.compile(s), s) for n, s in members.items())
        if _ErrorFinder.supports(schema):
            self._finder = _ErrorFinder(schema, compiler)

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

        For a schema of the keywords :class:`_ErrorFinder` knows (the shipped one) the
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


def schema_findings(document: Document) -> list[Finding]:
    """Every violation of the schema of the manifest's service, as findings.

    :func:`checker.services.schema_file` says which schema a service is checked with; a
    service without an enforced schema (or an unknown one) gets none.
    """
    name = schema_file(manifest_service(document.value), enforced_only=True)
    if name is None:
        return []
    path = document.path
    return [
        Finding(
            SCHEMA_RULE,
            Severity.ERROR,
            problem.message,
            Location(path, problem.pointer),
            tuple(Location(path, pointer, key=True) for pointer in problem.related),
        )
        for problem in shipped_checker(name).problems(document.value)
    ]


# --- errors without jsonschema ------------------------------------------------------------


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
    ValidationError outside any anyOf/oneOf (which _ErrorFinder does not take on), its
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


ErrorWalk = Callable[["_ErrorFinder", Any, Any, Mapping[str, Any], tuple[Token, ...]], Any]


class _ErrorFinder:
    """jsonschema's Draft 2020-12 ``iter_errors`` for the keywords the shipped schema uses.

    Each keyword does what python-jsonschema's ``_keywords`` module does, in the schema's
    key order, descending as it descends; the tests compare the two on mutated manifests.
    A schema with any other keyword keeps jsonschema (see :meth:`supports`).
    """

    __slots__ = ("_checks", "_compiler", "_root")

    # keywords with an error walk; every other keyword of VOCABULARY makes supports() false
    KNOWN = frozenset(
        {
            "$ref",
            "additionalProperties",
            "allOf",
            "const",
            "dependentRequired",
            "enum",
            "format",
            "if",
            "items",
            "maxItems",
            "maxLength",
            "maxProperties",
            "minItems",
            "minLength",
            "minProperties",
            "properties",
            "required",
            "type",
        }
    )

    def __init__(self, root: Mapping[str, Any], compiler: _FastCompiler) -> None:
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
                if keyword not in cls.KNOWN:
                    return False
                if keyword == "$ref":
                    target = _local_target(root, value) if isinstance(value, str) else None
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
        yield from self.errors(_local_target(self._root, ref), instance, path)

    def type_(
        self, expected: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        names = [expected] if isinstance(expected, str) else expected
        if not any(_TYPE_TESTS[name](instance) for name in names):
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
        if all(not _json_equal(option, instance) for option in allowed):
            yield _Error("enum", allowed, node, instance, path)

    def const(
        self, expected: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if not _json_equal(instance, expected):
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
        _finder: _ErrorFinder, limit: Any, instance: Any, node: Any, path: tuple[Token, ...]
    ) -> Iterator[_Error]:
        if isinstance(instance, kind) and (
            len(instance) > limit if more else len(instance) < limit
        ):
            yield _Error(keyword, limit, node, instance, path)

    return walk


_ERROR_WALKS: dict[str, ErrorWalk] = {
    "$ref": _ErrorFinder.ref,
    "type": _ErrorFinder.type_,
    "properties": _ErrorFinder.properties,
    "additionalProperties": _ErrorFinder.additional,
    "items": _ErrorFinder.items,
    "required": _ErrorFinder.required,
    "dependentRequired": _ErrorFinder.dependent_required,
    "enum": _ErrorFinder.enum,
    "const": _ErrorFinder.const,
    "if": _ErrorFinder.if_,
    "allOf": _ErrorFinder.all_of,
    "minItems": _size_errors("minItems", list, more=False),
    "maxItems": _size_errors("maxItems", list, more=True),
    "minLength": _size_errors("minLength", str, more=False),
    "maxLength": _size_errors("maxLength", str, more=True),
    "minProperties": _size_errors("minProperties", dict, more=False),
    "maxProperties": _size_errors("maxProperties", dict, more=True),
}


# --- the fast validity test -------------------------------------------------------------


class _Unsupported(Exception):
    """The schema uses a keyword the fast test does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


# The same type tests as jsonschema's Draft 2020-12 type checker (1.0 is an integer).
_TYPE_TESTS: dict[str, Check] = {
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
    id(_TYPE_TESTS["boolean"]): bool,
    id(_TYPE_TESTS["string"]): str,
    id(_TYPE_TESTS["array"]): list,
    id(_TYPE_TESTS["object"]): dict,
}


def _json_equal(one: Any, two: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0, arrays and objects compare member-wise."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_json_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_json_equal(one[k], two[k]) for k in one)
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


class _FastCompiler:
    """Turns a schema into nested closures; raises _Unsupported for keywords it lacks."""

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
            raise _Unsupported("a schema must be an object or a boolean")
        checks: list[Check] = []
        if "type" in node:  # first: the cheapest test and the most common failure
            checks.append(self._type(node["type"]))
        for keyword, value in node.items():
            if keyword == "type" or keyword not in VOCABULARY:
                continue  # annotations, x- hints and keywords jsonschema ignores
            build = _KEYWORDS.get(keyword)
            if build is None:
                raise _Unsupported(keyword)
            check = build(self, value, node)
            if check is not _always:
                checks.append(check)
        return _all_of(checks)

    def _type(self, expected: str | list[str]) -> Check:
        names = [expected] if isinstance(expected, str) else list(expected)
        tests = tuple(_TYPE_TESTS[name] for name in names)
        if len(tests) == 1:
            return tests[0]
        return lambda value: any(test(value) for test in tests)

    def ref(self, ref: str, _node: Mapping[str, Any]) -> Check:
        if ref in self._refs:
            return self._refs[ref]
        target = _local_target(self._root, ref)
        if target is None:
            raise _Unsupported(f"$ref {ref}")
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
            raise _Unsupported("patternProperties")
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
            raise _Unsupported("prefixItems")
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
        return lambda value: any(_json_equal(value, option) for option in options)

    def const(self, expected: Any, _node: Mapping[str, Any]) -> Check:
        if expected is None or isinstance(expected, bool):
            return lambda value: value is expected  # JSON equality: true is not 1
        if isinstance(expected, str):
            return lambda value: isinstance(value, str) and value == expected
        return lambda value: _json_equal(value, expected)

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
    applies = _TYPE_TESTS[kind]

    def build(_compiler: _FastCompiler, limit: int, _node: Mapping[str, Any]) -> Check:
        return lambda value: not applies(value) or compare(len(value), limit)

    return build


def _at_least(size: int, limit: int) -> bool:
    return size >= limit


def _at_most(size: int, limit: int) -> bool:
    return size <= limit


def _ignored(_compiler: _FastCompiler, _value: Any, _node: Mapping[str, Any]) -> Check:
    return _always


_KEYWORDS: dict[str, Callable[..., Check]] = {
    "$ref": _FastCompiler.ref,
    "properties": _FastCompiler.properties,
    "additionalProperties": _FastCompiler.additional,
    "items": _FastCompiler.items,
    "required": _FastCompiler.required,
    "dependentRequired": _FastCompiler.dependent_required,
    "enum": _FastCompiler.enum,
    "const": _FastCompiler.const,
    "if": _FastCompiler.if_then,
    "allOf": _FastCompiler.all_of,
    "anyOf": _FastCompiler.any_of,
    "oneOf": _FastCompiler.one_of,
    "not": _FastCompiler.not_,
    "minItems": _size("array", _at_least),
    "maxItems": _size("array", _at_most),
    "minLength": _size("string", _at_least),
    "maxLength": _size("string", _at_most),
    "minProperties": _size("object", _at_least),
    "maxProperties": _size("object", _at_most),
    # Without a format checker (none is configured) "format" is an annotation.
    "format": _ignored,
}


# --- explanations -----------------------------------------------------------------------


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


class _Explainer:
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
        target = _local_target(self._root, ref)
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


def _local_target(root: Mapping[str, Any], ref: str) -> Any:
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


def _child(node: Mapping[str, Any], token: Token) -> Any:
    """The sub-schema that applies to one member or item of a value ``node`` describes."""
    if isinstance(token, int):
        return node.get("items")
    members = node.get("properties")
    if isinstance(members, Mapping) and token in members:
        return members[token]
    return node.get("additionalProperties")
