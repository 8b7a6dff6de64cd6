"""Shipped data catalogues (scope families, API paths to scopes, ...): JSON files the core loads."""
