import pytest

from backoff import GaveUp, RetryPolicy, call_with_retry


class Flaky:
    def __init__(self, failures, error=ConnectionError):
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("connection reset by peer")
        return "ok"


def test_schedule():
    assert RetryPolicy(max_attempts=5, base_delay=1, max_delay=5).schedule() == [0.0, 1, 2, 4, 5]


def test_first_try_success():
    assert call_with_retry(Flaky(0), sleep=lambda s: None) == "ok"


def test_value_error_is_not_retried():
    flaky = Flaky(1, error=ValueError)
    with pytest.raises(ValueError):
        call_with_retry(flaky, sleep=lambda s: None)
    assert flaky.calls == 1


def test_recovers_from_transient_errors():
    slept = []
    assert call_with_retry(Flaky(2), sleep=slept.append) == "ok"
    assert slept == [0.5, 1.0]


def test_bad_policy():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_decorator_gives_up():
    from backoff.decorator import retrying

    @retrying(RetryPolicy(max_attempts=2, retry_on=(KeyError,)), sleep=lambda s: None)
    def lookup():
        raise KeyError("x")

    with pytest.raises(GaveUp):
        lookup()
    assert lookup.attempts == 2
