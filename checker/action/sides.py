"""Both sides of each manifest: the head read through the API (the same loop git's head side
uses, :func:`checker.trees.read_extensions`), and each head paired with its base, what did
not change not read again.

Imports :mod:`~checker.action.discovery`, :mod:`~checker.action.readers` and
:mod:`~checker.action.base`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from checker.action.base import Comparison
from checker.action.discovery import listed_manifests, matches, working_prefix
from checker.action.readers import ApiBlobs, ApiCodeBlobs
from checker.actions_env import ActionSettings
from checker.extension import RESOURCES_NAME, ExtensionInput, Linked, beside
from checker.findings import Finding
from checker.github_client import ChangedFile, GitHubPort
from checker.links import ChangedPaths
from checker.reporters.annotations import repo_path
from checker.source import Limits
from checker.trees import TreeEntry, read_extensions


@dataclass(frozen=True, slots=True)
class Pair:
    """One manifest on both sides; ``base_path`` differs from ``path`` after a rename."""

    path: str
    base: ExtensionInput | None
    head: ExtensionInput | None
    base_path: str | None = None


def _local_path(settings: ActionSettings, repo_path: str) -> str | None:
    prefix = working_prefix(settings)
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


def api_heads(
    port: GitHubPort, settings: ActionSettings, head_sha: str, *, log: Callable[[str], None]
) -> dict[str, ExtensionInput]:
    """The head side from the API, as :func:`~checker.action.discovery.read_heads` finds it
    on disk (:func:`~checker.action.discovery.listed_manifests`), each manifest with its
    resources.json and the listing of its folder, keyed and shown relative to the working
    folder; read by the loop git's head side uses too (:func:`checker.trees.read_extensions`).
    With the ``code`` input, each extension's code files are read through the API within a
    request budget (:class:`~checker.action.readers.ApiCodeBlobs`), a code file that is a
    symbolic link followed inside the repository as git follows it.
    """
    entries = [TreeEntry(i.mode, i.kind, i.sha, i.size, i.path) for i in port.tree(head_sha)]
    prefix = working_prefix(settings)
    code = None
    if settings.code:
        code = ApiCodeBlobs(port, head_sha, log, {entry.path: entry for entry in entries})
    heads = read_extensions(
        listed_manifests(entries, settings.paths, prefix),
        entries,
        ApiBlobs(port, head_sha),
        commit=head_sha,
        max_bytes=Limits().max_bytes,
        with_tree=True,
        prefix=prefix,
        code=code,
        follow_code=code.follow if code is not None else None,
    )
    return {head.manifest_path: head for head in heads}
