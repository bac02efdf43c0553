"""Semantic versions and npm-style version ranges."""

from .ranges import Range, max_satisfying, satisfies
from .version import InvalidVersion, Version

__all__ = ["InvalidVersion", "Range", "Version", "max_satisfying", "satisfies"]
