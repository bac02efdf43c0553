"""Line-based diffs in the unified format."""

from .unified import diff_stats, unified_diff

__all__ = ["diff_stats", "unified_diff"]
