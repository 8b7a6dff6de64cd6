"""The rule registry: an explicit tuple, in the order Zoho's toolkit runs its checks."""

from __future__ import annotations

from checker.rules import (
    appfiles,
    config,
    connections,
    csp,
    domains,
    known_scopes,
    locale,
    oauth,
    resources,
    security,
    toplevel,
    widgets,
)
from checker.rules.base import Rule

# ZET's order (manifest-facts 1.7): service gate, locale, modules/widgets, whiteListedDomains,
# connectors and zohoAuthorisation, deskOauth/TPAOauth/callbackListener, config, cspDomains;
# then the checks ZET does not make.
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
)
