"""The rule registry: an explicit tuple, in the order Zoho's toolkit runs its checks, and the
rule set of every service."""

from __future__ import annotations

from collections.abc import Mapping

from checker.rules import (
    appfiles,
    catalyst,
    config,
    connections,
    creator,
    csp,
    domains,
    known_scopes,
    locale,
    mail,
    oauth,
    projects,
    resources,
    sdp,
    security,
    toplevel,
    widgets,
)
from checker.rules.base import Rule
from checker.services import Service

# ZET's order (manifest-facts 1.7): service gate, locale, modules/widgets, whiteListedDomains,
# connectors and zohoAuthorisation, deskOauth/TPAOauth/callbackListener, config, cspDomains;
# then the checks ZET does not make; then the rules of the other services' toolkit rules.
ALL_RULES: tuple[Rule, ...] = (
    *toplevel.RULES,
    *locale.RULES,
    *widgets.RULES,
    *domains.RULES,
    *connections.RULES,
    *known_scopes.RULES,
    *oauth.RULES,
    *config.RULES,
    *csp.RULES,
    *security.RULES,
    *resources.RULES,
    *appfiles.RULES,
    *projects.RULES,
    *sdp.RULES,
    *creator.RULES,
    *catalyst.RULES,
    *mail.RULES,
)

# The rules that run for each service, in registry order. Each rule says which services it
# serves (``Rule.services``); this table is what that adds up to, and docs/rules.md lists it.
RULE_SETS: Mapping[Service, tuple[Rule, ...]] = {
    service: tuple(rule for rule in ALL_RULES if rule.applies_to(service)) for service in Service
}
# The rules that run for a manifest whose service is missing or unknown (the gate, and the
# checks that hold for any file).
UNKNOWN_SERVICE_RULES: tuple[Rule, ...] = tuple(rule for rule in ALL_RULES if rule.services is None)
