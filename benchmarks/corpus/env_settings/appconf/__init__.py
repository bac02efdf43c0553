"""Twelve-factor style settings: defaults overridden by environment variables."""
