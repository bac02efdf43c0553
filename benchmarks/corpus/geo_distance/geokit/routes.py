"""Routes as sequences of points."""

from .distance import haversine_km


def route_length_km(points):
    """Sum of the legs of a route."""
    return sum(haversine_km(p, q) for p, q in zip(points, points[1:]))


def nearest(origin, candidates):
    """The candidate closest to `origin` (None when there are none)."""
    best, best_d = None, float("inf")
    for c in candidates:
        d = haversine_km(origin, c)
        if d < best_d:
            best, best_d = c, d
    return best


def within(origin, candidates, radius_km):
    return [c for c in candidates if haversine_km(origin, c) <= radius_km]


def bounding_box(points):
    """(south, west, north, east) of the points; does not handle the antimeridian."""
    if not points:
        raise ValueError("no points")
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    return min(lats), min(lons), max(lats), max(lons)
