"""A small stand-in for the GitHub REST API on 127.0.0.1, for end-to-end tests with PyGithub.

It answers with the JSON shapes GitHub documents, paginates with Link headers, validates every
request body against githubkit's pydantic models of GitHub's request bodies (an invalid or
unknown body gets 422, like GitHub, and is recorded so the test fails), and records every
request (with the time it arrived and its Authorization header). Switches simulate a
read-only token, 5xx errors, primary and secondary rate limits (403 or 429, with or without
retry-after and x-ratelimit-reset) and comments by other users that carry the action's
marker; scripted faults (:class:`Fault`) answer chosen requests with any status, headers and
body: an error text that echoes the token, a malformed 200, a transient 404. Commit archives
are real ``git archive`` tarballs behind a redirect to a codeload address with its own token,
as GitHub serves them.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
import typing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from githubkit_schemas.v2026_03_10 import models
from pydantic import BaseModel, ValidationError

PREFIX = "/api/v3"
# where archives are served from (codeload.github.com on github.com), on the same server here
CODELOAD = "/_codeload"
NOT_ACCESSIBLE = "Resource not accessible by integration"
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)

# (method, route regex) -> the body models GitHub accepts there (any one of them).
BODY_MODELS: dict[tuple[str, str], tuple[type[BaseModel], ...]] = {
    ("POST", "check-runs"): (
        models.ReposOwnerRepoCheckRunsPostBodyOneof0,
        models.ReposOwnerRepoCheckRunsPostBodyOneof1,
    ),
    ("PATCH", "check-run"): (
        models.ReposOwnerRepoCheckRunsCheckRunIdPatchBodyAnyof0,
        models.ReposOwnerRepoCheckRunsCheckRunIdPatchBodyAnyof1,
    ),
    ("POST", "issue-comments"): (models.ReposOwnerRepoIssuesIssueNumberCommentsPostBody,),
    ("PATCH", "issue-comment"): (models.ReposOwnerRepoIssuesCommentsCommentIdPatchBody,),
    ("POST", "reviews"): (models.ReposOwnerRepoPullsPullNumberReviewsPostBody,),
    ("PUT", "review"): (models.ReposOwnerRepoPullsPullNumberReviewsReviewIdPutBody,),
    ("PUT", "dismissals"): (models.ReposOwnerRepoPullsPullNumberReviewsReviewIdDismissalsPutBody,),
}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """BaseModel classes inside an annotation (through unions, lists and Literal)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found


def unknown_keys(model: type[BaseModel], data: Any, where: str = "") -> list[str]:
    """Keys of ``data`` that the model (and its nested models) does not declare."""
    if not isinstance(data, dict):
        return []
    by_name = {}
    for name, info in model.model_fields.items():
        by_name[info.alias or name] = info
        by_name[name] = info
    problems = []
    for key, value in data.items():
        info = by_name.get(key)
        if info is None:
            problems.append(f"{where}/{key}")
            continue
        nested = _models_in(info.annotation)
        if not nested:
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            here = f"{where}/{key}" + (f"/{index}" if isinstance(value, list) else "")
            options = [unknown_keys(m, item, here) for m in nested]
            if options and all(options):
                problems.extend(options[0])
    return problems


def validate_body(route: tuple[str, str], body: Any) -> str | None:
    """None when one of the route's models accepts the body exactly, else the reason."""
    candidates = BODY_MODELS.get(route)
    if candidates is None:
        return None if body is None else f"no body expected for {route}"
    reasons = []
    for model in candidates:
        try:
            model.model_validate(body)
        except ValidationError as error:
            reasons.append(
                f"{model.__name__}: {error.errors()[0]['msg']} at {error.errors()[0]['loc']}"
            )
            continue
        extra = unknown_keys(model, body)
        if extra:
            reasons.append(f"{model.__name__}: unknown keys {extra}")
            continue
        return None
    return "; ".join(reasons)


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0
    at: float = field(default_factory=time.time)
    authorization: str = ""  # the Authorization header the request carried


def user(login: str) -> dict[str, Any]:
    """A user object as GitHub returns it."""
    kind = "Bot" if login.endswith("[bot]") else "User"
    return {"login": login, "id": abs(hash(login)) % 10**8, "type": kind, "site_admin": False}


@dataclass
class Fault:
    """A scripted answer for the next ``times`` requests that match ``method`` and ``pattern``
    (a regex searched in the path after ``/repos/{owner}/{repo}``): an error GitHub sends
    (a status, its JSON body, headers such as retry-after) or a malformed 200 (``body`` as
    bytes is sent as it is, with ``content_type``)."""

    method: str
    pattern: str
    status: int
    body: Any
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    hits: int = 0


@dataclass
class PullState:
    """One pull request."""

    number: int
    head_sha: str
    base_sha: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    merge_commit_sha: str | None = None
    # who opened it (GET /pulls/{n} answers with its "user")
    author: str = "contributor"
    # what "changed_files" says, when it should differ from the listed files (the API lists
    # at most 3,000)
    changed_count: int | None = None
    # owner/name of the head repository: a fork's, or None for this repository's own branch
    head_repo: str | None = None
    base_ref: str = "main"
    head_ref: str = "feature"


@dataclass
class GitHubState:
    """Everything the fake GitHub knows, plus the switches and the request log."""

    owner: str = "acme"
    repo: str = "extensions"
    token: str = "ghs_test_token_not_secret"
    bot: str = "github-actions[bot]"
    app_slug: str = "github-actions"
    pulls: dict[int, PullState] = field(default_factory=dict)
    # (base, head) -> merge base; files of a compare come from git diffs the test registers.
    compares: dict[tuple[str, str], tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    # (ref, path) -> bytes, or ("symlink", target)
    contents: dict[tuple[str, str], Any] = field(default_factory=dict)
    # commit -> its recursive tree, as GET /git/trees/{sha}?recursive=1 lists it
    trees: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trees_truncated: bool = False
    # commit -> its tarball (.tar.gz, as `git archive` makes it): GET /tarball/{ref} answers
    # 302 to a codeload address that carries its own short-lived token, like GitHub's
    archives: dict[str, bytes] = field(default_factory=dict)
    codeload_token: str = "codeload_token_not_secret"
    comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    permissions: dict[str, str] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    # switches
    faults: list[Fault] = field(default_factory=list)
    read_only: bool = False
    # GET paths (regexes on the path after the repository) a token without the permission
    # for them gets 403 "Resource not accessible by integration" on
    forbidden: list[str] = field(default_factory=list)
    fail_first: int = 0
    rate_limit_first: int = 0
    rate_limit_status: int = 403
    rate_limit_message: str = SECONDARY
    retry_after: int | None = 1
    # x-ratelimit-reset: this many whole seconds after the current second (None: not sent);
    # rate_resets records each value sent.
    reset_in: int | None = None
    rate_remaining: int = 4999
    rate_resets: list[int] = field(default_factory=list)
    page_size: int = 100
    # log
    requests: list[Recorded] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    def count(self, method: str | None = None, pattern: str = "") -> int:
        """How many requests matched (method and a regex on the path)."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method) and re.search(pattern, r.path)
        )

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method in ("POST", "PATCH", "PUT", "DELETE")]

    def add_comment(self, number: int, author: str, body: str) -> dict[str, Any]:
        comment = {"id": next(self.ids), "issue": number, "user": user(author), "body": body}
        self.comments.append(comment)
        return comment

    def label(self, number: int, name: str, actor: str, *, added: bool = True) -> None:
        self.events.append(
            {
                "id": next(self.ids),
                "issue": number,
                "event": "labeled" if added else "unlabeled",
                "label": {"name": name, "color": "ededed"},
                "actor": user(actor),
                "created_at": f"2026-01-0{1 + len(self.events) % 9}T10:00:00Z",
            }
        )
        pull = self.pulls[number]
        if added and name not in pull.labels:
            pull.labels.append(name)
        if not added and name in pull.labels:
            pull.labels.remove(name)

    def rename_label(self, old: str, new: str) -> None:
        """Rename a repository label: pull requests show the new name, while the issue
        events keep the name the label had when it was applied."""
        for pull in self.pulls.values():
            pull.labels = [new if name == old else name for name in pull.labels]

    def delete_label(self, name: str) -> None:
        """Delete a repository label: it leaves every pull request without an event."""
        for pull in self.pulls.values():
            pull.labels = [label for label in pull.labels if label != name]


class Reply(Exception):
    def __init__(
        self,
        status: int,
        data: Any,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        super().__init__(status)
        self.status = status
        self.data = data
        self.headers = headers or {}
        self.content_type = content_type


def _not_found() -> Reply:
    return Reply(
        404,
        {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
    )


class Handler(BaseHTTPRequestHandler):
    """Routes a request to the state; one instance per request."""

    server: GitHubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(
        self,
        status: int,
        data: Any,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        if isinstance(data, bytes):
            payload = data
        else:
            payload = b"" if data is None else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        record = Recorded(
            self.command, path, query, body, authorization=self.headers.get("Authorization", "")
        )
        with state.lock:
            state.requests.append(record)
        content_type = "application/json; charset=utf-8"
        try:
            self._check(state, record)
            status, data, headers = self._route(state, record)
        except Reply as reply:
            status, data, headers = reply.status, reply.data, reply.headers
            content_type = reply.content_type
        record.status = status
        self._send(status, data, headers, content_type)

    def _check(self, state: GitHubState, record: Recorded) -> None:
        codeload = record.path.startswith(CODELOAD)
        auth = self.headers.get("Authorization", "")
        # codeload checks the token in its address, not an Authorization header
        if not codeload and auth not in (f"token {state.token}", f"Bearer {state.token}"):
            raise Reply(401, {"message": "Bad credentials"})
        repo_path = record.path.split(f"/repos/{state.full_name}", 1)[-1]
        with state.lock:
            for fault in state.faults:
                if fault.hits >= fault.times or fault.method != record.method:
                    continue
                if re.search(fault.pattern, repo_path):
                    fault.hits += 1
                    raise Reply(fault.status, fault.body, dict(fault.headers), fault.content_type)
            if codeload:
                return
            if state.fail_first > 0:
                state.fail_first -= 1
                raise Reply(502, {"message": "Server Error"})
            if state.rate_limit_first > 0:
                state.rate_limit_first -= 1
                headers = {"X-RateLimit-Remaining": str(state.rate_remaining)}
                if state.retry_after is not None:
                    headers["Retry-After"] = str(state.retry_after)
                if state.reset_in is not None:
                    reset = int(time.time()) + state.reset_in
                    state.rate_resets.append(reset)
                    headers["X-RateLimit-Reset"] = str(reset)
                raise Reply(
                    state.rate_limit_status,
                    {
                        "message": state.rate_limit_message,
                        "documentation_url": "https://docs.github.com",
                    },
                    headers,
                )
        blocked = any(re.search(pattern, repo_path) for pattern in state.forbidden)
        if blocked or (state.read_only and record.method in ("POST", "PATCH", "PUT", "DELETE")):
            raise Reply(
                403,
                {
                    "message": NOT_ACCESSIBLE,
                    "documentation_url": "https://docs.github.com/rest",
                },
            )

    def _validated(self, state: GitHubState, route: tuple[str, str], body: Any) -> Any:
        problem = validate_body(route, body)
        if problem is not None:
            with state.lock:
                state.invalid.append(f"{route}: {problem}")
            raise Reply(422, {"message": "Invalid request.", "errors": [problem]})
        return body

    def _page(
        self, state: GitHubState, record: Recorded, items: list[Any]
    ) -> tuple[int, Any, dict[str, str]]:
        per_page = int(record.query.get("per_page", ["30"])[0])
        size = max(1, min(per_page, 100, state.page_size))
        page = int(record.query.get("page", ["1"])[0])
        chunk = items[(page - 1) * size : page * size]
        last = max(1, -(-len(items) // size))
        headers = {}
        if page < last:
            base = f"http://{self.headers['Host']}{record.path}"
            headers["Link"] = (
                f'<{base}?per_page={per_page}&page={page + 1}>; rel="next", '
                f'<{base}?per_page={per_page}&page={last}>; rel="last"'
            )
        return 200, chunk, headers

    def _route(self, state: GitHubState, record: Recorded) -> tuple[int, Any, dict[str, str]]:
        host = f"http://{self.headers['Host']}{PREFIX}"
        path = record.path
        if path.startswith(CODELOAD):
            return self._codeload(state, record)
        if path == f"{PREFIX}/user":
            raise Reply(403, {"message": NOT_ACCESSIBLE})
        repo_prefix = f"{PREFIX}/repos/{state.owner}/{state.repo}"
        if not path.startswith(repo_prefix):
            raise _not_found()
        rest = path[len(repo_prefix) :]
        repo_url = f"{host}/repos/{state.full_name}"
        method = record.method
        body = record.body

        if rest == "/check-runs" and method == "POST":
            self._validated(state, ("POST", "check-runs"), body)
            run_id = next(state.ids)
            run = {
                "id": run_id,
                "name": body["name"],
                "head_sha": body["head_sha"],
                "status": body.get("status", "queued"),
                "conclusion": body.get("conclusion"),
                "url": f"{repo_url}/check-runs/{run_id}",
                "html_url": f"https://github.example/{state.full_name}/runs/{run_id}",
                "app": {"id": 15368, "slug": state.app_slug, "name": "GitHub Actions"},
                "output": dict(body.get("output") or {}),
                "annotations": list((body.get("output") or {}).get("annotations") or []),
            }
            state.check_runs[run_id] = run
            return 201, _public_run(run), {}
        if m := re.fullmatch(r"/check-runs/(\d+)", rest):
            run = state.check_runs.get(int(m.group(1)))
            if run is None:
                raise _not_found()
            if method == "PATCH":
                self._validated(state, ("PATCH", "check-run"), body)
                output = body.get("output") or {}
                run["annotations"].extend(output.get("annotations") or [])
                run["output"].update({k: v for k, v in output.items() if k != "annotations"})
                for key in ("status", "conclusion", "name"):
                    if key in body:
                        run[key] = body[key]
            return 200, _public_run(run), {}
        if m := re.fullmatch(r"/compare/([0-9a-f]+)\.\.\.([0-9a-f]+)", rest):
            found = state.compares.get((m.group(1), m.group(2)))
            if found is None:
                raise _not_found()
            merge_base, files = found
            data = {
                "url": f"{repo_url}/compare/{m.group(1)}...{m.group(2)}",
                "status": "ahead",
                "ahead_by": 1,
                "behind_by": 0,
                "total_commits": 1,
                "base_commit": {"sha": m.group(1), "url": f"{repo_url}/commits/{m.group(1)}"},
                "merge_base_commit": {"sha": merge_base, "url": f"{repo_url}/commits/{merge_base}"},
                "commits": [],
                "files": files,
            }
            return 200, data, {}
        if m := re.fullmatch(r"/commits/([0-9a-f]+)/pulls", rest):
            # The merged pull request that brought the commit in first, then open ones.
            sha = m.group(1)
            merged = [p for p in state.pulls.values() if p.merge_commit_sha == sha]
            open_ = [p for p in state.pulls.values() if p.head_sha == sha and p not in merged]
            items = [
                _public_pull(p, repo_url, state.full_name, simple=True) for p in merged + open_
            ]
            return self._page(state, record, items)
        if m := re.fullmatch(r"/commits/([0-9a-f]+)", rest):
            return 200, {"sha": m.group(1), "url": f"{repo_url}/commits/{m.group(1)}"}, {}
        if m := re.fullmatch(r"/contents/(.+)", rest):
            ref = record.query.get("ref", [""])[0]
            file_path = m.group(1)
            found = state.contents.get((ref, file_path))
            if found is None:
                raise _not_found()
            name = file_path.rsplit("/", 1)[-1]
            common = {
                "name": name,
                "path": file_path,
                "sha": "f" * 40,
                "url": f"{repo_url}/contents/{quote(file_path)}?ref={ref}",
            }
            if isinstance(found, tuple):
                return 200, {**common, "type": "symlink", "target": found[1], "size": 10}, {}
            encoded = base64.b64encode(found).decode()
            return (
                200,
                {
                    **common,
                    "type": "file",
                    "encoding": "base64",
                    "size": len(found),
                    "content": encoded,
                },
                {},
            )
        if m := re.fullmatch(r"/tarball/([^/]+)", rest):
            if m.group(1) not in state.archives:
                raise _not_found()
            # "Download a repository archive (tar)": 302 to codeload, whose address holds a
            # token of its own (private repositories); the client follows it without ours.
            where = (
                f"http://{self.headers['Host']}{CODELOAD}/{state.full_name}/legacy.tar.gz/"
                f"{m.group(1)}?token={state.codeload_token}"
            )
            return 302, None, {"Location": where}
        if m := re.fullmatch(r"/git/trees/([0-9a-f]+)", rest):
            # a commit's tree, whole (recursive=1) or its top level; or a folder's tree by sha
            items = state.trees.get(m.group(1))
            if items is not None and record.query.get("recursive") is None:
                items = [item for item in items if "/" not in item["path"]]
            if items is None:
                items = _folder_by_sha(state, m.group(1))
            if items is None:
                raise _not_found()
            tree = [
                {**item, "url": f"{repo_url}/git/{item['type']}s/{item['sha']}"} for item in items
            ]
            data = {
                "sha": m.group(1),
                "url": f"{repo_url}/git/trees/{m.group(1)}",
                "tree": tree,
                "truncated": state.trees_truncated,
            }
            return 200, data, {}
        if m := re.fullmatch(r"/pulls/(\d+)", rest):
            pull = state.pulls.get(int(m.group(1)))
            if pull is None:
                raise _not_found()
            return 200, _public_pull(pull, repo_url, state.full_name), {}
        if m := re.fullmatch(r"/pulls/(\d+)/files", rest):
            pull = state.pulls.get(int(m.group(1)))
            if pull is None:
                raise _not_found()
            return self._page(state, record, pull.files)
        if m := re.fullmatch(r"/pulls/(\d+)/reviews", rest):
            number = int(m.group(1))
            if method == "POST":
                self._validated(state, ("POST", "reviews"), body)
                states = {"REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}
                review = {
                    "id": next(state.ids),
                    "pull": number,
                    "user": user(state.bot),
                    "body": body.get("body", ""),
                    "state": states.get(body.get("event", ""), "PENDING"),
                    "commit_id": body.get("commit_id") or state.pulls[number].head_sha,
                    "pull_request_url": f"{repo_url}/pulls/{number}",
                    "html_url": f"https://github.example/{state.full_name}/pull/{number}",
                }
                state.reviews.append(review)
                return 200, _public(review, "pull"), {}
            items = [_public(r, "pull") for r in state.reviews if r["pull"] == number]
            return self._page(state, record, items)
        if m := re.fullmatch(r"/pulls/(\d+)/reviews/(\d+)(/dismissals)?", rest):
            review = next((r for r in state.reviews if r["id"] == int(m.group(2))), None)
            if review is None:
                raise _not_found()
            if method == "PUT" and m.group(3):
                self._validated(state, ("PUT", "dismissals"), body)
                review["state"] = "DISMISSED"
            elif method == "PUT":
                self._validated(state, ("PUT", "review"), body)
                review["body"] = body["body"]
            return 200, _public(review, "pull"), {}
        if m := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(m.group(1))
            if method == "POST":
                self._validated(state, ("POST", "issue-comments"), body)
                comment = state.add_comment(number, state.bot, body["body"])
                return 201, _comment(comment, repo_url), {}
            items = [_comment(c, repo_url) for c in state.comments if c["issue"] == number]
            return self._page(state, record, items)
        if m := re.fullmatch(r"/issues/comments/(\d+)", rest):
            comment = next((c for c in state.comments if c["id"] == int(m.group(1))), None)
            if comment is None:
                raise _not_found()
            if method == "PATCH":
                self._validated(state, ("PATCH", "issue-comment"), body)
                comment["body"] = body["body"]
            return 200, _comment(comment, repo_url), {}
        if m := re.fullmatch(r"/issues/(\d+)/events", rest):
            number = int(m.group(1))
            items = [_public(e, "issue") for e in state.events if e["issue"] == number]
            return self._page(state, record, items)
        if m := re.fullmatch(r"/collaborators/([^/]+)/permission", rest):
            login = m.group(1)
            if login not in state.permissions:
                raise _not_found()
            role = state.permissions[login]
            legacy = {"maintain": "write", "triage": "read"}.get(role, role)
            return 200, {"permission": legacy, "role_name": role, "user": user(login)}, {}
        raise _not_found()

    def _codeload(self, state: GitHubState, record: Recorded) -> tuple[int, Any, dict[str, str]]:
        m = re.fullmatch(
            rf"{CODELOAD}/{re.escape(state.full_name)}/legacy\.tar\.gz/(.+)", record.path
        )
        if m is None or record.query.get("token") != [state.codeload_token]:
            raise Reply(404, b"Not Found", content_type="text/plain")
        data = state.archives.get(m.group(1))
        if data is None:
            raise Reply(404, b"Not Found", content_type="text/plain")
        name = f"{state.owner}-{state.repo}-{m.group(1)[:7]}.tar.gz"
        raise Reply(
            200,
            data,
            {"Content-Disposition": f"attachment; filename={name}"},
            content_type="application/x-gzip",
        )

    do_GET = _handle
    do_POST = _handle
    do_PATCH = _handle
    do_PUT = _handle
    do_DELETE = _handle


def _folder_by_sha(state: GitHubState, sha: str) -> list[dict[str, Any]] | None:
    """The entries directly in the folder whose tree is ``sha``, named relative to it."""
    for items in state.trees.values():
        for folder in items:
            if folder["type"] == "tree" and folder["sha"] == sha:
                prefix = folder["path"] + "/"
                return [
                    {**item, "path": item["path"][len(prefix) :]}
                    for item in items
                    if item["path"].startswith(prefix) and "/" not in item["path"][len(prefix) :]
                ]
    return None


def _public(item: dict[str, Any], *hidden: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in hidden}


def _public_run(run: dict[str, Any]) -> dict[str, Any]:
    output = dict(run["output"])
    output["annotations_count"] = len(run["annotations"])
    output.pop("annotations", None)
    return {**_public(run, "annotations"), "output": output}


def _comment(comment: dict[str, Any], repo_url: str) -> dict[str, Any]:
    return {
        **_public(comment, "issue"),
        "url": f"{repo_url}/issues/comments/{comment['id']}",
        "html_url": f"https://github.example/comment/{comment['id']}",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }


def _public_pull(
    pull: PullState, repo_url: str, full_name: str, *, simple: bool = False
) -> dict[str, Any]:
    """A pull request as GET /pulls/{number} returns it; ``simple``: as lists return it
    (no counts such as changed_files)."""
    head_repo = {"full_name": pull.head_repo or full_name, "fork": pull.head_repo is not None}
    data = {
        "number": pull.number,
        "state": pull.state,
        "url": f"{repo_url}/pulls/{pull.number}",
        "issue_url": f"{repo_url}/issues/{pull.number}",
        "head": {"sha": pull.head_sha, "ref": pull.head_ref, "repo": head_repo},
        "base": {"sha": pull.base_sha, "ref": pull.base_ref, "repo": {"full_name": full_name}},
        "user": user(pull.author),
        "labels": [{"name": name} for name in pull.labels],
        "merge_commit_sha": pull.merge_commit_sha,
    }
    if not simple:
        data["changed_files"] = (
            len(pull.files) if pull.changed_count is None else pull.changed_count
        )
    return data


class GitHubServer(ThreadingHTTPServer):
    """The server, bound to an ephemeral port on 127.0.0.1."""

    daemon_threads = True

    def __init__(self, state: GitHubState) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = state
        self._thread: threading.Thread | None = None

    @property
    def api_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{PREFIX}"

    def __enter__(self) -> GitHubServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
