"""The PyGithub client's retries against tests/github_server.py: real HTTP, real waits.

GitHub's advice for rate-limit answers (403 or 429): wait retry-after seconds when given; else
until x-ratelimit-reset; a bounded number of times, never for longer than the client's cap.
"""

from __future__ import annotations

import time

import pytest

from checker.errors import GitHubError
from checker.github_client import PermissionDenied, PyGithubClient
from tests.github_server import NOT_ACCESSIBLE, GitHubServer, GitHubState, PullState

pytestmark = pytest.mark.slow

PR = 7
# A sane upper bound for "it did not wait the fixed minute": the waits here are 1-2 s.
NOT_A_MINUTE = 15.0


@pytest.fixture
def github():
    state = GitHubState()
    state.pulls[PR] = PullState(PR, "a" * 40, "b" * 40)
    with GitHubServer(state) as server:
        yield state, server
    assert state.count("GET", r"/user$") == 0


def client(
    server: GitHubServer, state: GitHubState, wait_limit: float | None = None, **tuning: float
) -> PyGithubClient:
    settings = {
        "seconds_between_requests": 0.0,
        "seconds_between_writes": 0.0,
        "retries": 5,
        "backoff_factor": 0.0,
        "max_wait": 30.0,
        **tuning,
    }
    return PyGithubClient(
        state.token,
        state.full_name,
        api_url=server.api_url,
        seconds_between_requests=settings["seconds_between_requests"],
        seconds_between_writes=settings["seconds_between_writes"],
        retries=int(settings["retries"]),
        backoff_factor=settings["backoff_factor"],
        max_wait=settings["max_wait"],
        wait_limit=wait_limit,
    )


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_limit_without_retry_after_waits_until_the_reset(github, status) -> None:
    state, server = github
    state.rate_limit_first = 1
    state.rate_limit_status = status
    state.retry_after = None
    state.reset_in = 2  # one to two seconds from now
    started = time.monotonic()
    assert client(server, state).pull_request(PR).number == PR
    elapsed = time.monotonic() - started
    first, second = state.requests
    assert (first.status, second.status) == (status, 200)
    assert first.path == second.path
    (reset,) = state.rate_resets
    assert second.at >= reset - 0.05, "retried before x-ratelimit-reset"
    assert elapsed < NOT_A_MINUTE, "waited the fixed minute instead of until the reset"


def test_a_far_reset_is_waited_for_at_most_the_cap(github) -> None:
    state, server = github
    state.rate_limit_first = 1
    state.retry_after = None
    state.reset_in = 3600
    started = time.monotonic()
    assert client(server, state, max_wait=1.0).pull_request(PR).number == PR
    elapsed = time.monotonic() - started
    assert [r.status for r in state.requests] == [403, 200]
    assert 0.9 <= elapsed < NOT_A_MINUTE


def test_retry_after_is_honoured_before_the_reset_header(github) -> None:
    state, server = github
    state.rate_limit_first = 1
    state.rate_limit_status = 429
    state.retry_after = 1
    state.reset_in = 3600
    started = time.monotonic()
    assert client(server, state, max_wait=5.0).pull_request(PR).number == PR
    elapsed = time.monotonic() - started
    assert [r.status for r in state.requests] == [429, 200]
    assert 0.9 <= elapsed < 4.0


def test_an_exhausted_primary_limit_far_off_is_not_waited_for(github) -> None:
    state, server = github
    state.rate_limit_first = 1
    state.rate_limit_message = "API rate limit exceeded for installation ID 1."
    state.rate_remaining = 0
    state.retry_after = None
    state.reset_in = 3600
    started = time.monotonic()
    with pytest.raises(GitHubError, match=r"rate limit.*wait \d+ s, longer than the 2 s") as error:
        client(server, state, max_wait=2.0).pull_request(PR)
    assert not isinstance(error.value, PermissionDenied)
    assert time.monotonic() - started < 1.0
    assert len(state.requests) == 1


def test_retries_are_bounded(github) -> None:
    state, server = github
    state.rate_limit_first = 100
    state.retry_after = 0
    with pytest.raises(GitHubError, match="gave up after the bounded retries"):
        client(server, state, retries=3).pull_request(PR)
    assert len(state.requests) == 4  # the first try and three retries


def test_a_missing_permission_is_not_retried(github) -> None:
    state, server = github
    state.read_only = True
    with pytest.raises(PermissionDenied, match=NOT_ACCESSIBLE):
        client(server, state).create_issue_comment(PR, "hello")
    assert len(state.requests) == 1


def test_the_waits_of_a_run_are_bounded_in_all(github) -> None:
    # Each wait is within max_wait; together they would pass the run's limit.
    state, server = github
    state.rate_limit_first = 100
    state.retry_after = 1
    github_client = client(server, state, wait_limit=1.5, max_wait=30.0)
    started = time.monotonic()
    with pytest.raises(GitHubError, match=r"waited 1 s of the 2 s it may wait in all") as error:
        github_client.pull_request(PR)
    assert "wait-limit" in str(error.value)
    assert 0.9 <= time.monotonic() - started < 1.5
    assert len(state.requests) == 2  # the first try, one retry after 1 s, then no more waits
    # the budget is the run's: a later request does not wait either
    before = len(state.requests)
    with pytest.raises(GitHubError, match="wait-limit"):
        github_client.create_issue_comment(PR, "hello")
    assert len(state.requests) == before + 1
