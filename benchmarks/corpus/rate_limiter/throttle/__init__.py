"""Token-bucket rate limiting with an injectable clock."""

from .bucket import TokenBucket
from .clock import ManualClock, MonotonicClock
from .limiter import RateLimiter

__all__ = ["TokenBucket", "ManualClock", "MonotonicClock", "RateLimiter"]
