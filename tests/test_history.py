"""Real manifest histories (shared corpus): every consecutive pair diffs, described changes found.

The corpus lives beside the project (``../shared/corpus/history``) and is never copied in; the
tests skip when it is absent. INDEX.tsv lists base/head pairs with a human description of what
changed, clauses separated by "; ". Each clause pattern has a matcher below; an unknown pattern
fails the test, so a new kind of description gets a matcher before it counts as covered.
"""

from __future__ import annotations

import ast
import csv
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS

from checker.changes import Change, ChangeKind
from checker.compare import ManifestPair, analyse
from checker.diff import diff_manifests
from checker.extension import ExtensionInput
from checker.policy import DEFAULT_POLICY
from checker.source import Document, parse

K = ChangeKind
HISTORY = CORPUS / "history"
INDEX = HISTORY / "INDEX.tsv"

pytestmark = pytest.mark.skipif(not INDEX.is_file(), reason="shared corpus history not present")


def _rows() -> list[dict[str, str]]:
    if not INDEX.is_file():
        return []
    with INDEX.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _id(row: dict[str, str]) -> str:
    return row["head_file"]


def _document(relative: str) -> Document:
    parsed = parse(relative, (HISTORY / relative).read_bytes())
    assert parsed.document is not None, parsed.findings
    return parsed.document


class Pair:
    """One INDEX row, diffed."""

    def __init__(self, row: dict[str, str]) -> None:
        self.row = row
        self.base = _document(row["base_file"])
        self.head = _document(row["head_file"])
        self.changes = diff_manifests(self.base, self.head).changes

    def find(self, kind: ChangeKind, **fields: Any) -> list[Change]:
        return [
            c
            for c in self.changes
            if c.kind is kind and all(getattr(c, k) == v for k, v in fields.items())
        ]

    def expect(self, kind: ChangeKind, **fields: Any) -> None:
        found = self.find(kind, **fields)
        assert found, (
            f"{self.row['head_file']}: no {kind.value} with {fields}; found "
            f"{[(c.kind.value, c.detail) for c in self.changes]}"
        )

    def link_names(self, value: Any) -> set[str]:
        """Every connectionLinkName a manifest declares, wherever."""
        names: set[str] = set()
        authorisation = value.get("zohoAuthorisation")
        if isinstance(authorisation, dict) and authorisation.get("connectionLinkName"):
            names.add(authorisation["connectionLinkName"])
        for where in ("connectors", "usedConnections"):
            for item in value.get(where) or []:
                if isinstance(item, dict) and item.get("connectionLinkName"):
                    names.add(item["connectionLinkName"])
        return names


def _list(text: str) -> list[str]:
    return [str(v) for v in ast.literal_eval(text)] if text else []


def _values(text: str) -> list[str]:
    return [v.strip() for v in text.split(", ") if v.strip()]


def _scalar(text: str) -> str:
    text = text.strip()
    return str(ast.literal_eval(text)) if text[:1] in "'\"" else text


# --- one matcher per clause pattern ------------------------------------------------------------

Matcher = Callable[[Pair, "re.Match[str]"], None]


def _connection_added(pair: Pair, match: re.Match[str]) -> None:
    name, service, scopes = match.group("name"), match.group("service"), _list(match["scopes"])
    found = pair.find(K.CONNECTION_ADDED, connection=name) or pair.find(
        K.ZOHO_AUTHORISATION_ADDED, connection=name
    )
    assert found, f"connection {name} not reported as new: {pair.changes}"
    assert found[0].service == service
    for scope in scopes:
        pair.expect(K.SCOPE_ADDED, connection=name, subject=scope)


def _connection_removed(pair: Pair, match: re.Match[str]) -> None:
    name = match.group("name")
    if name in pair.link_names(pair.head.value):
        # the entry moved (e.g. from connectors into zohoAuthorisation): same connection
        assert not pair.find(K.CONNECTION_REMOVED, connection=name)
        assert not pair.find(K.CONNECTION_ADDED, connection=name)
        return
    pair.expect(K.CONNECTION_REMOVED, connection=name)


def _authorisation_filled(pair: Pair, match: re.Match[str]) -> None:
    name = match.group("name")
    pair.expect(K.ZOHO_AUTHORISATION_ADDED, connection=name)
    existed = name in pair.link_names(pair.base.value)
    for scope in _list(match["scopes"]):
        covered = pair.find(K.SCOPE_ADDED, connection=name, subject=scope)
        if not existed:
            assert covered, f"scope {scope} of new connection {name} not reported"


def _authorisation_removed(pair: Pair, match: re.Match[str]) -> None:
    pair.expect(K.ZOHO_AUTHORISATION_REMOVED)
    pair.expect(K.CONNECTION_REMOVED, connection=match.group("name"))


def _connection_name(pair: Pair, match: re.Match[str]) -> None:
    pair.expect(K.CONNECTION_NAME_CHANGED, before=match["before"], after=match["after"])


def _scope_added(pair: Pair, match: re.Match[str]) -> None:
    name = match.group("name")
    for scope in _values(match["values"]):
        found = pair.find(K.SCOPE_ADDED, connection=name, subject=scope) or pair.find(
            K.SCOPE_BROADENED, connection=name, subject=scope
        )
        assert found, f"scope {scope} on {name} not reported"


def _flag(pair: Pair, match: re.Match[str]) -> None:
    name, member = match["name"], match["member"]
    before, after = match["before"] == "True", match["after"] == "True"
    kinds = {
        ("isUserDefinedService", False): K.USER_DEFINED_SERVICE_ENABLED,
        ("isUserDefinedService", True): K.USER_DEFINED_SERVICE_DISABLED,
        ("userAccess", True): K.USER_ACCESS_SHARED,
        ("userAccess", False): K.USER_ACCESS_PER_USER,
    }
    assert before != after
    pair.expect(kinds[(member, before)], connection=name)


def _service_name(pair: Pair, match: re.Match[str]) -> None:
    pair.expect(
        K.SERVICE_CHANGED,
        connection=match["name"],
        before=_scalar(match["before"]),
        after=_scalar(match["after"]),
    )


def _shared_by(pair: Pair, match: re.Match[str]) -> None:
    pair.expect(
        K.SHARED_BY_CHANGED,
        connection=match["name"],
        before=_scalar(match["before"]),
        after=_scalar(match["after"]),
    )


def _secret_added(pair: Pair, _match: re.Match[str]) -> None:
    change = pair.find(K.SECRET_CHANGED)
    assert change, pair.changes
    secret = pair.head.value.get("secret")
    assert isinstance(secret, str)
    assert secret not in change[0].detail


def _callback_added(pair: Pair, _match: re.Match[str]) -> None:
    listeners = pair.head.value["callbackListener"]
    for key in listeners:
        found = [c for c in pair.find(K.CALLBACK_ADDED) if f"callbackListener.{key} " in c.detail]
        assert found, f"callbackListener.{key} not reported"


def _domains(kind: ChangeKind) -> Matcher:
    def match_domains(pair: Pair, match: re.Match[str]) -> None:
        for value in _values(match["values"]):
            pair.expect(kind, subject=value)

    return match_domains


def _storage(pair: Pair, match: re.Match[str]) -> None:
    before, after = match["before"] == "True", match["after"] == "True"
    pair.expect(K.STORAGE_ENABLED if after and not before else K.STORAGE_DISABLED)


def _widget_location(kinds: tuple[ChangeKind, ...]) -> Matcher:
    def match_widgets(pair: Pair, match: re.Match[str]) -> None:
        for location in _values(match["values"]):
            found = [c for c in pair.changes if c.kind in kinds and c.subject == location]
            assert found, f"widget location {location} not reported: {pair.changes}"

    return match_widgets


def _widget_urls(value: Any) -> dict[str, Any]:
    widgets = (value.get("modules") or {}).get("widgets") or []
    return {w.get("location"): w.get("url") for w in widgets if isinstance(w, dict)}


def _widget_fields(pair: Pair, _match: re.Match[str]) -> None:
    # name, logo and icon are display-only; a changed url at a kept location must be reported
    before, after = _widget_urls(pair.base.value), _widget_urls(pair.head.value)
    for location, url in after.items():
        if location in before and before[location] != url:
            found = [
                c
                for c in pair.changes
                if c.kind in (K.WIDGET_URL_CHANGED, K.WIDGET_REMOTE_CODE) and c.after == url
            ]
            assert found, f"url change of widget at {location} not reported"


def _connectors_key_added(pair: Pair, _match: re.Match[str]) -> None:
    added = pair.head.value.get("connectors") or []
    names = {c.connection for c in pair.find(K.CONNECTION_ADDED)}
    assert names == {item.get("connectionLinkName") for item in added if isinstance(item, dict)}


def _base_duplicate_link(pair: Pair, match: re.Match[str]) -> None:
    name = match["name"]
    items = [c for c in pair.base.value.get("usedConnections", []) if isinstance(c, dict)]
    assert sum(1 for c in items if c.get("connectionLinkName") == name) > 1
    # the duplicates are one connection: it is reported once at most
    assert len(pair.find(K.CONNECTION_REMOVED, connection=name)) <= 1


NAME = r"'(?P<name>[^']+)'"
SCOPES = r"scopes (?P<scopes>\[[^\]]*\])"
MATCHERS: list[tuple[re.Pattern[str], Matcher]] = [
    (
        re.compile(
            rf"(?:connector|usedConnection) {NAME} added \(service '(?P<service>[^']*)', {SCOPES}\)"
        ),
        _connection_added,
    ),
    (re.compile(rf"(?:connector|usedConnection) {NAME} removed \(.*\)"), _connection_removed),
    (
        re.compile(
            rf"zohoAuthorisation (?:filled in \(was \{{\}}\)|key added): connection {NAME}, "
            rf"service '[^']*', {SCOPES}"
        ),
        _authorisation_filled,
    ),
    (re.compile(rf"zohoAuthorisation key removed \(was {NAME} with .*\)"), _authorisation_removed),
    (
        re.compile(r"zohoAuthorisation\.connectionName '(?P<before>[^']*)' -> '(?P<after>[^']*)'"),
        _connection_name,
    ),
    (re.compile(rf"(?:connector|usedConnection) {NAME} scope added (?P<values>.+)"), _scope_added),
    (
        re.compile(
            rf"(?:connector|usedConnection) {NAME} (?P<member>isUserDefinedService|userAccess) "
            r"(?P<before>True|False) -> (?P<after>True|False)"
        ),
        _flag,
    ),
    (
        re.compile(
            rf"(?:connector|usedConnection) {NAME} serviceName (?P<before>\S+) -> (?P<after>\S+)"
        ),
        _service_name,
    ),
    (
        re.compile(
            rf"(?:connector|usedConnection) {NAME} sharedBy (?P<before>\S+) -> (?P<after>\S+)"
        ),
        _shared_by,
    ),
    (re.compile(r"secret added"), _secret_added),
    (re.compile(r"callbackListener added"), _callback_added),
    (re.compile(r"whiteListedDomains added (?P<values>.+)"), _domains(K.DOMAIN_ADDED)),
    (re.compile(r"whiteListedDomains removed (?P<values>.+)"), _domains(K.DOMAIN_REMOVED)),
    (re.compile(r"cspDomains\.connect-src added (?P<values>.+)"), _domains(K.CSP_DOMAIN_ADDED)),
    (re.compile(r"cspDomains\.connect-src removed (?P<values>.+)"), _domains(K.CSP_DOMAIN_REMOVED)),
    (re.compile(r"storage (?P<before>True|False) -> (?P<after>True|False)"), _storage),
    (
        re.compile(r"widget location added (?P<values>.+)"),
        _widget_location((K.WIDGET_ADDED, K.WIDGET_INVISIBLE_ADDED, K.WIDGET_HELPCENTER_ADDED)),
    ),
    (re.compile(r"widget location removed (?P<values>.+)"), _widget_location((K.WIDGET_REMOVED,))),
    (re.compile(r"widget fields changed \(name/url/logo/icon\)"), _widget_fields),
    (re.compile(r"connectors key added"), _connectors_key_added),
    (re.compile(r"base had duplicate connectionLinkName (?P<name>\S+)"), _base_duplicate_link),
]


def _clauses(description: str) -> list[str]:
    return [c.strip() for c in description.split("; ") if c.strip()]


@pytest.mark.parametrize("row", _rows(), ids=_id)
def test_pair_diffs_and_the_described_changes_are_found(row):
    pair = Pair(row)
    for clause in _clauses(row["changes"]):
        for pattern, matcher in MATCHERS:
            match = pattern.fullmatch(clause)
            if match is not None:
                matcher(pair, match)
                break
        else:
            pytest.fail(f"no matcher for the description {clause!r}; add one")


def _versions() -> list[tuple[Path, Path]]:
    pairs: list[tuple[Path, Path]] = []
    seen: set[tuple[Path, Path]] = set()
    for row in _rows():
        folder = HISTORY / Path(row["head_file"]).parent
        files = [folder / name for name in row["versions_in_order"].split(",")]
        for old, new in itertools.pairwise(files):
            if (old, new) not in seen:
                seen.add((old, new))
                pairs.append((old, new))
    return pairs


@pytest.mark.parametrize(("old", "new"), _versions(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_consecutive_version_runs_through_the_whole_pipeline(old, new):
    def source(path: Path) -> ExtensionInput:
        return ExtensionInput("plugin-manifest.json", path.read_bytes())

    report = analyse(
        [ManifestPair("plugin-manifest.json", source(old), source(new))], DEFAULT_POLICY
    )
    (manifest,) = report.manifests
    assert not [f for f in manifest.findings if f.rule == "checker-crash"]
    for change in manifest.changes:
        assert change.decision is not None
        assert change.location.span is not None or change.location.pointer == ""
        json.dumps(change.detail)
    assert report.blocking == sum(1 for c in manifest.changes if c.blocks)


def test_the_corpus_exercises_escalations_and_reductions():
    kinds = {c.kind for row in _rows() for c in Pair(row).changes}
    assert {K.SCOPE_ADDED, K.CONNECTION_ADDED, K.CONNECTION_REMOVED, K.DOMAIN_ADDED} <= kinds
