"""Integer partitions and binomials."""

from functools import lru_cache


@lru_cache(maxsize=None)
def count_partitions(n, largest=None):
    """Number of ways to write n as a sum of positive integers <= largest."""
    if largest is None:
        largest = n
    if n == 0:
        return 1
    if n < 0 or largest == 0:
        return 0
    return count_partitions(n - largest, largest) + count_partitions(n, largest - 1)


def binomial(n, k):
    if k < 0 or k > n:
        return 0
    k = min(k, n - k)
    result = 1
    for i in range(1, k + 1):
        result = result * (n - k + i) // i
    return result


def pascal_row(n):
    return [binomial(n, k) for k in range(n + 1)]
