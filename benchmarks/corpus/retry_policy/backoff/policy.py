"""How often and how long to wait between attempts."""

from dataclasses import dataclass

TRANSIENT_ERRORS = (ConnectionError, TimeoutError)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5
    multiplier: float = 2.0
    max_delay: float = 30.0
    retry_on: tuple = ()

    def __post_init__(self):
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.multiplier < 1:
            raise ValueError("delays must not shrink")

    def delay_before(self, attempt):
        """Seconds to sleep before attempt number `attempt` (the first attempt is 1 and has no delay)."""
        if attempt <= 1:
            return 0.0
        return min(self.max_delay, self.base_delay * self.multiplier ** (attempt - 2))

    def should_retry(self, error):
        return isinstance(error, self.retry_on)

    def schedule(self):
        return [self.delay_before(a) for a in range(1, self.max_attempts + 1)]
