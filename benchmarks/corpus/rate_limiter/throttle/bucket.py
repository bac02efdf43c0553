"""A single token bucket."""


class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` tokens per second."""

    def __init__(self, capacity, rate, clock):
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = capacity
        self.rate = rate
        self._clock = clock
        self._tokens = float(capacity)
        self._stamp = clock.now()

    def _refill(self):
        now = self._clock.now()
        elapsed = now - self._stamp
        self._stamp = now
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)

    @property
    def tokens(self):
        self._refill()
        return self._tokens

    def try_consume(self, cost=1):
        """Take `cost` tokens if available; return whether it worked."""
        self._refill()
        if self._tokens > cost:
            self._tokens -= cost
            return True
        return False

    def seconds_until(self, cost=1):
        """How long until `cost` tokens will be available (0 if they already are)."""
        missing = cost - self.tokens
        return max(0.0, missing / self.rate)
