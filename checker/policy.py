"""The escalation policy: load .github/zoho-manifest-guard.yml and decide which changes block.

This is the only module that decides whether a change blocks the merge. The YAML text is passed
in (the caller reads it from the base commit, never from the pull request's head); loading is
safe (``yaml.SafeLoader``), rejects duplicate keys, aliases and non-mapping roots, and checks the
result against ``schemas/policy.schema.json`` with errors that name the file, line and key.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.changes import Change, ChangeKind, Decision, Reason, Risk
from checker.errors import ConfigError
from checker.scopes import OPERATIONS, ZohoScope, ascii_lower, parse_zoho_scope, zoho_covers

DEFAULT_POLICY_PATH = ".github/zoho-manifest-guard.yml"
DEFAULT_APPROVAL_LABEL = "scope-escalation-approved"
POLICY_SCHEMA_FILE = "policy.schema.json"
MAX_POLICY_CHARS = 256 * 1024
# A policy file nests three levels (the mapping, a list or severities, its items); YAML's
# composer recurses once per level, so a deeper file could exhaust the stack.
MAX_POLICY_DEPTH = 32
_PROBE_OPERATIONS = tuple(op for op in OPERATIONS if op not in ("ALL", "WRITE"))

if TYPE_CHECKING:  # loaded only when a policy file is parsed: `diff` without one is faster
    import yaml
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Policy:
    """What blocks a merge. The defaults block every escalation and nothing else.

    ``fail_on_severity`` makes any change at or above that risk block too (None: never).
    ``severities`` re-rates kinds; ``allow`` and ``deny`` are glob patterns matched against a
    change's subject (scope, domain, URL) and its connection's service; ``approval_label``
    lifts the other blocks (see :mod:`checker.approval`), and ``allow_self_approval`` lets the
    pull request's author apply it to their own escalation; ``source`` says where the policy
    came from, for the report.
    """

    fail_on_escalation: bool = True
    warn_only: bool = False
    fail_on_severity: Risk | None = None
    severities: tuple[tuple[ChangeKind, Risk], ...] = ()
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    approval_label: str = DEFAULT_APPROVAL_LABEL
    allow_self_approval: bool = False
    source: str | None = None

    def severity_of(self, kind: ChangeKind) -> Risk | None:
        """The severity the policy sets for a kind, or None to keep the diff's."""
        for known, risk in self.severities:
            if known is kind:
                return risk
        return None

    def approved_by(self, labels: Iterable[str]) -> bool:
        """Whether a pull request with these labels carries the approval label.

        GitHub label names are unique without regard to case, so the comparison ignores case.
        """
        wanted = self.approval_label.casefold()
        return any(label.casefold() == wanted for label in labels)


DEFAULT_POLICY = Policy()


# --- loading -------------------------------------------------------------------------------


def policy_schema_text() -> str:
    """The policy file's JSON Schema exactly as shipped."""
    from importlib import resources

    files = resources.files("checker.schemas")
    return files.joinpath(POLICY_SCHEMA_FILE).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema: dict[str, Any] = json.loads(policy_schema_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _display(path: KeyPath) -> str:
    text = ""
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else token)
    return text or "(top level)"


def _fail(source: str, line: int | None, key: KeyPath, message: str) -> ConfigError:
    where = f"{source}:{line}" if line else source
    return ConfigError(f"{where}: {_display(key)}: {message}")


def _yaml_error(source: str, error: yaml.YAMLError) -> ConfigError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    message = f"not valid YAML: {problem}"
    if "alias" in message or "alphabetic or numeric character" in message:
        message += "; a value that starts with * or & must be quoted, e.g. - '*.ALL'"
    where = f"{source}:{line}" if line else source
    return ConfigError(f"{where}: {message}")


def _index(
    source: str, node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], seen: set[int]
) -> None:
    """Record the line of every key and item; reject aliases, merges and duplicate keys."""
    import yaml

    if id(node) in seen:
        raise _fail(
            source,
            lines.get(path, node.start_mark.line + 1),
            path,
            "anchors and aliases (&name, *name) are not supported in a policy file; "
            "write the value out",
        )
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(source, line, path, "merge keys (<<) are not supported; write keys out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != (
                "tag:yaml.org,2002:str"
            ):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                raise _fail(
                    source,
                    line,
                    path,
                    f"key {shown!r} is not a string (YAML reads on, yes, no and numbers as "
                    "other types); quote it",
                )
            key = str(key_node.value)
            if key in first:
                raise _fail(
                    source,
                    line,
                    (*path, key),
                    f"appears twice in the same mapping (first on line {first[key]}); "
                    "YAML keeps only the last one, keep one",
                )
            first[key] = line
            child: KeyPath = (*path, key)
            lines[child] = line
            _index(source, value_node, child, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            child = (*path, number)
            lines[child] = item.start_mark.line + 1
            _index(source, item, child, lines, seen)


def _line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    probe = path
    while True:
        if probe in lines:
            return lines[probe]
        if not probe:
            return None
        probe = probe[:-1]


def _schema_message(error: ValidationError, path: KeyPath) -> tuple[KeyPath, str]:
    """A clearer message than jsonschema's for the common mistakes."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        known = sorted(schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        key = extra[0] if extra else ""
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        return (*path, key), f"unknown key{hint}"
    allowed = error.validator_value
    if error.validator == "enum" and isinstance(allowed, list) and len(allowed) > 8:
        values = [str(v) for v in allowed]
        close = difflib.get_close_matches(str(error.instance), values, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see the README for the list"
        if error.relative_schema_path and "propertyNames" in error.relative_schema_path:
            return (*path, str(error.instance)), f"unknown change kind; {hint}"
        return path, f"{error.instance!r} is not allowed; {hint}"
    return path, error.message


def _check_depth(text: str, source: str) -> None:
    """ConfigError when collections nest deeper than MAX_POLICY_DEPTH.

    YAML's parser works from a stack of states, without recursion, so its events can be
    counted safely before :func:`yaml.compose` (which recurses) builds the nodes.
    """
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_POLICY_DEPTH:
                mark = event.start_mark
                where = f"{source}:{mark.line + 1}" if mark is not None else source
                raise ConfigError(
                    f"{where}: values are nested more than "
                    f"{MAX_POLICY_DEPTH} levels deep; a policy file needs three (keys, lists, "
                    "their items)"
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def parse_policy(text: str, source: str = DEFAULT_POLICY_PATH) -> Policy:
    """Load a policy from YAML text; ConfigError names the file, line and key of any problem.

    An empty file (or one holding only comments) is the default policy. YAML and jsonschema
    are imported here, not with the module: most runs use the default policy (75 ms saved).
    """
    import yaml

    if len(text) > MAX_POLICY_CHARS:
        raise ConfigError(
            f"{source}: the policy file is larger than {MAX_POLICY_CHARS:,} characters; "
            "a policy is a few lines"
        )
    try:
        _check_depth(text, source)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _yaml_error(source, error) from None
    if node is None or node.tag == "tag:yaml.org,2002:null":
        return Policy(source=source)
    lines: dict[KeyPath, int] = {}
    _index(source, node, (), lines, set())
    if not isinstance(node, yaml.MappingNode):
        raise _fail(
            source,
            node.start_mark.line + 1,
            (),
            "the policy file must be a mapping of keys (fail-on-escalation:, deny:, ...), "
            "not a list or a single value",
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:  # pragma: no cover - compose() accepted the same text
        raise _yaml_error(source, error) from None
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        problems = []
        for problem in errors:
            path: KeyPath = tuple(problem.absolute_path)
            key, message = _schema_message(problem, path)
            problems.append(str(_fail(source, _line_of(lines, key), key, message)))
        raise ConfigError("invalid policy file:\n  " + "\n  ".join(problems))
    return policy_from_mapping(data, source)


def parse_policy_bytes(data: bytes, source: str = DEFAULT_POLICY_PATH) -> Policy:
    """:func:`parse_policy` of a file's bytes: UTF-8 (a BOM is allowed), else ConfigError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: the policy file is not UTF-8 text") from None
    return parse_policy(text, source)


def policy_from_mapping(data: Mapping[str, Any], source: str | None = None) -> Policy:
    """A policy from already validated data (keys as in the YAML file)."""
    severity = data.get("fail-on-severity", "never")
    severities = tuple(
        (ChangeKind(kind), Risk(risk)) for kind, risk in sorted(data.get("severities", {}).items())
    )
    return Policy(
        fail_on_escalation=bool(data.get("fail-on-escalation", True)),
        warn_only=bool(data.get("warn-only", False)),
        fail_on_severity=None if severity == "never" else Risk(severity),
        severities=severities,
        allow=tuple(data.get("allow", ())),
        deny=tuple(data.get("deny", ())),
        approval_label=str(data.get("approval-label", DEFAULT_APPROVAL_LABEL)).strip(),
        allow_self_approval=bool(data.get("allow-self-approval", False)),
        source=source,
    )


# --- deciding ------------------------------------------------------------------------------


def _glob(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(ascii_lower(value), ascii_lower(pattern))


def _family(pattern: str) -> ZohoScope | None:
    """The scope family a pattern names, written ``Desk.settings.*`` or, without an operation,
    ``Desk.settings`` (no other wildcard); None for any other pattern."""
    stem = pattern[:-2] if pattern.endswith(".*") else pattern
    if any(c in stem for c in "*?["):
        return None
    scope = parse_zoho_scope(stem)
    if scope is None or scope.operation is not None:
        return None
    return scope


def _in_family(family: ZohoScope, scope: ZohoScope) -> bool:
    """Whether ``scope`` is ``family``'s resource or below it, with any operation or none
    (segment-wise: ``Desk.settingsx`` is not in ``Desk.settings``)."""
    service, path, _ = family.key
    found_service, found_path, _ = scope.key
    return found_service == service and found_path[: len(path)] == path


def _member_without_operation(pattern: str, subject: str) -> bool:
    """An operation-less Zoho scope belongs to the family a ``….*`` pattern names.

    ``Desk.settings.*`` matches ``Desk.settings.READ`` as a glob, but not ``Desk.settings``
    itself, the same family without an operation; nor does ``*.settings.*``. The pattern's
    stem (what comes before ``.*``) is matched instead, as a glob like any other.
    """
    if not pattern.endswith(".*"):
        return False
    scope = parse_zoho_scope(subject)
    return scope is not None and scope.operation is None and _glob(pattern[:-2], subject)


def _probes(pattern: str) -> tuple[str, ...]:
    """Concrete scopes a deny pattern names, to catch broader scopes that cover them.

    ``Desk.settings.*`` (and ``Desk.settings``, the family without an operation) names
    ``Desk.settings.READ`` and its siblings, so ``Desk.settings.ALL``, ``Desk.ALL``-like
    parents and ``Desk.fullaccess.all`` are denied too. Patterns with other wildcards are
    matched as globs only.
    """
    family = _family(pattern)
    if family is not None:
        return (family.raw, *(f"{family.raw}.{op}" for op in _PROBE_OPERATIONS))
    if any(c in pattern for c in "*?[") or parse_zoho_scope(pattern) is None:
        return ()
    return (pattern,)


def _as_held(scope: ZohoScope) -> str:
    """What a new scope may grant, at worst: an operation-less scope (``Desk.settings``) is
    not documented to stop at one operation, so a deny pattern takes it for ``….ALL``."""
    if scope.operation is None and not scope.is_full_access:
        return ".".join((scope.service, *scope.resource, "ALL"))
    return scope.raw


def _candidates(change: Change) -> tuple[str, ...]:
    return tuple(v for v in (change.subject, change.service) if v)


def matching_pattern(patterns: Sequence[str], change: Change, *, covering: bool) -> str | None:
    """The first pattern that matches the change's subject or service, or None.

    Every pattern matches as a glob, and a ``….*`` pattern also matches the operation-less
    scope of its family (``Desk.settings.*``: ``Desk.settings``). With ``covering`` (deny
    patterns, where a broader grant must not slip past a narrow deny) a Zoho scope also
    matches a pattern that names its family (``Desk.settings`` or ``Desk.settings.*``: every
    scope of that resource or below it, with or without an operation), or when it covers a
    scope the pattern names, an operation-less scope counting as its ``ALL``.
    """
    candidates = _candidates(change)
    subject = change.subject
    scope = parse_zoho_scope(subject) if subject else None
    for pattern in patterns:
        if any(_glob(pattern, value) for value in candidates):
            return pattern
        if subject and _member_without_operation(pattern, subject):
            return pattern
        if not covering or scope is None:
            continue
        family = _family(pattern)
        if family is not None and _in_family(family, scope):
            return pattern
        held = _as_held(scope)
        if any(zoho_covers(held, probe) for probe in _probes(pattern)):
            return pattern
    return None


def decide(
    change: Change, policy: Policy, *, approved: bool, unapproved: str = ""
) -> tuple[Decision, Risk]:
    """Whether one change blocks, why, and its severity under this policy.

    Order: a deny pattern blocks (even when approved); an allow pattern lets it pass; an
    escalation blocks when ``fail-on-escalation`` is on; any change at or above
    ``fail-on-severity`` blocks. A block other than deny is lifted by the approval label, and
    warn-only lifts every block (the note still says what would have blocked). ``unapproved``
    is the remedy for such a block when an approval exists that does not cover this change.
    """
    risk = policy.severity_of(change.kind) or change.risk
    blocks = False
    reason = Reason.REPORTED
    note = "reported; does not block"
    denied = matching_pattern(policy.deny, change, covering=True) if change.kind.grants else None
    allowed = matching_pattern(policy.allow, change, covering=False)
    if denied is not None:
        blocks, reason = True, Reason.DENY
        note = f"blocks: matches the deny pattern {json.dumps(denied)}"
    elif allowed is not None:
        reason = Reason.ALLOWED
        note = f"allowed by the pattern {json.dumps(allowed)}"
    elif change.escalation and policy.fail_on_escalation:
        blocks, reason = True, Reason.ESCALATION
        note = (
            "blocks: an escalation; remove it, or have a maintainer add the label "
            f"{json.dumps(policy.approval_label)}"
        )
    elif policy.fail_on_severity is not None and risk.at_least(policy.fail_on_severity):
        blocks, reason = True, Reason.SEVERITY
        note = (
            f"blocks: severity {risk.value} is at or above fail-on-severity "
            f"{policy.fail_on_severity.value}"
        )
    if blocks and reason is not Reason.DENY and approved:
        blocks, reason = False, Reason.APPROVED
        note = f"approved by the label {json.dumps(policy.approval_label)}; does not block"
    elif blocks and reason is Reason.ESCALATION and unapproved:
        note = f"blocks: an escalation {unapproved}"
    elif blocks and reason is Reason.SEVERITY and unapproved:
        note = f"{note}; {unapproved}"
    if blocks and policy.warn_only:
        blocks, reason = False, Reason.WARN_ONLY
        note = f"would block ({note.removeprefix('blocks: ')}), but warn-only is on"
    return Decision(blocks, reason, note), risk


def apply_policy(
    changes: Iterable[Change],
    policy: Policy,
    *,
    approved: bool | Callable[[Change], bool],
    unapproved: str = "",
) -> tuple[Change, ...]:
    """Every change with its decision and its severity under the policy.

    ``approved`` is the label's answer for every change, or a test of each one (an approval
    covers the escalations it was given for); ``unapproved`` is passed to :func:`decide`.
    """
    decided = []
    for change in changes:
        this = approved(change) if callable(approved) else approved
        decision, risk = decide(change, policy, approved=this, unapproved=unapproved)
        decided.append(change.decided(decision, risk))
    return tuple(decided)
