"""Conversion factors to the base unit of each dimension (metre, kilogram, litre)."""

LENGTH_FACTORS = {
    "mm": 0.001, "cm": 0.01, "m": 1.0, "km": 1000.0,
    "in": 0.0254, "ft": 0.3048, "yd": 0.9144, "mi": 1609.344,
}

MASS_FACTORS = {
    "g": 0.001, "kg": 1.0, "oz": 0.028349523125, "lb": 0.45359237,
}

VOLUME_FACTORS = {
    "ml": 0.001, "l": 1.0, "tsp": 0.00492892, "tbsp": 0.0147868, "cup": 0.236588,
}

DIMENSIONS = {"length": LENGTH_FACTORS, "mass": MASS_FACTORS, "volume": VOLUME_FACTORS}


def dimension_of(unit):
    for name, table in DIMENSIONS.items():
        if unit in table:
            return name
    raise KeyError(f"unknown unit {unit!r}")
