"""Subsets of a sequence."""


def all_subsets(items):
    """Every subset of `items` as a list, in order of first appearance; [] first."""
    subsets = []
    for item in items:
        subsets += [s + [item] for s in subsets]
    return subsets


def subsets_of_size(items, k):
    return [s for s in all_subsets(items) if len(s) == k]
