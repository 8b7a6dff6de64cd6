"""The base side: which commits to compare (local git when the clone has the history, else
the REST API), the files that changed between them, and the policy read at the base.

Imports :mod:`~checker.action.discovery`, :mod:`~checker.action.readers` and the git and
GitHub adapters.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.action.discovery import archive_keeps
from checker.action.readers import ApiReader, BaseReader, GitReader
from checker.actions_env import PULL_EVENTS, ActionSettings, Event, EventKind, Sink
from checker.api_base import ArchiveReader
from checker.errors import ConfigError, GitError, GitHubError
from checker.git import Repo, changed_files, is_shallow, merge_base, resolve_commit
from checker.github_client import ChangedFile, GitHubPort, PullInfo
from checker.policy import MAX_POLICY_CHARS, Policy, parse_policy_bytes
from checker.source import Limits


class BaseSource(enum.Enum):
    """Where the base side came from, for the job log."""

    GIT = "local git"
    API = "the contents API"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Which commits to compare, what changed between them, and how to read the base side.

    ``merge_base`` is what the head is compared with (GitHub's "Files changed"); ``base`` is
    the base commit itself, where the policy is read.
    """

    merge_base: str
    base: str
    head: str
    files: tuple[ChangedFile, ...]
    reader: BaseReader
    source: BaseSource
    # False when ``files`` may be cut short (the REST API lists at most 3,000 files of a
    # pull request and 300 of a compare, and may list fewer than the pull request counts):
    # every manifest is then compared with its base. ``doubt`` says why, for the log.
    complete: bool = True
    doubt: str = ""


# git diff --name-status letters as the REST API names them ("status" of a changed file).
_GIT_STATUS = {
    "A": "added",
    "C": "copied",
    "D": "removed",
    "M": "modified",
    "R": "renamed",
    "T": "changed",
}


def local_comparison(
    workspace: Path, base_sha: str, head_sha: str, *, max_bytes: int
) -> tuple[Comparison | None, str]:
    """The comparison from the clone in the workspace, or None and the reason it cannot be.

    The clone must hold the whole history between base and head: a shallow clone (the
    actions/checkout default, ``fetch-depth: 1``) or a partial one is not used, since its
    merge base could be wrong or its blobs missing. Nothing is fetched.
    """
    if not (workspace / ".git").exists():
        return None, "the workspace is not a git clone"
    # The container runs as root on a work tree owned by the runner's user; this one
    # repository is trusted for our own read-only commands, never globally.
    repo = Repo(workspace, safe_directory=workspace)
    try:
        if is_shallow(repo):
            return None, "the clone is shallow (actions/checkout with fetch-depth: 0 is not)"
        code, _ = repo.status("config", "--get", "extensions.partialClone")
        if code == 0:
            return None, "the clone is partial (blobs would have to be fetched)"
        base = resolve_commit(repo, base_sha)
        if base is None:
            return None, f"the base commit {base_sha[:12]} is not in the clone"
        head = resolve_commit(repo, head_sha)
        if head is None:
            return None, f"the head commit {head_sha[:12]} is not in the clone"
        found_base = merge_base(repo, base, head)
        if found_base is None:
            return None, f"{base[:12]} and {head[:12]} share no history in the clone"
        changes = changed_files(repo, found_base, head)
    except GitError as error:
        return None, f"git cannot read the clone: {error}"
    files = tuple(
        ChangedFile(c.path, _GIT_STATUS.get(c.status, "modified"), c.old_path) for c in changes
    )
    reader = GitReader(repo, max_bytes)
    return Comparison(found_base, base, head, files, reader, BaseSource.GIT), ""


# The most files the REST API lists: a pull request's files (paginated) and a compare.
PULL_FILES_LIMIT = 3000
COMPARE_FILES_LIMIT = 300
CUT_SHORT_FIX = (
    "every manifest is compared with its base version (a full clone, fetch-depth: 0, "
    "avoids these requests)"
)
LIST_CUT_SHORT = (
    "zoho-manifest-guard: GitHub listed {count:,} changed files, its limit, so the list may be "
    "cut short: " + CUT_SHORT_FIX
)


def _doubt(files: tuple[ChangedFile, ...], pull: PullInfo, head_sha: str) -> str:
    """Why the pull request's file list may not be whole for ``head_sha``; "" when it is."""
    if len(files) >= PULL_FILES_LIMIT:
        return LIST_CUT_SHORT.format(count=len(files))
    if pull.head_sha != head_sha:
        return (
            f"zoho-manifest-guard: pull request #{pull.number} is now at {pull.head_sha[:12]}, "
            f"not {head_sha[:12]}, so its changed-file list is of another commit and may be "
            f"incomplete: {CUT_SHORT_FIX}"
        )
    if pull.changed_files is None or pull.changed_files != len(files):
        counted = "no count" if pull.changed_files is None else f"{pull.changed_files:,}"
        return (
            f"zoho-manifest-guard: GitHub listed {len(files):,} changed files of pull request "
            f"#{pull.number}, which counts {counted}, so the list may be incomplete: "
            f"{CUT_SHORT_FIX}"
        )
    return ""


def api_comparison(
    port: GitHubPort,
    event: Event,
    base_sha: str,
    head_sha: str,
    *,
    settings: ActionSettings,
    log: Callable[[str], None],
) -> Comparison:
    """The comparison from the REST API: the merge base from compare, the PR's file list;
    base files one by one, or from the merge base's archive when there are many
    (:class:`~checker.api_base.ArchiveReader`), so a pull request that changes thousands of
    manifests costs a bounded number of requests.

    A list as long as the API's limit may have been cut short, and one shorter than the pull
    request's own ``changed_files`` count (or listed while the pull request moved to another
    head) is not whole either; the comparison then says it is not complete, and no manifest
    is taken as unchanged for being absent from it.
    """
    found = port.compare(base_sha, head_sha)
    files = found.files
    doubt = ""
    if len(files) >= COMPARE_FILES_LIMIT:
        doubt = LIST_CUT_SHORT.format(count=len(files))
    if event.is_pull_request and event.pr_number is not None:
        files = tuple(port.changed_files(event.pr_number))
        # Asked after the list: a push in between shows as another head.
        doubt = _doubt(files, port.pull_request(event.pr_number), head_sha)
    reader = ArchiveReader(
        port,
        ApiReader(port),
        found.merge_base,
        keep=archive_keeps(settings),
        max_bytes=Limits().max_bytes,
        log=log,
    )
    return Comparison(
        found.merge_base,
        base_sha,
        head_sha,
        files,
        reader,
        BaseSource.API,
        complete=not doubt,
        doubt=doubt,
    )


def compare_commits(
    settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink
) -> Comparison | None:
    """Local git when the clone has the history, else the contents API; the log says which."""
    base_sha, head_sha = event.base_sha, event.head_sha
    if base_sha is None or head_sha is None:
        return None
    workspace = Path(settings.workspace).resolve()
    local, reason = local_comparison(workspace, base_sha, head_sha, max_bytes=Limits().max_bytes)
    span = f"{base_sha[:12]}...{head_sha[:12]}"
    if local is not None:
        sink.log(
            f"zoho-manifest-guard: base files from local git ({span}, merge base "
            f"{local.merge_base[:12]}); no API request for them"
        )
        return local
    if port is None:
        sink.log(
            f"zoho-manifest-guard: not comparing {span}: local git cannot ({reason}) and "
            "there is no token for the contents API; validating the head only"
        )
        return None
    found = api_comparison(port, event, base_sha, head_sha, settings=settings, log=sink.log)
    sink.log(
        f"zoho-manifest-guard: base files from the contents API ({span}, merge base "
        f"{found.merge_base[:12]}), since local git cannot: {reason}"
    )
    if not found.complete:
        sink.log(found.doubt)
    return found


def load_policy(settings: ActionSettings, comparison: Comparison | None, event: Event) -> Policy:
    """The policy from the BASE commit: a pull request must not weaken its own gate.

    It is read at the base commit itself (the target branch's tip for a pull request, the
    commit before a push), so a policy merged since the branch was cut applies at once. A
    link or folder there is not followed, and is a configuration error (exit 2), as in the
    CLI: falling back to the defaults would silently drop the base's deny patterns. For the
    same reason only a file absent from the base tree means the defaults; any failure to read
    it (an error from GitHub, a 404 for a file the tree lists) is exit 2.
    """
    path = settings.policy
    if comparison is not None:
        where = f"{path}@{comparison.base[:12]}"
        try:
            data, problems = comparison.reader.read(path, comparison.base)
            if problems:
                raise ConfigError(f"{where}: {problems[0].message}")
            if data is None:
                # Only a file the base tree does not have means the defaults.
                if comparison.reader.absent(path, comparison.base):
                    return Policy(source=None)
                raise ConfigError(
                    f"{where}: the base commit's tree lists the policy file, but it could not "
                    "be read; re-run the job (the defaults would drop its deny patterns)"
                )
        except GitHubError as error:
            raise ConfigError(
                f"{where}: the policy file could not be read ({error}); re-run the job (the "
                "defaults would drop its deny patterns)"
            ) from None
        return parse_policy_bytes(data, where)
    if event.kind in PULL_EVENTS or event.kind is EventKind.MERGE_GROUP:
        # No base to read from: never trust the checked-out (pull request) copy.
        return Policy(source=None)
    local = Path(settings.workspace) / path
    if local.is_symlink():
        raise ConfigError(f"{path}: is a symbolic link; it is not followed (commit the real file)")
    if not local.is_file():
        return Policy(source=None)
    return parse_policy_bytes(local.read_bytes()[: MAX_POLICY_CHARS * 4 + 1], path)
