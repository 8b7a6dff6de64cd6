"""The manifest-schema rule: its documentation, and schema violations as findings."""

from __future__ import annotations

from checker.findings import Finding, Location, Severity
from checker.rules.base import RuleInfo, Zet
from checker.schema.check import shipped_checker
from checker.services import manifest_service, schema_file
from checker.source import Document

SCHEMA_RULE = "manifest-schema"
SCHEMA_INFO = RuleInfo(
    SCHEMA_RULE,
    Severity.ERROR,
    "The manifest does not match the shape of a plugin-manifest.json of its service.",
    """
The shipped JSON Schema (Draft 2020-12, printed by `zoho-manifest-guard schema`, usable in
editors and with any validator) describes the *shape* of a Desk manifest. Manifests of
Projects, SDP, Creator, Catalyst and Bigin are checked with a schema of their own (printed by
`zoho-manifest-guard schema --service NAME`), which follows what Zoho's toolkit checks for
that service; the service sections at the end of this page say what each one checks and
where it is stricter. Other services have no enforced schema (the Finance family's documented
shape is printed by `--service FINANCE`, but not enforced). The rest of this section is about
the Desk schema, which runs when `service` is `"DESK"`. Each violation is one finding that
names the member, what was found and what is expected, e.g. `"storage" must be true or
false, not the string "yes"` or `widget 2 is missing its required "url" member` (items are
counted from 1).

What it checks:

- the seven members Zoho requires: `locale`, `storage`, `service`, `modules`, `connectors`,
  `config`, `whiteListedDomains`; `modules.widgets` with at least one widget, each with
  `name` and `url`;
- JSON types of every documented member: widgets (`name`, `url`, `location`, `logo`,
  `icon`), `locale` and `whiteListedDomains` (arrays of strings), `storage` and
  `moduleSupport` (booleans), `type` (`"personal"` or `"org"`), `cspDomains` (an object of
  string arrays that needs `connect-src`, at most 10 entries), `connectors` and
  `usedConnections` (connection objects), `zohoAuthorisation`, `config`, `deskOauth`,
  `TPAOauth`, `callbackListener` (an object of strings) and `secret`;
- required members of nested objects: a connector needs `connectionName`, `serviceName` and
  `connectionLinkName`; `zohoAuthorisation` needs `type` as soon as it has any member; a
  config item needs `name`, and `type`, `mandatory` and `secure` when `userdefined` is true
  (`type` then one of `text`, `number`, `radio`, `switch`, `picklist`, `multiselect`,
  `checkbox`); `deskOauth` needs `clientId`, `name` and `clientSecret`; a `TPAOauth` entry
  needs `name`, `clientId`, `clientSecret`, `authoriseUrl` and `tokenUrl`; `secret` is
  required when `callbackListener` is present;
- limits: at most 20 `config` items, `displayName` and `description` at most 255
  characters; no empty connector, config item or `TPAOauth` entry.

Members the schema does not know are allowed (the `unknown-key` rule warns about
unknown top-level names). Meaning (blank names, URL and scope syntax, files on disk,
uniqueness) is left to the other rules, which skip values of the wrong type because this
rule already reports them. Values of members named like secrets are never quoted.

**Stricter than Zoho's toolkit, on purpose:**

- `null` for an object or array (`modules`, `zohoAuthorisation`, `deskOauth`,
  `callbackListener`, a widget, connector or config item) is an error: the toolkit crashes on
  it and still exits 0, so the manifest would pass unchecked. A `null` `locale`,
  `whiteListedDomains` or `cspDomains` is an error too: the toolkit skips it silently.
- `modules`, `zohoAuthorisation`, `deskOauth` and `callbackListener` must be objects; the
  toolkit also accepts arrays.
- `zohoAuthorisation.scope` must be an array of strings; the toolkit accepts a single string
  or anything at all there. Its other members are typed like a connector's.
- Connector `userAccess`, `isUserDefinedService` and `sharedBy` (a whole number or a
  string) are typed; the toolkit ignores them. So are widget `location`, `deskOauth.scopes`
  entries, `moduleSupport` and everything in `usedConnections`, which it never reads.
- `mandatory` and `secure` must be booleans even when `userdefined` is not true; the toolkit
  checks them only then.
- `TPAOauth` `clientId` and `clientSecret` must be strings or numbers; the toolkit accepts
  any value except `""`.
- `callbackListener` values must be strings, also for listener names the toolkit ignores.

One difference the other way: lengths are counted in Unicode characters, while the toolkit
counts UTF-16 code units, so a `displayName` full of emoji may pass here and fail there.

**Fix:** change the member to the expected type or add the missing member; the message says
which.

```json
{"storage": "yes", "modules": {"widgets": [{"name": "Panel"}]}}
```
""",
    Zet.STRICTER,
)


def schema_findings(document: Document) -> list[Finding]:
    """Every violation of the schema of the manifest's service, as findings.

    :func:`checker.services.schema_file` says which schema a service is checked with; a
    service without an enforced schema (or an unknown one) gets none.
    """
    name = schema_file(manifest_service(document.value), enforced_only=True)
    if name is None:
        return []
    path = document.path
    return [
        Finding(
            SCHEMA_RULE,
            Severity.ERROR,
            problem.message,
            Location(path, problem.pointer),
            tuple(Location(path, pointer, key=True) for pointer in problem.related),
        )
        for problem in shipped_checker(name).problems(document.value)
    ]
