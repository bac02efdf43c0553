from cachelib import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_hit_before_expiry():
    clock = FakeClock()
    cache = TTLCache(capacity=4, ttl=10, clock=clock)
    cache.put("a", 1)
    clock.now += 9
    assert cache.get("a") == 1


def test_miss_after_expiry():
    clock = FakeClock()
    cache = TTLCache(capacity=4, ttl=10, clock=clock)
    cache.put("a", 1)
    clock.now += 10
    assert cache.get("a", "gone") == "gone"
    assert "a" not in cache


def test_capacity_is_respected():
    cache = TTLCache(capacity=2, ttl=100, clock=FakeClock())
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.keys() == ["b", "c"]


def test_get_refreshes_recency():
    cache = TTLCache(capacity=3, ttl=100, clock=FakeClock())
    for key in "abc":
        cache.put(key, 0)
    cache.get("a")
    assert cache.keys() == ["b", "c", "a"]


def test_stats():
    cache = TTLCache(capacity=2, ttl=100, clock=FakeClock())
    cache.put("x", 1)
    cache.get("x")
    cache.get("y")
    assert cache.stats()["hit_rate"] == 0.5
