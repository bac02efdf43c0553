"""Monthly statement text."""

from .portfolio import Portfolio


def statement(portfolio: Portfolio, table, reporting_currency):
    lines = ["Holdings:"]
    for currency, amount in portfolio.holdings().items():
        lines.append(f"  {currency} {amount:,.2f}")
    total = portfolio.value_in(reporting_currency, table)
    lines.append(f"Total ({reporting_currency}): {total:,}")
    return "\n".join(lines)
