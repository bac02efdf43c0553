"""Pick the best rule per line (rules never stack)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def best_rule(line, rules):
    candidates = [r for r in rules if r.applies_to(line)]
    return max(candidates, key=lambda r: r.percent, default=None)


def line_discount(line, rules):
    rule = best_rule(line, rules)
    if rule is None:
        return Decimal("0.00"), None
    return (line.amount * rule.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP), rule.name


def apply_promotions(lines, rules):
    """[(sku, amount, discount, rule name or None)] and the grand total after discounts."""
    rows, total = [], Decimal("0")
    for line in lines:
        discount, name = line_discount(line, rules)
        rows.append((line.sku, line.amount, discount, name))
        total += line.amount - discount
    return rows, total.quantize(CENT)
