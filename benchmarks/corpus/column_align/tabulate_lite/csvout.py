"""The same rows as CSV, for spreadsheets."""

import csv
import io

from .cells import format_cell


def to_csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def summary_row(header, rows, label="total"):
    """Sum the numeric columns; the first column carries the label."""
    totals = [label]
    for i in range(1, len(header)):
        values = [r[i] for r in rows if i < len(r) and isinstance(r[i], (int, float))]
        totals.append(sum(values) if values else None)
    return totals


def preview(header, rows):
    return ", ".join(f"{h}={format_cell(v)}" for h, v in zip(header, rows[0])) if rows else ""
