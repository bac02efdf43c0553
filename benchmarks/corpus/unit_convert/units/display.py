"""Pick a readable unit for a quantity, e.g. 0.25 kg -> 250 g."""

from .tables import DIMENSIONS

PREFERRED = {
    "length": ["mm", "cm", "m", "km"],
    "mass": ["g", "kg"],
    "volume": ["ml", "l"],
}


def humanize(value_in_base, dimension, digits=3):
    """Use the largest preferred unit in which the value is at least 1."""
    table = DIMENSIONS[dimension]
    best = PREFERRED[dimension][0]
    for unit in PREFERRED[dimension]:
        if value_in_base / table[unit] >= 1:
            best = unit
    shown = round(value_in_base / table[best], digits)
    return f"{shown:g} {best}"
