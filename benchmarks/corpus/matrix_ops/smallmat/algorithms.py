"""Algorithms on square matrices."""

from .matrix import Matrix, identity


def _require_square(m):
    rows, cols = m.shape
    if rows != cols:
        raise ValueError(f"square matrix required, got {rows}x{cols}")
    return rows


def trace(m):
    n = _require_square(m)
    return sum(m[i, i] for i in range(n))


def _minor(m, row, col):
    return Matrix([[v for j, v in enumerate(r) if j != col] for i, r in enumerate(m.rows()) if i != row])


def determinant(m):
    """Laplace expansion along the first row (fine for the small sizes used here)."""
    n = _require_square(m)
    if n == 1:
        return m[0, 0]
    if n == 2:
        return m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]
    return sum((-1) ** col * m[0, col] * determinant(_minor(m, 0, col)) for col in range(n))


def power(m, exponent):
    """m ** exponent by repeated squaring (exponent >= 0)."""
    n = _require_square(m)
    if exponent < 0:
        raise ValueError("negative powers need an inverse")
    result, base = identity(n), m
    while exponent:
        if exponent & 1:
            result = result @ base
        base = base @ base
        exponent >>= 1
    return result
