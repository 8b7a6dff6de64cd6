"""The only module that joins the pure core with the adapters: read, check, render, decide."""

from __future__ import annotations

import bisect
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from checker.errors import EXIT_FAIL, EXIT_INTERNAL, EXIT_PASS, EXIT_USAGE, ConfigError, InputError
from checker.report import ManifestReport, Report, Verdict, build_report
from checker.reporters import json_v1, markdown, text
from checker.settings import CheckSettings, DiffSettings
from checker.source import Limits
from checker.validate import CRASH_RULE, check_extension
from checker.workspace import (
    INPUT_ERROR_RULES,
    Listings,
    Unit,
    changed_manifests,
    manifests_in,
    plan,
    read_code,
    read_extension,
)

if TYPE_CHECKING:  # the diff engine (and YAML, jsonschema) load only for `diff`: faster `check`
    from checker.compare import ManifestPair
    from checker.policy import Policy

Write = Callable[[str], object]


# A run spread over several processes: only on Linux (fork shares the loaded modules, so a
# worker starts in milliseconds), with Python 3.11+ (pickling frozen slotted dataclasses),
# from a single-threaded process, and when the input splits into enough units that the
# workers' start-up pays off.
# Measured with 2 CPUs: below about 150 extensions the workers' start-up eats the gain.
POOL_UNITS = 128
SPREAD = 256


def check_paths(
    settings: CheckSettings, workspace: Path | None = None, *, jobs: int | None = None
) -> list[ManifestReport]:
    """Discover and check every manifest under the settings' paths.

    Only each manifest's report is kept: the parsed documents, texts and listings of a run
    over thousands of extensions would otherwise all stay in memory until the end. Large
    runs use ``jobs`` processes (default: the CPUs this process may use); the reports are
    the same and in the same order either way.
    """
    jobs = usable_cpus() if jobs is None else jobs
    # fork copies only the calling thread: never from a process that runs others
    single = threading.active_count() == 1
    pooled = jobs > 1 and single and sys.platform == "linux" and sys.version_info >= (3, 11)
    units = plan(settings.paths, spread=SPREAD if pooled else 0)
    if pooled and len(units) >= POOL_UNITS:
        found = _check_in_pool(units, settings.limits, workspace, settings.code, jobs)
    else:
        found = _check_units((units, settings.limits, workspace, settings.code))
    # One report per manifest (overlapping paths find some twice), in discover()'s order,
    # which decides between manifests shown under the same path.
    unique = dict(found)
    empty = named_nothing(settings.paths, sorted(unique))
    if empty:
        raise InputError(
            "\n".join(
                f"{raw}: no plugin-manifest.json in it or below it (node_modules, .git, dist "
                "and build folders are not searched); nothing was checked there"
                for raw in empty
            )
        )
    return [unique[key] for key in sorted(unique)]


def named_nothing(paths: Sequence[str], keys: Sequence[str]) -> list[str]:
    """The path arguments under which no manifest was found (``keys``: the sorted POSIX
    paths of the manifests found, as :func:`check_paths` keys them)."""
    found = set(keys)
    missing = []
    for raw in paths:
        text = Path(raw).as_posix()
        if text in found:
            continue
        if text == ".":
            below = any(not key.startswith(("/", "../")) for key in keys)
        else:
            prefix = text if text.endswith("/") else f"{text}/"
            at = bisect.bisect_left(keys, prefix)
            below = at < len(keys) and keys[at].startswith(prefix)
        if not below:
            missing.append(raw)
    return missing


def usable_cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _check_units(
    task: tuple[list[Unit], Limits, Path | None, bool],
) -> list[tuple[str, ManifestReport]]:
    """Read and check every manifest of some units: (discover() sort key, report) pairs;
    with the task's last item set, each extension's code is read and audited too."""
    units, limits, workspace, code = task
    listings = Listings()
    found = []
    seen: set[str] = set()
    for unit in units:
        for manifest in manifests_in(unit, listings):
            key = manifest.as_posix()
            if key not in seen:
                seen.add(key)
                source = read_extension(manifest, limits.max_bytes, workspace, listings, code=code)
                found.append((key, check_extension(source, limits=limits).report))
    return found


def _check_in_pool(
    units: list[Unit], limits: Limits, workspace: Path | None, code: bool, jobs: int
) -> list[tuple[str, ManifestReport]]:
    """Check the units in ``jobs`` processes: this one and ``jobs - 1`` forked children.

    The units are cut into small batches whose numbers wait in a pipe; each process takes
    the next number as it finishes a batch (so no process idles at the end, whatever else
    the machine runs), and each child sends back its reports pickled through a pipe of its
    own. A plain fork, not multiprocessing.Pool: that import, its pool's start-up and its
    handler threads cost more than a 1,000-extension run's share of the work, and this
    process would only wait. A child's exception is raised here.
    """
    import pickle
    import struct

    workers = min(jobs, max(2, len(units) // 16))
    size = max(1, len(units) // (workers * 8))
    batches = [units[i : i + size] for i in range(0, len(units), size)]
    tickets, sender = os.pipe()
    # a few bytes per batch: far below a pipe's buffer, so this never blocks
    os.write(sender, b"".join(struct.pack("=I", number) for number in range(len(batches))))
    os.close(sender)
    children: list[tuple[int, int]] = []
    try:
        for _ in range(workers - 1):
            results, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                os.close(results)
                _child(tickets, batches, limits, workspace, writer, code=code)
            os.close(writer)
            children.append((pid, results))
        found = _take_batches(tickets, batches, limits, workspace, code)
    except BaseException:
        _reap(children)  # this process's error is the one raised
        raise
    finally:
        os.close(tickets)
    for pid, payload in _reap(children):
        if not payload:
            raise RuntimeError(f"worker process {pid} ended without sending its reports")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        found.extend(value)
    return found


def _reap(children: list[tuple[int, int]]) -> list[tuple[int, bytes]]:
    """Each child's pickled answer, read to its end, and the child waited for."""
    answers = []
    for pid, results in children:
        with os.fdopen(results, "rb") as pipe:
            answers.append((pid, pipe.read()))
        os.waitpid(pid, 0)
    return answers


def _take_batches(
    tickets: int, batches: list[list[Unit]], limits: Limits, workspace: Path | None, code: bool
) -> list[tuple[str, ManifestReport]]:
    """Check batches, taking their numbers from the pipe until it is empty."""
    import struct

    found: list[tuple[str, ManifestReport]] = []
    while True:
        # Every number was written before the first read, and Linux reads a pipe under its
        # lock (fs/pipe.c): a 4-byte read gets one whole number, or nothing at the end.
        ticket = os.read(tickets, 4)
        if not ticket:
            return found
        if len(ticket) != 4:
            raise RuntimeError("a batch number was split between worker processes")
        (number,) = struct.unpack("=I", ticket)
        found.extend(_check_units((batches[number], limits, workspace, code)))


def _child(
    tickets: int,
    batches: list[list[Unit]],
    limits: Limits,
    workspace: Path | None,
    writer: int,
    *,
    code: bool,
) -> NoReturn:  # pragma: no cover - runs in a forked child
    """A worker: check batches, send the reports (or the error), and end at once."""
    import pickle

    status = 0
    try:
        try:
            payload = pickle.dumps(
                (True, _take_batches(tickets, batches, limits, workspace, code)),
                pickle.HIGHEST_PROTOCOL,
            )
        except BaseException as error:  # handed to the parent, which raises it
            status = 1
            try:
                payload = pickle.dumps((False, error))
            except Exception:  # an error that does not pickle
                payload = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def exit_code(report: Report) -> int:
    """0 pass (or nothing to check), 1 policy failure, 2 unreadable input, 3 a checker bug
    (fail closed)."""
    rules = {f.rule for f in report.findings}
    if CRASH_RULE in rules:
        return EXIT_INTERNAL
    if rules & INPUT_ERROR_RULES:
        return EXIT_USAGE
    return EXIT_FAIL if report.verdict is Verdict.FAIL else EXIT_PASS


def render(report: Report, output_format: str, *, color: bool) -> str:
    """The report in the chosen format."""
    if output_format == "json":
        return json_v1.render(report)
    if output_format == "markdown":
        return markdown.render(report)
    if output_format == "sarif":
        from checker.reporters import sarif  # loads the rule catalogue: only when asked

        return sarif.render(report)
    return text.render(report, color=color)


def emit(report: Report, output_format: str, *, color: bool, write: Write) -> None:
    """Write the report in the chosen format; text goes out in pieces of whole lines, so a
    very large report is not also held whole as one string."""
    if output_format == "text":
        for chunk in text.render_chunks(report, color=color):
            write(chunk)
    else:
        write(render(report, output_format, color=color))


def run_check(settings: CheckSettings, write: Write) -> int:
    """``zoho-manifest-guard check``: a path under which no manifest is found is exit 2,
    before anything is printed (a report of nothing would read as a pass)."""
    if settings.changed_files:
        return _check_changed(settings, write)
    reports = check_paths(settings)
    report = build_report(reports, settings.fail_on)
    emit(report, settings.output_format, color=settings.color, write=write)
    return exit_code(report)


def _check_changed(settings: CheckSettings, write: Write) -> int:
    """``check --changed-files``: the extensions that the changed files belong to.

    Changed files that belong to no extension (a ``resources.json`` without a manifest beside
    it, any other file) are named in a note and not checked; with none left the run passes,
    as there is no extension to check.
    """
    manifests, skipped = changed_manifests(settings.paths)
    notes = tuple(f"{path}: not a file of an extension, not checked" for path in skipped)
    reports = check_paths(replace(settings, paths=tuple(manifests))) if manifests else []
    if not manifests:
        notes += ("no extension among the changed files: nothing checked",)
    report = build_report(reports, settings.fail_on, notes=notes)
    emit(report, settings.output_format, color=settings.color, write=write)
    return exit_code(report)


def _policy_file(path: str) -> Policy:
    """A policy file named on the command line (read from the work tree)."""
    from checker.policy import MAX_POLICY_CHARS, parse_policy_bytes

    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{path}: no such policy file")
    return parse_policy_bytes(file.read_bytes()[: MAX_POLICY_CHARS * 4 + 1], path)


def _manifest_file(path: str, option: str) -> Path:
    """A file named by --base-file or --head-file: never a folder (a folder was once taken
    for the manifest in it, so ``--base-file ext`` compared ext's manifest with itself)."""
    file = Path(path)
    if file.is_dir():
        raise InputError(
            f"{path}: is a folder; {option} names a manifest file "
            f"(such as {Path(path, 'plugin-manifest.json').as_posix()})"
        )
    if not file.exists() and not file.is_symlink():
        raise InputError(f"{path}: no such file")
    return file


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # a dangling link: the reader reports it
        return False


def _file_pairs(settings: DiffSettings) -> tuple[list[ManifestPair], Policy, list[str]]:
    from checker.compare import ManifestPair
    from checker.policy import DEFAULT_POLICY

    assert settings.head_file is not None
    max_bytes = settings.limits.max_bytes
    head_file = _manifest_file(settings.head_file, "--head-file")
    base_file = None
    if settings.base_file is not None:
        base_file = _manifest_file(settings.base_file, "--base-file")
        if _same_file(base_file, head_file):
            raise InputError(
                f"--base-file {settings.base_file} and --head-file {settings.head_file} are "
                "the same file, so nothing would be compared; name the old version as the base"
            )
    head = read_extension(head_file, max_bytes, code=settings.code)
    base = None
    if base_file is not None:
        base = read_extension(base_file, max_bytes)
    notes = []
    if settings.policy is not None:
        policy = _policy_file(settings.policy)
        notes.append(f"policy: {settings.policy}")
    else:
        policy = DEFAULT_POLICY
        notes.append("policy: the defaults (no --policy given)")
    return [ManifestPair(head.manifest_path, base, head)], policy, notes


def _git_pairs(settings: DiffSettings, cwd: Path) -> tuple[list[ManifestPair], Policy, list[str]]:
    from checker import git
    from checker.policy import DEFAULT_POLICY, DEFAULT_POLICY_PATH, MAX_POLICY_CHARS, parse_policy

    assert settings.base is not None
    repo = git.open_repo(cwd)
    remote = settings.pre_push_remote
    if remote is not None and git.resolve_commit(repo, settings.base) is None:
        raise InputError(
            f"--pre-push compares with {settings.base}, the default branch of the remote "
            f"{remote!r}, but this clone does not know it; run `git remote set-head {remote} "
            f"--auto`, or name the base in the hook's args, e.g. [--base, {remote}/main]"
        )
    work_tree = settings.head is None
    head = settings.head or "HEAD"
    span = git.resolve_range(repo, settings.base, head, fetch=settings.fetch)
    filters = [git.repo_relative(repo, cwd, p) for p in settings.paths]
    # A path that names nothing on either side would compare nothing and pass: exit 2.
    sides = [span.merge_base] if work_tree else [span.head, span.merge_base]
    absent = [
        raw
        for raw, relative in zip(settings.paths, filters, strict=True)
        if not (work_tree and os.path.lexists(cwd / raw))
        and not git.exists_at(repo, sides, relative)
    ]
    if absent:
        where = "the work tree or " if work_tree else f"{head} or "
        raise InputError(
            "\n".join(
                f"{raw}: names no file or folder in {where}the merge base {span.merge_base[:12]}"
                for raw in absent
            )
        )
    pairs = git.manifest_pairs(
        repo,
        span,
        filters,
        max_bytes=settings.limits.max_bytes,
        work_tree=work_tree,
        code=settings.code,
    )
    if work_tree and settings.code:
        pairs = [_with_work_tree_code(pair, repo.root) for pair in pairs]
    short = span.merge_base[:12]
    shown = "the work tree (HEAD and uncommitted changes)" if work_tree else head
    notes = [f"compared {shown} with the merge base {short} of {settings.base}"]
    if settings.policy is not None:
        policy = _policy_file(settings.policy)
        notes.append(f"policy: {settings.policy} (from the work tree, as --policy asked)")
    else:
        text_ = git.read_text_at(
            repo, span.merge_base, DEFAULT_POLICY_PATH, max_bytes=MAX_POLICY_CHARS
        )
        if text_ is None:
            policy = DEFAULT_POLICY
            notes.append(f"policy: the defaults (no {DEFAULT_POLICY_PATH} at {short})")
        else:
            policy = parse_policy(text_, f"{DEFAULT_POLICY_PATH}@{short}")
            notes.append(f"policy: {DEFAULT_POLICY_PATH} at the merge base {short}")
    if not pairs:
        notes.append("no plugin-manifest.json changed between the merge base and the head")
    return pairs, policy, notes


def _with_work_tree_code(pair: ManifestPair, root: Path) -> ManifestPair:
    """The pair with its head's code read from the work tree, as ``check`` reads it (a head
    that already carries code, or has no manifest or listing, is left as it is)."""
    head = pair.head
    if head is None or head.code is not None or head.manifest is None or head.tree is None:
        return pair
    folder = root / head.root if head.root else root
    return replace(pair, head=replace(head, code=read_code(os.fspath(folder), head.tree, root)))


def run_diff(settings: DiffSettings, write: Write, cwd: Path | None = None) -> int:
    """``zoho-manifest-guard diff``: compare, apply the policy, render, decide."""
    from checker.compare import analyse

    cwd = cwd or Path.cwd()
    if settings.file_mode:
        pairs, policy, notes = _file_pairs(settings)
    else:
        pairs, policy, notes = _git_pairs(settings, cwd)
    report = analyse(
        pairs,
        policy,
        approved=settings.approved,
        fail_on=settings.fail_on,
        limits=settings.limits,
        notes=notes,
    )
    emit(report, settings.output_format, color=settings.color, write=write)
    return exit_code(report)
