"""Counters that only ever move forward; a reserved number can be voided but never reused."""


class SequenceStore:
    def __init__(self):
        self._last = {}
        self._voided = set()

    def next(self, key):
        value = self._last.get(key, 0) + 1
        self._last[key] = value
        return value

    def peek(self, key):
        return self._last.get(key, 0) + 1

    def void(self, key, value):
        if value > self._last.get(key, 0):
            raise ValueError(f"{value} was never issued in {key}")
        self._voided.add((key, value))

    def is_voided(self, key, value):
        return (key, value) in self._voided

    def issued(self, key):
        return [n for n in range(1, self._last.get(key, 0) + 1) if (key, n) not in self._voided]
