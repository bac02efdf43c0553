"""Render the table of contents as a nested Markdown list."""

from .headings import extract_headings


def render_toc(markdown, min_level=2, max_level=4):
    items = [h for h in extract_headings(markdown) if min_level <= h.level <= max_level]
    if not items:
        return ""
    top = min(h.level for h in items)
    return "\n".join(f"{'  ' * (h.level - top)}- [{h.title}](#{h.anchor})" for h in items)
