"""A change between a base and a head manifest, as the diff classifies it (pure value types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from checker.findings import Location


class Risk(enum.Enum):
    """How much a change widens what the extension may do (reference table (d))."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Larger is riskier."""
        return _RISK_RANK[self]

    def at_least(self, other: Risk) -> bool:
        """True when this risk is as high as ``other`` or higher."""
        return self.rank >= other.rank


_RISK_RANK = {Risk.INFO: 0, Risk.LOW: 1, Risk.MEDIUM: 2, Risk.HIGH: 3, Risk.CRITICAL: 4}


class ChangeKind(str, enum.Enum):
    """Every kind of change the diff reports; the value is the stable kebab-case id.

    The ``str`` mix-in lets policy files and JSON consumers compare kinds with plain strings.
    """

    # escalations: the extension may do more than before (block by default)
    SCOPE_ADDED = "scope-added"
    SCOPE_BROADENED = "scope-broadened"
    CONNECTION_ADDED = "connection-added"
    SERVICE_CHANGED = "service-changed"
    USER_DEFINED_SERVICE_ENABLED = "user-defined-service-enabled"
    USER_ACCESS_SHARED = "user-access-shared"
    ZOHO_AUTHORISATION_ADDED = "zoho-authorisation-added"
    DESK_OAUTH_ADDED = "desk-oauth-added"
    TPA_OAUTH_ADDED = "tpa-oauth-added"
    OAUTH_URL_HOST_CHANGED = "oauth-url-host-changed"
    MANIFEST_UNREADABLE = "manifest-unreadable"
    MANIFEST_LINKED = "manifest-linked"
    # other risk changes: reported with a severity, blocking only when the policy says so
    DOMAIN_ADDED = "domain-added"
    CSP_DOMAIN_ADDED = "csp-domain-added"
    STORAGE_ENABLED = "storage-enabled"
    CALLBACK_ADDED = "callback-added"
    CALLBACK_MOVED = "callback-moved"
    CONFIG_SECURE_DISABLED = "config-secure-disabled"
    CONFIG_CREDENTIAL_INSECURE = "config-credential-insecure"
    CONFIG_USERDEFINED_DISABLED = "config-userdefined-disabled"
    SHARED_BY_CHANGED = "shared-by-changed"
    TYPE_ORG = "type-org"
    TYPE_PERSONAL = "type-personal"
    WIDGET_INVISIBLE_ADDED = "widget-invisible-added"
    WIDGET_HELPCENTER_ADDED = "widget-helpcenter-added"
    WIDGET_REMOTE_CODE = "widget-remote-code"
    WEBHOOK_ADDED = "webhook-added"
    TARGET_ADDED = "target-added"
    PERMISSION_ADDED = "permission-added"
    PERMISSION_DEFAULT_ON = "permission-default-on"
    SECRET_CHANGED = "secret-changed"
    SCOPE_RECASED = "scope-recased"
    # not escalations: reductions, display-only edits, bookkeeping
    SCOPE_ADDED_COVERED = "scope-added-covered"
    SCOPE_NARROWED = "scope-narrowed"
    SCOPE_REMOVED = "scope-removed"
    CONNECTION_REMOVED = "connection-removed"
    CONNECTION_NAME_CHANGED = "connection-name-changed"
    USER_ACCESS_PER_USER = "user-access-per-user"
    USER_DEFINED_SERVICE_DISABLED = "user-defined-service-disabled"
    ZOHO_AUTHORISATION_REMOVED = "zoho-authorisation-removed"
    DESK_OAUTH_REMOVED = "desk-oauth-removed"
    TPA_OAUTH_REMOVED = "tpa-oauth-removed"
    DOMAIN_REMOVED = "domain-removed"
    CSP_DOMAIN_REMOVED = "csp-domain-removed"
    STORAGE_DISABLED = "storage-disabled"
    CALLBACK_REMOVED = "callback-removed"
    WIDGET_ADDED = "widget-added"
    WIDGET_REMOVED = "widget-removed"
    WIDGET_URL_CHANGED = "widget-url-changed"
    WEBHOOK_REMOVED = "webhook-removed"
    TARGET_REMOVED = "target-removed"
    PERMISSION_REMOVED = "permission-removed"
    MANIFEST_ADDED = "manifest-added"
    MANIFEST_REMOVED = "manifest-removed"
    MANIFEST_RENAMED = "manifest-renamed"
    BASE_UNREADABLE = "base-unreadable"

    @property
    def escalates(self) -> bool:
        """Whether a change of this kind is an escalation (blocks under the default policy)."""
        return self in _ESCALATING

    @property
    def grants(self) -> bool:
        """Whether a change of this kind can give the extension something new.

        Deny patterns only ever match such changes: a removal or a re-cased scope never blocks.
        """
        return self in _GRANTING


_ESCALATING = frozenset(
    {
        ChangeKind.SCOPE_ADDED,
        ChangeKind.SCOPE_BROADENED,
        ChangeKind.CONNECTION_ADDED,
        ChangeKind.SERVICE_CHANGED,
        ChangeKind.USER_DEFINED_SERVICE_ENABLED,
        ChangeKind.USER_ACCESS_SHARED,
        ChangeKind.ZOHO_AUTHORISATION_ADDED,
        ChangeKind.DESK_OAUTH_ADDED,
        ChangeKind.TPA_OAUTH_ADDED,
        ChangeKind.OAUTH_URL_HOST_CHANGED,
        ChangeKind.MANIFEST_UNREADABLE,
        ChangeKind.MANIFEST_LINKED,
    }
)

# Every escalation grants something except an unreadable head (it blocks because nothing can
# be compared, not for what it adds) and a manifest that became a link (it blocks for where
# the grants now live); so do the other risk changes that add a capability.
_GRANTING = (
    _ESCALATING - {ChangeKind.MANIFEST_UNREADABLE, ChangeKind.MANIFEST_LINKED}
) | frozenset(
    {
        ChangeKind.DOMAIN_ADDED,
        ChangeKind.CSP_DOMAIN_ADDED,
        ChangeKind.STORAGE_ENABLED,
        ChangeKind.CALLBACK_ADDED,
        ChangeKind.CALLBACK_MOVED,
        ChangeKind.CONFIG_SECURE_DISABLED,
        ChangeKind.CONFIG_CREDENTIAL_INSECURE,
        ChangeKind.CONFIG_USERDEFINED_DISABLED,
        ChangeKind.TYPE_ORG,
        ChangeKind.WIDGET_INVISIBLE_ADDED,
        ChangeKind.WIDGET_HELPCENTER_ADDED,
        ChangeKind.WIDGET_REMOTE_CODE,
        ChangeKind.WEBHOOK_ADDED,
        ChangeKind.TARGET_ADDED,
        ChangeKind.PERMISSION_ADDED,
        ChangeKind.PERMISSION_DEFAULT_ON,
    }
)


# The escalations whose grant the code either needs or not: a scope (the scopes its calls
# need) or a connection (the calls that name its link name). Only these carry used_by_code.
SCOPE_USAGE_KINDS = frozenset({ChangeKind.SCOPE_ADDED, ChangeKind.SCOPE_BROADENED})
USAGE_KINDS = SCOPE_USAGE_KINDS | frozenset(
    {
        ChangeKind.CONNECTION_ADDED,
        ChangeKind.ZOHO_AUTHORISATION_ADDED,
        ChangeKind.SERVICE_CHANGED,
        ChangeKind.USER_ACCESS_SHARED,
        ChangeKind.USER_DEFINED_SERVICE_ENABLED,
    }
)


class Side(enum.Enum):
    """Which version of the manifest a change's location points into."""

    BASE = "base"
    HEAD = "head"


class Reason(enum.Enum):
    """Why the policy decided what it decided about one change."""

    ESCALATION = "escalation"
    SEVERITY = "severity"
    DENY = "deny"
    ALLOWED = "allowed"
    APPROVED = "approved"
    WARN_ONLY = "warn-only"
    REPORTED = "reported"


@dataclass(frozen=True, slots=True)
class Decision:
    """The policy's answer for one change: does it block, why, and in words."""

    blocks: bool
    reason: Reason
    note: str


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between base and head.

    ``kind`` is a stable kebab-case id; ``detail`` is one sentence a reviewer can read on its
    own (manifest values in it are JSON-quoted, so a renderer can find and escape them);
    ``escalation`` says whether it widens what the extension may do; ``location`` is on the
    head side, or on the base side for removals. ``subject`` is what allow and deny patterns
    match (a scope, a domain, a URL), ``service`` the connection's serviceName; ``before`` and
    ``after`` are the old and new values when there are such; ``side`` says which version
    ``location`` points into. ``decision`` is filled in by
    :mod:`checker.policy`; the diff leaves it None.

    For a change about one scope, ``meaning`` (what the scope lets the extension do, one
    phrase), ``docs`` (the provider's scope documentation) and ``tier`` (the catalogue's risk
    tier of the scope) come from the scope catalogue, filled in once by :mod:`checker.explain`
    when the report is built; all three stay None for a scope the catalogue does not know and
    for other changes. ``used_by_code`` says whether a call in the extension's code needs the
    scope (or, for a connection, uses it): None when the code was not analysed, and then
    ``usage_note`` says why in words when the code was read (a call's link name computed at
    run time, a file not analysed); None when it was not read at all.
    """

    kind: ChangeKind
    connection: str | None
    detail: str
    escalation: bool
    risk: Risk
    location: Location
    subject: str | None = None
    service: str | None = None
    before: str | None = None
    after: str | None = None
    side: Side = Side.HEAD
    decision: Decision | None = None
    meaning: str | None = None
    docs: str | None = None
    tier: Risk | None = None
    used_by_code: bool | None = None
    usage_note: str | None = None

    @property
    def blocks(self) -> bool:
        """Whether the policy blocks the merge because of this change."""
        return self.decision is not None and self.decision.blocks

    def decided(self, decision: Decision, risk: Risk | None = None) -> Change:
        """The same change with the policy's decision (and possibly a re-rated risk)."""
        return replace(self, decision=decision, risk=risk or self.risk)

    @property
    def sort_key(self) -> tuple[int, int, int, str, str]:
        """Report order: head-side changes by position, then base-side ones, then by kind."""
        span = self.location.span
        return (
            0 if self.side is Side.HEAD else 1,
            span.line if span else 0,
            span.column if span else 0,
            self.kind.value,
            self.detail,
        )


class Mark(enum.Enum):
    """How one scope line of a connection table reads: kept, added (+) or removed (-)."""

    KEPT = " "
    ADDED = "+"
    REMOVED = "-"


@dataclass(frozen=True, slots=True)
class ScopeLine:
    """One scope of a connection, as the before/after table shows it."""

    scope: str
    mark: Mark


@dataclass(frozen=True, slots=True)
class ConnectionDiff:
    """One connection on both sides, for the per-manifest connection table.

    ``declared_in`` names where head declares it (base when removed): ``zohoAuthorisation``,
    ``connectors``, ``usedConnections``, ``client`` (Catalyst), ``authConfig`` (Creator),
    ``deskOauth`` or ``TPAOauth``. ``before`` lists the
    base scopes (removed ones marked ``-``), ``after`` the head scopes (new ones marked ``+``);
    either is empty when the connection does not exist on that side.
    """

    name: str
    declared_in: str
    service_before: str | None
    service_after: str | None
    before: tuple[ScopeLine, ...]
    after: tuple[ScopeLine, ...]
    in_base: bool
    in_head: bool

    @property
    def changed(self) -> bool:
        """Whether anything in this row differs between base and head."""
        return (
            self.in_base != self.in_head
            or self.service_before != self.service_after
            or any(line.mark is not Mark.KEPT for line in (*self.before, *self.after))
        )
