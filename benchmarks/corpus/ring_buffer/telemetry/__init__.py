"""Fixed-size sample buffers and rolling statistics for metrics."""

from .ring import RingBuffer
from .rolling import RollingStats

__all__ = ["RingBuffer", "RollingStats"]
