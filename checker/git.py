"""Git adapter: the one run_git funnel, a repository, commits and ranges, changed manifests.

Every git call goes through :func:`run_git` (no shell, a timeout, ``GIT_TERMINAL_PROMPT=0``),
and failures become :class:`~checker.errors.GitError`, an input error (exit code 2) whose
message says what to do. Commits are read from the object database; listing a commit's tree
and reading its blobs lives in :mod:`checker.git_tree`, which this module imports (never the
other way round). A manifest or
resources.json that is a symbolic link (mode 120000) is followed inside the commit's tree
(:mod:`checker.links`), never out of it, and a change of anything it passes through counts as
a change of it; any other link (the policy file) is not followed. Only a comparison that asks
for the work tree as its head (``diff`` without ``--head``) reads files from disk, through the
filesystem adapter and its rules for links.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.compare import ManifestPair
from checker.errors import GitError
from checker.extension import MANIFEST_NAME, RESOURCES_NAME, ExtensionInput, beside
from checker.git_tree import (
    CommitFiles,
    read_extensions_at,
    read_file_at,
    text,
    tree_entries,
)
from checker.links import ChangedPaths, Resolved, resolve
from checker.trees import MODE_SYMLINK
from checker.workspace import Listings, disk_lookup, link_display, read_extension

GIT_TIMEOUT = 60.0
FETCH_TIMEOUT = 300.0
DEFAULT_FETCH_DEPTH = 50
_SAFE_REF = re.compile(r"[A-Za-z0-9._/@^~{}-]+\Z")


def _environment(environ: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ if environ is None else environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password
    env["LC_ALL"] = "C"  # messages we can recognise
    env["GIT_OPTIONAL_LOCKS"] = "0"  # read-only commands never take the index lock
    env["GIT_LITERAL_PATHSPECS"] = "1"  # a path with * or ? names itself, not a pattern
    return env


def _shown(args: Sequence[str]) -> str:
    return " ".join(["git", *args])


def run_git(
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float = GIT_TIMEOUT,
    ok: Sequence[int] = (0,),
    environ: Mapping[str, str] | None = None,
    safe_directory: Path | None = None,
    stdin: bytes | None = None,
) -> tuple[int, bytes]:
    """Run one git command; return its exit code (one of ``ok``) and standard output.

    ``stdin`` is written to the command's standard input (``cat-file --batch``); without it
    the command reads nothing.

    ``core.fsmonitor`` is switched off so that no command from a repository's config runs.
    ``safe_directory`` trusts that one repository for this command only (``git -c``, a
    protected scope): a container running as root on a work tree owned by the runner's user
    otherwise gets "detected dubious ownership" (git-config(1), safe.directory).
    """
    trust = ["-c", f"safe.directory={safe_directory}"] if safe_directory is not None else []
    command = ["git", "-c", "core.fsmonitor=false", *trust, *args]
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=_environment(environ),
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH; install git to use diff") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`{_shown(args)}` did not finish within {timeout:.0f} seconds") from None
    if result.returncode not in ok:
        stderr = result.stderr.decode("utf-8", errors="replace").strip()
        last = stderr.splitlines()[-1] if stderr else "no message"
        hint = ""
        if "dubious ownership" in stderr:
            hint = (
                "; the repository belongs to another user: run "
                f"`git config --global --add safe.directory {cwd}`"
            )
        raise GitError(
            f"`{_shown(args)}` failed (exit code {result.returncode}): {last}{hint}",
            returncode=result.returncode,
            stderr=stderr,
        )
    return result.returncode, result.stdout


@dataclass(frozen=True, slots=True)
class Repo:
    """A git work tree; ``root`` is its top-level folder, ``safe_directory`` one to trust."""

    root: Path
    safe_directory: Path | None = None

    def git(
        self,
        *args: str,
        timeout: float = GIT_TIMEOUT,
        ok: Sequence[int] = (0,),
        stdin: bytes | None = None,
    ) -> bytes:
        """Standard output of a git command that must succeed."""
        return run_git(
            args,
            cwd=self.root,
            timeout=timeout,
            ok=ok,
            safe_directory=self.safe_directory,
            stdin=stdin,
        )[1]

    def status(self, *args: str, ok: Sequence[int] = (0, 1)) -> tuple[int, bytes]:
        """Exit code and output of a git command that may answer "no" with exit code 1."""
        return run_git(args, cwd=self.root, ok=ok, safe_directory=self.safe_directory)


def open_repo(cwd: Path) -> Repo:
    """The repository containing ``cwd``; a clear error outside one."""
    try:
        _, out = run_git(["rev-parse", "--show-toplevel"], cwd=cwd)
    except GitError as error:
        if "not a git repository" in error.stderr:
            raise GitError(
                f"{cwd} is not inside a git repository; run diff in a clone, or compare two "
                "files with --base-file OLD --head-file NEW"
            ) from None
        raise
    return Repo(Path(text(out).strip()))


def resolve_commit(repo: Repo, ref: str) -> str | None:
    """The commit id a ref names, or None when this repository does not have it."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a valid git ref")
    code, out = repo.status(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
    )
    if code != 0:
        return None
    return text(out).strip()


def commit_parents(repo: Repo, commit: str) -> list[str]:
    """The parents a commit object names, from the object itself: in a shallow clone they are
    still named there although ``rev-parse commit^`` no longer finds them."""
    header = text(repo.git("cat-file", "commit", commit)).split("\n\n", 1)[0]
    return [line[7:].strip() for line in header.splitlines() if line.startswith("parent ")]


def contains_commit(repo: Repo, commit: str, ancestor: str) -> bool:
    """Whether ``ancestor`` is ``commit`` or in its history, as far as the clone can tell
    (an object the clone lacks is "no")."""
    code, _ = repo.status("merge-base", "--is-ancestor", ancestor, commit, ok=(0, 1, 128))
    return code == 0


def is_shallow(repo: Repo) -> bool:
    """Whether the clone has cut-off history (``git clone --depth``)."""
    return text(repo.git("rev-parse", "--is-shallow-repository")).strip() == "true"


def merge_base(repo: Repo, base: str, head: str) -> str | None:
    """The best common ancestor of two commits, or None when none is known locally."""
    code, out = repo.status("merge-base", base, head)
    return text(out).strip() if code == 0 else None


def _fetch_spec(ref: str) -> str:
    """What to ask the remote for: a commit id, a branch, or origin/<branch>."""
    if ref.startswith("origin/"):
        branch = ref.removeprefix("origin/")
        return f"+refs/heads/{branch}:refs/remotes/origin/{branch}"
    return ref


def fetch_command(ref: str, depth: int = DEFAULT_FETCH_DEPTH) -> list[str]:
    """The git arguments that fetch a missing base commit into a shallow clone."""
    return ["fetch", "--no-tags", f"--depth={depth}", "origin", _fetch_spec(ref)]


def _fetchable(ref: str) -> bool:
    return bool(_SAFE_REF.match(ref)) and not ref.startswith("-") and ".." not in ref


def ensure_commit(
    repo: Repo, ref: str, *, what: str, fetch: bool, depth: int = DEFAULT_FETCH_DEPTH
) -> str:
    """The commit ``ref`` names, fetching it from origin first when allowed and missing."""
    found = resolve_commit(repo, ref)
    if found is not None:
        return found
    command = fetch_command(ref, depth)
    if fetch and _fetchable(ref):
        try:
            repo.git(*command, timeout=FETCH_TIMEOUT)
        except GitError as error:
            raise GitError(
                f"the {what} {ref!r} is not in this clone and fetching it failed: {error}"
            ) from None
        found = resolve_commit(repo, ref) or (
            resolve_commit(repo, "FETCH_HEAD") if not ref.startswith("origin/") else None
        )
        if found is not None:
            return found
    shallow = " (the clone is shallow)" if is_shallow(repo) else ""
    raise GitError(
        f"the {what} {ref!r} is not a commit in this clone{shallow}; fetch it first: "
        f"`{_shown(command)}` (or pass --fetch to let diff do it; in a workflow use "
        "actions/checkout with fetch-depth: 0)"
    )


@dataclass(frozen=True, slots=True)
class Range:
    """What to compare: head against the merge base of base and head."""

    base: str
    head: str
    merge_base: str


def resolve_range(
    repo: Repo,
    base_ref: str,
    head_ref: str = "HEAD",
    *,
    fetch: bool = False,
    depth: int = DEFAULT_FETCH_DEPTH,
) -> Range:
    """Resolve base and head and find their merge base (what GitHub's "Files changed" shows).

    In a shallow clone a missing merge base is fetched by deepening the history when
    ``fetch`` is true; otherwise the error names the ``git fetch`` command that is missing.
    """
    head = ensure_commit(repo, head_ref, what="head", fetch=fetch, depth=depth)
    base = ensure_commit(repo, base_ref, what="base", fetch=fetch, depth=depth)
    found = merge_base(repo, base, head)
    if found is None and fetch and is_shallow(repo):
        for deepen in (["--deepen", str(depth * 4)], ["--unshallow"]):
            try:
                repo.git("fetch", "--no-tags", *deepen, "origin", timeout=FETCH_TIMEOUT)
            except GitError:
                continue
            found = merge_base(repo, base, head)
            if found is not None or not is_shallow(repo):
                break
    if found is None:
        if is_shallow(repo):
            raise GitError(
                f"{base_ref!r} and {head_ref!r} have no common ancestor in this shallow clone; "
                "fetch more history: `git fetch --no-tags --unshallow origin` (or pass --fetch; "
                "in a workflow use actions/checkout with fetch-depth: 0)"
            )
        raise GitError(
            f"{base_ref!r} and {head_ref!r} share no history, so there is no merge base to "
            "compare against"
        )
    return Range(base, head, found)


@dataclass(frozen=True, slots=True)
class FileChange:
    """One entry of ``git diff --name-status``: A, C, D, M, R or T, with the old path of R/C."""

    status: str
    path: str
    old_path: str | None = None


def changed_files(repo: Repo, old: str, new: str | None) -> tuple[FileChange, ...]:
    """Files that differ between two commits, renames detected (``-M``).

    ``new`` None compares ``old`` with the work tree: tracked files as they are on disk, and
    untracked manifests and resources.json files (those .gitignore does not exclude) as added.
    """
    revs = (old,) if new is None else (old, new)
    out = repo.git(
        "diff", "--name-status", "-M", "-z", "--no-ext-diff", "--no-textconv", *revs, "--"
    )
    tokens = [text(t) for t in out.split(b"\0")]
    changes: list[FileChange] = []
    index = 0
    while index < len(tokens) and tokens[index]:
        status = tokens[index][:1]
        if status in ("R", "C"):
            changes.append(FileChange(status, tokens[index + 2], tokens[index + 1]))
            index += 3
        else:
            changes.append(FileChange(status, tokens[index + 1]))
            index += 2
    if new is None:
        # filtered here: run_git makes pathspecs literal, so no glob could select them
        untracked = repo.git("ls-files", "--others", "--exclude-standard", "-z")
        changes.extend(
            FileChange("A", path)
            for path in map(text, untracked.split(b"\0"))
            if posixpath.basename(path) in (MANIFEST_NAME, RESOURCES_NAME)
        )
    return tuple(changes)


def exists_at(repo: Repo, commits: Sequence[str], path: str) -> bool:
    """Whether a repository-relative path (a file or a folder; "" is the top) exists at
    one of ``commits``."""
    if path in ("", "."):
        return True
    return any(tree_entries(repo, commit, [path.rstrip("/")]) for commit in commits)


def _selected(path: str, filters: Sequence[str]) -> bool:
    if not filters:
        return True
    return any(path == f or path.startswith(f.rstrip("/") + "/") or f in ("", ".") for f in filters)


def _present(repo: Repo, commit: str | None, paths: Sequence[str]) -> set[str]:
    """Which of ``paths`` exist at ``commit`` (None: in the work tree, links included)."""
    if commit is None:
        return {path for path in paths if os.path.lexists(repo.root / path)}
    return {entry.path for entry in tree_entries(repo, commit, paths)}


def manifest_changes(
    repo: Repo,
    old: str,
    new: str | None,
    filters: Sequence[str] = (),
    *,
    files: CommitFiles | None = None,
) -> list[tuple[str | None, str | None]]:
    """(base path, head path) of every manifest that differs, renames paired.

    A manifest whose resources.json changed counts as changed too. ``filters`` are
    repository-relative folders or files; an empty list keeps everything. ``new`` None is
    the work tree (see :func:`changed_files`).
    """
    pairs: dict[str, tuple[str | None, str | None]] = {}

    def keep(base: str | None, head: str | None) -> None:
        shown = head or base
        assert shown is not None
        if _selected(shown, filters) or (base is not None and _selected(base, filters)):
            pairs.setdefault(shown, (base, head))

    resources_folders: list[str] = []
    changes = changed_files(repo, old, new)
    for change in changes:
        name = posixpath.basename(change.path)
        old_name = posixpath.basename(change.old_path) if change.old_path else None
        if change.status == "R":
            if name == MANIFEST_NAME:
                keep(change.old_path if old_name == MANIFEST_NAME else None, change.path)
            elif old_name == MANIFEST_NAME:
                keep(change.old_path, None)
        elif change.status == "C":
            if name == MANIFEST_NAME:
                keep(None, change.path)  # a copy is a new manifest with all of its grants
        elif name == MANIFEST_NAME:
            if change.status == "A":
                keep(None, change.path)
            elif change.status == "D":
                keep(change.path, None)
            else:
                keep(change.path, change.path)
        if RESOURCES_NAME in (name, old_name):
            resources_folders.append(posixpath.dirname(change.path))
    # A manifest or resources.json that is a link changes with anything it passes through.
    linked: list[str] = []
    if changes:
        touched = ChangedPaths.of(p for c in changes for p in (c.path, c.old_path) if p)
        for path, resolved in links_at(repo, new, files):
            if touched.touch((path, *resolved.chain)):
                if posixpath.basename(path) == MANIFEST_NAME:
                    linked.append(path)
                else:
                    resources_folders.append(posixpath.dirname(path))
    probes = [
        posixpath.join(folder, MANIFEST_NAME) if folder else MANIFEST_NAME
        for folder in resources_folders
    ] + linked
    unknown = [manifest for manifest in probes if manifest not in pairs]
    news: set[str] = set()
    olds: set[str] = set()
    if unknown:
        news = _present(repo, new, unknown)
        olds = _present(repo, old, unknown)
    for manifest in probes:
        if manifest in pairs:
            continue
        in_new = manifest in news
        in_old = manifest in olds
        if in_new or in_old:
            keep(manifest if in_old else None, manifest if in_new else None)
    return [pairs[key] for key in sorted(pairs)]


def links_at(
    repo: Repo, commit: str | None, files: CommitFiles | None = None
) -> list[tuple[str, Resolved]]:
    """Every manifest and resources.json that is a symbolic link at ``commit`` (None: in the
    work tree, untracked files included), with where it leads; ``files`` is the commit's
    listing when the caller has one."""
    names = (MANIFEST_NAME, RESOURCES_NAME)
    if commit is None:
        listed = repo.git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
        root = os.path.realpath(repo.root)
        lookup = disk_lookup(root)
        found = []
        for path in sorted(set(map(text, listed.split(b"\0")))):
            if posixpath.basename(path) in names and os.path.islink(repo.root / path):
                found.append((path, resolve(path, lookup, root=root)))
        return found
    files = files or CommitFiles(repo, commit)
    if not files.has_links():
        return []
    return [
        (path, resolve(path, files.lookup))
        for path, entry in files.entries().items()
        if entry.mode == MODE_SYMLINK and posixpath.basename(path) in names
    ]


def read_extensions_in_work_tree(
    repo: Repo, manifest_paths: Sequence[str], *, max_bytes: int, code: bool = False
) -> list[ExtensionInput]:
    """Extensions as they are on disk, read as ``check`` reads them (a link out of the
    repository is a finding, never followed), shown by their repository-relative paths."""
    listings = Listings()
    extensions = []
    for path in manifest_paths:
        found = read_extension(repo.root / path, max_bytes, repo.root, listings, code=code)
        # the reader's findings concern the manifest (shown where it leads, or as the link
        # itself when it cannot be followed) or else resources.json
        manifest_shown = {found.manifest_path, link_display(listings, os.fspath(repo.root / path))}
        resources_path = beside(path, RESOURCES_NAME)
        extensions.append(
            dataclasses.replace(
                found,
                manifest_path=path,
                root=posixpath.dirname(path),
                read_errors=tuple(
                    dataclasses.replace(
                        finding,
                        location=dataclasses.replace(
                            finding.location,
                            file=path
                            if finding.location.file in manifest_shown
                            else resources_path,
                        ),
                    )
                    for finding in found.read_errors
                ),
            )
        )
    return extensions


def manifest_pairs(
    repo: Repo,
    span: Range,
    filters: Sequence[str] = (),
    *,
    max_bytes: int,
    work_tree: bool = False,
    code: bool = False,
) -> list[ManifestPair]:
    """The changed manifests between the merge base and head, read from git.

    With ``work_tree`` the head side is the work tree (``span.head`` only chose the merge
    base): uncommitted edits and untracked manifests are compared too, as ``git diff REF``
    would show them. With ``code`` the head side's code files are read too, as the
    manifests are (from the commit's blobs, or from the work tree).
    """
    new = None if work_tree else span.head
    # the head's listing, when links are followed there, is made once for both steps
    files = None if work_tree else CommitFiles(repo, span.head)
    changes = manifest_changes(repo, span.merge_base, new, filters, files=files)
    base_paths = [base for base, _ in changes if base is not None]
    head_paths = [head for _, head in changes if head is not None]
    bases = iter(
        read_extensions_at(repo, span.merge_base, base_paths, max_bytes=max_bytes, with_tree=False)
        if base_paths
        else []
    )
    heads: Iterator[ExtensionInput]
    if not head_paths:
        heads = iter([])
    elif work_tree:
        heads = iter(read_extensions_in_work_tree(repo, head_paths, max_bytes=max_bytes, code=code))
    else:
        heads = iter(
            read_extensions_at(
                repo,
                span.head,
                head_paths,
                max_bytes=max_bytes,
                with_tree=True,
                files=files,
                code=code,
            )
        )
    pairs = []
    for base_path, head_path in changes:
        base = next(bases) if base_path is not None else None
        head = next(heads) if head_path is not None else None
        shown = head_path or base_path
        assert shown is not None
        renamed = base_path if base_path is not None and base_path != shown else None
        pairs.append(ManifestPair(shown, base, head, renamed))
    return pairs


def read_text_at(repo: Repo, commit: str, path: str, *, max_bytes: int) -> str | None:
    """A text file at a commit (the policy file), or None when it is absent there."""
    data, errors = read_file_at(repo, commit, path, max_bytes=max_bytes)
    if errors:
        raise GitError(f"{path} at {commit[:12]}: {errors[0].message}")
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GitError(f"{path} at {commit[:12]} is not UTF-8 text") from None


def repo_relative(repo: Repo, cwd: Path, path: str) -> str:
    """A command-line path as a repository-relative POSIX path."""
    absolute = (cwd / path).resolve(strict=False)
    try:
        relative = absolute.relative_to(repo.root.resolve())
    except ValueError:
        raise GitError(f"{path} is outside the repository {repo.root}") from None
    text = relative.as_posix()
    return "" if text == "." else text
