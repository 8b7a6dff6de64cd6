"""Zoho Manifest Guard: validate Zoho extension manifests and gate OAuth scope escalations."""

from __future__ import annotations

__version__ = "0.1.0"
