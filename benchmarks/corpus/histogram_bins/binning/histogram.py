"""Counting values into bins [e0, e1), [e1, e2), ..., [e(n-1), en]."""

from bisect import bisect_right


class Histogram:
    def __init__(self, edges):
        if sorted(edges) != list(edges) or len(edges) < 2:
            raise ValueError("edges must be increasing and at least two")
        self.edges = list(edges)
        self.counts = [0] * (len(edges) - 1)
        self.outliers = 0

    def _bin_index(self, value):
        if value == self.edges[-1]:
            return len(self.counts) - 1
        return bisect_right(value, self.edges) - 1

    def add(self, value):
        if not self.edges[0] <= value <= self.edges[-1]:
            self.outliers += 1
            return
        self.counts[self._bin_index(value)] += 1

    def fill(self, values):
        for v in values:
            self.add(v)
        return self

    @property
    def total(self):
        return sum(self.counts)

    def cumulative(self):
        """Running totals per bin."""
        out, running = [], 0
        for count in self.counts:
            running += count
            out.append(running)
        return out

    def mode_bin(self):
        best = max(range(len(self.counts)), key=lambda i: self.counts[i])
        return self.edges[best], self.edges[best + 1]

    def render(self, width=20):
        peak = max(self.counts) or 1
        rows = []
        for i, count in enumerate(self.counts):
            bar = "#" * round(count / peak * width)
            rows.append(f"{self.edges[i]:>6g}-{self.edges[i + 1]:<6g} {bar} {count}")
        return "\n".join(rows)
