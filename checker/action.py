"""The GitHub Action: event -> base vs head -> report -> check run, PR summary, outputs, exit."""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import posixpath
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, TextIO

from checker import report_files
from checker.actions_env import (
    PULL_EVENTS,
    REPORT_DIR,
    STEP_SUMMARY_MAX_BYTES,
    ActionSettings,
    AnnotationsMode,
    Event,
    EventKind,
    RunMode,
    Sink,
    SummaryMode,
    link_context,
    parse_event,
    read_event,
    secret_values,
    settings_from_env,
    write_outputs,
    write_step_summary,
)
from checker.api_base import ArchiveReader
from checker.app import exit_code
from checker.approval import (
    Context,
    Escalation,
    Facts,
    Labeled,
    Ruling,
    Status,
    Store,
    current_application,
    liftable,
    parse_record,
    record_line,
    rule,
    unverified,
    with_record,
)
from checker.compare import ManifestPair, analyse
from checker.errors import (
    EXIT_INTERNAL,
    EXIT_PASS,
    EXIT_USAGE,
    CheckerError,
    ConfigError,
    GitHubError,
    InputError,
)
from checker.extension import RESOURCES_NAME, ExtensionInput, Linked, beside
from checker.findings import Finding, Location, Severity
from checker.git import (
    GitError,
    Repo,
    TreeEntry,
    changed_files,
    commit_parents,
    contains_commit,
    is_shallow,
    merge_base,
    read_file_at,
    read_followed_at,
    readable_entry,
    resolve_commit,
    tree_entry,
    trees_below,
)
from checker.github_client import (
    ChangedFile,
    Comment,
    GitHubPort,
    PermissionDenied,
    PullInfo,
    PyGithubClient,
    ReviewEvent,
)
from checker.links import ChangedPaths, Problem, Resolved, problem_message, step
from checker.policy import MAX_POLICY_CHARS, Policy, parse_policy_bytes
from checker.report import Report
from checker.reporters import json_v1, markdown, sarif, text
from checker.reporters.annotations import (
    MAX_OUTPUT_CHARS,
    CheckOutput,
    annotated,
    batches,
    conclusion,
    repo_path,
    to_annotations,
)
from checker.reporters.permalinks import LinkContext
from checker.source import Limits
from checker.wording import plural
from checker.workspace import (
    SYMLINK_RULE,
    UNREADABLE_RULE,
    Finder,
    Listings,
    find_files,
    read_extension,
)

CHECK_NAME = "Zoho Manifest Guard"
SUMMARY_MARKER = "<!-- zoho-manifest-guard:summary -->"
REQUEST_CHANGES_MARKER = "<!-- zoho-manifest-guard:request-changes -->"
# The GITHUB_TOKEN acts as the GitHub Actions app; its comments are by this bot. When a check
# run was created, the app slug it reports is used instead (a GitHub App token of your own).
DEFAULT_BOT = "github-actions[bot]"
# Issue comments and review bodies are capped at 65,536 characters.
MAX_COMMENT_CHARS = 65_536
SIGNATURE_ROOM = 100
SKIP_DIRS = frozenset({".git", "node_modules", REPORT_DIR})
REPORT_FILE = "report.json"
SUMMARY_FILE = "summary.md"

ClientFactory = Callable[[ActionSettings], GitHubPort]


# --- discovery -------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**/`` spans folders, ``*`` and ``?`` stay within one."""
    out = ""
    parts = pattern.strip().lstrip("./").split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out += ".*" if last else "(?:[^/]+/)*"
            continue
        for char in part:
            if char == "*":
                out += "[^/]*"
            elif char == "?":
                out += "[^/]"
            else:
                out += re.escape(char)
        if not last:
            out += "/"
    return re.compile(out + r"\Z")


def matches(patterns: tuple[str, ...], path: str) -> bool:
    """Whether a POSIX path relative to the working folder matches one of the globs."""
    return any(glob_regex(p).match(path) for p in patterns)


def read_heads(patterns: tuple[str, ...], workspace: Path) -> dict[str, ExtensionInput]:
    """Every file below the current folder matching the globs (symbolic links included,
    never followed; SKIP_DIRS not searched), read with its extension folder; sorted by path.

    One walk finds the files and lists their folders, as ``check`` does: each folder is
    listed once, not walked for discovery and then listed again for each file in it.
    """
    regexes = [glob_regex(pattern) for pattern in patterns]
    finder = Finder(
        name=None, match=lambda path: any(r.match(path) for r in regexes), skip=SKIP_DIRS
    )
    listings = Listings()
    max_bytes = Limits().max_bytes
    heads = {
        # Relative to the working folder (the current one): a link's display path must not
        # be resolved through the link.
        path.as_posix(): read_extension(path, max_bytes, workspace, listings)
        for path in find_files(".", finder, listings)
    }
    return {path: heads[path] for path in sorted(heads)}


# --- base side -------------------------------------------------------------------------------


BaseFile = tuple[bytes | None, tuple[Finding, ...]]
# A manifest or resources.json: a symbolic link is followed inside the repository.
FollowedFile = tuple[bytes | None, tuple[Finding, ...], Linked | None]


class BaseReader(Protocol):
    """Files as they are at a commit: ``(None, ())`` when absent, findings when unreadable.

    ``read`` never follows a symbolic link (the policy file); ``read_followed`` follows one
    inside the repository and says where it led (manifests and resources.json).
    """

    def read(self, repo_path: str, commit: str) -> BaseFile: ...

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile: ...

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether the commit's tree has nothing at ``repo_path`` (asked after ``read`` found
        nothing, where a wrong "absent" would cost something: the policy file)."""
        ...


@dataclass(frozen=True, slots=True)
class GitReader:
    """Reads blobs from the local clone's object database (never the work tree, no links)."""

    repo: Repo
    max_bytes: int

    def read(self, repo_path: str, commit: str) -> BaseFile:
        """The file's bytes at ``commit``; a symbolic link or a submodule is a finding."""
        return read_file_at(self.repo, commit, repo_path, max_bytes=self.max_bytes)

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile:
        """The file's bytes at ``commit``, a link followed inside the commit's tree."""
        return read_followed_at(self.repo, commit, repo_path, max_bytes=self.max_bytes)

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether ``git ls-tree`` lists nothing at the path."""
        return tree_entry(self.repo, commit, repo_path) is None


@dataclass(frozen=True, slots=True)
class ApiReader:
    """Reads files through the contents API at a commit (one request per file)."""

    port: GitHubPort

    def read(self, repo_path: str, commit: str) -> BaseFile:
        """The file's bytes at ``commit``; a symbolic link or a folder is a finding."""
        content = self.port.file_content(repo_path, commit)
        if content is None:
            return None, ()
        if content.data is None:
            rule = SYMLINK_RULE if content.kind == "symlink" else UNREADABLE_RULE
            message = f"is a {content.kind} at commit {commit[:12]}, not a file; it is not read"
            return None, (Finding(rule, Severity.ERROR, message, Location(repo_path, "")),)
        return content.data, ()

    def read_followed(self, repo_path: str, commit: str) -> FollowedFile:
        """The file's bytes at ``commit``, a link followed one request per link.

        GitHub answers a link to a file of the repository with that file, and any other link
        with its target, which is followed here, inside the repository (:mod:`checker.links`).
        """
        path = repo_path
        via: list[str] = []
        content = self.port.file_content(path, commit)
        while content is not None and content.kind == "symlink" and content.target is not None:
            via.append(path)
            resolved = step(path, content.target, len(via))
            if resolved.problem is not None:
                return None, (_link_finding(replace(resolved, via=tuple(via)), repo_path),), None
            path = resolved.path
            content = self.port.file_content(path, commit)
        if content is None:
            if via:  # a link to nothing
                gone = Resolved(path, None, tuple(via), Problem.MISSING)
                return None, (_link_finding(gone, repo_path),), None
            return None, (), None
        if content.data is None:
            rule = SYMLINK_RULE if content.kind == "symlink" else UNREADABLE_RULE
            message = f"is a {content.kind} at commit {commit[:12]}, not a file; it is not read"
            return None, (Finding(rule, Severity.ERROR, message, Location(repo_path, "")),), None
        return content.data, (), Linked(repo_path, path, tuple(via)) if via else None

    def absent(self, repo_path: str, commit: str) -> bool:
        """Whether the commit's tree lists nothing at the path: the contents API's 404 is
        also its answer for a commit it cannot find (yet), so the tree is asked."""
        folder, _, name = repo_path.rpartition("/")
        entries = self.port.folder(commit, folder)
        return entries is None or all(entry.path != name for entry in entries)


def _link_finding(resolved: Resolved, path: str) -> Finding:
    rule = UNREADABLE_RULE if resolved.problem is Problem.MISSING else SYMLINK_RULE
    message = problem_message(resolved, "repository")
    return Finding(rule, Severity.ERROR, message, Location(path, ""))


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


def archive_keeps(settings: ActionSettings) -> Callable[[str], bool]:
    """Which files of a base archive to hold: those named like a manifest the paths input
    matches, and resources.json (never the whole repository, unless the globs say so)."""
    names = [glob_regex(pattern.rstrip("/").rsplit("/", 1)[-1]) for pattern in settings.paths]

    def keep(path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return name == RESOURCES_NAME or any(regex.match(name) for regex in names)

    return keep


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


@dataclass(frozen=True, slots=True)
class Pair:
    """One manifest on both sides; ``base_path`` differs from ``path`` after a rename."""

    path: str
    base: ExtensionInput | None
    head: ExtensionInput | None
    base_path: str | None = None


def _local_path(settings: ActionSettings, repo_path: str) -> str | None:
    folder = settings.working_directory.strip("/")
    if folder in ("", "."):
        return repo_path
    prefix = folder + "/"
    return repo_path[len(prefix) :] if repo_path.startswith(prefix) else None


def _base_extension(
    comparison: Comparison,
    repo_path: str,
    shown: str,
    *,
    manifest: bytes | None,
    resources: tuple[bytes | None, bool] | None,
) -> ExtensionInput | None:
    """The base side of one manifest; None when it does not exist at the merge base.

    ``manifest`` is known when the file did not change (the head's bytes); ``resources``
    likewise (bytes, present) when resources.json did not change; otherwise both are read,
    a symbolic link followed inside the repository.
    """
    errors: tuple[Finding, ...] = ()
    manifest_link = resources_link = None
    if manifest is None:
        manifest, errors, manifest_link = comparison.reader.read_followed(
            repo_path, comparison.merge_base
        )
        if manifest is None and not errors:
            return None
    if resources is None:
        data, more, resources_link = comparison.reader.read_followed(
            beside(repo_path, RESOURCES_NAME), comparison.merge_base
        )
        resources = (data, data is not None or bool(more))
    folder = posixpath.dirname(shown)
    return ExtensionInput(
        manifest_path=shown,
        manifest=manifest,
        root=folder,
        resources=resources[0],
        resources_present=resources[1],
        read_errors=errors,
        manifest_link=manifest_link,
        resources_link=resources_link,
    )


def workspace_mismatch(workspace: Path, head_sha: str) -> tuple[str, bool] | None:
    """Whether the checked-out commit is not the one the event is about: None when it is
    (or there is no clone to ask), else a message and whether it is fatal.

    The head manifests are read from the work tree. GitHub's merge commit of a pull request
    (the checkout default) contains the head and only shifts lines: a warning. Anything else,
    such as the base branch that ``pull_request_target`` checks out by default, would compare
    the base with itself and pass every escalation: that is an error, never a pass.
    """
    if not (workspace / ".git").exists():
        return None
    repo = Repo(workspace, safe_directory=workspace)
    try:
        checked_out = resolve_commit(repo, "HEAD")
        if checked_out is None or checked_out == head_sha:
            return None
        contains = head_sha in commit_parents(repo, checked_out) or contains_commit(
            repo, checked_out, head_sha
        )
    except GitError:
        return None
    where = f"the workspace is at {checked_out[:12]}, not the head commit {head_sha[:12]}"
    fix = (
        "check it out with actions/checkout `ref: ${{ github.event.pull_request.head.sha }}` "
        "(pull requests) or the event's own commit"
    )
    if contains:
        return (
            f"{where} but a commit that contains it (GitHub's merge commit); annotations may "
            f"point at shifted lines and changes of the base branch count as the head's: {fix}",
            False,
        )
    return (
        f"{where}, and it does not contain the head, so the head's manifests are not what "
        f"would be checked (the base branch, for pull_request_target's default checkout); {fix}",
        True,
    )


def build_pairs(
    settings: ActionSettings,
    comparison: Comparison | None,
    heads: Mapping[str, ExtensionInput],
) -> list[Pair]:
    """Pair each head manifest with its base; what did not change is not read again.

    A manifest counts as changed when it or the resources.json beside it changed (webhooks
    live there). Copies and additions have no base; a renamed manifest is read at its old
    path.
    """
    if comparison is None:
        return [Pair(path, None, head) for path, head in heads.items()]
    changed: dict[str, ChangedFile] = {}
    for entry in comparison.files:
        local = _local_path(settings, entry.path)
        if local is not None:
            changed[local] = entry
    # a manifest or resources.json that is a link changes with what it passes through
    touched = ChangedPaths.of(
        path for entry in comparison.files for path in (entry.path, entry.previous_path) if path
    )
    pairs = []
    for path, head in heads.items():
        item = changed.get(path)
        resources_item = changed.get(beside(path, RESOURCES_NAME))
        if item is not None and item.status in ("added", "copied"):
            pairs.append(Pair(path, None, head))
            continue
        moved = _moved(head.manifest_link, touched)
        moved_resources = _moved(head.resources_link, touched)
        if (
            item is None
            and resources_item is None
            and comparison.complete
            and not (moved or moved_resources)
        ):
            pairs.append(Pair(path, head, head))
            continue
        base_at = repo_path(path, settings.working_directory)
        shown = path
        if item is not None and item.status == "renamed" and item.previous_path:
            base_at = item.previous_path
            shown = _local_path(settings, base_at) or base_at
        # what the (complete) list says did not change is not read again
        unchanged = item is None and not moved and comparison.complete
        unchanged_manifest = head.manifest if unchanged else None
        unchanged_resources = None
        if resources_item is None and not moved_resources and shown == path and comparison.complete:
            unchanged_resources = (head.resources, head.resources_present)
        elif resources_item is not None and resources_item.status == "added" and shown == path:
            unchanged_resources = (None, False)
        base = _base_extension(
            comparison,
            base_at,
            shown,
            manifest=unchanged_manifest,
            resources=unchanged_resources,
        )
        if base is not None and comparison.complete and shown == path:
            # A link whose own entry did not change was the same link at the base, whatever
            # the reader could tell (GitHub answers a link to a file with the file itself).
            if item is None:
                base = replace(base, manifest_link=head.manifest_link)
            if resources_item is None:
                base = replace(base, resources_link=head.resources_link)
        pairs.append(Pair(path, base, head, shown))
    for path, gone in changed.items():
        if gone.status == "removed" and path not in heads and matches(settings.paths, path):
            resources_item = changed.get(beside(path, RESOURCES_NAME))
            removed = resources_item is not None and resources_item.status == "removed"
            base = _base_extension(
                comparison,
                repo_path(path, settings.working_directory),
                path,
                manifest=None,
                resources=None if removed else (None, False),
            )
            pairs.append(Pair(path, base, None, path))
    return pairs


def _moved(link: Linked | None, touched: ChangedPaths) -> bool:
    """Whether a file read through links may differ at the base: a link on its way, or the
    file it led to, is among the changed files."""
    return link is not None and touched.touch((*link.via, link.target))


# --- analysis --------------------------------------------------------------------------------


def analyse_pairs(
    pairs: list[Pair],
    policy: Policy,
    *,
    settings: ActionSettings,
    ruling: Ruling | None = None,
) -> Report:
    """Validation of every head manifest plus the policy's view of what changed; the
    escalations an approval covers (``ruling``) do not block."""
    manifest_pairs = [ManifestPair(p.path, p.base, p.head, p.base_path) for p in pairs]
    return analyse(
        manifest_pairs,
        policy,
        fail_on=settings.fail_on,
        limits=Limits(),
        coverage=ruling.coverage if ruling is not None else None,
    )


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


def approving_pull(port: GitHubPort, event: Event) -> int | None:
    """The pull request whose approval label counts for this run.

    A pull-request event's own; a merge group's queued pull request; for a push, the pull
    request that brought the pushed commit in (GitHub lists the merged one first), so an
    approved escalation does not fail again on the branch it was merged into.
    """
    if event.pr_number is not None:
        return event.pr_number
    if event.kind is EventKind.PUSH and event.head_sha:
        pulls = port.pulls_for_commit(event.head_sha)
        return pulls[0] if pulls else None
    return None


def _context(event: Event) -> Context:
    if event.action == "workflow_run":
        return Context.POST
    if event.kind is EventKind.MERGE_GROUP:
        return Context.MERGE_GROUP
    if event.kind is EventKind.PUSH:
        return Context.PUSH
    return Context.PULL_REQUEST


def own_summary(
    port: GitHubPort, settings: ActionSettings, number: int, bot: str
) -> Comment | None:
    """The action's own summary on the pull request, the one :func:`post_summary` updates."""
    signature = token_signature(settings.token, settings.repository, number)
    if settings.summary is SummaryMode.COMMENT:
        mine = _ours(port.issue_comments(number), SUMMARY_MARKER, bot, signature)
        return mine[0] if mine else None
    if settings.summary is SummaryMode.REVIEW:
        mine = _ours(port.reviews(number), SUMMARY_MARKER, bot, signature)
        return mine[-1] if mine else None
    return None


def find_approval(
    port: GitHubPort,
    settings: ActionSettings,
    event: Event,
    policy: Policy,
    present: tuple[Escalation, ...],
    *,
    bot: str,
) -> Ruling:
    """What the approval label does for the escalations ``present`` in this run.

    GitHub is asked, in this order and only as far as needed: the label events (who applied
    the label last, not removed since), the pull request (its labels now, its author), that
    user's permission, and the action's own summary, which holds the record of what the
    application approved. Only the run of a ``labeled`` event, whose payload names the head
    the label was applied to, makes a record (a re-run only while that is still the head);
    :func:`checker.approval.rule` decides.
    """
    number = approving_pull(port, event)
    if number is None:
        return Ruling(Status.NONE)
    label = policy.approval_label
    application, removed = current_application(port.label_events(number), label)
    facts = Facts(label, number, _context(event), present, application, removed)
    if application is None:
        return rule(facts)
    pull = port.pull_request(number)
    role = port.role(application.actor)
    record, problem = None, ""
    unrecordable = ""
    if settings.summary is SummaryMode.NONE:
        unrecordable = '"summary: none" leaves no pull-request summary to keep it in'
    else:
        mine = own_summary(port, settings, number, bot)
        if mine is not None:
            record, problem = parse_record(mine.body)
    labeled = None
    if (
        event.kind in (EventKind.PULL_REQUEST, EventKind.PULL_REQUEST_TARGET)
        and event.action == "labeled"
        and event.head_sha
        and event.sender
        # a re-run replays the old payload: its head must still be the pull request's
        and (settings.run_attempt == 1 or pull.head_sha == event.head_sha)
    ):
        labeled = Labeled(event.label, event.sender, event.head_sha)
    return rule(
        replace(
            facts,
            on_pull=policy.approved_by(pull.labels),
            author=pull.author,
            role=role,
            allow_self_approval=policy.allow_self_approval,
            labeled=labeled,
            record=record,
            record_problem=problem,
            unrecordable=unrecordable,
        )
    )


# --- rendering -------------------------------------------------------------------------------


def summary_markdown(
    report: Report,
    *,
    max_chars: int | None = None,
    max_bytes: int | None = None,
    full_report: str = "",
    links: LinkContext | None = None,
) -> str:
    """The report as markdown; manifest values are escaped by the markdown renderer. Within
    a limit it is shortened: the most severe escalations first, and ``full_report`` says
    where everything is. ``links`` makes line references links to the head commit."""
    return markdown.render(
        report, max_chars=max_chars, max_bytes=max_bytes, full_report=full_report, links=links
    )


def full_report_where(settings: ActionSettings, *, job_summary: bool) -> str:
    """Where the whole report is, as markdown, for a summary that had to be shortened: the
    job summary of this run (a link when the runner names it) and the report file."""
    files = f"`{REPORT_DIR}/{REPORT_FILE}` (the `report-json` output)"
    if job_summary:
        return f"{files} in the workspace; upload it with actions/upload-artifact to keep it"
    run = f"[this run]({settings.run_url})" if settings.run_url else "this workflow run"
    return f"the job summary of {run}, and {files}"


def room_beside(limit: int, *extra: str) -> int:
    """Room left for the report in a text of at most ``limit`` (characters or bytes) that
    also holds ``extra`` (marker, audit lines), with a little room for the line breaks
    between them; ``extra`` is counted in bytes, which is never less."""
    return max(limit - sum(len(part.encode()) + 4 for part in extra if part) - 16, 0)


def title_of(report: Report) -> str:
    """The check run's one-line title."""
    counts = report.counts
    parts = []
    if report.escalations:
        parts.append(plural(report.escalations, "escalation"))
    parts.append(plural(counts.errors, "error"))
    parts.append(plural(counts.warnings, "warning"))
    return f"{', '.join(parts)}: {report.verdict.value}"


# --- posting ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the posting steps did, for the job summary and the tests."""

    check_run_id: int | None = None
    bot: str = DEFAULT_BOT
    missing: list[str] = field(default_factory=list)
    commands: bool = False
    annotated: bool = False
    warnings: list[str] = field(default_factory=list)
    recorded: bool = False  # a new approval record was written to the summary

    def warn(self, sink: Sink, message: str) -> None:
        """A warning in the log (an annotation) and in the job summary; redacted first, before
        any writer escapes or clips it."""
        message = sink.redact(message)
        self.warnings.append(message)
        sink.command("warning", {"title": "zoho-manifest-guard"}, message)


def _denied(sink: Sink, outcome: Outcome, error: PermissionDenied, what: str) -> None:
    note = f"{error.permission.value} ({what})"
    if note not in outcome.missing:
        outcome.missing.append(note)
    sink.once(
        f"zoho-manifest-guard: the token lacks '{error.permission.value}', so {what} falls back "
        "to the log and the job summary; the exit code is unchanged. Add it to the workflow's "
        "permissions: block (fork pull requests never get it: see the README)."
    )


def post_check_run(
    port: GitHubPort,
    head_sha: str,
    *,
    report: Report,
    summary: str,
    root: str,
    sink: Sink,
    outcome: Outcome,
    job_failed: bool = False,
) -> bool:
    """One completed check run on the head commit with every annotation; False on 403."""
    output = CheckOutput.build(title_of(report), sink.redact(summary))
    all_annotations = tuple(
        replace(a, message=sink.redact(a.message)) for a in to_annotations(annotated(report), root)
    )
    chunks = list(batches(all_annotations)) or [()]
    try:
        ref = port.create_check_run(
            CHECK_NAME,
            head_sha,
            conclusion(report, job_failed=job_failed).value,
            output.payload(chunks[0]),
        )
        outcome.check_run_id = ref.id
        if ref.app_slug:
            outcome.bot = f"{ref.app_slug}[bot]"
        for chunk in chunks[1:]:
            port.update_check_run(ref.id, output.payload(chunk))
    except PermissionDenied as error:
        _denied(sink, outcome, error, "the check run with annotations")
        return False
    return True


def token_signature(token: str, repository: str, number: int) -> str:
    """A hidden line that only this token can produce, for tokens that outlive the run.

    A personal access token writes comments as its user, whose name the action cannot learn
    (it never calls ``GET /user``). The line, an HMAC of the repository and pull request keyed
    with the token, lets a later run with the same token recognise its own comments without
    revealing anything about the token. Installation tokens (the workflow's ``ghs_`` token,
    an app's) expire within the hour; their comments are recognised by the bot's name, so
    nothing is added and the body stays the same from run to run.
    """
    if not token or token.startswith("ghs_"):
        return ""
    message = f"zoho-manifest-guard v1 {repository}#{number}".encode()
    digest = hmac.new(token.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"<!-- zoho-manifest-guard:signed:{digest} -->"


def _signed(body: str, signature: str) -> str:
    return f"{body.rstrip()}\n{signature}\n" if signature else body


def _ours(comments: list[Comment], marker: str, bot: str, signature: str = "") -> list[Comment]:
    """Comments or reviews this action wrote: by its bot, or else (a personal token) signed.

    Anyone can copy a signed body into a comment of their own, but only after the action
    wrote it: the first signed one is the action's, and only its author's count.
    """
    by_bot = [c for c in comments if c.author == bot and marker in c.body]
    if by_bot or not signature:
        return by_bot
    signed = [c for c in comments if marker in c.body and signature in c.body]
    return [c for c in signed if c.author == signed[0].author] if signed else []


def comment_body(markdown_text: str, extra: str = "") -> str:
    """The PR summary: marker, markdown, audit lines; within the comment size cap."""
    body = f"{SUMMARY_MARKER}\n{markdown_text.rstrip()}\n"
    if extra:
        body += f"\n{extra}\n"
    return _fit_comment(body)


def _fit_comment(body: str) -> str:
    # room for the signature line a personal token adds (token_signature)
    room = MAX_COMMENT_CHARS - SIGNATURE_ROOM
    return markdown.clip(body, room, room * 4, "\n\n… (cut)\n")


def _with_store(body: str, store: Store, record: str, previous: str) -> str:
    """The summary body with the approval record this run keeps, writes or drops.

    The record sits right below the marker, so cutting the body to size never cuts it.
    """
    if store is Store.WRITE:
        return _fit_comment(with_record(body, record))
    if store is Store.KEEP:
        return _fit_comment(with_record(body, record_line(previous)))
    return body


def post_summary(
    port: GitHubPort,
    settings: ActionSettings,
    *,
    number: int,
    head_sha: str,
    body: str,
    sink: Sink,
    outcome: Outcome,
    store: Store = Store.KEEP,
    record: str = "",
) -> None:
    """Create the summary once, then update it in place; leave it alone when unchanged.

    The approval record in the summary is kept, replaced by ``record`` or dropped, as
    ``store`` says (see :mod:`checker.approval`).
    """
    signature = token_signature(settings.token, settings.repository, number)
    body = sink.redact(body)
    try:
        if settings.summary is SummaryMode.COMMENT:
            comments = port.issue_comments(number)
            mine = _ours(comments, SUMMARY_MARKER, outcome.bot, signature)
            previous = mine[0].body if mine else ""
            text = _signed(_with_store(body, store, record, previous), signature)
            if not mine:
                port.create_issue_comment(number, text)
            elif previous != text:
                port.edit_issue_comment(mine[0].id, text)
        elif settings.summary is SummaryMode.REVIEW:
            mine = _ours(port.reviews(number), SUMMARY_MARKER, outcome.bot, signature)
            previous = mine[-1].body if mine else ""
            text = _signed(_with_store(body, store, record, previous), signature)
            if not mine:
                port.create_review(number, head_sha, text, ReviewEvent.COMMENT)
            elif previous != text:
                port.edit_review(number, mine[-1].id, text)
        outcome.recorded = store is Store.WRITE and settings.summary is not SummaryMode.NONE
    except PermissionDenied as error:
        _denied(sink, outcome, error, "the pull-request summary")


def request_changes(
    port: GitHubPort,
    number: int,
    *,
    head_sha: str,
    report: Report,
    sink: Sink,
    outcome: Outcome,
    signature: str = "",
) -> None:
    """A REQUEST_CHANGES review while an escalation blocks; dismissed by us once it does not."""
    try:
        reviews = _ours(port.reviews(number), REQUEST_CHANGES_MARKER, outcome.bot, signature)
        active = [r for r in reviews if r.state == "CHANGES_REQUESTED"]
        if report.blocking:
            if not active:
                body = _signed(
                    f"{REQUEST_CHANGES_MARKER}\nThis pull request widens what a Zoho "
                    "extension may do; see the Zoho Manifest Guard summary. The review is "
                    "dismissed automatically once the escalation is removed or approved.",
                    signature,
                )
                port.create_review(number, head_sha, body, ReviewEvent.REQUEST_CHANGES)
            return
        for review in active:
            port.dismiss_review(
                number, review.id, "The escalation is gone or approved (Zoho Manifest Guard)."
            )
    except PermissionDenied as error:
        _denied(sink, outcome, error, "the change request")


# --- files and outputs -----------------------------------------------------------------------


def write_reports(
    settings: ActionSettings, report: Report, summary: str, *, sink: Sink
) -> dict[str, str]:
    """report.json and summary.md, inside the workspace (shared with the job's later steps).

    The folder is the action's own: created when missing, refused (exit 2) when the checkout
    holds it, or a file in it, as a link (see :mod:`checker.report_files`).
    """
    workspace = Path(settings.workspace).resolve()
    files = {REPORT_FILE: json_v1.render(report), SUMMARY_FILE: summary}
    for name, content in files.items():
        report_files.write(workspace, (REPORT_DIR, name), sink.redact(content).encode())
    return {
        "report-json": f"{REPORT_DIR}/{REPORT_FILE}",
        "summary-markdown": f"{REPORT_DIR}/{SUMMARY_FILE}",
    }


def check_report_paths(settings: ActionSettings, sarif_target: tuple[str, ...] | None) -> None:
    """Before anything is read or posted: every report path can be written without following
    a link (the folders are created now); a link there is exit 2."""
    workspace = Path(settings.workspace).resolve()
    for name in (REPORT_FILE, SUMMARY_FILE):
        report_files.check(workspace, (REPORT_DIR, name))
    if sarif_target is not None:
        report_files.check(workspace, sarif_target)


def _inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve(strict=False).relative_to(root.resolve())
    except ValueError:
        return False
    return True


# --- the two modes -----------------------------------------------------------------------------


def run_check_mode(
    settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink
) -> int:
    """Check the workspace against the base, report everywhere, return the gate's code."""
    previous = Path.cwd()
    try:
        return _check(settings, event, port, sink)
    finally:
        os.chdir(previous)


def _sarif_target(settings: ActionSettings) -> tuple[str, ...] | None:
    """The sarif-file input as workspace-relative parts; absolute or ``..`` is an error."""
    if not settings.sarif_file:
        return None
    return report_files.relative_parts(settings.sarif_file, "sarif-file")


def _check(settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink) -> int:
    workspace = Path(settings.workspace).resolve()
    root = workspace / settings.working_directory
    if not _inside(workspace, root) or not root.is_dir():
        raise InputError(
            f"working-directory {settings.working_directory!r} is not a folder inside the workspace"
        )
    sarif_target = _sarif_target(settings)
    check_report_paths(settings, sarif_target)
    # Display paths (and so annotation paths) are relative to the working folder.
    os.chdir(root)
    outcome = Outcome()
    try:
        comparison = compare_commits(settings, event, port, sink)
    except PermissionDenied as error:
        raise InputError(
            f"cannot read the base commit: {error}. Give the job that permission, or check "
            "out the whole history (actions/checkout with fetch-depth: 0) so git reads it"
        ) from None
    if event.head_sha:
        mismatch = workspace_mismatch(workspace, event.head_sha)
        if mismatch is not None:
            message, fatal = mismatch
            if fatal:
                raise InputError(message)
            outcome.warn(sink, message)
    policy = load_policy(settings, comparison, event)
    heads = read_heads(settings.paths, workspace)
    return _judge(
        settings,
        event,
        port,
        sink,
        outcome=outcome,
        comparison=comparison,
        policy=policy,
        heads=heads,
        sarif_target=sarif_target,
    )


def _judge(
    settings: ActionSettings,
    event: Event,
    port: GitHubPort | None,
    sink: Sink,
    *,
    outcome: Outcome,
    comparison: Comparison | None,
    policy: Policy,
    heads: Mapping[str, ExtensionInput],
    sarif_target: tuple[str, ...] | None,
) -> int:
    """Compare, apply the policy and the approval label, report everywhere; the gate's code."""
    pairs = build_pairs(settings, comparison, heads)
    report = analyse_pairs(pairs, policy, settings=settings)
    ruling = None
    present = liftable(report)
    if present and port is not None:
        try:
            ruling = find_approval(port, settings, event, policy, present, bot=outcome.bot)
        except PermissionDenied as error:
            _denied(sink, outcome, error, "checking the approval label")
            ruling = unverified()
        except GitHubError as error:
            # Fail closed: the escalations stay unapproved, and the report says why.
            outcome.warn(
                sink,
                f"could not check the approval label ({error}); the escalations are treated "
                "as not approved",
            )
            ruling = unverified()
        if ruling.coverage is not None:
            report = analyse_pairs(pairs, policy, settings=settings, ruling=ruling)
    if not heads and not pairs:
        # Nothing matched: a wrong paths input or working-directory, never a pass (as `check`).
        raise InputError(
            f"no file matched the paths input ({', '.join(settings.paths)}) in "
            f"working-directory {settings.working_directory!r}, so nothing was checked; fix "
            "the paths input"
        )
    code = exit_code(report)
    audit = ruling.audit() if ruling is not None else ""
    return deliver(
        settings,
        event,
        port,
        sink,
        outcome=outcome,
        report=report,
        audit=audit,
        code=code,
        sarif_target=sarif_target,
        ruling=ruling,
    )


def deliver(
    settings: ActionSettings,
    event: Event,
    port: GitHubPort | None,
    sink: Sink,
    *,
    outcome: Outcome,
    report: Report,
    audit: str,
    code: int,
    sarif_target: tuple[str, ...] | None,
    ruling: Ruling | None = None,
) -> int:
    """Report the verdict everywhere and return the gate's code: the log, the report files
    and outputs, then GitHub (check run, summary, change request), then the job summary.

    The files and outputs come first: they need nothing from GitHub, so a failed post (an
    error, a malformed answer, the wait limit) never costs them, and the exit code stays the
    policy's answer.
    """
    summary = summary_markdown(report, links=link_context(settings, event))  # for summary.md

    sink.group("Zoho Manifest Guard report")
    sink.log(text.render(report))
    sink.end_group()

    outputs = write_reports(settings, report, summary, sink=sink)
    if sarif_target is not None:
        sarif_text = sink.redact(sarif.render(report, settings.working_directory))
        report_files.write(Path(settings.workspace).resolve(), sarif_target, sarif_text.encode())
    write_outputs(
        settings.output_path,
        {
            name: sink.redact(value)
            for name, value in {
                "verdict": report.verdict.value,
                "escalations": str(report.escalations),
                "findings": str(len(report.findings)),
                **outputs,
            }.items()
        },
    )

    try:
        publish(
            settings,
            event,
            port,
            sink,
            outcome=outcome,
            report=report,
            audit=audit,
            code=code,
            ruling=ruling,
        )
    except GitHubError as error:
        # The verdict is known; only showing it on GitHub failed (after the bounded retries).
        # The gate is this job's exit code, so it stays the policy's answer.
        outcome.warn(
            sink,
            f"posting to GitHub failed: {error}; the findings are in the log and the job "
            "summary, and the exit code is the policy's answer",
        )
    if settings.annotations is not AnnotationsMode.NONE and not outcome.annotated:
        sink.annotate(_with_root(annotated(report), settings.working_directory))
        outcome.commands = True
    if ruling is not None and ruling.store is Store.WRITE and not outcome.recorded:
        outcome.warn(
            sink,
            "the approval could not be recorded in the pull request's summary, so later runs "
            "(a new push, the merge queue, the push of the merge) will not see it; give the "
            "job pull-requests: write, then remove the label and apply it again",
        )

    job = ""
    if audit:
        job += f"\n\n{audit}\n"
    if outcome.missing:
        job += (
            "\n\n> [!NOTE]\n> The token lacks "
            + "; ".join(f"`{m}`" for m in outcome.missing)
            + ". Findings are in this summary and the log instead.\n"
        )
        if event.fork:
            job += (
                f"> This pull request comes from a fork ({markdown.code(event.head_repository)}), "
                "whose runs get a read-only token: to post the check run and the summary, "
                "add the second workflow (`workflow_run`) from the README's "
                '"Permissions and forks".\n'
            )
    for warning in outcome.warnings:
        job += f"\n\n> [!WARNING]\n> {markdown.sentence(warning)}\n"
    # The job summary holds 1 MiB per step: the report keeps all it can of what is left.
    room = STEP_SUMMARY_MAX_BYTES - _size(settings.step_summary_path) - len(job.encode()) - 64
    report_md = summary_markdown(
        report,
        max_bytes=max(room, 0),
        full_report=full_report_where(settings, job_summary=True),
        links=link_context(settings, event),
    )
    write_step_summary(settings.step_summary_path, sink.redact(report_md + job) + "\n")
    return code


def _size(path: str) -> int:
    """The size of a file the runner gave (0 when there is none yet)."""
    try:
        return Path(path).stat().st_size if path else 0
    except OSError:
        return 0


def publish(
    settings: ActionSettings,
    event: Event,
    port: GitHubPort | None,
    sink: Sink,
    *,
    outcome: Outcome,
    report: Report,
    audit: str,
    code: int,
    ruling: Ruling | None = None,
) -> None:
    """The check run, workflow-command annotations, PR summary and change request.

    Annotations go to the check run when asked and allowed, else (or also, with ``both``)
    to workflow commands; ``outcome.annotated`` says whether they were shown somewhere. The
    check-run summary and the comment are each rendered for their own size limit.
    """
    where = full_report_where(settings, job_summary=False)
    links = link_context(settings, event)
    wants_check_run = settings.annotations in (AnnotationsMode.CHECK_RUN, AnnotationsMode.BOTH)
    on_check_run = False
    if port is not None and wants_check_run and event.head_sha:
        # GitHub counts the check run's 65,535 in characters and, for some fields, bytes
        room = room_beside(MAX_OUTPUT_CHARS, audit)
        fitted = summary_markdown(
            report, max_chars=room, max_bytes=room, full_report=where, links=links
        )
        with_audit = fitted + (f"\n\n{audit}\n" if audit else "")
        on_check_run = post_check_run(
            port,
            event.head_sha,
            report=report,
            summary=with_audit,
            root=settings.working_directory,
            sink=sink,
            outcome=outcome,
            job_failed=code != EXIT_PASS,
        )
    if settings.annotations is AnnotationsMode.CHECK_RUN and on_check_run:
        outcome.annotated = True
    elif settings.annotations is not AnnotationsMode.NONE:
        sink.annotate(_with_root(annotated(report), settings.working_directory))
        outcome.commands = outcome.annotated = True
    if port is not None and event.is_pull_request and event.head_sha:
        assert event.pr_number is not None
        if settings.summary is not SummaryMode.NONE:
            store = ruling.store if ruling is not None else Store.KEEP
            made = ruling.record if ruling is not None and store is Store.WRITE else None
            # the approval record goes below the marker: the report gets the room left
            # (a record kept from an earlier run is made room for by _fit_comment's cut)
            record = made.line() if made is not None else ""
            room = room_beside(MAX_COMMENT_CHARS - SIGNATURE_ROOM, SUMMARY_MARKER, audit, record)
            fitted = summary_markdown(report, max_chars=room, full_report=where, links=links)
            body = comment_body(fitted, audit)
            post_summary(
                port,
                settings,
                number=event.pr_number,
                head_sha=event.head_sha,
                body=body,
                sink=sink,
                outcome=outcome,
                store=store,
                record=record,
            )
        if settings.request_changes:
            request_changes(
                port,
                event.pr_number,
                head_sha=event.head_sha,
                report=report,
                sink=sink,
                outcome=outcome,
                signature=token_signature(settings.token, settings.repository, event.pr_number),
            )


def _with_root(findings: tuple[Finding, ...], root: str) -> list[Finding]:
    """The findings with repository-relative paths (``root`` is the working directory)."""
    return [
        replace(f, location=replace(f.location, file=repo_path(f.location.file, root)))
        for f in findings
    ]


def _api_read(
    port: GitHubPort, entry: TreeEntry | None, path: str, *, shown: str, ref: str
) -> tuple[bytes | None, tuple[Finding, ...]]:
    """A file of the head commit through the contents API; links and oversized files are
    findings (as git reads them), a file the API does not return is unreadable."""
    sha, findings = readable_entry(entry, shown, max_bytes=Limits().max_bytes)
    if sha is None:
        return None, findings
    content = port.file_content(path, ref)
    if content is None or content.data is None:
        kind = "missing" if content is None else content.kind
        message = f"could not be read at commit {ref[:12]} through the API ({kind})"
        return None, (Finding(UNREADABLE_RULE, Severity.ERROR, message, Location(shown, "")),)
    return content.data, ()


def api_heads(
    port: GitHubPort, settings: ActionSettings, head_sha: str
) -> dict[str, ExtensionInput]:
    """The head side from the API, as :func:`read_heads` finds it on disk: the files below
    the working folder that match the globs (SKIP_DIRS not searched), each with its
    resources.json and the listing of its folder, keyed and shown relative to that folder."""
    folder = settings.working_directory.strip("/")
    prefix = "" if folder in ("", ".") else f"{folder}/"
    entries = [TreeEntry(i.mode, i.kind, i.sha, i.size, i.path) for i in port.tree(head_sha)]
    by_path = {entry.path: entry for entry in entries}
    wanted: list[tuple[str, str]] = []
    for entry in entries:
        if entry.kind != "blob" or not entry.path.startswith(prefix):
            continue
        relative = entry.path[len(prefix) :]
        if any(part in SKIP_DIRS for part in relative.split("/")[:-1]):
            continue
        if matches(settings.paths, relative):
            wanted.append((relative, entry.path))
    trees = trees_below(entries, [posixpath.dirname(path) for _, path in wanted])
    heads = {}
    for relative, path in sorted(wanted):
        data, errors = _api_read(port, by_path[path], path, shown=relative, ref=head_sha)
        resources_at = beside(path, RESOURCES_NAME)
        resources_entry = by_path.get(resources_at)
        resources, more = _api_read(
            port,
            resources_entry,
            resources_at,
            shown=beside(relative, RESOURCES_NAME),
            ref=head_sha,
        )
        heads[relative] = ExtensionInput(
            manifest_path=relative,
            manifest=data,
            root=posixpath.dirname(relative),
            tree=trees[posixpath.dirname(path)],
            resources=resources,
            resources_present=resources_entry is not None,
            read_errors=(*errors, *more),
        )
    return heads


def posting_pull(settings: ActionSettings, event: Event, port: GitHubPort) -> tuple[PullInfo, str]:
    """The one open pull request a workflow_run is about, and where it was found.

    Only GitHub says which one: the event's own ``pull_requests`` (into this repository),
    or, when GitHub leaves them out (it does for forks), the pull requests it lists for the
    head commit. A candidate counts when it is open, into this repository, from the run's
    head repository and still at the run's head commit. Anything but exactly one is an
    error: two pull requests can share a head commit, and the check run lands on that commit
    for both, so a pass judged under one base's (lax) policy would show on the other.
    """
    head = event.head_sha
    if head is None:
        raise InputError("the workflow_run event names no head commit; nothing was posted")
    ours = settings.repository.lower()
    if event.run_pulls:
        address = f"{settings.api_url}/repos/{settings.repository}".lower()
        numbers = sorted(
            {p.number for p in event.run_pulls if p.base_repository_url.lower() == address}
        )
        candidates = [port.pull_request(number) for number in numbers]
        where = "the workflow_run event's pull requests"
    else:
        candidates = port.commit_pulls(head)
        where = f"the pull requests GitHub lists for {head[:12]}"
    matches = [
        pull
        for pull in candidates
        if pull.state == "open"
        and pull.head_sha == head
        and pull.base_repository.lower() == ours
        and pull.head_repository.lower() == event.head_repository.lower()
    ]
    source = f"from {event.head_repository or 'an unknown repository'} at {head[:12]}"
    if not matches:
        raise InputError(
            f"no open pull request into {settings.repository} {source} is among {where} "
            "(it moved on, was closed, or the run was not for a pull request); nothing was "
            "posted"
        )
    if len(matches) > 1:
        listed = ", ".join(f"#{p.number} (into {p.base_ref or p.base_sha[:12]})" for p in matches)
        raise InputError(
            f"{len(matches)} open pull requests share the head {source}: {listed}. A check run "
            "on that commit would show on all of them, so nothing was posted; close all but "
            "one, or push a new commit to the one to check"
        )
    return matches[0], where


def run_post_mode(
    settings: ActionSettings, event: Event, port: GitHubPort | None, sink: Sink
) -> int:
    """workflow_run: check a fork's pull request again from GitHub, then post the result.

    Nothing the fork's run saved is read: under ``pull_request`` a fork runs its own
    workflow files, so its artifact could name any pull request. The pull request comes from
    GitHub (:func:`posting_pull`), and the manifests, the base side and the policy are read
    through the API at the commits GitHub names, and judged here as a pull_request run would
    judge them.
    """
    if port is None:
        raise InputError("checking a fork's pull request from workflow_run needs a token")
    pull, where = posting_pull(settings, event, port)
    head, number = pull.head_sha, pull.number
    again = Event(
        kind=EventKind.PULL_REQUEST,
        action="workflow_run",
        pr_number=number,
        base_sha=pull.base_sha,
        head_sha=head,
        base_ref=pull.base_ref,
        head_repository=pull.head_repository,
        fork=pull.head_repository.lower() != settings.repository.lower(),
        sender=event.sender,
    )
    sink.log(
        f"zoho-manifest-guard: checking pull request #{number} at {head[:12]} again through "
        f"the API (found in {where})"
    )
    sarif_target = _sarif_target(settings)
    check_report_paths(settings, sarif_target)
    outcome = Outcome()
    try:
        comparison = api_comparison(
            port, again, pull.base_sha, head, settings=settings, log=sink.log
        )
        if not comparison.complete:
            sink.log(comparison.doubt)
        policy = load_policy(settings, comparison, again)
        heads = api_heads(port, settings, head)
    except PermissionDenied as error:
        raise InputError(
            f"cannot read the pull request's commits: {error}. Give the job contents: read"
        ) from None
    return _judge(
        settings,
        again,
        port,
        sink,
        outcome=outcome,
        comparison=comparison,
        policy=policy,
        heads=heads,
        sarif_target=sarif_target,
    )


# --- entry -------------------------------------------------------------------------------------


def default_client(settings: ActionSettings) -> GitHubPort:
    """The PyGithub client configured from the settings."""
    tuning = settings.tuning
    return PyGithubClient(
        settings.token,
        settings.repository,
        api_url=settings.api_url,
        seconds_between_requests=tuning.seconds_between_requests,
        seconds_between_writes=tuning.seconds_between_writes,
        retries=tuning.retries,
        backoff_factor=tuning.backoff_factor,
        max_wait=tuning.max_wait,
        wait_limit=settings.wait_limit,
    )


def run(
    env: Mapping[str, str],
    stdout: TextIO,
    client_factory: ClientFactory = default_client,
) -> int:
    """Run the Action; every expected error becomes a logged error and an exit code.

    The job summary is written on every path: the report, or what stopped the run.
    """
    sink = Sink(stdout, secret_values(env))
    try:
        settings = settings_from_env(env)
        event = parse_event(settings.event_name, read_event(settings.event_path), settings.sha)
        port = client_factory(settings) if settings.token and settings.repository else None
        if settings.mode is RunMode.POST:
            return run_post_mode(settings, event, port, sink)
        return run_check_mode(settings, event, port, sink)
    except CheckerError as error:
        message = str(error)
        code = error.exit_code
    except Exception as error:
        message = (
            f"internal error: {type(error).__name__}: {error}. This is a bug; please report it."
        )
        code = EXIT_INTERNAL
    finally:
        sink.flush()
    # redacted before the command and the summary escape it
    message = sink.redact(message)
    sink.command("error", {"title": "zoho-manifest-guard"}, message)
    write_error_summary(env.get("GITHUB_STEP_SUMMARY", ""), message, code)
    sink.flush()
    return code


def write_error_summary(path: str, message: str, code: int) -> None:
    """A job summary for a run that stopped before (or while) reporting; never raises."""
    kind = "input or configuration error" if code == EXIT_USAGE else "error"
    text_ = (
        f"## ⚠️ {CHECK_NAME}: {kind} (exit code {code})\n\n{markdown.sentence(message)}\n\n"
        "The manifests were not (fully) checked; the job log has the details.\n"
    )
    try:
        write_step_summary(path, text_)
    except OSError:
        return


def main(env: Mapping[str, str] | None = None) -> int:
    """Entry point of the container: the process environment, standard output."""
    return run(os.environ if env is None else env, sys.stdout)
