"""Aggregate samples per window."""

from collections import defaultdict

from .buckets import bucket_of, parse_size


def rollup(samples, size="5m", offset=None):
    """samples: (datetime, value) -> [(Window, count, mean, max)] in time order."""
    from datetime import timedelta

    width = parse_size(size)
    shift = offset or timedelta(0)
    groups = defaultdict(list)
    for moment, value in samples:
        groups[bucket_of(moment, width, shift)].append(value)
    out = []
    for window in sorted(groups):
        values = groups[window]
        out.append((window, len(values), round(sum(values) / len(values), 3), max(values)))
    return out


def fill_gaps(rows, size="5m"):
    """Insert empty windows (count 0, mean and max None) between the rows so a chart has no holes."""
    if not rows:
        return []
    width = parse_size(size)
    filled = [rows[0]]
    for row in rows[1:]:
        previous = filled[-1][0]
        while previous.end < row[0].start:
            previous = type(previous)(previous.end, previous.end + width)
            filled.append((previous, 0, None, None))
        filled.append(row)
    return filled


def render(rows):
    return "\n".join(f"{w.label()}  n={n:<3} mean={mean:<8} max={mx}" for w, n, mean, mx in rows)
