"""Per-key limiter built from buckets."""

from .bucket import TokenBucket
from .clock import MonotonicClock


class RateLimiter:
    """One bucket per key (user, IP, API token...)."""

    def __init__(self, capacity, per_second, clock=None):
        self.capacity = capacity
        self.per_second = per_second
        self.clock = clock or MonotonicClock()
        self._buckets = {}

    def _bucket(self, key):
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(self.capacity, self.per_second, self.clock)
        return self._buckets[key]

    def allow(self, key, cost=1):
        return self._bucket(key).try_consume(cost)

    def remaining(self, key):
        """Whole tokens left for `key`."""
        return int(self._bucket(key).tokens)

    def retry_after(self, key, cost=1):
        return round(self._bucket(key).seconds_until(cost), 3)
