"""Haversine distance on a spherical Earth."""

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a, b):
    """Great-circle distance between two LatLon points in kilometres."""
    lat1, lon1 = a.radians
    lat2, lon2 = b.radians
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon * 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def initial_bearing(a, b):
    """Compass bearing in degrees (0..360) for the first leg from a to b."""
    lat1, lon1 = a.radians
    lat2, lon2 = b.radians
    dlon = lon2 - lon1
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return (math.degrees(math.atan2(x, y)) + 360) % 360
