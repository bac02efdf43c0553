"""A simplified progressive income tax on monthly income."""

TAX_CREDIT = 200.0  # every employee's monthly credit, taken off the computed tax
BANDS = [  # (upper limit of taxable income in the band, rate)
    (2_000.0, 0.20),
    (6_000.0, 0.40),
    (float("inf"), 0.45),
]


def band_tax(taxable):
    tax, lower = 0.0, 0.0
    for upper, rate in BANDS:
        portion = min(taxable, upper) - lower
        if portion <= 0:
            break
        tax += portion * rate
        lower = upper
    return tax


def income_tax(gross, pension):
    """Band tax on gross minus pension, less the tax credit; never negative."""
    tax = band_tax(gross - pension)
    return round(tax - TAX_CREDIT, 2)
