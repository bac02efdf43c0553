"""Rendering rows as an aligned table."""

from .cells import format_cell, is_number


def column_widths(header, rows):
    """The widest cell of each column, header included."""
    widths = [len(h) for h in header]
    for row in rows:
        for col in range(len(header) + 1):
            widths[col] = max(widths[col], len(row[col]))
    return widths


def render(header, rows, precision=2):
    """Numbers are right-aligned, everything else left-aligned; rows shorter than the header are padded."""
    raw = [list(r) + [None] * (len(header) - len(r)) for r in rows]
    cells = [[format_cell(v, precision) for v in r] for r in raw]
    widths = column_widths(header, cells)
    numeric = [all(is_number(r[i]) or r[i] is None for r in raw) and bool(raw) for i in range(len(header))]

    def line(values):
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return " | ".join(parts).rstrip()

    out = [line(header), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out)
