"""LRU cache whose entries also expire after a time-to-live."""

import time

from .lru import LRUCache, _MISSING


class TTLCache(LRUCache):
    def __init__(self, capacity=128, ttl=60.0, clock=time.monotonic):
        super().__init__(capacity)
        self.ttl = ttl
        self._clock = clock
        self._expires = {}

    def put(self, key, value):
        self._expires[key] = self._clock() + self.ttl
        super().put(key, value)
        for gone in set(self._expires) - set(self._data):
            del self._expires[gone]

    def _lookup(self, key):
        deadline = self._expires.get(key)
        if deadline is not None and deadline <= self._clock():
            del self._data[key]
            del self._expires[key]
            self.misses += 1
            return _MISSING
        return super()._lookup(key)
