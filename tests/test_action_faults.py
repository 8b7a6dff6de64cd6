"""The Action when GitHub misbehaves: errors that echo the token, malformed answers, long
rate limits, transient failures reading the base policy, a changed-file list cut short."""

from __future__ import annotations

import pytest

from tests.github_server import Fault
from tests.test_action_e2e import (
    BASE_POLICY,
    PR,
    _resources_with_webhook,
    dump,
    example_manifest,
    github,  # noqa: F401 - a fixture the scenario fixture uses
    scenario,  # noqa: F401 - the fixture
    with_scope,
)

pytestmark = pytest.mark.slow

DOCS = "https://docs.github.com/rest"


def _unescaped(text: str) -> str:
    """Text as a reader sees it once markdown and workflow-command escapes are undone."""
    return text.replace("\\", "").replace("%5F", "_").replace("%3A", ":").replace("%2C", ",")


def test_an_error_that_echoes_the_token_is_redacted_everywhere(scenario) -> None:  # noqa: F811
    s = scenario(dump(example_manifest()), with_scope("Desk.settings.ALL"))
    echo = {
        "message": f"Validation Failed: body was sent with token {s.state.token} (ok)",
        "errors": [{"resource": "IssueComment", "code": "custom", "field": "body"}],
        "documentation_url": DOCS,
        "status": "422",
    }
    s.state.faults.append(Fault("POST", rf"/issues/{PR}/comments$", 422, echo))
    result = s.run(s.env())
    assert result.code == 1, result.stdout
    assert "posting to GitHub failed" in result.step_summary
    files = [p.read_text(encoding="utf-8") for p in (s.work / ".zoho-manifest-guard").iterdir()]
    sent = [str(r.body) for r in s.state.requests]
    for text in (result.stdout, result.step_summary, result.output_file, *files, *sent):
        assert s.state.token not in _unescaped(text)
        assert "test_token_not" not in _unescaped(text)
    assert "sent with token \\*\\*\\*" in result.step_summary
