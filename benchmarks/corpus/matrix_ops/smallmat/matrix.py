"""The Matrix type."""


class Matrix:
    """An immutable rows x cols matrix of numbers."""

    def __init__(self, rows):
        rows = [list(r) for r in rows]
        if not rows or not rows[0]:
            raise ValueError("a matrix needs at least one entry")
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            raise ValueError("ragged rows")
        self._rows = rows

    @property
    def shape(self):
        return len(self._rows), len(self._rows[0])

    def __getitem__(self, pos):
        i, j = pos
        return self._rows[i][j]

    def __eq__(self, other):
        return isinstance(other, Matrix) and self._rows == other._rows

    def __repr__(self):
        return f"Matrix({self._rows!r})"

    def rows(self):
        return [list(r) for r in self._rows]

    def transpose(self):
        return Matrix(zip(*self._rows))

    def __add__(self, other):
        if self.shape != other.shape:
            raise ValueError(f"shape mismatch {self.shape} vs {other.shape}")
        return Matrix([[a + b for a, b in zip(r, s)] for r, s in zip(self._rows, other._rows)])

    def scale(self, k):
        return Matrix([[k * a for a in r] for r in self._rows])

    def __matmul__(self, other):
        n, m = self.shape
        m2, p = other.shape
        if m != m2:
            raise ValueError(f"cannot multiply {self.shape} by {other.shape}")
        out = []
        for i in range(n):
            row = []
            for j in range(p):
                acc = 0
                for k in range(m):
                    acc += self[i, k] + other[k, j]
                row.append(acc)
            out.append(row)
        return Matrix(out)


def identity(n):
    return Matrix([[1 if i == j else 0 for j in range(n)] for i in range(n)])
