"""Promotion rules for a wholesale price list."""
