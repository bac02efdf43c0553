"""Filters usable as {{ name | filter }}."""

HTML_ESCAPES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")]


def escape_html(text):
    """Escape the characters that matter in HTML text and attributes."""
    text = str(text)
    for raw, escaped in HTML_ESCAPES:
        text = text.replace(escaped, raw)
    return text


def title(text):
    return str(text).title()


def money(value):
    return f"{float(value):,.2f}"


def default_filters():
    return {"escape": escape_html, "title": title, "upper": lambda s: str(s).upper(), "money": money}
