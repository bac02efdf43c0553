"""Aggregate figures over a schedule."""


def summarize(rows):
    """Totals and the month when half the principal has been repaid."""
    total_paid = round(sum(r.payment for r in rows), 2)
    total_interest = round(sum(r.interest for r in rows), 2)
    principal = round(sum(r.principal for r in rows), 2)
    halfway = None
    repaid = 0.0
    for r in rows:
        repaid += r.principal
        if repaid >= principal / 2:
            halfway = r.month
            break
    return {
        "months": len(rows),
        "total_paid": total_paid,
        "total_interest": total_interest,
        "principal": principal,
        "halfway_month": halfway,
    }


def format_table(rows):
    """Fixed-width text table of a schedule."""
    header = f"{'month':>5} {'payment':>10} {'interest':>9} {'principal':>10} {'balance':>11}"
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r.month:>5} {r.payment:>10.2f} {r.interest:>9.2f} {r.principal:>10.2f} {r.balance:>11.2f}")
    return "\n".join(lines)
