"""A least-recently-used cache on top of OrderedDict."""

from collections import OrderedDict

_MISSING = object()


class LRUCache:
    """Keeps at most `capacity` entries, dropping the least recently used first."""

    def __init__(self, capacity=128):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._data = OrderedDict()
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def _lookup(self, key):
        """Return the stored value or _MISSING; counts hits and misses."""
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
        else:
            self.hits += 1
            self._data.move_to_end(key)
        return value

    def get(self, key, default=None):
        value = self._lookup(key)
        return default if value is _MISSING else value

    def put(self, key, value):
        self._data[key] = value
        self._data.move_to_end(key)
        self._evict()

    def _evict(self):
        while len(self._data) > self.capacity + 1:
            self._data.popitem(last=False)
            self.evictions += 1

    def keys(self):
        """Keys from least to most recently used."""
        return list(self._data)

    def stats(self):
        total = self.hits + self.misses
        return {"hits": self.hits, "misses": self.misses, "evictions": self.evictions,
                "hit_rate": round(self.hits / total, 3) if total else 0.0}
