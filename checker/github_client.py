"""GitHub behind a narrow port that speaks our types; the only module that imports PyGithub."""

from __future__ import annotations

import base64
import enum
import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from urllib3.exceptions import HTTPError, InvalidHeader
from urllib3.util.retry import Retry  # the base class of GitHubRetry: loaded with the module

# The approval's value types, which this port returns.
from checker.approval import LabelEvent, Role
from checker.errors import GitHubError, InputError

if TYPE_CHECKING:
    # PyGithub and requests are imported where a client uses them, so that a run that posts
    # nothing (the CLI, an Action without a token) does not load them (0.1 s).
    from github import GithubException, RateLimitExceededException

T = TypeVar("T")

# The message GitHub sends with 403 when the token lacks a permission, for example the
# read-only GITHUB_TOKEN of a pull request from a fork ("Permissions for the GITHUB_TOKEN").
NOT_ACCESSIBLE = "Resource not accessible by integration"
PER_PAGE = 100


class Permission(enum.Enum):
    """Token permissions the Action may need, as written in a workflow's ``permissions:``."""

    CHECKS_WRITE = "checks: write"
    PULL_REQUESTS_WRITE = "pull-requests: write"
    PULL_REQUESTS_READ = "pull-requests: read"
    CONTENTS_READ = "contents: read"
    ISSUES_READ = "issues: read"
    METADATA_READ = "metadata: read"


class ReviewEvent(enum.Enum):
    """Review events this tool submits."""

    REQUEST_CHANGES = "REQUEST_CHANGES"
    COMMENT = "COMMENT"


class PermissionDenied(GitHubError):
    """The token may not do this (403 "Resource not accessible by integration")."""

    def __init__(self, permission: Permission, detail: str) -> None:
        super().__init__(f"the token lacks '{permission.value}' ({detail})")
        self.permission = permission


@dataclass(frozen=True, slots=True)
class CheckRunRef:
    """A check run we created; ``app_slug`` names the app that owns the token."""

    id: int
    app_slug: str


@dataclass(frozen=True, slots=True)
class PullInfo:
    """What the pull request says right now; repositories as ``owner/name``."""

    number: int
    state: str
    head_sha: str
    base_sha: str
    labels: tuple[str, ...]
    changed_files: int | None = None  # how many files "Files changed" counts
    author: str = ""  # the login of the user who opened it
    head_repository: str = ""  # empty when the head repository was deleted
    base_repository: str = ""
    base_ref: str = ""


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """One entry of the pull request's "Files changed"."""

    path: str
    status: str
    previous_path: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two commits compared the way GitHub's "Files changed" does: from their merge base."""

    merge_base: str
    files: tuple[ChangedFile, ...]


@dataclass(frozen=True, slots=True)
class FileContent:
    """A file at a commit; ``data`` is None when it is not a regular file (a symlink, ...);
    ``target`` is a symlink's target as stored, when GitHub answers with the link itself."""

    path: str
    kind: str
    data: bytes | None
    target: str | None = None


@dataclass(frozen=True, slots=True)
class TreeItem:
    """One entry of a commit's recursive tree: blob, tree or commit (a submodule)."""

    path: str
    mode: str
    kind: str
    sha: str
    size: int | None


@dataclass(frozen=True, slots=True)
class Comment:
    """An issue comment or a review: id, author and body."""

    id: int
    author: str
    author_type: str
    body: str
    state: str = ""
    commit_id: str = ""


class GitHubPort(Protocol):
    """What the Action asks of GitHub; the app logic is tested against a fake of this."""

    def create_check_run(
        self, name: str, head_sha: str, conclusion: str, output: dict[str, Any]
    ) -> CheckRunRef: ...

    def update_check_run(self, check_run_id: int, output: dict[str, Any]) -> None: ...

    def pull_request(self, number: int) -> PullInfo: ...

    def changed_files(self, number: int) -> list[ChangedFile]: ...

    def pulls_for_commit(self, sha: str) -> list[int]: ...

    def commit_pulls(self, sha: str) -> list[PullInfo]: ...

    def compare(self, base: str, head: str) -> Comparison: ...

    def file_content(self, path: str, ref: str) -> FileContent | None: ...

    def tree(self, sha: str) -> list[TreeItem]: ...

    def folder(self, commit: str, path: str) -> list[TreeItem] | None: ...

    def archive(self, commit: str) -> AbstractContextManager[IO[bytes]]: ...

    def issue_comments(self, number: int) -> list[Comment]: ...

    def create_issue_comment(self, number: int, body: str) -> Comment: ...

    def edit_issue_comment(self, comment_id: int, body: str) -> None: ...

    def reviews(self, number: int) -> list[Comment]: ...

    def create_review(
        self, number: int, head_sha: str, body: str, event: ReviewEvent
    ) -> Comment: ...

    def edit_review(self, number: int, review_id: int, body: str) -> None: ...

    def dismiss_review(self, number: int, review_id: int, message: str) -> None: ...

    def label_events(self, number: int) -> list[LabelEvent]: ...

    def role(self, login: str) -> Role: ...


# Rate-limit answers: 403 or 429 ("Rate limits for the REST API"); 5xx are retried as well.
RATE_LIMITED = (403, 429)
# GitHub: without retry-after or an exhausted primary limit, "wait for at least one minute".
SECONDARY_DEFAULT_WAIT = 60.0


def _header(headers: Any, name: str) -> str:
    value = headers.get(name)
    return value.strip() if isinstance(value, str) else ""


def _body(response: Any) -> Any:
    """The JSON body of an error response (``{}`` when it is not JSON)."""
    try:
        data = json.loads(response.data or b"{}")
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


class WaitLimitReached(Exception):
    """A retry would wait past what the run may wait for GitHub in all (raised from inside
    urllib3, which passes it through requests and PyGithub unchanged)."""


@dataclass
class WaitBudget:
    """How long one run may wait for GitHub in all, across every retry of every request
    (the ``wait-limit`` input); mutable, shared by the retry states of one client."""

    limit: float
    spent: float = 0.0

    def take(self, seconds: float) -> None:
        """Account for a wait, or raise :class:`WaitLimitReached` when it would not fit."""
        if seconds <= 0:
            return
        if self.spent + seconds > self.limit:
            raise WaitLimitReached(
                f"stopped waiting for GitHub: it asks for {seconds:.0f} s more, and this run has "
                f"waited {self.spent:.0f} s of the {self.limit:.0f} s it may wait in all (the "
                "wait-limit input)"
            )
        self.spent += seconds


class GitHubRetry(Retry):
    """Bounded retries of 5xx, 429 and rate-limited 403 answers, waiting as GitHub asks.

    "Handle rate limit errors appropriately" (GitHub's REST best practices): wait for
    ``retry-after`` seconds when it is sent; else, when ``x-ratelimit-remaining`` is 0, until
    ``x-ratelimit-reset``; else, for a secondary limit, until ``x-ratelimit-reset`` too when it
    lies ahead (at most ``max_wait``), or a minute; and wait exponentially longer while the
    limit persists. A primary limit or a ``retry-after`` further off than ``max_wait`` is not
    waited for: it raises RateLimitExceededException at once. A 403 that is no rate limit
    (a missing permission) is not retried. ``total`` bounds the number of retries, ``budget``
    the time all retries of the run wait together.
    """

    def __init__(
        self,
        *,
        max_wait: float = 300.0,
        wait: float | None = None,
        budget: WaitBudget | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_wait = max_wait
        self.wait = wait
        self.budget = budget
        # Retry-After is honoured (and bounded) here rather than by urllib3, which would
        # sleep for whatever the header says.
        kwargs["respect_retry_after_header"] = False
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> GitHubRetry:
        kw.setdefault("max_wait", self.max_wait)
        kw.setdefault("wait", None)
        kw.setdefault("budget", self.budget)
        return super().new(**kw)

    def get_backoff_time(self) -> float:
        """The wait GitHub asked for, else urllib3's exponential backoff."""
        return self.wait if self.wait is not None else super().get_backoff_time()

    def _too_long(self, response: Any, data: Any, wait: float) -> RateLimitExceededException:
        from github import RateLimitExceededException

        message = data.get("message") if isinstance(data, dict) else None
        reason = (
            f"{message or 'rate limited'} (GitHub asks to wait {wait:.0f} s, longer than the "
            f"{self.max_wait:.0f} s this action waits; re-run the job later)"
        )
        return RateLimitExceededException(response.status, {"message": reason}, None)

    def _requested_wait(self, response: Any) -> float | None:
        """How long GitHub asks to wait before retrying this answer, or None: not said."""
        from github import GithubException

        headers = response.headers
        retry_after = _header(headers, "Retry-After")
        if retry_after:
            try:
                seconds = float(self.parse_retry_after(retry_after))
            except InvalidHeader:
                seconds = SECONDARY_DEFAULT_WAIT
            if seconds > self.max_wait:
                raise self._too_long(response, _body(response), seconds)
            return seconds
        if response.status not in RATE_LIMITED:
            return None
        data = _body(response)
        message = str(data.get("message", ""))
        primary = _header(headers, "X-RateLimit-Remaining") == "0"
        if response.status == 403 and not primary and "rate limit" not in message.lower():
            # Not a rate limit: a missing permission is final. PyGithub raises the same way.
            raise GithubException(response.status, data, dict(headers))
        reset = _header(headers, "X-RateLimit-Reset")
        until = float(reset) - time.time() if reset.isdigit() else 0.0
        if primary:
            if until > self.max_wait:
                raise self._too_long(response, data, until)
            return max(0.0, until)
        if until > 0:
            return min(until, self.max_wait)
        return min(SECONDARY_DEFAULT_WAIT, self.max_wait)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        """The next state; raises when out of retries or when a wait would be too long, for
        this request (``max_wait``) or for the run (``budget``)."""
        wait = self._requested_wait(response) if response is not None else None
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if wait is not None:
            # Longer each time while the limit persists, never past max_wait.
            retry = retry.new(wait=min(max(wait, retry.get_backoff_time()), self.max_wait))
        if self.budget is not None:
            try:
                self.budget.take(retry.get_backoff_time())
            except WaitLimitReached:
                if response is not None:
                    response.drain_conn()  # the connection goes back to the pool
                raise
        return retry


def make_retry(
    retries: int, backoff_factor: float, max_wait: float, budget: WaitBudget | None = None
) -> GitHubRetry:
    """The retry policy of every request: 5xx, 429 and rate-limited 403, ``retries`` times,
    waiting at most ``budget`` in all when one is given.

    PATCH and PUT are retried too, so check-run updates and review edits survive a 502.
    """
    return GitHubRetry(
        total=retries,
        backoff_factor=backoff_factor,
        max_wait=max_wait,
        budget=budget,
        status_forcelist=[*range(500, 600), *RATE_LIMITED],
        allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {"GET", "POST", "PATCH", "PUT"},
    )


class Malformed(ValueError):
    """GitHub answered 200 with something its API does not document (HTML from a proxy, a
    body cut short, a missing field)."""


def _field(data: Any, key: str, kind: type[T]) -> T:
    """``data[key]`` when it is a ``kind`` (an int is never a bool), else :class:`Malformed`."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{key!r} is {type(value).__name__}, not {kind.__name__}")
    return value


def _short(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 160 else text[:159] + "…"


def _message(error: GithubException) -> str:
    data = error.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return error.message or str(data)


def _comment(data: Any) -> Comment:
    """An issue comment from its JSON; :class:`Malformed` when the API's fields are missing."""
    author = _field(data, "user", dict)
    body = data.get("body") or ""
    if not isinstance(body, str):
        raise Malformed(f"'body' is {type(body).__name__}, not str")
    return Comment(
        _field(data, "id", int),
        _field(author, "login", str),
        str(author.get("type") or ""),
        body,
    )


def _review(data: Any) -> Comment:
    """A review from its JSON (a deleted user's review has no ``user``)."""
    user = data.get("user") if isinstance(data, dict) else None
    author: dict[str, Any] = user if isinstance(user, dict) else {}
    texts = {key: data.get(key) or "" for key in ("body", "state", "commit_id")}
    if not all(isinstance(value, str) for value in texts.values()):
        raise Malformed("a review's body, state or commit_id is not a string")
    return Comment(
        _field(data, "id", int),
        str(author.get("login") or ""),
        str(author.get("type") or ""),
        texts["body"],
        texts["state"],
        texts["commit_id"],
    )


def _pull(data: Any) -> PullInfo:
    """A pull request from its JSON; :class:`Malformed` when the API's fields are missing."""
    head, base = _field(data, "head", dict), _field(data, "base", dict)
    head_repo, base_repo = head.get("repo"), base.get("repo")
    head_repo = head_repo if isinstance(head_repo, dict) else {}
    base_repo = base_repo if isinstance(base_repo, dict) else {}
    count = data.get("changed_files")
    labels = data.get("labels") or ()
    opener = data.get("user")
    login = opener.get("login") if isinstance(opener, dict) else None
    return PullInfo(
        number=_field(data, "number", int),
        state=_field(data, "state", str),
        head_sha=_field(head, "sha", str),
        base_sha=_field(base, "sha", str),
        labels=tuple(str(label.get("name", "")) for label in labels if isinstance(label, dict)),
        changed_files=count if isinstance(count, int) and not isinstance(count, bool) else None,
        author=login if isinstance(login, str) else "",
        head_repository=str(head_repo.get("full_name") or ""),
        base_repository=str(base_repo.get("full_name") or ""),
        base_ref=str(base.get("ref") or ""),
    )


def guarded(permission: Permission, action: Callable[[], T]) -> T:
    """Run one PyGithub call; every way it fails becomes a :class:`GitHubError` (a 401 or
    403 a :class:`PermissionDenied` naming ``permission``)."""
    import requests
    from github import GithubException, RateLimitExceededException

    try:
        return action()
    except WaitLimitReached as error:
        raise GitHubError(str(error)) from None
    except RateLimitExceededException as error:
        raise GitHubError(f"GitHub's rate limit: {_message(error)}") from None
    except GithubException as error:
        message = _message(error)
        if error.status == 403 and NOT_ACCESSIBLE.lower() in message.lower():
            raise PermissionDenied(permission, message) from None
        if error.status in (401, 403):
            raise PermissionDenied(permission, f"{error.status}: {message}") from None
        raise GitHubError(f"GitHub API error {error.status}: {message}") from None
    except requests.exceptions.RetryError:
        raise GitHubError(
            "the GitHub API kept answering with server errors or rate limits; gave up "
            "after the bounded retries (re-run the job later)"
        ) from None
    except requests.RequestException as error:
        raise GitHubError(f"GitHub API unreachable: {type(error).__name__}") from None
    except (KeyError, TypeError, AttributeError, ValueError, AssertionError) as error:
        # A 200 that is not JSON, or JSON without the fields the API documents: PyGithub
        # fails on it in many ways; none of them may crash the run or be taken as success.
        raise GitHubError(
            f"GitHub's answer is not what the API documents ({type(error).__name__}: "
            f"{_short(error)}); it was not used"
        ) from None


def _tree_items(tree: Any) -> list[TreeItem]:
    """A git tree's entries (PyGithub objects) as TreeItems; only blobs have a size."""
    return [
        TreeItem(e.path, e.mode, e.type, e.sha, e.size if e.type == "blob" else None)
        for e in tree.tree
    ]


class PyGithubClient:
    """GitHubPort over PyGithub. Never calls ``GET /user`` (installation tokens cannot)."""

    def __init__(
        self,
        token: str,
        repository: str,
        *,
        api_url: str = "https://api.github.com",
        seconds_between_requests: float = 0.25,
        seconds_between_writes: float = 1.0,
        retries: int = 5,
        backoff_factor: float = 1.0,
        max_wait: float = 300.0,
        wait_limit: float | None = None,
    ) -> None:
        from github import Auth, Github

        budget = None if wait_limit is None else WaitBudget(wait_limit)
        self._github = Github(
            base_url=api_url,
            auth=Auth.Token(token),
            retry=make_retry(retries, backoff_factor, max_wait, budget),
            seconds_between_requests=seconds_between_requests or None,
            seconds_between_writes=seconds_between_writes or None,
            per_page=PER_PAGE,
            lazy=True,
        )
        self._repo = self._github.get_repo(repository)

    def _call(self, permission: Permission, action: Callable[[], T]) -> T:
        return guarded(permission, action)

    def create_check_run(
        self, name: str, head_sha: str, conclusion: str, output: dict[str, Any]
    ) -> CheckRunRef:
        def create() -> CheckRunRef:
            run = self._repo.create_check_run(
                name=name,
                head_sha=head_sha,
                status="completed",
                conclusion=conclusion,
                output=output,
            )
            data = run.raw_data
            app = data.get("app") or {}
            slug = app.get("slug") if isinstance(app, dict) else None
            return CheckRunRef(_field(data, "id", int), slug if isinstance(slug, str) else "")

        return self._call(Permission.CHECKS_WRITE, create)

    def update_check_run(self, check_run_id: int, output: dict[str, Any]) -> None:
        self._call(
            Permission.CHECKS_WRITE,
            lambda: self._repo.get_check_run(check_run_id).edit(output=output),
        )

    def pull_request(self, number: int) -> PullInfo:
        return self._call(
            Permission.PULL_REQUESTS_READ, lambda: _pull(self._repo.get_pull(number).raw_data)
        )

    def changed_files(self, number: int) -> list[ChangedFile]:
        def fetch() -> list[ChangedFile]:
            return [
                ChangedFile(f.filename, f.status, f.previous_filename or None)
                for f in self._repo.get_pull(number).get_files()
            ]

        return self._call(Permission.PULL_REQUESTS_READ, fetch)

    def pulls_for_commit(self, sha: str) -> list[int]:
        """Pull requests of a commit: the merged one that brought it in, else open ones."""

        def fetch() -> list[int]:
            return [pull.number for pull in self._repo.get_commit(sha).get_pulls()]

        return self._call(Permission.PULL_REQUESTS_READ, fetch)

    def commit_pulls(self, sha: str) -> list[PullInfo]:
        """The pull requests GitHub lists for a commit, with their head and base (the list
        carries no counts: ``changed_files`` is None)."""

        def fetch() -> list[PullInfo]:
            return [_pull(pull.raw_data) for pull in self._repo.get_commit(sha).get_pulls()]

        return self._call(Permission.PULL_REQUESTS_READ, fetch)

    def compare(self, base: str, head: str) -> Comparison:
        def fetch() -> Comparison:
            data = self._repo.compare(base, head).raw_data
            files = tuple(
                ChangedFile(
                    str(f["filename"]), str(f.get("status", "")), f.get("previous_filename")
                )
                for f in data.get("files") or ()
            )
            return Comparison(str(data["merge_base_commit"]["sha"]), files)

        return self._call(Permission.CONTENTS_READ, fetch)

    def file_content(self, path: str, ref: str) -> FileContent | None:
        def fetch() -> FileContent | None:
            from github import GithubException

            try:
                found = self._repo.get_contents(path, ref=ref)
            except GithubException as error:
                if error.status == 404:
                    return None
                raise
            if isinstance(found, list):
                return FileContent(path, "dir", None)
            if found.type != "file":
                # A link to a file of the repository comes back as that file; any other link
                # as itself, with its target (docs.github.com, "Get repository content").
                target = found.raw_data.get("target") if found.type == "symlink" else None
                return FileContent(
                    path, found.type, None, target if isinstance(target, str) else None
                )
            if found.encoding == "none" or found.content in (None, ""):
                # Files over 1 MB come without content; the blob API has them.
                if found.size == 0:
                    return FileContent(path, "file", b"")
                blob = self._repo.get_git_blob(found.sha)
                return FileContent(path, "file", base64.b64decode(blob.content))
            return FileContent(path, "file", found.decoded_content)

        return self._call(Permission.CONTENTS_READ, fetch)

    def tree(self, sha: str) -> list[TreeItem]:
        def fetch() -> list[TreeItem]:
            found = self._repo.get_git_tree(sha, recursive=True)
            if found.raw_data.get("truncated"):
                raise InputError(
                    f"GitHub lists the tree of {sha[:12]} only in part (more than 100,000 "
                    "entries or 7 MB), so its manifests cannot all be found through the API"
                )
            return _tree_items(found)

        return self._call(Permission.CONTENTS_READ, fetch)

    def folder(self, commit: str, path: str) -> list[TreeItem] | None:
        """The entries directly in folder ``path`` ("" for the top) at ``commit``, named
        relative to it; None when there is no such folder. One request per level."""

        def fetch() -> list[TreeItem] | None:
            found = self._repo.get_git_tree(commit)
            for part in [p for p in path.split("/") if p]:
                entry = next((e for e in found.tree if e.path == part), None)
                if entry is None or entry.type != "tree":
                    return None
                found = self._repo.get_git_tree(entry.sha)
            if found.raw_data.get("truncated"):
                raise Malformed(f"GitHub lists the folder {path or '/'} only in part")
            return _tree_items(found)

        return self._call(Permission.CONTENTS_READ, fetch)

    @contextmanager
    def archive(self, commit: str) -> Iterator[IO[bytes]]:
        """The commit's tarball as a stream (``.tar.gz``): one API request for its address,
        one download from there.

        GitHub answers ``GET /tarball/{ref}`` with a redirect to codeload, whose address
        carries a short-lived token of its own (private repositories); the download is made
        without our token, which must not travel to another host, and its address is never
        shown, since it is a credential too.
        """
        import requests

        address = self._call(
            Permission.CONTENTS_READ, lambda: self._repo.get_archive_link("tarball", commit)
        )
        host = urlsplit(address).hostname if isinstance(address, str) else None
        if not isinstance(address, str) or urlsplit(address).scheme not in ("http", "https"):
            raise GitHubError(f"GitHub named no download address for the archive of {commit[:12]}")
        try:
            with requests.get(address, stream=True, timeout=(10, 60)) as response:
                if response.status_code != 200:
                    raise GitHubError(
                        f"the archive of {commit[:12]} could not be downloaded from {host} "
                        f"(HTTP {response.status_code})"
                    )
                response.raw.decode_content = False  # the .tar.gz as it is
                yield response.raw
        except (requests.RequestException, HTTPError, OSError) as error:
            # requests' own errors, and urllib3's and the socket's while the stream is read
            raise GitHubError(
                f"the archive of {commit[:12]} could not be downloaded from {host} "
                f"({type(error).__name__})"
            ) from None

    def issue_comments(self, number: int) -> list[Comment]:
        def fetch() -> list[Comment]:
            return [_comment(c.raw_data) for c in self._repo.get_issue(number).get_comments()]

        return self._call(Permission.PULL_REQUESTS_READ, fetch)

    def create_issue_comment(self, number: int, body: str) -> Comment:
        def create() -> Comment:
            return _comment(self._repo.get_issue(number).create_comment(body).raw_data)

        return self._call(Permission.PULL_REQUESTS_WRITE, create)

    def edit_issue_comment(self, comment_id: int, body: str) -> None:
        self._call(
            Permission.PULL_REQUESTS_WRITE,
            lambda: self._repo.get_issue(0).get_comment(comment_id).edit(body),
        )

    def reviews(self, number: int) -> list[Comment]:
        def fetch() -> list[Comment]:
            return [_review(r.raw_data) for r in self._repo.get_pull(number).get_reviews()]

        return self._call(Permission.PULL_REQUESTS_READ, fetch)

    def create_review(self, number: int, head_sha: str, body: str, event: ReviewEvent) -> Comment:
        def create() -> Comment:
            pull = self._repo.get_pull(number)
            commit = self._repo.get_commit(head_sha)
            made = pull.create_review(commit=commit, body=body, event=event.value)
            review = _review(made.raw_data)
            return replace(review, commit_id=review.commit_id or head_sha)

        return self._call(Permission.PULL_REQUESTS_WRITE, create)

    def edit_review(self, number: int, review_id: int, body: str) -> None:
        self._call(
            Permission.PULL_REQUESTS_WRITE,
            lambda: self._repo.get_pull(number).get_review(review_id).edit(body),
        )

    def dismiss_review(self, number: int, review_id: int, message: str) -> None:
        self._call(
            Permission.PULL_REQUESTS_WRITE,
            lambda: self._repo.get_pull(number).get_review(review_id).dismiss(message),
        )

    def label_events(self, number: int) -> list[LabelEvent]:
        def fetch() -> list[LabelEvent]:
            events = []
            for event in self._repo.get_issue(number).get_events():
                if event.event not in ("labeled", "unlabeled") or event.label is None:
                    continue
                events.append(
                    LabelEvent(
                        label=event.label.name,
                        added=event.event == "labeled",
                        actor=event.actor.login if event.actor else "",
                        created_at=event.created_at.isoformat() if event.created_at else "",
                    )
                )
            return events

        return self._call(Permission.ISSUES_READ, fetch)

    def role(self, login: str) -> Role:
        def fetch() -> Role:
            from github import GithubException

            try:
                value = self._repo.get_collaborator_permission(login)
            except GithubException as error:
                if error.status == 404:
                    return Role.NONE
                raise
            try:
                return Role(value)
            except ValueError:
                return Role.NONE

        return self._call(Permission.METADATA_READ, fetch)
