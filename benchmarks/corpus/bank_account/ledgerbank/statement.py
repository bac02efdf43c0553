"""Printable statements."""


def cents(amount):
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount) // 100}.{abs(amount) % 100:02d}"


def statement(account):
    lines = [f"Account {account.number} ({account.owner})"]
    running = 0
    for entry in account.journal:
        running += entry.amount
        lines.append(f"{entry.memo:<30}{cents(entry.amount):>10}{cents(running):>10}")
    lines.append(f"{'Balance':<30}{'':>10}{cents(account.balance):>10}")
    return "\n".join(lines)
