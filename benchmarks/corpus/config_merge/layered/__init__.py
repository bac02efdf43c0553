"""Layered configuration: defaults, files and environment merged into one mapping."""

__version__ = "1.4.0"
