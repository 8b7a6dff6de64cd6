"""whiteListedDomains: one finding per invalid entry, and duplicates (manifest-facts 2.6)."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, rule
from checker.rules.urls import is_valid_url, parse_url, redact_credentials
from checker.rules.values import display_pointer, is_blank, quote_url, strings
from checker.services import WHITELISTED_DOMAINS


@rule(
    "whitelisted-domain",
    Severity.ERROR,
    summary="Each `whiteListedDomains` entry must be an absolute URL; duplicates are reported.",
    doc="""
`whiteListedDomains` lists the origins the widget may call through Zoho's request proxy.
Zoho's toolkit requires every entry to be a URL with an `http:`, `https:` or `wss:` scheme,
but when one is wrong it prints a single `Invalid entries found in the "whiteListedDomains"
property.` without saying which. This rule reports each bad entry at its own line, suggests
the fix for a bare host name, and warns about entries listed twice (same scheme, host, port
and path), which the toolkit does not notice. Plain `http://` entries are reported by
`insecure-http`, `localhost` ones by `localhost-url` (for Desk). It runs for Desk and
Projects, whose toolkit rules make the same check, and for Mail.

**Stricter than Zoho's toolkit, on purpose:** every bad entry gets its own finding, and
repeated entries get a warning.

**Fix:** write the full origin with its scheme.

```json
{"whiteListedDomains": ["api.example.com", "https://api.example.com"]}
```
becomes `["https://api.example.com"]`.
""",
    zet=Zet.STRICTER,
    services=WHITELISTED_DOMAINS,
)
def check_whitelisted_domains(ext: Extension) -> Iterator[Hit]:
    """Per-entry URL validity and duplicates."""
    seen: dict[tuple[str, str, int | None, str], str] = {}
    for pointer, entry in strings(ext.value.get("whiteListedDomains"), "/whiteListedDomains"):
        if not is_valid_url(entry):
            yield Hit(pointer, _invalid_message(entry))
            continue
        url = parse_url(entry)
        assert url is not None  # is_valid_url parsed it
        key = (url.scheme, url.host, url.port, url.rest.rstrip("/"))
        first = seen.get(key)
        if first is None:
            seen[key] = pointer
            continue
        yield Hit(
            pointer,
            f"whiteListedDomains entry {quote_url(entry)} repeats the one at "
            f"{display_pointer(first)}; remove the repeat",
            related=(first,),
            severity=Severity.WARNING,
        )


def _invalid_message(entry: str) -> str:
    if is_blank(entry):
        return "whiteListedDomains has an empty entry; remove it or write a URL such as https://api.example.com"
    shown = quote_url(entry)
    stripped = entry.strip()
    if is_valid_url(f"https://{stripped}") and "://" not in stripped:
        return (
            f"whiteListedDomains entry {shown} has no scheme, so Zoho rejects it; "
            f'write "https://{redact_credentials(stripped)}"'
        )
    url = parse_url(entry)
    if url is not None:
        return (
            f"whiteListedDomains entry {shown} uses {url.scheme}:, which Zoho does not accept; "
            "use https:// (or wss:// for web sockets)"
        )
    return (
        f"whiteListedDomains entry {shown} is not a valid URL; write an origin such as "
        "https://api.example.com"
    )


RULES: tuple[Rule, ...] = (check_whitelisted_domains,)
