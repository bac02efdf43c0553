"""Convert quantities between units of the same dimension."""

from .tables import DIMENSIONS, dimension_of
from .tables import LENGTH_FACTOR


class IncompatibleUnits(ValueError):
    pass


def convert(value, from_unit, to_unit):
    dim_from, dim_to = dimension_of(from_unit), dimension_of(to_unit)
    if dim_from != dim_to:
        raise IncompatibleUnits(f"cannot convert {dim_from} ({from_unit}) to {dim_to} ({to_unit})")
    table = DIMENSIONS[dim_from]
    return value * table[from_unit] / table[to_unit]


def feet_and_inches(metres):
    """Split a length in metres into whole feet and rounded inches, e.g. (5, 11)."""
    total_in = round(metres / LENGTH_FACTORS["in"])
    return divmod(total_in, 12)
