"""Half-open numeric intervals: merging, gaps and coverage (used for log time windows)."""

from .merge import merge, total_length
from .gaps import gaps, coverage

__all__ = ["merge", "total_length", "gaps", "coverage"]
