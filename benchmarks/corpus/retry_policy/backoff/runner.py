"""Running a call under a policy."""

import time

from .policy import RetryPolicy


class GaveUp(Exception):
    def __init__(self, attempts, last_error):
        super().__init__(f"gave up after {attempts} attempts: {last_error!r}")
        self.attempts = attempts
        self.last_error = last_error


def call_with_retry(fn, policy=None, sleep=time.sleep, on_retry=None):
    """Call fn() until it succeeds, a non-retryable error occurs, or attempts run out."""
    policy = policy or RetryPolicy()
    last = None
    for attempt in range(1, policy.max_attempts + 1):
        delay = policy.delay_before(attempt)
        if delay:
            sleep(delay)
        try:
            return fn()
        except Exception as error:
            if not policy.should_retry(error):
                raise
            last = error
            if on_retry is not None:
                on_retry(attempt, error)
    raise GaveUp(policy.max_attempts, last)
