"""Geographic points."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LatLon:
    lat: float
    lon: float

    def __post_init__(self):
        if not -90 <= self.lat <= 90:
            raise ValueError(f"latitude out of range: {self.lat}")
        if not -180 <= self.lon <= 180:
            raise ValueError(f"longitude out of range: {self.lon}")

    @property
    def radians(self):
        return math.radians(self.lat), math.radians(self.lon)

    @classmethod
    def parse(cls, text):
        """Parse '52.52, 13.40' (lat, lon in degrees)."""
        lat, lon = (float(part) for part in text.split(","))
        return cls(lat, lon)
