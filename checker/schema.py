"""The shipped JSON Schema of a Desk plugin-manifest.json, compiled once, errors as findings."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from checker.findings import Finding, Location, Severity
from checker.rules.base import RuleInfo, Zet
from checker.source import Document, join_pointer

SCHEMA_RULE = "manifest-schema"
SCHEMA_FILE = "plugin-manifest.schema.json"
SCHEMA_INFO = RuleInfo(
    SCHEMA_RULE,
    Severity.ERROR,
    "The manifest does not match the shape of a Desk plugin-manifest.json.",
    """
The shipped JSON Schema (`zoho-manifest-guard schema`) describes which members exist, their
JSON types, which are required and which values are allowed. Each violation names the member,
what was found and what is expected.
""",
    Zet.STRICTER,
)


def schema_text() -> str:
    """The schema exactly as shipped."""
    return resources.files("checker.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema: dict[str, Any] = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _pointer(error: ValidationError) -> str:
    return join_pointer("", *error.absolute_path)


def _message(error: ValidationError) -> str:
    return error.message


def _errors(value: Any) -> Iterator[ValidationError]:
    yield from _validator().iter_errors(value)


def schema_findings(document: Document) -> list[Finding]:
    """Every schema violation of one manifest, as findings."""
    return [
        Finding(
            SCHEMA_RULE,
            Severity.ERROR,
            _message(error),
            Location(document.path, _pointer(error)),
        )
        for error in _errors(document.value)
    ]
