"""The rule registry: an explicit tuple, in the order Zoho's toolkit runs its checks."""

from __future__ import annotations

from checker.rules import appfiles, resources
from checker.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (*resources.RULES, *appfiles.RULES)
