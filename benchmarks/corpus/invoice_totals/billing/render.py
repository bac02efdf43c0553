"""Plain-text rendering of an invoice."""

from .totals import Invoice

WIDTH = 44


def _row(label, amount):
    text = f"{amount:.2f}"
    return label + text.rjust(WIDTH - len(label))


def render_invoice(invoice: Invoice):
    """Render the invoice as fixed-width text, one line per item then the totals."""
    out = [f"Invoice {invoice.number} - {invoice.customer}", "-" * WIDTH]
    for line in invoice.lines:
        label = f"{line.quantity} x {line.description}"
        if line.discount_percent:
            label += f" (-{line.discount_percent}%)"
        out.append(_row(label, line.net))
    out.append("-" * WIDTH)
    out.append(_row("Subtotal", invoice.subtotal))
    out.append(_row("Tax", invoice.tax))
    out.append(_row("Total", invoice.total))
    return "\n".join(out)
