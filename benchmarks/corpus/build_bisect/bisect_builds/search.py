"""Bisection over builds."""


class NoFailure(Exception):
    pass


def first_bad(items, is_bad):
    """Index of the first item for which is_bad is true, assuming all bad items come last."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if is_bad(items[mid]):
            hi = mid
        else:
            lo = mid
    return lo


def first_failing_build(builds):
    """The first failed build, skipping builds that did not run; raises NoFailure if all passed."""
    usable = [b for b in builds if b.usable]
    index = first_bad(usable, lambda b: b.status == "failed")
    if index == len(usable):
        raise NoFailure("every build passed")
    return usable[index]


def culprit_range(builds):
    """(last good commit, first bad commit) for a bug report."""
    bad = first_failing_build(builds)
    usable = [b for b in builds if b.usable]
    pos = usable.index(bad)
    good = usable[pos - 1].commit if pos else None
    return good, bad.commit
