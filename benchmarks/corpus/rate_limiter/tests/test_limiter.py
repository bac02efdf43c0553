import pytest

from throttle import ManualClock, RateLimiter, TokenBucket


@pytest.fixture
def clock():
    return ManualClock()


def test_burst_up_to_capacity(clock):
    limiter = RateLimiter(capacity=3, per_second=1, clock=clock)
    assert [limiter.allow("alice") for _ in range(4)] == [True, True, True, False]


def test_keys_are_independent(clock):
    limiter = RateLimiter(capacity=2, per_second=1, clock=clock)
    limiter.allow("alice", cost=2)
    assert limiter.remaining("alice") == 0
    assert limiter.remaining("bob") == 2


def test_refill_over_time(clock):
    limiter = RateLimiter(capacity=5, per_second=2, clock=clock)
    limiter.allow("k", cost=4)
    clock.advance(1.0)
    assert limiter.remaining("k") == 3


def test_refill_is_capped(clock):
    bucket = TokenBucket(capacity=4, rate=10, clock=clock)
    clock.advance(60)
    assert bucket.tokens == 4


def test_over_capacity_request_refused(clock):
    limiter = RateLimiter(capacity=2, per_second=1, clock=clock)
    assert limiter.allow("k", cost=3) is False
    assert limiter.remaining("k") == 2


def test_retry_after(clock):
    limiter = RateLimiter(capacity=1, per_second=4, clock=clock)
    limiter.allow("k")
    assert limiter.retry_after("k") == 0.25


def test_bad_parameters(clock):
    with pytest.raises(ValueError):
        TokenBucket(capacity=0, rate=1, clock=clock)
