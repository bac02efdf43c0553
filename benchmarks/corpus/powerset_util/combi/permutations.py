"""Lexicographic permutations without itertools, for the route enumerator."""


def next_permutation(seq):
    """The next permutation of `seq` in lexicographic order, or None after the last one."""
    items = list(seq)
    i = len(items) - 2
    while i >= 0 and items[i] >= items[i + 1]:
        i -= 1
    if i < 0:
        return None
    j = len(items) - 1
    while items[j] <= items[i]:
        j -= 1
    items[i], items[j] = items[j], items[i]
    items[i + 1:] = reversed(items[i + 1:])
    return items


def permutations_in_order(seq):
    current = sorted(seq)
    while current is not None:
        yield current
        current = next_permutation(current)
