from decimal import Decimal

from billing.lines import LineItem
from billing.render import render_invoice
from billing.totals import Invoice


def make_invoice(category="standard"):
    inv = Invoice("2024-0117", "Harbour Books", tax_category=category)
    inv.add(LineItem("Paperback", 2, Decimal("9.99")))
    inv.add(LineItem("Gift wrap", 1, Decimal("2.50"), taxable=False))
    return inv


def test_header():
    text = render_invoice(make_invoice())
    assert text.splitlines()[0] == "Invoice 2024-0117 - Harbour Books"


def test_exempt_invoice_has_no_tax():
    text = render_invoice(make_invoice("exempt"))
    assert text.splitlines()[-1].endswith("22.48")


def test_subtotal_row():
    lines = render_invoice(make_invoice()).splitlines()
    assert lines[-3] == "Subtotal" + "22.48".rjust(36)


def test_tax_and_total_rows():
    lines = render_invoice(make_invoice()).splitlines()
    assert lines[-2].split() == ["Tax", "1.65"]
    assert lines[-1].split() == ["Total", "24.13"]
