"""Monthly payment and the month-by-month schedule."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Payment:
    month: int
    payment: float
    interest: float
    principal: float
    balance: float


def monthly_payment(principal, annual_rate, months):
    """Level monthly payment for a fully amortizing loan."""
    if months <= 0:
        raise ValueError("months must be positive")
    r = annual_rate / 12
    if r == 0:
        return round(principal / months, 2)
    return round(principal * r / (1 - (1 + r) ** -months), 2)


def build_schedule(principal, annual_rate, months):
    """One Payment per month; the last payment absorbs rounding so the balance ends at 0."""
    pay = monthly_payment(principal, annual_rate, months)
    r = annual_rate / 12
    balance = principal
    rows = []
    for month in range(1, months + 1):
        interest = round(balance * r, 2)
        if month == months:
            pay = round(balance + interest, 2)
        towards_principal = round(pay - interest, 2)
        balance = round(balance + towards_principal, 2)
        rows.append(Payment(month, pay, interest, towards_principal, balance))
    return rows
