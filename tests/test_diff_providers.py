"""``diff`` end to end: a third-party scope is explained only on a connection of its provider.

The scope catalogue keys third-party entries by the scope string, and short strings collide
across providers: ``repo`` is GitHub's "all repositories, private ones included", but on a
Bitbucket or a custom connection it is whatever that provider means by it. Each test adds one
connector to the Desk example and runs the command line as a user would
(``diff --base-file --head-file --format json``), then reads the new scope's change: its
meaning, docs and tier come from the catalogue only when the connector's ``serviceName``
belongs to the entry's provider (or the entry says it holds anywhere: Google's URL scopes,
OpenID Connect's standard scopes); elsewhere they are null and the severity falls back to the
unknown-scope default, which is never low.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.catalog.scopes import lookup
from checker.cli import main
from tests.conftest import EXAMPLES

BASE = EXAMPLES / "desk-extension" / "plugin-manifest.json"
GITHUB_DOCS = "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps"


def _head(tmp_path: Path, service: str, *scopes: str) -> Path:
    """The Desk example with one more connector, of ``service`` with ``scopes``."""
    value = json.loads(BASE.read_text(encoding="utf-8"))
    value["connectors"].append(
        {
            "connectionLinkName": "extra_link",
            "connectionName": "extra_link",
            "serviceName": service,
            "userAccess": True,
            "isUserDefinedService": True,
            "sharedBy": "20081234567",
            "scope": list(scopes),
        }
    )
    folder = tmp_path / "head"
    folder.mkdir()
    path = folder / "plugin-manifest.json"
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return path


def _argv(head: Path, output: str = "json") -> list[str]:
    files = ["--base-file", str(BASE), "--head-file", str(head)]
    return ["diff", "--format", output, "--fail-on", "never", *files]


def _scope_change(report: dict[str, Any], scope: str) -> dict[str, Any]:
    found = [
        c
        for m in report["manifests"]
        for c in m["changes"]
        if c["kind"] == "scope-added" and c["subject"] == scope
    ]
    assert len(found) == 1, [
        (c["kind"], c["subject"]) for m in report["manifests"] for c in m["changes"]
    ]
    return found[0]


def _diff(tmp_path: Path, capsys: pytest.CaptureFixture[str], service: str, scope: str) -> Any:
    main(_argv(_head(tmp_path, service, scope)))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return _scope_change(json.loads(captured.out), scope)


@pytest.mark.parametrize(
    ("service", "scope"),
    [
        ("bitbucket", "repo"),
        ("gitlab_custom", "repo"),
        ("dhl_api_service", "read:org"),  # GitHub's low READ is not low elsewhere
        ("jotform", "forms:read"),
        ("orders_api", "chat:write"),
        ("custom_files", "Files.Read.All"),
        ("box", "files.content.read"),
    ],
)
def test_another_providers_scope_is_unexplained_and_never_low(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], service: str, scope: str
) -> None:
    change = _diff(tmp_path, capsys, service, scope)
    assert change["service"] == service
    assert (change["meaning"], change["docs"], change["tier"]) == (None, None, None)
    assert change["severity"] in ("medium", "high", "critical")


def test_repo_on_bitbucket_is_not_githubs_critical_repo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = _diff(tmp_path, capsys, "bitbucket", "repo")
    assert change["severity"] == "high"  # the fallback by its word, not GitHub's tier
    assert "GitHub" not in json.dumps(change)


def test_repo_on_github_is_githubs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change = _diff(tmp_path, capsys, "github", "repo")
    assert change["meaning"].startswith("read and write all of the user's GitHub repositories")
    assert change["docs"] == GITHUB_DOCS
    assert change["tier"] == "critical"
    assert change["severity"] == "critical"


def test_typeform1_is_typeforms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change = _diff(tmp_path, capsys, "typeform1", "forms:read")
    entry = lookup("forms:read", service="typeform")
    assert entry is not None
    assert entry.product == "Typeform"
    assert (change["meaning"], change["docs"], change["tier"]) == (
        entry.meaning,
        entry.docs,
        entry.tier.value,
    )


@pytest.mark.parametrize(
    ("service", "scope", "tier"),
    [
        ("custom_mail", "https://mail.google.com/", "critical"),  # the URL names Google
        ("orders_api", "https://www.googleapis.com/auth/drive.readonly", "medium"),
        ("bitbucket", "openid", "low"),  # any OpenID Connect provider
    ],
)
def test_scopes_that_hold_anywhere_are_explained_on_any_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], service: str, scope: str, tier: str
) -> None:
    change = _diff(tmp_path, capsys, service, scope)
    assert change["meaning"]
    assert change["docs"].startswith("https://")
    assert change["tier"] == tier


def test_the_installed_command_and_the_text_output_agree(tmp_path: Path) -> None:
    """The text report through ``python -m checker`` says nothing of GitHub for Bitbucket."""
    head = _head(tmp_path, "bitbucket", "repo")
    done = subprocess.run(
        [sys.executable, "-m", "checker", *_argv(head, "text")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert 'scope "repo" is new on connection "extra_link"' in done.stdout
    assert "GitHub" not in done.stdout
