"""The least-privilege findings: grants held against the calls in the extension's code."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import RuleInfo, Zet

_HOW = """
The code is read from `app/` (`.js`, `.mjs`, `.html`/`.htm` with their inline `<script>`
blocks) and `src/` (`.js`, `.mjs`, `.jsx`, `.ts`, `.tsx`, `.vue`), never from `node_modules`,
`dist`, `build`, minified files or vendored Zoho SDKs. Comments never count. String
constants of the same file, object properties, concatenations, template literals and small
URL-building functions are followed; a `${dc}` after `zoho.` or `zohoapis.` is a data-centre
switch that stands for every Zoho data centre. `--no-code` switches the reading off.
"""

CONNECTION_UNDECLARED = RuleInfo(
    "connection-undeclared",
    Severity.ERROR,
    "The code calls through a connection link name that the manifest does not declare.",
    """
`ZOHODESK.request({connectionLinkName: "x"})` or `ZFAPPS.request({connection_link_name:
"x"})` with a name that no `zohoAuthorisation`, `connectors[]` or `usedConnections[]` entry
declares fails at run time, or, worse, uses an org connection of that name that nobody
reviewed with the manifest. Desk and Finance manifests only: CRM widgets keep their
connections in the CRM org (`ZOHO.CRM.CONNECTION.invoke`), so a CRM manifest cannot declare
them.

**Fix:** declare the connection in the manifest, or correct the name in the code.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

CONNECTION_UNUSED = RuleInfo(
    "connection-unused",
    Severity.WARNING,
    "A declared connection's link name is used by no call in the extension's code.",
    """
Every connection is a standing grant: whoever installs the extension authorises it, and a
shared connection's token serves every user. One that no code uses is privilege for nothing.
The finding is made only when the extension has code, every code file was read and every
proxied call's link name was resolved; a call the reader could not follow is never taken as
evidence of non-use, and a call naming the link name in other letter case is reported as
`connection-undeclared` instead (it may be meant as this connection).

**Fix:** remove the connection, or keep it when a server or Deluge function of the extension
uses it (say so in the pull request).
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

SCOPE_UNUSED = RuleInfo(
    "scope-unused",
    Severity.WARNING,
    "A Zoho scope of a connection serves none of the calls that use the connection.",
    """
Each call is mapped to the scopes that serve it (an API path and method table kept as data
in `checker/catalog/api_paths.json`, any one of a list is enough). A scope that covers none
of those needs is reported, with what the calls do need. Only when every call of that
connection was analysed: link name, host, path and method all known.

**Fix:** remove the scope, or replace it with the ones the message names.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

SCOPE_BROADER = RuleInfo(
    "scope-broader",
    Severity.NOTICE,
    "A scope the calls need is wider than what they need.",
    """
`ZohoBooks.fullaccess.all` where the calls only read settings, `Desk.contacts.ALL` where they
only update contacts: the calls work, but the token can do far more. The message names the
narrower scopes that serve the same calls. Made under the same conditions as `scope-unused`.

**Fix:** replace the scope with the narrower ones.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

SCOPE_INSUFFICIENT = RuleInfo(
    "scope-insufficient",
    Severity.WARNING,
    "A call needs a Zoho scope that its connection does not grant.",
    """
A call to Desk `GET /api/v1/accounts/{id}` needs `Desk.contacts.READ`; through a connection
without it Zoho answers `SCOPE_MISMATCH` (CRM: `OAUTH_SCOPE_MISMATCH`). Reported at the call,
for each URL the code can reach, when the connection declares a Zoho scope list.

**Fix:** add one of the scopes the message names to the connection, or change the call.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

REQUEST_HOST = RuleInfo(
    "request-host-not-whitelisted",
    Severity.ERROR,
    "A call through Zoho's request proxy reaches a host outside whiteListedDomains.",
    """
`ZOHODESK.request` (and Desk's `App.request`) is sent by Zoho's servers, which only reach the
hosts of `whiteListedDomains`; Zoho's own Desk samples list `https://desk.zoho.com` for their
authenticated calls too. For Finance, `ZFAPPS.request` calls without a connection are held
against the list; calls through a connection are not, since Zoho's own Finance sample
(zohofinance-Bitly-Invoice-Link) calls Books and Bitly through connections with an empty
list. Schemes must match; paths are not compared. A data-centre switch is allowed when one
data centre's host is listed.

**Fix:** add the origin to `whiteListedDomains`, or call a listed host.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

FETCH_HOST = RuleInfo(
    "fetch-host-not-allowed",
    Severity.ERROR,
    "A browser request (fetch, XMLHttpRequest, axios, $.ajax) reaches a host outside connect-src.",
    """
Requests the widget's page sends itself are subject to its Content-Security-Policy, whose
`connect-src` comes from `cspDomains`; the browser refuses other hosts ("Refused to
connect"). Checked for manifests that declare `cspDomains`; CSP source matching (scheme
upgrades, `*.` wildcards, ports) applies, paths are not compared. WebSocket, EventSource and
`navigator.sendBeacon` count too.

**Fix:** add the origin to `cspDomains.connect-src`, or send the request through the proxy.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

DOMAIN_UNUSED = RuleInfo(
    "domain-unused",
    Severity.NOTICE,
    "A whiteListedDomains or connect-src host is reached by no call in the extension's code.",
    """
Every allowed host is a place data can go. One that no call reaches widens the extension's
reach for nothing. Made only when the extension has code, every code file was read and
every call of the kind that list governs (proxied calls for `whiteListedDomains`, browser
calls for `connect-src`) has a known host. A library loaded from elsewhere, or a server of
the extension, may still need the host: the finding is a notice.

**Fix:** remove the entry, or keep it and say what uses it.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

CODE_NOT_ANALYSED = RuleInfo(
    "code-not-analysed",
    Severity.NOTICE,
    "A call or code file could not be analysed, so nothing is concluded from it.",
    """
A link name or host computed at run time (`connectionLinkName: cfg.name`, `` `${root}/x` ``
with `root` from an API response), a parameter of a function other files call, a file over
the size limits, minified code that mentions a request API, or a syntax error where a call
could be. Such a call never counts as evidence that a connection, scope or domain is unused;
the notice says what could not be followed so a reviewer can check it by hand.

**Fix:** nothing is wrong as such; use literals or same-file constants for link names and
hosts to let the check see them.
"""
    + _HOW,
    Zet.NOT_CHECKED,
)

CODE_RULES: tuple[RuleInfo, ...] = (
    CONNECTION_UNDECLARED,
    CONNECTION_UNUSED,
    SCOPE_UNUSED,
    SCOPE_BROADER,
    SCOPE_INSUFFICIENT,
    REQUEST_HOST,
    FETCH_HOST,
    DOMAIN_UNUSED,
    CODE_NOT_ANALYSED,
)
