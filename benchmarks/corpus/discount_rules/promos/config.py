"""Rules as the marketing team writes them."""

from decimal import Decimal

from .rules import Rule


def load_rules(entries):
    """entries: dicts with name, category, percent and optional min_qty."""
    rules = []
    for entry in entries:
        percent = Decimal(str(entry["percent"]))
        if not Decimal("0") < percent <= Decimal("50"):
            raise ValueError(f"{entry['name']}: discount must be in (0, 50]")
        rules.append(Rule(entry["name"], entry["category"], percent, int(entry.get("min_qty", 1))))
    return rules
