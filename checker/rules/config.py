"""Configuration options: names, types and secure storage of credentials (manifest-facts 2.12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.extension import Extension
from checker.findings import Severity
from checker.rules.base import Hit, Rule, Zet, did_you_mean, rule
from checker.rules.values import (
    is_credential_name,
    item_label,
    name_hits,
    objects,
    once_per_extension,
    quote_text,
)
from checker.source import join_pointer

# The types ZET accepts for user-defined options (manifest-facts 2.12).
CONFIG_TYPES = ("text", "number", "radio", "switch", "picklist", "multiselect", "checkbox")


def config_options(ext: Extension) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every config option object."""
    return iter(once_per_extension(ext, "config", _config_options))


def _config_options(ext: Extension) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(objects(ext.value.get("config"), "/config"))


def config_label(pointer: str, option: dict[str, Any]) -> str:
    """``config option "name"`` or its position."""
    return item_label("config option", pointer, option.get("name"))


@rule(
    "config-name",
    Severity.ERROR,
    summary="Config option names must be non-blank, well-formed and unique.",
    doc="""
Each entry of `config` is a setting the installing user (or the extension) fills in, read by
name from code. Zoho's toolkit requires the `name` to be a non-blank string
(`The "name" property should be a string type for the config options.`) that starts with a
letter and holds only letters, digits, spaces, `-` and `_`, unique after trimming
(`The "name" property should be unique for 'config'`). A missing name, and more than 20
options, are reported by `manifest-schema`.

**Fix:** rename the option, and the code that reads it.

```json
{"config": [{"name": "api_key"}, {"name": "api_key"}, {"name": "2fa"}]}
```
""",
    zet=Zet.SAME,
)
def check_config_names(ext: Extension) -> Iterator[Hit]:
    """Blank, malformed and duplicate config names."""
    yield from name_hits(config_options(ext), "name", "config option")


@rule(
    "config-type",
    Severity.WARNING,
    summary="A config option's `type` should be one Desk knows, even when `userdefined` is false.",
    doc="""
Zoho's toolkit checks `type` against `text, number, radio, switch, picklist, multiselect,
checkbox` only when `userdefined` is true (then `manifest-schema` reports a wrong one as an
error); with `userdefined` false or absent any value passes, so a typo like `"txt"` goes
unnoticed until the setting misbehaves. This rule warns about such values. There is no
`password` type: mark the option `"secure": true` instead.

**Fix:** use one of the types above.

```json
{"config": [{"name": "region", "type": "dropdown", "userdefined": false}]}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_config_types(ext: Extension) -> Iterator[Hit]:
    """Unknown type values on options that are not user-defined."""
    for pointer, option in config_options(ext):
        kind = option.get("type")
        if option.get("userdefined") is True or not isinstance(kind, str) or kind in CONFIG_TYPES:
            continue
        if kind.strip().lower() == "password":
            hint = '; for a password use "type": "text" with "secure": true'
        else:
            guess = did_you_mean(kind.strip(), CONFIG_TYPES)
            hint = f'; did you mean "{guess}"?' if guess else ""
        yield Hit(
            join_pointer(pointer, "type"),
            f"{config_label(pointer, option)} has type {quote_text(kind, 40)}, which is not a Desk "
            f"config type ({', '.join(CONFIG_TYPES)}){hint}",
        )


@rule(
    "config-secure",
    Severity.WARNING,
    summary="A config option that holds a credential should be marked `secure: true`.",
    doc="""
Options marked `"secure": true` are stored encrypted by Desk and are not shown back in plain
text. An option whose name or display name says it holds a credential (password, secret,
token, API key, client secret, private key) but is not secure keeps that credential readable
by anyone who can see the extension's settings. Zoho's toolkit does not check this.

**Fix:** add `"secure": true`.

```json
{"config": [{"name": "apiKey", "displayName": "API key", "userdefined": true,
  "type": "text", "mandatory": true, "secure": false}]}
```
""",
    zet=Zet.NOT_CHECKED,
)
def check_config_secure(ext: Extension) -> Iterator[Hit]:
    """Credential-like options without secure: true."""
    for pointer, option in config_options(ext):
        if option.get("secure") is True:
            continue
        labels = [option.get(key) for key in ("name", "displayName")]
        if not any(isinstance(text, str) and is_credential_name(text) for text in labels):
            continue
        at = join_pointer(pointer, "secure") if "secure" in option else pointer
        yield Hit(
            at,
            f"{config_label(pointer, option)} looks like it holds a credential but is not "
            'marked "secure": true, so Desk stores and shows it in plain text; add '
            '"secure": true',
        )


RULES: tuple[Rule, ...] = (check_config_names, check_config_types, check_config_secure)
