"""Formatting single cells."""

from decimal import Decimal


def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def clip(text, width, marker="…"):
    """Shorten text to at most `width` characters, ending with the marker when cut."""
    if len(text) <= width:
        return text
    return text[: max(0, width - len(marker))] + marker


def format_cell(value, precision=2):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{precision}f}"
    if is_number(value):
        return f"{value:,}"
    return str(value)
