"""Zoho scopes the scope catalogue does not know (``scope-unknown``)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from checker.catalog.scopes import catalogue
from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.connections import scope_lists
from checker.rules.values import quote_text
from checker.scopes import KNOWN_SERVICES, ZohoScope, ascii_lower, parse_zoho_scope, scope_problems

_parse = functools.lru_cache(maxsize=4096)(parse_zoho_scope)
_problems = functools.lru_cache(maxsize=4096)(scope_problems)


@rule(
    "scope-unknown",
    Severity.NOTICE,
    summary="A Zoho scope whose family the scope catalogue does not know.",
    doc="""
Zoho Accounts does not reject a scope name it does not know: it may leave it out of the
token without an error, and the extension's calls that need it fail later, at run time, for
every user. This notice names each Zoho scope (`Service.resource.OPERATION`) whose family is
not in the tool's scope catalogue (`checker/catalog/scopes.json`, built from Zoho's API
documentation and specifications), and says what to use instead where that is known: Desk
governs accounts with the contacts scopes, so `Desk.accounts.READ` should be
`Desk.contacts.READ`; CRM removed `ZohoCRM.modules.Activities` in API v3. A near miss gets a
suggestion (`Desk.ticket.READ`: did you mean `Desk.tickets.READ`?).

It checks `zohoAuthorisation.scope`, `deskOauth.scopes`, connectors whose service is
`zlabs_integration`, `usedConnections` of Zoho services, and any other connection's scope
that names a Zoho service (`Desk.*` on a `zoho_desk` connector). Scopes that `scope-grammar`
already reports are left to it. A notice never fails a check; the catalogue may lag behind a
new Zoho scope, so verify against the product's API documentation before changing a scope
that works. In `diff`, the head's notice is reported beside the change, and a `scope-added`
change of such a scope names the unknown family too; its severity fails closed (medium for
READ, high otherwise).

**Fix:** use the documented scope, or confirm the scope in the product's API documentation.

```json
{"zohoAuthorisation": {"serviceName": "zlabs_integration",
  "scope": ["Desk.tickets.READ", "Desk.accounts.READ"]}}
```
""",
    zet=Zet.NOT_CHECKED,
    services=None,
)
def check_unknown_scopes(ext: Extension) -> Iterator[Hit]:
    """Zoho scopes whose family is neither in the catalogue nor malformed."""
    for scopes in scope_lists(ext):
        for index, raw in enumerate(scopes.scopes):
            if not isinstance(raw, str):
                continue
            scope = _parse(raw)
            if scope is None or not _is_zoho(scope, scopes.zoho) or _malformed(raw, scope):
                continue
            if catalogue().family_of(scope) is not None:
                continue
            yield Hit(
                f"{scopes.pointer}/{index}",
                f"scope {quote_text(raw, 60)} of {scopes.owner} has a family the scope catalogue "
                f"does not know ({_family_text(scope)}); Zoho may drop an unknown scope from the "
                f"token without an error, and calls that need it then fail; {_advice(scope)}",
            )


def _is_zoho(scope: ZohoScope, zoho_list: bool) -> bool:
    """A scope of a Zoho connection, or one naming a Zoho service on any other connection.

    Elsewhere only the documented Zoho service names count: Microsoft Graph's ``Files.Read.All``
    and Dropbox's ``files.content.read`` follow the same dotted pattern.
    """
    return zoho_list or ascii_lower(scope.service) in KNOWN_SERVICES


def _malformed(raw: str, scope: ZohoScope) -> bool:
    """What ``scope-grammar`` reports (errors, near-miss operations) is its business, not ours."""
    if any(problem.error for problem in _problems(raw)):
        return True
    return any(not problem.error for problem in _problems(scope.canonical))


def _family_text(scope: ZohoScope) -> str:
    return ".".join((scope.service, *scope.resource))


def _with_operation(family: str, scope: ZohoScope) -> str:
    return family if scope.operation is None else f"{family}.{scope.operation}"


def _advice(scope: ZohoScope) -> str:
    known = catalogue().unknown_family(scope)
    if known is not None and known.instead:
        names = [_with_operation(name, scope) for name in known.instead]
        choice = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return f"use {choice} instead ({known.note})"
    if known is not None:
        return f"remove it or check it in the product's API documentation ({known.note})"
    near = did_you_mean(_family_text(scope), catalogue().family_names)
    if near is not None:
        return f"did you mean {_with_operation(near, scope)}?"
    return "check the name in the product's API documentation"


RULES: tuple[Rule, ...] = (check_unknown_scopes,)
