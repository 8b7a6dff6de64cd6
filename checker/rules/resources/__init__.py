"""resources.json rules: channel, permissions, fields, webhook, custom actions and targets."""

# One module per aspect of the file; the registry below keeps the rules in the order they
# run and are documented in.

from __future__ import annotations

from checker.rules.base import Rule
from checker.rules.resources.actions import (
    INPUT_FIELD_TYPES,
    resources_custom_actions,
    resources_targets,
)
from checker.rules.resources.channel import resources_channel
from checker.rules.resources.common import js_length, node_extname
from checker.rules.resources.file import KNOWN_KEYS, resources_missing, resources_unknown_key
from checker.rules.resources.names import resources_resource_name
from checker.rules.resources.permissions import resources_fields, resources_permissions
from checker.rules.resources.webhook import (
    resources_webhook,
    resources_webhook_org,
    resources_webhook_subscriptions,
)

RULES: tuple[Rule, ...] = (
    resources_missing,
    resources_unknown_key,
    resources_channel,
    resources_permissions,
    resources_fields,
    resources_resource_name,
    resources_webhook,
    resources_webhook_org,
    resources_webhook_subscriptions,
    resources_custom_actions,
    resources_targets,
)

__all__ = [
    "INPUT_FIELD_TYPES",
    "KNOWN_KEYS",
    "RULES",
    "js_length",
    "node_extname",
    "resources_channel",
    "resources_custom_actions",
    "resources_fields",
    "resources_missing",
    "resources_permissions",
    "resources_resource_name",
    "resources_targets",
    "resources_unknown_key",
    "resources_webhook",
    "resources_webhook_org",
    "resources_webhook_subscriptions",
]
