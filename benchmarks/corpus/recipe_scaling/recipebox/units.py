"""Kitchen units and their metric equivalents."""

from fractions import Fraction

VOLUME_ML = {"tsp": 4.93, "tbsp": 14.79, "cup": 236.59, "ml": 1.0, "l": 1000.0, "floz": 29.57}
WEIGHT_G = {"g": 1.0, "kg": 1000.0, "oz": 28.35, "lb": 453.59}
ALIASES = {
    "teaspoon": "tsp", "teaspoons": "tsp", "tablespoon": "tbsp", "tablespoons": "tbsp", "cups": "cup",
    "ounce": "oz", "ounces": "oz", "pound": "lb", "pounds": "lb", "lbs": "lb", "grams": "g", "gram": "g",
}


def canonical(unit):
    unit = unit.lower().rstrip(".")
    return ALIASES.get(unit, unit)


def to_metric(amount, unit):
    """(amount, unit) in ml or g; unknown units (pinch, clove, ...) are returned unchanged."""
    unit = canonical(unit)
    if unit in VOLUME_ML:
        return amount * VOLUME_ML[unit], "ml"
    if unit in WEIGHT_G:
        return amount * WEIGHT_G[unit], "g"
    return amount, unit


def fahrenheit_to_celsius(fahrenheit):
    return (fahrenheit + 32) * 5 / 9


def nice_fraction(value):
    """A cook-friendly rendering: whole numbers and halves, thirds or quarters."""
    best = min((Fraction(round(value * d), d) for d in (1, 2, 3, 4)), key=lambda f: abs(f - value))
    whole, rest = divmod(best, 1)
    if rest == 0:
        return str(whole)
    return f"{whole} {rest}" if whole else str(rest)
