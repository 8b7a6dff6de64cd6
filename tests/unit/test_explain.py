"""Scope meanings from the catalogue reach every change about a scope, and every output format."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from checker.catalog.scopes import lookup
from checker.changes import Change, ChangeKind, Decision, Reason, Risk, Side
from checker.explain import SCOPE_KINDS, explain, explanation, usage
from checker.findings import Location, Span
from checker.report import FailOn, ManifestReport, build_report
from checker.reporters import json_v1, sarif, text
from checker.reporters.annotations import change_finding

PATH = "ext/plugin-manifest.json"
BLOCKS = Decision(True, Reason.ESCALATION, "blocks: an escalation")


def change(
    kind: ChangeKind = ChangeKind.SCOPE_ADDED,
    subject: str | None = "Desk.settings.ALL",
    *,
    used: bool | None = None,
    connection: str | None = "desk",
    line: int = 7,
    service: str | None = None,
) -> Change:
    """A change built by hand, as the diff and the policy would leave it."""
    return Change(
        kind,
        connection,
        f"scope {json.dumps(subject)} is new on connection {json.dumps(connection)}",
        kind.escalates,
        Risk.HIGH,
        Location(PATH, "/x", span=Span(line, 3, line, 10)),
        subject=subject,
        service=service,
        side=Side.BASE if kind is ChangeKind.SCOPE_REMOVED else Side.HEAD,
        decision=BLOCKS if kind.escalates else None,
        used_by_code=used,
    )


def test_a_known_scope_gets_the_catalogues_meaning_docs_and_tier() -> None:
    explained = explain(change())
    entry = lookup("Desk.settings.ALL")
    assert entry is not None
    assert explained.meaning == entry.meaning
    assert explained.meaning.startswith("read, create, change and delete all Zoho Desk settings")
    assert explained.docs == "https://desk.zoho.com/DeskAPIDocument#OauthTokens"
    assert explained.tier is Risk.CRITICAL


@pytest.mark.parametrize("kind", sorted(SCOPE_KINDS, key=lambda k: k.value))
def test_every_kind_of_scope_change_is_explained(kind: ChangeKind) -> None:
    entry = lookup("Desk.tickets.READ")
    assert entry is not None
    assert entry.meaning.startswith("read ")
    explained = explain(change(kind, "Desk.tickets.READ"))
    assert (explained.meaning, explained.tier) == (entry.meaning, entry.tier)


def test_unknown_scopes_and_other_changes_stay_unexplained() -> None:
    for unknown in (
        change(subject="Desk.nosuchthing.READ"),
        change(subject="frobnicate"),
        change(ChangeKind.CONNECTION_ADDED, subject="github"),  # a service name, not a scope
        change(ChangeKind.DOMAIN_ADDED, subject="https://api.example.com"),
    ):
        explained = explain(unknown)
        assert (explained.meaning, explained.docs, explained.tier) == (None, None, None)


@pytest.mark.parametrize(
    ("scope", "service", "product"),
    [
        ("repo", "github", "GitHub"),
        ("repo", "GitHub_Enterprise", "GitHub"),  # folded, and the name contained
        ("forms:read", "typeform1", "Typeform"),
        ("forms:read", "new_typeform", "Typeform"),  # a custom service named after it
        ("chat:write", "slack", "Slack"),
        ("Files.Read.All", "office365", "Microsoft Graph"),
        ("files.content.read", "dropbox", "Dropbox"),
        ("https://mail.google.com/", "custom_mail", "Google"),  # the URL names Google
        ("https://www.googleapis.com/auth/drive", None, "Google"),
        ("openid", "zlabs_integration", "OpenID Connect"),  # any OpenID Connect provider
        ("email", None, "OpenID Connect"),
    ],
)
def test_a_third_party_scope_is_explained_on_its_providers_connection(
    scope: str, service: str | None, product: str
) -> None:
    entry = lookup(scope, service=service)
    assert entry is not None
    assert entry.product == product
    explained = explain(change(subject=scope, service=service))
    assert (explained.meaning, explained.docs, explained.tier) == (
        entry.meaning,
        entry.docs,
        entry.tier,
    )


@pytest.mark.parametrize(
    ("scope", "service"),
    [
        ("repo", "bitbucket"),  # GitHub's word on another provider
        ("repo", None),  # a TPAOauth client or deskOauth: no provider known
        ("repo", "gitlab_custom"),
        ("forms:read", "jotform"),
        ("chat:write", "zlabs_integration"),  # a Zoho connection is nobody's Slack
        ("Files.Read.All", "dhl_api_service"),
        ("files.content.read", "box"),
        ("repo", "g\u0456thub"),  # a Cyrillic i is not GitHub's name
        ("repo", "___"),  # nothing left of the name
    ],
)
def test_a_third_party_scope_on_another_providers_connection_stays_unexplained(
    scope: str, service: str
) -> None:
    assert lookup(scope, service=service) is None
    explained = explain(change(subject=scope, service=service))
    assert (explained.meaning, explained.docs, explained.tier) == (None, None, None)


def test_zoho_scopes_are_explained_whatever_the_service() -> None:
    for service in (None, "zlabs_integration", "zoho_desk", "github", "bitbucket"):
        explained = explain(change(subject="Desk.tickets.READ", service=service))
        assert explained.tier is Risk.MEDIUM, service


def test_the_report_builder_explains_every_change_once() -> None:
    manifest = ManifestReport(PATH, "desk", (), (change(), change(subject="nope.nothing")))
    report = build_report([manifest], FailOn.ERROR, escalations=2, blocking=2)
    known, unknown = report.manifests[0].changes
    assert known.meaning is not None
    assert known.tier is Risk.CRITICAL
    assert unknown.meaning is None
    data = json.loads(json_v1.render(report))["manifests"][0]["changes"]
    assert data[0]["meaning"] == known.meaning
    assert data[0]["docs"] == known.docs
    assert data[0]["tier"] == "critical"
    assert data[0]["used_by_code"] is None
    assert (data[1]["meaning"], data[1]["docs"], data[1]["tier"]) == (None, None, None)


@pytest.mark.parametrize(
    ("kind", "used", "words"),
    [
        (ChangeKind.SCOPE_ADDED, False, "no call in the code needs this scope"),
        (ChangeKind.SCOPE_BROADENED, False, "no call in the code needs this scope"),
        (ChangeKind.SCOPE_ADDED, True, "used by the code"),
        (ChangeKind.CONNECTION_ADDED, False, "no call in the code uses this connection"),
        (ChangeKind.CONNECTION_ADDED, True, "used by the code"),
        (ChangeKind.SCOPE_ADDED, None, None),
    ],
)
def test_used_by_code_in_words(kind: ChangeKind, used: bool | None, words: str | None) -> None:
    assert usage(change(kind, used=used)) == words


def test_an_unknown_answer_says_why_when_the_code_was_read() -> None:
    noted = replace(change(), usage_note="the connections of 2 calls are not known")
    assert usage(noted) == (
        "not analysed against the code: the connections of 2 calls are not known"
    )


def _report(*changes: Change):  # type: ignore[no-untyped-def]
    manifest = ManifestReport(PATH, "desk", (), changes)
    blocking = sum(1 for c in changes if c.blocks)
    return build_report([manifest], FailOn.ERROR, escalations=blocking, blocking=blocking)


def test_text_prints_the_meaning_and_the_code_use_under_each_escalation() -> None:
    output = text.render(
        _report(
            change(used=False),
            change(ChangeKind.CONNECTION_ADDED, "svc", used=True, line=3),
            change(ChangeKind.SCOPE_REMOVED, "Desk.tickets.READ", used=False, line=9),
        )
    )
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if "[scope-added]" in line)
    assert (
        lines[at + 1]
        .strip()
        .startswith("It lets the extension read, create, change and delete all Zoho Desk settings")
    )
    assert "(critical tier; https://desk.zoho.com/DeskAPIDocument#OauthTokens)" in lines[at + 1]
    assert lines[at + 2].strip() == "No call in the code needs this scope."
    at = next(i for i, line in enumerate(lines) if "[connection-added]" in line)
    assert lines[at + 1].strip() == "Used by the code."
    # a removal is not an escalation: nothing is printed under it
    at = next(i for i, line in enumerate(lines) if "[scope-removed]" in line)
    assert not lines[at + 1].startswith("      ")


def test_annotations_mention_the_meaning_and_the_code_use() -> None:
    finding = change_finding(explain(change(used=False)))
    assert finding is not None
    first, meaning, used = finding.message.split("\n")
    assert first.endswith("(blocks: an escalation)")
    assert meaning.startswith("It lets the extension read, create, change and delete all Zoho")
    assert used == "No call in the code needs this scope."
    plain = change_finding(change(ChangeKind.CONNECTION_ADDED, "svc"))
    assert plain is not None
    assert "\n" not in plain.message
    assert explanation(change(ChangeKind.CONNECTION_ADDED, "svc")) == []


def test_sarif_rule_help_names_each_scope_and_links_docs_only_when_shared() -> None:
    one = sarif.payload(_report(change()))
    (rule,) = one["runs"][0]["tool"]["driver"]["rules"]
    assert rule["helpUri"] == "https://desk.zoho.com/DeskAPIDocument#OauthTokens"
    assert "`Desk.settings.ALL` (critical tier)" in rule["help"]["markdown"]
    both = sarif.payload(_report(change(), change(subject="repo", line=9, service="github")))
    (rule,) = both["runs"][0]["tool"]["driver"]["rules"]
    assert rule["helpUri"].endswith("#policy-file")  # two docs pages: the kinds' reference
    assert "Desk.settings.ALL" in rule["help"]["text"]
    assert "repo" in rule["help"]["text"]
    unknown = sarif.payload(_report(change(subject="nope.nothing")))
    (rule,) = unknown["runs"][0]["tool"]["driver"]["rules"]
    assert "help" not in rule
    assert rule["helpUri"].endswith("#policy-file")


def test_markdown_says_beside_each_escalation_whether_the_code_needs_it() -> None:
    from checker.changes import ConnectionDiff, Mark, ScopeLine
    from checker.reporters import markdown

    unused = change(used=False)
    used = change(subject="Desk.tickets.READ", used=True, line=8)
    unknown = change(subject="Desk.contacts.READ", line=9)  # not analysed: nothing said
    new_connection = change(
        ChangeKind.CONNECTION_ADDED, "svc", used=False, connection="extra", line=3
    )
    rows = (
        ConnectionDiff(
            "desk",
            "zohoAuthorisation",
            "svc",
            "svc",
            (ScopeLine("Desk.basic.READ", Mark.KEPT),),
            (
                ScopeLine("Desk.basic.READ", Mark.KEPT),
                ScopeLine("Desk.settings.ALL", Mark.ADDED),
                ScopeLine("Desk.tickets.READ", Mark.ADDED),
                ScopeLine("Desk.contacts.READ", Mark.ADDED),
            ),
            in_base=True,
            in_head=True,
        ),
        ConnectionDiff("extra", "connectors", None, "svc", (), (), in_base=False, in_head=True),
    )
    manifest = ManifestReport(PATH, "desk", (), (new_connection, unused, used, unknown), rows)
    report = build_report([manifest], FailOn.ERROR, escalations=4, blocking=4)
    text = markdown.render(report)
    desk = next(line for line in text.splitlines() if line.startswith("| <code>desk</code>"))
    cells = desk.split("**+** ")
    assert cells[1].startswith("<code>Desk.<wbr>settings.<wbr>ALL</code> (line 7)")
    assert cells[1].endswith("· *no call in the code needs this scope*<br>")
    assert cells[2].startswith("<code>Desk.<wbr>tickets.<wbr>READ</code> (line 8)")
    assert "· *used by the code*" in cells[2]
    assert "*used by" not in cells[3]
    assert "*no call" not in cells[3]
    extra = next(line for line in text.splitlines() if line.startswith("| <code>extra</code>"))
    assert "*(new, line 3)*" in extra
    assert "<br>*no call in the code uses this connection* |" in extra
    # the list of escalations says it for the connection too (the table shows the scopes')
    item = next(line for line in text.splitlines() if "`connection-added`" in line)
    assert item.endswith("· *no call in the code uses this connection*")
