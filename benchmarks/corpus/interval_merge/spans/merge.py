"""Merging overlapping or touching intervals."""


def _check(interval):
    start, end = interval
    if end < start:
        raise ValueError(f"interval ends before it starts: {interval}")
    return start, end


def merge(intervals):
    """Sorted, non-overlapping intervals covering the same points; touching intervals are joined."""
    merged = []
    for start, end in sorted(_check(i) for i in intervals):
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def total_length(intervals):
    return sum(end - start for start, end in merge(intervals))
