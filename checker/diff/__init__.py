"""Base vs head manifest: connections, scopes and other grants, classified as changes (pure).

The model follows issue 3 and ``zoho-scopes-and-connections.md`` (a.4, c, d). Each aspect of
the comparison is a function in its own module (connections, oauth, network, config, widgets,
resources), listed below in one explicit registry like :mod:`checker.rules`; the shared types
live in :mod:`checker.diff.sides` and :mod:`checker.diff.collect`. Grants are read through
:mod:`checker.grants` in every shape (zohoAuthorisation, connectors, usedConnections,
Catalyst's client, Creator's authConfig; :mod:`checker.diff.declared`). A new scope's severity
is its tier in the scope catalogue (:mod:`checker.catalog.risk`); the others come from table
(d) of the reference.

Duplicate JSON keys: on the head side every duplicated value counts (a reviewer may have read
any of them), on the base side only the value JSON parsers keep (the last one), which is what
was effectively granted. Both choices can only add escalations, never hide one.
"""

from __future__ import annotations

from checker.changes import Change, ChangeKind, Risk, Side
from checker.diff import config, connections, network, oauth, resources, widgets
from checker.diff.collect import Aspect, Collector, Comparison, ManifestDiff, ResourceAspect
from checker.diff.declared import read_connections
from checker.diff.sides import DocumentSide, quote
from checker.source import Document

__all__ = [
    "MANIFEST_ASPECTS",
    "RESOURCE_ASPECTS",
    "ManifestDiff",
    "diff_documents",
    "diff_manifests",
    "quote",
]

# The aspects of a manifest comparison, in the order they run: the connection table lists
# connections, then deskOauth, then TPAOauth clients; changes that sort alike keep this order.
MANIFEST_ASPECTS: tuple[Aspect, ...] = (
    connections.connections,
    oauth.desk_oauth,
    oauth.tpa_oauth,
    network.domains,
    network.csp,
    config.storage,
    network.callbacks,
    oauth.secret,
    config.config,
    config.extension_type,
    widgets.widgets,
)
# The aspects of a resources.json comparison, run after the manifest's.
RESOURCE_ASPECTS: tuple[ResourceAspect, ...] = (
    resources.webhooks,
    resources.targets,
    resources.permissions,
)

# The names the diff had as one module, for callers that read a side's connections.
_Side = DocumentSide
_connections = read_connections


def diff_manifests(
    base: Document | None,
    head: Document | None,
    *,
    base_resources: Document | None = None,
    head_resources: Document | None = None,
) -> ManifestDiff:
    """Compare two versions of one manifest (None: the side does not exist).

    Without a base, the manifest is new and every grant in it is new; without a head, it was
    deleted and everything is reported as removed. resources.json documents, when given, add
    webhook, target and permission changes.
    """
    if base is None and head is None:
        return ManifestDiff((), ())
    diff = Comparison(DocumentSide(base, Side.BASE), DocumentSide(head, Side.HEAD))
    if base is None:
        diff.add(
            ChangeKind.MANIFEST_ADDED,
            "the manifest is new: every grant in it is new",
            Risk.INFO,
            Side.HEAD,
            "",
        )
    elif head is None:
        diff.add(ChangeKind.MANIFEST_REMOVED, "the manifest was deleted", Risk.INFO, Side.BASE, "")
    for aspect in MANIFEST_ASPECTS:
        aspect(diff)
    changes = list(diff.changes)
    if base_resources is not None or head_resources is not None:
        found = Collector(
            DocumentSide(base_resources, Side.BASE), DocumentSide(head_resources, Side.HEAD)
        )
        for resource_aspect in RESOURCE_ASPECTS:
            resource_aspect(found)
        changes.extend(found.changes)
    ordered = tuple(sorted(changes, key=lambda c: c.sort_key))
    return ManifestDiff(ordered, tuple(diff.rows))


def diff_documents(
    base: Document | None,
    head: Document | None,
    *,
    base_resources: Document | None = None,
    head_resources: Document | None = None,
) -> tuple[Change, ...]:
    """The changes between two versions of one manifest (see :func:`diff_manifests`)."""
    return diff_manifests(
        base, head, base_resources=base_resources, head_resources=head_resources
    ).changes
