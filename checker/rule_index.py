"""Every finding id the tool can emit, with its documentation: loader ids plus the rules."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules import ALL_RULES
from checker.rules.base import RuleInfo, Zet

# Findings made by the loader and the engine rather than by a rule module.
BUILTIN: tuple[RuleInfo, ...] = (
    RuleInfo(
        "json-syntax",
        Severity.ERROR,
        "The file is not valid JSON.",
        """
Zoho's toolkit rejects the whole manifest (`plugin-manifest.json is not a valid JSON file.`)
without saying where. This rule says where and why: comments, trailing commas, single quotes,
`NaN`/`Infinity`, numbers too large for a double, an empty file, or text after the object.

**Fix:** remove the comment or comma, use double quotes, write numbers as plain decimals.

```json
{"storage": true,}
```
""",
        Zet.STRICTER,
    ),
    RuleInfo(
        "json-duplicate-key",
        Severity.ERROR,
        "A member name appears twice in one object.",
        """
JSON parsers, Zoho's included, keep only the last value, so a reviewer reading the first one
is misled: a second `"scope"` can quietly replace the one everybody reviewed. Both places are
reported. When diffing, every duplicated value counts as granted.

**Fix:** keep one member and merge the values you meant.

```json
{"userAccess": true, "userAccess": false}
```
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "json-byte-order-mark",
        Severity.WARNING,
        "The file starts with a UTF-8 byte-order mark.",
        """
RFC 8259 (section 8.1) forbids a BOM in JSON text. Zoho's toolkit tolerates it, other tools do
not. **Fix:** save the file as UTF-8 without BOM.
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "json-encoding",
        Severity.ERROR,
        "The file is not UTF-8 text (invalid bytes, NUL bytes, UTF-16/32).",
        """
A manifest must be UTF-8 text. Invalid byte sequences, NUL bytes or a UTF-16/UTF-32 encoding
mean the file is binary, corrupted or saved by an editor with the wrong setting.

**Fix:** save the file as UTF-8.
""",
        Zet.STRICTER,
    ),
    RuleInfo(
        "json-root-type",
        Severity.ERROR,
        "The top level of the file is not a JSON object.",
        """
A `plugin-manifest.json` is one JSON object. An array, string or `null` at the top level
cannot be a manifest. **Fix:** wrap the members in `{ ... }`.
""",
        Zet.STRICTER,
    ),
    RuleInfo(
        "json-too-deep",
        Severity.ERROR,
        "Values are nested deeper than the limit (default 64).",
        """
A manifest needs a handful of levels. Very deep nesting is a sign of a generated or hostile
file and can exhaust parsers. **Fix:** flatten the data, or raise `--max-depth`.
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "file-too-large",
        Severity.ERROR,
        "The file is larger than the size limit (default 5 MiB).",
        """
Manifests are a few kilobytes; a file over the limit is not read at all.
**Fix:** check that the right file is named, or raise `--max-bytes`.
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "file-unreadable",
        Severity.ERROR,
        "The file could not be read (permissions, a folder, a link to nothing).",
        """
Nothing can be checked in a file that cannot be read, so the run fails closed and exits with
code 2. A folder named `plugin-manifest.json` is reported here rather than skipped, and so is
a symbolic link whose target does not exist.
**Fix:** make the file readable by the user that runs the check.
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "file-symlink",
        Severity.ERROR,
        "The file is a symbolic link out of the workspace (or repository), or a loop of links.",
        """
A manifest or `resources.json` that is a symbolic link is read through it, but only inside
the workspace (a git commit: inside the repository): a manifest linked to
`/proc/self/environ` or to a file of another checkout could leak secrets into a pull-request
comment. An absolute target, or one that climbs above the root with `..`, is not followed;
nor is a loop of links (a link to itself, or more than 40 links in a row).
**Fix:** commit the real file instead of a link.
""",
        Zet.NOT_CHECKED,
    ),
    RuleInfo(
        "checker-crash",
        Severity.ERROR,
        "A rule of this tool failed on the manifest (a bug in the tool).",
        """
The result is incomplete, so the run fails closed with exit code 3. Please report the
manifest that triggers it.
""",
        Zet.NOT_CHECKED,
    ),
)


def all_rule_infos() -> tuple[RuleInfo, ...]:
    """Every documented id: loader ids first, then the rules in registry order."""
    from checker.calls.rules import CODE_RULES
    from checker.schema import SCHEMA_INFO

    return (*BUILTIN, SCHEMA_INFO, *(rule.info for rule in ALL_RULES), *CODE_RULES)
