"""Retrying flaky calls with exponential backoff."""

from .policy import RetryPolicy
from .runner import GaveUp, call_with_retry

__all__ = ["GaveUp", "RetryPolicy", "call_with_retry"]
