"""Plain-text tables for command-line reports."""

from .table import render

__all__ = ["render"]
