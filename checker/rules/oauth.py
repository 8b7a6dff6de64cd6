"""deskOauth, TPAOauth and callbackListener (manifest-facts 2.8, 2.9, 2.10)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.urls import is_valid_url, parse_url, redact_credentials
from checker.rules.values import is_blank, item_label, name_hits, objects, quote_text, quote_url
from checker.source import join_pointer

# The events ZET validates (British "Authorise"); Desk ignores any other key (manifest-facts 2.10).
CALLBACK_EVENTS = (
    "onDeskAuthorise",
    "onTPAAuthorise",
    "onTPARevoke",
    "onUpdate",
    "onConfigParamChange",
    "onUninstall",
)
_CALLBACK_SET = frozenset(CALLBACK_EVENTS)
# Listener names seen in older samples, mapped to the event Desk calls.
_CALLBACK_ALIASES = {
    "onconfigparamadd": "onConfigParamChange",
    "ontpaauthorize": "onTPAAuthorise",
    "ondeskauthorize": "onDeskAuthorise",
}
# Names that look like an event but have no counterpart; a suggestion would mislead
# ("onInstall" is close to "onUninstall").
_NO_COUNTERPART = frozenset({"oninstall", "oninstalled", "onload"})
_TPA_URLS = ("authoriseUrl", "tokenUrl", "revokeUrl")


@rule(
    "desk-oauth",
    Severity.ERROR,
    summary="`deskOauth` needs a non-empty `clientId`, `name` and `clientSecret`.",
    doc="""
`deskOauth` registers an OAuth client with which the extension's own server obtains Desk
tokens. Zoho's toolkit reports `clientId`, `name` and `clientSecret` as missing when they are
absent or empty (`'clientId' property value missing in deskOauth configuration.`). Absence
and wrong types are reported by `manifest-schema`; this rule reports empty and blank values
(the toolkit lets a value of only spaces through). The scopes are checked by `scope-grammar`,
a plain-text client secret by `plain-text-secret`.

**Stricter than Zoho's toolkit, on purpose:** values of only spaces are errors too.

**Fix:** fill in the values of the OAuth client registered for the extension.

```json
{"deskOauth": {"clientId": "", "name": "sync", "clientSecret": "  ", "scopes": []}}
```
""",
    zet=Zet.STRICTER,
)
def check_desk_oauth(ext: Extension) -> Iterator[Hit]:
    """Empty or blank clientId, name and clientSecret."""
    desk_oauth = ext.value.get("deskOauth")
    if not isinstance(desk_oauth, dict):
        return
    for key in ("clientId", "name", "clientSecret"):
        value = desk_oauth.get(key)
        if isinstance(value, str) and is_blank(value):
            yield Hit(
                join_pointer("/deskOauth", key),
                f"deskOauth {key} is empty; Desk cannot run the OAuth flow without it; fill in "
                "the value of the registered OAuth client",
            )


@rule(
    "tpa-oauth",
    Severity.ERROR,
    summary="Each `TPAOauth` entry needs a unique, well-formed name, client values and valid URLs.",
    doc="""
`TPAOauth` lists third-party OAuth clients Desk runs on the extension's behalf. Zoho's
toolkit checks, for each entry: `name` non-empty, matching the name rule (starts with a
letter; letters, digits, spaces, `-`, `_`) and unique after trimming; `clientId` and
`clientSecret` not empty; `authoriseUrl` and `tokenUrl` valid URLs (`http:`, `https:` or
`wss:`), and `revokeUrl` too when present (`'tokenUrl' property should be a valid URL`).
Missing members are reported by `manifest-schema`. This rule also rejects values of only
spaces. Plain `http://` endpoints are reported by `insecure-http`.

**Stricter than Zoho's toolkit, on purpose:** values of only spaces are errors too.

**Fix:** copy the provider's OAuth endpoints exactly, e.g.
`https://github.com/login/oauth/authorize`.

```json
{"TPAOauth": [{"name": "GitHub", "clientId": "", "clientSecret": "x",
  "authoriseUrl": "github.com/login/oauth/authorize", "tokenUrl": "https://github.com/login/oauth/access_token"}]}
```
""",
    zet=Zet.STRICTER,
)
def check_tpa_oauth(ext: Extension) -> Iterator[Hit]:
    """Names, client values and endpoint URLs of TPAOauth entries."""
    entries = list(objects(ext.value.get("TPAOauth"), "/TPAOauth"))
    yield from name_hits(entries, "name", "TPAOauth entry")
    for pointer, entry in entries:
        label = _tpa_label(pointer, entry)
        for key in ("clientId", "clientSecret"):
            value = entry.get(key)
            if isinstance(value, str) and is_blank(value):
                yield Hit(
                    join_pointer(pointer, key),
                    f"{label} has an empty {key}; fill in the value the provider issued for "
                    "the OAuth app",
                )
        for key in _TPA_URLS:
            if key not in entry:
                continue
            value = entry[key]
            if not isinstance(value, str) or is_valid_url(value):
                continue
            yield Hit(
                join_pointer(pointer, key),
                _url_message(f"{label} {key}", value, "write the provider's https endpoint"),
            )


def _tpa_label(pointer: str, entry: dict[str, Any]) -> str:
    return item_label("TPAOauth entry", pointer, entry.get("name"))


def _url_message(what: str, value: str, empty_fix: str) -> str:
    if is_blank(value):
        return f"{what} is empty; {empty_fix}"
    url = parse_url(value)
    if url is not None:
        return f"{what} {quote_url(value)} uses {url.scheme}:, which Zoho does not accept; use https://"
    if is_valid_url(f"https://{value.strip()}"):
        return f'{what} {quote_url(value)} has no scheme; write "https://{redact_credentials(value.strip())}"'
    return f"{what} {quote_url(value)} is not a valid URL; write the full https:// address"


@rule(
    "callback-listener",
    Severity.ERROR,
    summary="`callbackListener` maps Desk's six event names to valid URLs.",
    doc="""
Desk posts extension events (install authorisation, update, configuration change,
uninstall, third-party authorisation and revocation) to the URLs in `callbackListener`.
Zoho's toolkit requires the value of each of `onDeskAuthorise`, `onTPAAuthorise`,
`onTPARevoke`, `onUpdate`, `onConfigParamChange` and `onUninstall` to be a valid URL
(`Invalid URL value provided in manifest for key: onUninstall`), and silently ignores any
other key, so `onTPAAuthorize` (American z), `onConfigParamAdd` or `onInstall` never fire.
This rule errors on invalid URLs and warns on unknown keys with the closest event name.
(`secret`, which Desk needs to sign these calls, is required by `manifest-schema`.)

**Stricter than Zoho's toolkit, on purpose:** keys the toolkit silently ignores get a warning.

**Fix:** use the six event names exactly, with https URLs.

```json
{"callbackListener": {"onTPAAuthorize": "https://hooks.example.com/tpa",
                      "onUninstall": "hooks.example.com/bye"}}
```
""",
    zet=Zet.STRICTER,
)
def check_callback_listener(ext: Extension) -> Iterator[Hit]:
    """Known events with valid URLs; unknown keys warned with a suggestion."""
    listener = ext.value.get("callbackListener")
    if not isinstance(listener, dict):
        return
    for key, value in listener.items():
        at = join_pointer("/callbackListener", key)
        if key in _CALLBACK_SET:
            if isinstance(value, str) and not is_valid_url(value):
                fix = "write the https URL of the handler on your server, or remove the key"
                yield Hit(at, _url_message(f"callbackListener {key}", value, fix))
            continue
        lowered = key.lower()
        guess = (
            None
            if lowered in _NO_COUNTERPART
            else _CALLBACK_ALIASES.get(lowered) or did_you_mean(key, CALLBACK_EVENTS)
        )
        hint = (
            f'; did you mean "{guess}"?'
            if guess
            else f"; the events are {', '.join(CALLBACK_EVENTS)}"
        )
        yield Hit(
            at,
            f"callbackListener key {quote_text(key, 60)} is not an event Desk sends, so this "
            f"URL is never called{hint}",
            key=True,
            severity=Severity.WARNING,
        )


RULES: tuple[Rule, ...] = (check_desk_oauth, check_tpa_oauth, check_callback_listener)
