"""What every aspect of the diff writes to: the :class:`Collector` of changes, the
:class:`Comparison` of two manifests (the collector with both sides' connections and the
connection table), and the :class:`ManifestDiff` result.

Imports :mod:`checker.diff.sides`, :mod:`checker.diff.declared` and the pure core only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checker.changes import Change, ChangeKind, ConnectionDiff, Risk, Side
from checker.diff.declared import read_connections
from checker.diff.sides import DocumentSide
from checker.scopes import ascii_lower, parse_zoho_scope


@dataclass(frozen=True, slots=True)
class ManifestDiff:
    """Everything the comparison found: the changes and the connection table."""

    changes: tuple[Change, ...]
    connections: tuple[ConnectionDiff, ...]


class Collector:
    """Collects changes with locations on either side."""

    def __init__(self, base: DocumentSide, head: DocumentSide) -> None:
        self.base = base
        self.head = head
        self.changes: list[Change] = []

    def add(
        self,
        kind: ChangeKind,
        detail: str,
        risk: Risk,
        side: Side,
        pointer: str,
        *,
        connection: str | None = None,
        subject: str | None = None,
        service: str | None = None,
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        """One change; ``pointer`` is resolved on ``side``."""
        where = self.head if side is Side.HEAD else self.base
        self.changes.append(
            Change(
                kind,
                connection,
                detail,
                kind.escalates,
                risk,
                where.location(pointer),
                subject=subject,
                service=service,
                before=before,
                after=after,
                side=side,
            )
        )

    def gained(
        self, kind: ChangeKind, detail: str, risk: Risk, pointer: str, value: str | None
    ) -> None:
        """A change that adds ``value`` on the head side (its subject and its after-value)."""
        self.add(kind, detail, risk, Side.HEAD, pointer, subject=value, after=value)

    def dropped(
        self, kind: ChangeKind, detail: str, risk: Risk, pointer: str, value: str | None
    ) -> None:
        """A change that removes ``value``, located on the base side (subject, before-value)."""
        self.add(kind, detail, risk, Side.BASE, pointer, subject=value, before=value)


class Comparison(Collector):
    """Two versions of a manifest: the collector, the connections each side declares, the
    Zoho scope families the base already holds, and the rows of the connection table."""

    def __init__(self, base: DocumentSide, head: DocumentSide) -> None:
        super().__init__(base, head)
        self.rows: list[ConnectionDiff] = []
        self.base_connections = read_connections(base)
        self.head_connections = read_connections(head)
        # the Zoho services the base grants scopes of, on any connection
        self.base_families = {
            ascii_lower(parsed.service)
            for connection in self.base_connections.values()
            for scope in connection.scopes
            if connection.lattice(scope.raw) and (parsed := parse_zoho_scope(scope.raw))
        }
        self.base_families |= {
            ascii_lower(parsed.service)
            for scope in base.strings("/deskOauth", base.root.get("deskOauth"), "scopes")
            if (parsed := parse_zoho_scope(scope[0])) is not None
        }


# An aspect of a manifest comparison: reads both sides, adds its changes (and table rows).
Aspect = Callable[[Comparison], None]
# An aspect of a resources.json comparison.
ResourceAspect = Callable[[Collector], None]
