"""Group timestamped metric samples into fixed windows (1m, 5m, 1h ...)."""

from .buckets import Window, bucket_of
from .rollup import rollup

__all__ = ["Window", "bucket_of", "rollup"]
