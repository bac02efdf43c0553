"""What is not covered."""

from .merge import merge, total_length


def gaps(intervals, lower, upper):
    """Uncovered intervals within [lower, upper)."""
    out, cursor = [], lower
    for start, end in merge(intervals):
        if end <= lower or start >= upper:
            continue
        if start > cursor:
            out.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < upper:
        out.append((cursor, upper))
    return out


def coverage(intervals, lower, upper):
    """Share of [lower, upper) that is covered, as a float in [0, 1]."""
    if upper <= lower:
        raise ValueError("empty window")
    clipped = [(max(s, lower), min(e, upper)) for s, e in intervals if e > lower and s < upper]
    return total_length(clipped) / (upper - lower)


def format_span(interval):
    start, end = interval
    return f"[{start}, {end})"
