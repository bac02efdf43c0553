"""Ways to choose bin edges."""


def linear_edges(low, high, bins):
    """bins + 1 evenly spaced edges from low to high."""
    if bins < 1 or high <= low:
        raise ValueError("need at least one bin and high > low")
    step = (high - low) / bins
    return [low + i * step for i in range(bins)] + [high]


def quantile_edges(values, bins):
    """Edges so that each bin holds roughly the same number of values."""
    ordered = sorted(values)
    if len(ordered) < bins:
        raise ValueError("fewer values than bins")
    edges = [ordered[0]]
    for i in range(1, bins):
        edges.append(ordered[round(i * len(ordered) / bins)])
    edges.append(ordered[-1])
    return edges
