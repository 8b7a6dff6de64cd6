"""Zoho Creator: config option members, names and lengths, as the toolkit's CREATOR rule checks."""

from __future__ import annotations

from collections.abc import Iterator

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.resources import js_length
from checker.rules.values import (
    NAME_RULE,
    display_pointer,
    is_blank,
    is_valid_name,
    item_label,
    js_trim,
    objects,
    quote_text,
)
from checker.services import Service
from checker.source import join_pointer

CREATOR = frozenset({Service.CREATOR})
# CREATOR.PluginManifestRule.js: VALID_KEYS, and the length limits of its messages.
CONFIG_KEYS = ("name", "type", "placeholder", "defaultValue", "help")
_CONFIG_KEY_SET = frozenset(CONFIG_KEYS)
NAME_LIMIT = 50
LENGTH_LIMITS = (("placeholder", 40), ("help", 140))


@rule(
    "creator-config-key",
    Severity.ERROR,
    summary="Creator: a config option may hold only name, type, placeholder, defaultValue, help.",
    doc="""
Zoho's toolkit rejects every other member of a Creator config option, one message per member
(`Invalid key in config the allowed keys are "name","type","placeholder","defaultValue" and
"help"`). Desk's `displayName`, `mandatory` or `default` are typical mistakes. This rule names
each such member with the closest allowed one.

**Fix:** remove the member, or rename it (`default` -> `defaultValue`).

```json
{"service": "CREATOR", "config": [{"name": "report", "type": "Report", "default": "All"}]}
```
""",
    zet=Zet.SAME,
    services=CREATOR,
)
def check_config_keys(ext: Extension) -> Iterator[Hit]:
    """Members outside the five the toolkit allows."""
    for pointer, option in objects(ext.value.get("config"), "/config"):
        if option.keys() <= _CONFIG_KEY_SET:
            continue
        for key in option:
            if key in _CONFIG_KEY_SET:
                continue
            guess = did_you_mean(key, CONFIG_KEYS)
            hint = (
                f'; did you mean "{guess}"?'
                if guess is not None and guess not in option
                else f"; allowed: {', '.join(CONFIG_KEYS)}"
            )
            label = item_label("config option", pointer, option.get("name"))
            yield Hit(
                join_pointer(pointer, key),
                f"member {quote_text(key, 40)} of {label} is not allowed by Zoho's toolkit for "
                f"Creator{hint}",
                key=True,
            )


@rule(
    "creator-config-name",
    Severity.ERROR,
    summary="Creator: config option names must be well-formed, at most 50 characters, unique.",
    doc="""
Zoho's toolkit lower-cases the `name` of each Creator config option and then requires it to
be non-blank (`config name cannot be empty`), to start with an ASCII letter followed by
letters, digits, spaces, `-` and `_` (`The "name" property should contain only alphabets,
numbers, hypen and underscore with alphabet in first position of `), to be at most 50
characters long (`The "name" should not exceed 50 characters`) and to be unique after
trimming, **without regard to letter case** (`The "name" property should be unique for
'config'`): `Report` and `report` clash. A missing or non-string name (on which the toolkit
crashes and still exits 0) is reported by `manifest-schema`.

**Fix:** rename the option, and the code that reads it.

```json
{"service": "CREATOR", "config": [{"name": "Report", "type": "Report"},
                                  {"name": "report", "type": "Form"}]}
```
""",
    zet=Zet.SAME,
    services=CREATOR,
)
def check_config_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed, long and (case-insensitively) repeated names."""
    seen: dict[str, str] = {}
    for pointer, option in objects(ext.value.get("config"), "/config"):
        name = option.get("name")
        if not isinstance(name, str):
            continue
        lowered = name.lower()  # what the toolkit checks: name.toLowerCase()
        at = join_pointer(pointer, "name")
        shown = quote_text(name, 60)
        if is_blank(lowered):
            yield Hit(
                at,
                f"config option at {display_pointer(pointer)} has a blank name; give it one that "
                f"must {NAME_RULE}",
            )
        elif not is_valid_name(lowered):
            yield Hit(
                at,
                f"config option name {shown} is not accepted by Zoho: a name must {NAME_RULE}; "
                "rename it",
            )
        elif js_length(lowered) > NAME_LIMIT:
            yield Hit(
                at,
                f"config option name {shown} is {js_length(lowered)} characters long; Zoho's "
                f"toolkit allows at most {NAME_LIMIT}: shorten it",
            )
        else:
            key = js_trim(lowered)
            first = seen.setdefault(key, at)
            if first != at:
                yield Hit(
                    at,
                    f"config option name {shown} repeats the one at {display_pointer(first)} "
                    "(Zoho's toolkit ignores letter case here); rename one of them",
                    related=(first,),
                )


@rule(
    "creator-config-length",
    Severity.ERROR,
    summary="Creator: a config `placeholder` has at most 40 characters, `help` at most 140.",
    doc="""
Zoho's toolkit rejects a Creator config option whose `placeholder` is longer than 40
characters (`The "placeholder" should not exceed 40 characters`) or whose `help` is longer
than 140 (`The "help" should not exceed 140 characters`). Like the toolkit, this rule counts
UTF-16 code units, so an emoji counts twice. A non-string value is reported by
`manifest-schema`.

**Fix:** shorten the text.

```json
{"name": "report", "type": "Report", "placeholder": "Pick the report that lists every order"}
```
""",
    zet=Zet.SAME,
    services=CREATOR,
)
def check_config_lengths(ext: Extension) -> Iterator[Hit]:
    """placeholder and help lengths, counted as JavaScript counts them."""
    for pointer, option in objects(ext.value.get("config"), "/config"):
        for key, limit in LENGTH_LIMITS:
            text = option.get(key)
            if not isinstance(text, str) or len(text) * 2 <= limit:
                continue
            length = js_length(text)
            if length > limit:
                yield Hit(
                    join_pointer(pointer, key),
                    f"{key} of {item_label('config option', pointer, option.get('name'))} is "
                    f"{length} characters long; Zoho's toolkit allows at most {limit}: shorten it "
                    f"by {length - limit}",
                )


RULES: tuple[Rule, ...] = (check_config_keys, check_config_names, check_config_lengths)
