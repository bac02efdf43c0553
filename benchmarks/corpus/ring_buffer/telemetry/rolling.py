"""Rolling statistics over the last N samples."""

import math

from .ring import RingBuffer


class RollingStats:
    def __init__(self, window):
        self._buf = RingBuffer(window)

    def add(self, value):
        self._buf.append(float(value))

    def mean(self):
        if not len(self._buf):
            return math.nan
        return sum(self._buf) / len(self._buf)

    def stdev(self):
        n = len(self._buf)
        if n < 2:
            return 0.0
        m = self.mean()
        return math.sqrt(sum((x - m) ** 2 for x in self._buf) / (n - 1))

    def last(self):
        return self._buf.latest()

    def trend(self):
        """+1 rising, -1 falling, 0 flat: compares the latest sample with the window mean."""
        diff = self.last() - self.mean()
        return 0 if abs(diff) < 1e-9 else (1 if diff > 0 else -1)
