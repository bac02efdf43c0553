"""Decorator form of call_with_retry."""

import functools
import time

from .policy import RetryPolicy
from .runner import call_with_retry


def retrying(policy=None, sleep=time.sleep):
    """Retry the decorated function under `policy`; attempts are recorded on `wrapper.attempts`."""
    policy = policy or RetryPolicy()

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            wrapper.attempts = 0

            def once():
                wrapper.attempts += 1
                return fn(*args, **kwargs)

            return call_with_retry(once, policy, sleep)

        wrapper.attempts = 0
        return wrapper

    return decorate
