"""Parse quantities written like '250 g' or '1.5cup'."""

import re

from .tables import dimension_of

_QUANTITY = re.compile(r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)\s*$")


def parse_quantity(text):
    match = _QUANTITY.match(text.lower())
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    unit = match.group("unit")
    dimension_of(unit)
    return float(match.group("value")), unit
