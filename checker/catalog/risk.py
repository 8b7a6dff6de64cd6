"""How risky a scope is as granted on a connection: the catalogue's tier, failing closed (pure).

Two questions the diff asks of every scope it compares:

- does Zoho's scope grammar (the ``covers`` lattice, case-insensitive names) apply? It does
  for every scope of a Zoho OAuth grant, and for any scope that names a Zoho service on any
  other connection: ``Desk.tickets.READ`` on a connector whose ``serviceName`` is
  ``zoho_desk`` is the same Desk scope as on ``zlabs_integration``. Elsewhere only Zoho's
  service names count, because Microsoft Graph's ``Files.Read.All`` or Dropbox's
  ``files.content.read`` follow the same dotted pattern and mean other things;
- how serious is it? The tier the scope catalogue gives it on that connection
  (``checker/catalog/scopes.json``, tier rules of ``scope-catalogue.md`` section 0; a
  third-party entry only on a connection of its provider). A scope the catalogue does not know
  there fails
  closed: an unknown Zoho family is medium for READ and high otherwise (rule 4), critical
  for ``fullaccess``; a third-party scope is high when its words say admin or write, medium
  otherwise (table (d), row 10). Nothing unknown is ever low.
"""

from __future__ import annotations

import re

from checker.catalog.scopes import catalogue, fallback_tier, lookup
from checker.changes import Risk
from checker.scopes import KNOWN_SERVICES, ZohoScope, ascii_lower, normalise, parse_zoho_scope

# Words of third-party scopes that grant administration or writes (reference (d), row 10).
ADMIN_WORDS = frozenset(
    {"admin", "write", "delete", "manage", "full", "fullaccess", "all", "repo", "owner", "root"}
)
READ_WORDS = frozenset({"read", "readonly", "view"})
_WORDS = re.compile(r"[^a-z0-9*]+")


def zoho_named(raw: str) -> ZohoScope | None:
    """The parsed scope when ``raw`` follows Zoho's grammar and names a Zoho service.

    Zoho services are the documented names of :data:`checker.scopes.KNOWN_SERVICES` and every
    service the catalogue lists, compared ignoring ASCII case (Zoho does).
    """
    scope = parse_zoho_scope(raw)
    if scope is None:
        return None
    service = ascii_lower(scope.service)
    if service in KNOWN_SERVICES or service in catalogue().services:
        return scope
    return None


def follows_zoho_grammar(raw: str, *, zoho_grant: bool) -> bool:
    """Whether ``raw`` compares as a Zoho scope: on a Zoho grant, or naming a Zoho service."""
    return zoho_grant or zoho_named(raw) is not None


def comparison_form(raw: str, *, zoho_grant: bool) -> str:
    """What two scopes must share to be the same grant: Zoho scopes ignore ASCII case and
    surrounding spaces; third-party scopes compare exactly."""
    return normalise(raw) if follows_zoho_grammar(raw, zoho_grant=zoho_grant) else raw


def _words(raw: str) -> set[str]:
    return {word for word in _WORDS.split(raw.lower()) if word}


def read_only(raw: str) -> bool:
    """Whether a third-party scope's words say it only reads (``read:user``, ``drive.readonly``)."""
    words = _words(raw)
    return bool(words & READ_WORDS) and not words & ADMIN_WORDS


def scope_tier(raw: str, *, zoho_grant: bool, service: str | None = None) -> Risk:
    """The tier of one scope as granted on a connection whose ``serviceName`` is ``service``:
    the catalogue's, else a fail-closed fallback.

    Third-party scopes are looked up exactly and on their provider's connections only, Zoho
    scopes by family ignoring case, in the order of :func:`checker.catalog.scopes.lookup`
    (``email`` and ``openid`` are ``any_service`` entries, on any connection). ``repo`` on a
    Bitbucket connection is not GitHub's critical ``repo``: it gets the fallback (high, by its
    word); with ``service`` None no provider's entry applies.
    """
    entry = lookup(raw, service=service)
    if entry is not None:
        return entry.tier
    if follows_zoho_grammar(raw, zoho_grant=zoho_grant):
        scope = parse_zoho_scope(raw)
        if scope is None:
            return Risk.MEDIUM  # not a scope Zoho could grant; scope-grammar reports it
        if scope.is_full_access:
            return Risk.CRITICAL
        return fallback_tier(raw) or Risk.HIGH
    if _words(raw) & ADMIN_WORDS or "*" in raw:
        return Risk.HIGH
    return Risk.MEDIUM


def unknown_family(raw: str, *, zoho_grant: bool) -> str | None:
    """``Service.resource`` of a Zoho scope whose family the catalogue does not know, else None.

    The same test as the ``scope-unknown`` rule: a well-formed scope on a Zoho grant, or one
    naming a Zoho service elsewhere, whose family is not in the catalogue.
    """
    scope = parse_zoho_scope(raw)
    if scope is None or not follows_zoho_grammar(raw, zoho_grant=zoho_grant):
        return None
    if catalogue().family_of(scope) is not None:
        return None
    return ".".join((scope.service, *scope.resource))
