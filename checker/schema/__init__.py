"""The shipped JSON Schema of a Desk plugin-manifest.json, compiled once, errors as findings."""

# check: the checker; compile: its fast validity test; errors: errors found without
# jsonschema; explain: their wording; rule: the manifest-schema rule and its findings.

from __future__ import annotations

from checker.schema.check import SCHEMA_FILE, SchemaChecker, schema_text, shipped_checker
from checker.schema.compile import VOCABULARY
from checker.schema.errors import SchemaError
from checker.schema.explain import Problem
from checker.schema.rule import SCHEMA_INFO, SCHEMA_RULE, schema_findings

__all__ = [
    "SCHEMA_FILE",
    "SCHEMA_INFO",
    "SCHEMA_RULE",
    "VOCABULARY",
    "Problem",
    "SchemaChecker",
    "SchemaError",
    "schema_findings",
    "schema_text",
    "shipped_checker",
]
