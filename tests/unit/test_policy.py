"""The policy file: loading with clear errors, and the decision it takes for each change."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from test_diff import doc, manifest, zoho

from checker.changes import Change, ChangeKind, Reason, Risk
from checker.compare import ManifestPair, analyse
from checker.diff import diff_documents
from checker.errors import ConfigError
from checker.extension import ExtensionInput
from checker.policy import (
    DEFAULT_POLICY,
    Policy,
    apply_policy,
    decide,
    parse_policy,
    policy_schema_text,
)
from checker.report import Verdict

SOURCE = ".github/zoho-manifest-guard.yml"


def _changes(base_scopes: list[str] | None, head_scopes: list[str], **head: object) -> list[Change]:
    base = doc(manifest(zohoAuthorisation=zoho(*base_scopes))) if base_scopes is not None else None
    return list(diff_documents(base, doc(manifest(zohoAuthorisation=zoho(*head_scopes), **head))))


def _decision(change: Change, policy: Policy, *, approved: bool = False) -> tuple[bool, Reason]:
    decision, _ = decide(change, policy, approved=approved)
    return decision.blocks, decision.reason


def _scope_change(base: list[str] | None, head: list[str], subject: str) -> Change:
    return next(c for c in _changes(base, head) if c.subject == subject and c.escalation)


# --- loading -------------------------------------------------------------------------------


def test_full_policy_file_loads():
    policy = parse_policy(
        """
# comments are fine
fail-on-escalation: true
warn-only: false
fail-on-severity: high
severities:
  domain-added: low
  storage-enabled: high
allow:
  - "Desk.tickets.READ"
  - github
deny:
  - "*.ALL"
  - 'Desk.settings.*'
approval-label: security-approved
allow-self-approval: true
""",
        SOURCE,
    )
    assert policy.fail_on_escalation is True
    assert policy.fail_on_severity is Risk.HIGH
    assert policy.severity_of(ChangeKind.DOMAIN_ADDED) is Risk.LOW
    assert policy.severity_of(ChangeKind.SCOPE_ADDED) is None
    assert policy.allow == ("Desk.tickets.READ", "github")
    assert policy.deny == ("*.ALL", "Desk.settings.*")
    assert policy.approval_label == "security-approved"
    assert policy.allow_self_approval is True
    assert policy.source == SOURCE


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_policy_is_the_default(text):
    policy = parse_policy(text, SOURCE)
    assert (policy.fail_on_escalation, policy.warn_only, policy.approval_label) == (
        True,
        False,
        "scope-escalation-approved",
    )
    assert policy.allow_self_approval is False  # the author's own label does not count


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (
            "warn-only: false\nfail-on-escalation: true\nwarn-only: true\n",
            [f"{SOURCE}:3: warn-only: appears twice", "first on line 1"],
        ),
        ("fail-on-escalations: false\n", [f"{SOURCE}:1:", "did you mean 'fail-on-escalation'"]),
        (
            "deny:\n  - '*.ALL'\n  - 5\n",
            [f"{SOURCE}:3: deny[1]: 5 is not of type 'string'"],
        ),
        ("warn-only: maybe\n", [f"{SOURCE}:1: warn-only:", "not of type 'boolean'"]),
        ("- '*.ALL'\n", [f"{SOURCE}:1: (top level): the policy file must be a mapping"]),
        ("just a string\n", ["must be a mapping"]),
        ("deny:\n  - *.ALL\n", [f"{SOURCE}:2:", "must be quoted"]),
        ("allow: &a ['x']\ndeny: *a\n", [f"{SOURCE}:2: deny:", "aliases"]),
        ("on: true\n", [f"{SOURCE}:1:", "not a string", "quote it"]),
        ("allow: [\n", [f"{SOURCE}:", "not valid YAML"]),
        (
            "severities:\n  scope-add: high\n",
            [f"{SOURCE}:2: severities.scope-add: unknown change kind; did you mean 'scope-added'?"],
        ),
        ("severities:\n  scope-added: severe\n", [f"{SOURCE}:2: severities.scope-added:"]),
        ("fail-on-severity: hi\n", [f"{SOURCE}:1: fail-on-severity:"]),
        ("approval-label: ''\n", [f"{SOURCE}:1: approval-label:"]),
        ("allow-self-approval: yes please\n", [f"{SOURCE}:1: allow-self-approval:"]),
        ("allow-self-approvals: true\n", ["did you mean 'allow-self-approval'"]),
        ("allow: ['   ']\n", [f"{SOURCE}:1: allow[0]:"]),
    ],
)
def test_policy_errors_name_file_line_and_key(text, fragments):
    with pytest.raises(ConfigError) as caught:
        parse_policy(text, SOURCE)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message


def test_every_schema_error_is_reported():
    with pytest.raises(ConfigError) as caught:
        parse_policy("warn-only: 1\ndeny: x\n", SOURCE)
    message = str(caught.value)
    assert f"{SOURCE}:1: warn-only" in message
    assert f"{SOURCE}:2: deny" in message


def test_huge_policy_is_refused():
    with pytest.raises(ConfigError, match="larger than"):
        parse_policy("# x\n" * 100_000, SOURCE)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("deny: " + "[" * 5000 + "]" * 5000 + "\n", 1),  # flow sequences
        ("x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", 1),  # flow mappings
        ("allow:\n" + "".join(" " * i + "- \n" for i in range(1, 600)), 33),  # block style
    ],
)
def test_a_deeply_nested_policy_is_a_config_error_not_a_crash(text, line):
    # was RecursionError in the YAML composer: exit 3 with "internal error"
    with pytest.raises(ConfigError) as caught:
        parse_policy(text, SOURCE)
    message = str(caught.value)
    assert message.startswith(f"{SOURCE}:{line}: "), message
    assert "nested more than 32 levels deep" in message


def test_a_policy_nested_to_the_limit_is_read():
    # 32 levels: the mapping at the top, then 31 sequences
    text = "deny: " + "[" * 31 + "]" * 31 + "\n"
    with pytest.raises(ConfigError, match="is not of type 'string'"):
        parse_policy(text, SOURCE)


def test_policy_schema_is_valid_and_knows_every_change_kind():
    schema = json.loads(policy_schema_text())
    Draft202012Validator.check_schema(schema)
    kinds = schema["properties"]["severities"]["propertyNames"]["enum"]
    assert kinds == [k.value for k in ChangeKind]
    risks = schema["properties"]["severities"]["additionalProperties"]["enum"]
    assert risks == [r.value for r in Risk]


# --- deciding ------------------------------------------------------------------------------


def test_default_policy_blocks_escalations_and_reports_the_rest():
    changes = _changes(["Desk.tickets.READ"], ["Desk.tickets.ALL"], storage=True)
    decided = {c.kind: c.decision for c in apply_policy(changes, DEFAULT_POLICY, approved=False)}
    broadened = decided[ChangeKind.SCOPE_BROADENED]
    assert broadened is not None
    assert (broadened.blocks, broadened.reason) == (True, Reason.ESCALATION)
    assert "scope-escalation-approved" in broadened.note
    storage = decided[ChangeKind.STORAGE_ENABLED]
    assert storage is not None
    assert (storage.blocks, storage.reason) == (False, Reason.REPORTED)


def test_approval_label_lets_escalations_pass():
    change = _scope_change(
        ["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.basic.READ"], "Desk.basic.READ"
    )
    assert _decision(change, DEFAULT_POLICY, approved=True) == (False, Reason.APPROVED)


def test_a_block_an_approval_does_not_cover_says_it_is_new_since_then():
    change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.ALL"], "Desk.tickets.ALL")
    since = "new since the approval of commit abc: apply the label again"
    decision, _ = decide(change, DEFAULT_POLICY, approved=False, unapproved=since)
    assert (decision.blocks, decision.reason) == (True, Reason.ESCALATION)
    assert decision.note == f"blocks: an escalation {since}"
    severe = parse_policy("fail-on-escalation: false\nfail-on-severity: high\n", SOURCE)
    decision, _ = decide(change, severe, approved=False, unapproved=since)
    assert (decision.blocks, decision.reason) == (True, Reason.SEVERITY)
    assert decision.note.endswith(f"; {since}")
    approved, _ = decide(change, DEFAULT_POLICY, approved=True, unapproved=since)
    assert approved.reason is Reason.APPROVED
    decided = apply_policy([change], DEFAULT_POLICY, approved=lambda c: c is not change)
    assert decided[0].blocks


def test_approved_by_compares_labels_without_case():
    policy = parse_policy("approval-label: Security-OK\n", SOURCE)
    assert policy.approved_by(["bug", "security-ok"])
    assert not policy.approved_by(["security"])


def test_warn_only_blocks_nothing_but_says_what_would_block():
    policy = parse_policy("warn-only: true\ndeny: ['*.ALL']\n", SOURCE)
    change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.ALL"], "Desk.tickets.ALL")
    decision, _ = decide(change, policy, approved=False)
    assert (decision.blocks, decision.reason) == (False, Reason.WARN_ONLY)
    assert "would block" in decision.note
    assert "deny pattern" in decision.note


def test_fail_on_escalation_false_and_fail_on_severity():
    lenient = parse_policy("fail-on-escalation: false\n", SOURCE)
    change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.ALL"], "Desk.tickets.ALL")
    assert _decision(change, lenient) == (False, Reason.REPORTED)
    strict = parse_policy("fail-on-escalation: false\nfail-on-severity: high\n", SOURCE)
    assert _decision(change, strict) == (True, Reason.SEVERITY)
    storage = next(
        c for c in _changes([], [], storage=True) if c.kind is ChangeKind.STORAGE_ENABLED
    )
    assert _decision(storage, strict) == (False, Reason.REPORTED)  # medium < high
    medium = parse_policy("fail-on-severity: medium\n", SOURCE)
    assert _decision(storage, medium) == (True, Reason.SEVERITY)


def test_per_kind_severity_re_rates_a_change():
    policy = parse_policy(
        "severities:\n  storage-enabled: critical\nfail-on-severity: critical\n", SOURCE
    )
    storage = next(
        c for c in _changes([], [], storage=True) if c.kind is ChangeKind.STORAGE_ENABLED
    )
    decision, risk = decide(storage, policy, approved=False)
    assert risk is Risk.CRITICAL
    assert decision.blocks
    (decided,) = apply_policy([storage], policy, approved=False)
    assert decided.risk is Risk.CRITICAL


def test_allow_patterns_match_scopes_or_services():
    change = _scope_change(
        ["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.basic.READ"], "Desk.basic.READ"
    )
    by_scope = parse_policy("allow: ['desk.basic.*']\n", SOURCE)
    assert _decision(change, by_scope) == (False, Reason.ALLOWED)
    by_service = parse_policy("allow: [zlabs_integration]\n", SOURCE)
    assert _decision(change, by_service) == (False, Reason.ALLOWED)
    other = parse_policy("allow: ['Desk.tickets.*']\n", SOURCE)
    assert _decision(change, other) == (True, Reason.ESCALATION)


def test_deny_blocks_even_on_a_new_manifest_and_even_when_approved():
    policy = parse_policy("deny: ['*.ALL']\nallow: ['Desk.*']\n", SOURCE)
    change = _scope_change(None, ["Desk.tickets.ALL"], "Desk.tickets.ALL")
    assert _decision(change, policy, approved=True) == (True, Reason.DENY)
    read = _scope_change(None, ["Desk.tickets.READ"], "Desk.tickets.READ")
    assert _decision(read, policy, approved=False) == (False, Reason.ALLOWED)


def test_deny_catches_a_broader_scope_that_covers_what_it_names():
    policy = parse_policy("deny: ['Desk.settings.*']\n", SOURCE)
    for scope in ("Desk.settings.READ", "Desk.fullaccess.all", "desk.settings.extension.ALL"):
        change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.READ", scope], scope)
        assert _decision(change, policy, approved=True) == (True, Reason.DENY), scope
    exact = parse_policy("deny: ['Desk.settings.extension.READ']\n", SOURCE)
    change = _scope_change(
        ["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.settings.ALL"], "Desk.settings.ALL"
    )
    assert _decision(change, exact) == (True, Reason.DENY)


def test_a_family_pattern_matches_the_family_with_or_without_an_operation():
    # 'Desk.settings.*' missed the operation-less scope 'Desk.settings' (issue 9, item 17)
    for text in ("deny: ['Desk.settings.*']\n", "deny: ['*.settings.*']\n"):
        policy = parse_policy(text, SOURCE)
        for scope in ("Desk.settings", "desk.SETTINGS", "Desk.settings.READ", "Desk.settings.x"):
            change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.READ", scope], scope)
            assert _decision(change, policy, approved=True) == (True, Reason.DENY), (text, scope)
    allow = parse_policy("allow: ['Desk.settings.*']\n", SOURCE)
    change = _scope_change(
        ["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.settings"], "Desk.settings"
    )
    assert _decision(change, allow) == (False, Reason.ALLOWED)


def test_a_deny_pattern_without_an_operation_names_the_whole_family():
    policy = parse_policy("deny: ['Desk.settings']\n", SOURCE)
    for scope in (
        "Desk.settings",
        "Desk.settings.ALL",
        "Desk.settings.READ",
        "Desk.settings.a.READ",
    ):
        change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.READ", scope], scope)
        assert _decision(change, policy) == (True, Reason.DENY), scope
    # an operation-less scope may grant any operation on its resource: a deny names it too
    exact = parse_policy("deny: ['Desk.settings.READ']\n", SOURCE)
    change = _scope_change(
        ["Desk.tickets.READ"], ["Desk.tickets.READ", "Desk.settings"], "Desk.settings"
    )
    assert _decision(change, exact) == (True, Reason.DENY)


def test_family_patterns_stay_within_their_family():
    deny = parse_policy("deny: ['Desk.settings.*', 'Desk.settings']\n", SOURCE)
    for scope in ("Desk.settingsx", "Desk.setting.READ", "Desk.settingsx.ALL", "ZohoCRM.settings"):
        change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.READ", scope], scope)
        assert _decision(change, deny) == (True, Reason.ESCALATION), scope
    # allow is never widened: an operation-less pattern allows that scope alone, and a
    # pattern with an operation never allows the operation-less scope
    for pattern in ("Desk.settings", "Desk.settings.READ"):
        allow = parse_policy(f"allow: ['{pattern}']\n", SOURCE)
        for scope in ("Desk.settings.READ", "Desk.settings.ALL", "Desk.settings"):
            if scope == pattern:
                continue
            change = _scope_change(["Desk.tickets.READ"], ["Desk.tickets.READ", scope], scope)
            assert _decision(change, allow) == (True, Reason.ESCALATION), (pattern, scope)


def test_deny_never_matches_removals_or_recased_scopes():
    policy = parse_policy("deny: ['*.ALL']\n", SOURCE)
    changes = _changes(["Desk.tickets.ALL", "Desk.contacts.ALL"], ["Desk.tickets.all"])
    assert {c.kind for c in changes} == {ChangeKind.SCOPE_RECASED, ChangeKind.SCOPE_REMOVED}
    assert not any(c.blocks for c in apply_policy(changes, policy, approved=False))


def _input(value: object) -> ExtensionInput:
    return ExtensionInput("plugin-manifest.json", json.dumps(value, indent=2).encode())


def test_blocking_drives_the_verdict_of_the_report():
    base = _input(manifest(zohoAuthorisation=zoho("Desk.tickets.READ")))
    head = _input(manifest(zohoAuthorisation=zoho("Desk.tickets.READ", "Desk.basic.ALL")))
    pair = ManifestPair("plugin-manifest.json", base, head)
    report = analyse([pair], DEFAULT_POLICY)
    assert (report.verdict, report.escalations, report.blocking) == (Verdict.FAIL, 1, 1)
    approved = analyse([pair], DEFAULT_POLICY, approved=True)
    assert (approved.verdict, approved.escalations, approved.blocking) == (Verdict.PASS, 1, 0)
    assert any("scope-escalation-approved" in note for note in approved.notes)
    warn = analyse([pair], parse_policy("warn-only: true\n", SOURCE))
    assert (warn.verdict, warn.blocking) == (Verdict.PASS, 0)
    assert any("warn-only" in note for note in warn.notes)


def test_readme_lists_every_change_kind_and_the_base_commit_rule():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Policy file", 1)[1].split("\n## ", 1)[0]
    missing = [k.value for k in ChangeKind if f"`{k.value}`" not in section]
    assert not missing, f"README's policy section does not list {missing}"
    assert "read from the base commit, never from the pull request's head" in section
    # the example policy in the README is itself a valid policy
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert parse_policy(example, "README.md").deny == ("*.ALL", "Desk.settings.*", "http://*")


# --- the Action reads the policy file as bytes --------------------------------------------------


class _BaseFiles:
    """A BaseReader that holds one file."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, repo_path: str, commit: str) -> tuple[bytes | None, tuple[()]]:
        return self.data, ()


NOT_UTF8 = b'deny:\n  - "Desk.settings.*\xff"\n'


def test_the_action_rejects_a_base_policy_that_is_not_utf8(tmp_path) -> None:
    from checker.action import base as action
    from checker.actions_env import Event, EventKind, settings_from_env

    settings = settings_from_env({"GITHUB_WORKSPACE": str(tmp_path)})
    comparison = action.Comparison(
        "a" * 40, "b" * 40, "c" * 40, (), _BaseFiles(NOT_UTF8), action.BaseSource.API
    )
    event = Event(EventKind.PULL_REQUEST, pr_number=1)
    # decoded with replacement characters, the deny pattern would match nothing
    with pytest.raises(ConfigError, match="not UTF-8"):
        action.load_policy(settings, comparison, event)


def test_the_action_rejects_a_work_tree_policy_that_is_not_utf8(tmp_path) -> None:
    from checker.action import base as action
    from checker.actions_env import Event, EventKind, settings_from_env

    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "zoho-manifest-guard.yml").write_bytes(NOT_UTF8)
    settings = settings_from_env({"GITHUB_WORKSPACE": str(tmp_path)})
    with pytest.raises(ConfigError, match="not UTF-8"):  # was UnicodeDecodeError: exit 3
        action.load_policy(settings, None, Event(EventKind.PUSH))
