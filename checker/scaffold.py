"""``zoho-manifest-guard init``: write the recommended workflow and a commented policy file."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from checker import __version__
from checker.errors import InputError, UsageError
from checker.extension import MANIFEST_NAME
from checker.policy import DEFAULT_POLICY_PATH, policy_schema_text
from checker.workspace import discover

ACTION = "zoho-manifest-guard/zoho-manifest-guard"
WORKFLOW_PATH = ".github/workflows/manifest-guard.yml"
POST_WORKFLOW_PATH = ".github/workflows/manifest-guard-post.yml"
# Written into the wheel by the release workflow (scripts/write_release_info.py): the commit
# that the release's tag points to, whose action.yml runs the prebuilt image.
RELEASE_FILE = "release.json"
PINS_FILE = "action_pins.json"
_SHA = re.compile(r"[0-9a-f]{40}")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]{1,200}")
_PLACEHOLDER = re.compile(r"%%[A-Z_]+%%")

Write = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class Pin:
    """An action pinned to a full commit id, with the version tag that commit carries."""

    action: str
    commit: str
    version: str

    def __post_init__(self) -> None:
        if not _SHA.fullmatch(self.commit):
            raise ValueError(f"{self.action}: {self.commit!r} is not a full commit id")
        if not self.version.startswith("v"):
            raise ValueError(f"{self.action}: version {self.version!r} does not start with v")

    @property
    def uses(self) -> str:
        """The ``uses:`` value and its version comment."""
        return f"{self.action}@{self.commit} # {self.version}"


@dataclass(frozen=True, slots=True)
class InitOptions:
    """What ``init`` writes and where."""

    root: Path
    forks: bool = False
    force: bool = False
    action_sha: str | None = None
    action_version: str | None = None
    branch: str | None = None


@dataclass(frozen=True, slots=True)
class Planned:
    """One file to write: its path relative to the repository and its text."""

    path: str
    text: str


def _data(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def action_pins() -> dict[str, Pin]:
    """The pinned third-party actions the templates use (checker/catalog/action_pins.json)."""
    data = json.loads(_data("checker.catalog", PINS_FILE))
    return {
        name: Pin(name, entry["commit"], entry["version"]) for name, entry in sorted(data.items())
    }


def release_pin() -> Pin | None:
    """This release's own commit, when the wheel was built by the release workflow."""
    try:
        text = _data("checker.catalog", RELEASE_FILE)
    except FileNotFoundError:
        return None
    data = json.loads(text)
    return Pin(ACTION, data["commit"], f"v{data['version']}")


def guard_pin(options: InitOptions) -> Pin:
    """The zoho-manifest-guard commit the workflow runs: --action-sha, else this release's."""
    if options.action_sha is not None:
        sha = options.action_sha.strip().lower()
        if not _SHA.fullmatch(sha):
            raise UsageError(
                f"--action-sha {options.action_sha!r} is not a full commit id (40 hex digits); "
                "GitHub runs an action pinned only by its whole commit id"
            )
        version = options.action_version or f"v{__version__}"
        try:
            return Pin(ACTION, sha, version)
        except ValueError as error:
            raise UsageError(f"--action-version: {error}") from None
    found = release_pin()
    if found is None:
        raise UsageError(
            f"this zoho-manifest-guard {__version__} was not built by the release workflow, so "
            "it does not know the commit of a release to pin; pass --action-sha with the "
            f"commit of the release tag you want (git ls-remote https://github.com/{ACTION} "
            "'refs/tags/v*'), or install a release from the package index"
        )
    return found


def extension_folders(root: Path) -> list[str]:
    """The folders, relative to ``root``, that hold a plugin-manifest.json ('' for root)."""
    folders = []
    for manifest in discover([str(root)]):
        folder = manifest.parent.relative_to(root).as_posix()
        folders.append("" if folder == "." else folder)
    return sorted(set(folders))


def _quoted(value: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + value.replace("'", "''") + "'"


def trigger_paths(folders: Sequence[str]) -> list[str]:
    """The ``paths`` filter: the extensions found, any new manifest, the policy, the workflow."""
    globs = [f"**/{MANIFEST_NAME}", "**/resources.json"]
    globs += [f"{folder}/**" for folder in folders if folder]
    globs += [DEFAULT_POLICY_PATH, WORKFLOW_PATH]
    return globs


def _fill(template: str, values: dict[str, str]) -> str:
    text = template
    for key, value in values.items():
        text = text.replace(f"%%{key}%%", value)
    left = _PLACEHOLDER.search(text)
    if left:  # a template names a value that is not given: a bug, not a user error
        raise RuntimeError(f"template placeholder {left.group(0)} was not filled")
    return text


def plan(options: InitOptions, folders: Sequence[str], branch: str) -> list[Planned]:
    """The files ``init`` writes, rendered from the templates in checker/templates/."""
    pins = action_pins()
    guard = guard_pin(options)
    if not _BRANCH.fullmatch(branch) or branch.startswith(("-", "/")):
        raise UsageError(f"--branch {branch!r} is not a branch name")
    templates = "checker.templates"
    pull_request_paths = push_paths = ""
    if "" not in folders:  # an extension at the root changes with every file: no filter
        globs = "\n".join(f"      - {_quoted(glob)}" for glob in trigger_paths(folders))
        pull_request_paths = _fill(_data(templates, "paths.yml"), {"GLOBS": globs}).rstrip()
        push_paths = "\n".join(
            line for line in pull_request_paths.splitlines() if not line.lstrip().startswith("#")
        )
    workflow = _fill(
        _data(templates, "manifest-guard.yml"),
        {
            "VERSION": __version__,
            "PULL_REQUEST_PATHS": pull_request_paths,
            "PUSH_PATHS": push_paths,
            "BRANCH": branch,
            "CHECKOUT": pins["actions/checkout"].uses,
            "GUARD": guard.uses,
        },
    )
    workflow = re.sub(r"\n{3,}", "\n\n", workflow.replace("\n\n  merge_group", "\n  merge_group"))
    workflow = workflow.rstrip("\n") + "\n"
    planned = [Planned(WORKFLOW_PATH, workflow)]
    if options.forks:
        post = _fill(
            _data(templates, "manifest-guard-post.yml"),
            {
                "VERSION": __version__,
                "GUARD": guard.uses,
            },
        )
        planned.append(Planned(POST_WORKFLOW_PATH, post))
    schema_id = json.loads(policy_schema_text())["$id"]
    policy = _fill(
        _data(templates, "zoho-manifest-guard.yml"),
        {"VERSION": __version__, "POLICY_SCHEMA": schema_id},
    )
    planned.append(Planned(DEFAULT_POLICY_PATH, policy))
    return planned


# --- writing -------------------------------------------------------------------------------


def _refuse_links(root: Path, relative: str) -> None:
    """Every folder on the way to ``relative`` and the file itself must not be a link."""
    current = root
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            raise InputError(
                f"{current.relative_to(root).as_posix()} is a symbolic link; init writes only "
                "real files and folders, so replace the link or write the file yourself"
            )


def check_targets(root: Path, planned: Sequence[Planned], *, force: bool) -> None:
    """Refuse links always, and existing files unless ``force``: before anything is written."""
    for item in planned:
        _refuse_links(root, item.path)
        for folder in Path(item.path).parents:
            if (root / folder).exists() and not (root / folder).is_dir():
                raise InputError(f"{folder.as_posix()} is not a folder; init cannot write below it")
    existing = [item.path for item in planned if (root / item.path).exists()]
    for path in existing:
        if not (root / path).is_file():
            raise InputError(f"{path} exists and is not a file; init does not replace it")
    if existing and not force:
        raise InputError(
            "init does not overwrite existing files: "
            + ", ".join(existing)
            + " already exist; move them away, or pass --force to replace them"
        )


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def repository_root(cwd: Path) -> Path:
    """The work tree's top folder; init writes into a git repository only."""
    from checker.errors import GitError
    from checker.git import run_git

    try:
        _, out = run_git(["rev-parse", "--show-toplevel"], cwd=cwd)
    except GitError:
        raise InputError(
            f"{cwd} is not inside a git repository; init writes the workflow of a repository: "
            "run it in a clone (or after `git init`)"
        ) from None
    return Path(out.decode("utf-8", "surrogateescape").strip())


def default_branch(root: Path) -> str:
    """origin's default branch, else the current branch, else main."""
    from checker.errors import GitError
    from checker.git import run_git

    for args in (
        ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"],
        ["branch", "--show-current"],
    ):
        try:
            _, out = run_git(args, cwd=root)
        except GitError:
            continue
        name = out.decode("utf-8", "surrogateescape").strip().removeprefix("origin/")
        if name:
            return name
    return "main"


def run_init(options: InitOptions, write: Write) -> int:
    """Write the files (all checked first), then say what was written and what comes next."""
    root = options.root
    folders = extension_folders(root)
    branch = options.branch or default_branch(root)
    planned = plan(options, folders, branch)
    check_targets(root, planned, force=options.force)
    for item in planned:
        write_atomically(root / item.path, item.text)
        write(f"wrote {item.path}\n")
    if folders:
        shown = ", ".join(f"{folder or '.'}/{MANIFEST_NAME}" for folder in folders)
        write(f"extensions found: {shown}\n")
    else:
        write(f"no {MANIFEST_NAME} found yet: the workflow runs once one is added\n")
    write(
        "next: commit these files, then make the job 'Check manifests' a required status "
        "check of the branch " + branch + "\n"
    )
    return 0
