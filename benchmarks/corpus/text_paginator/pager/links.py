"""Page-number links like `1 … 4 5 [6] 7 8 … 20`."""

ELLIPSIS = "…"


def page_window(current, total, radius=2):
    """Page numbers to show around `current`, with ellipses for the gaps."""
    if total < 1:
        return []
    shown = {1, total}
    shown.update(range(max(1, current - radius), min(total, current + radius) + 1))
    out, prev = [], 0
    for n in sorted(shown):
        if n - prev > 1:
            out.append(ELLIPSIS)
        out.append(n)
        prev = n
    return out


def render_links(page):
    parts = []
    for entry in page_window(page.number, page.total_pages):
        if entry == ELLIPSIS:
            parts.append(entry)
        elif entry == page.number:
            parts.append(f"[{entry}]")
        else:
            parts.append(str(entry))
    return " ".join(parts)
