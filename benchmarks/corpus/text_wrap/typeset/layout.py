"""Justification and boxes built on wrap()."""

from .wrap import wrap


def justify(line, width):
    """Pad the gaps between words so the line is exactly `width` long."""
    words = line.split()
    if len(words) < 2:
        return line.ljust(width)
    gaps = len(words) - 1
    spaces = width - sum(len(w) for w in words)
    out = ""
    for i, word in enumerate(words[:-1]):
        extra = spaces // gaps + (1 if i < spaces % gaps else 0)
        out += word + " " * extra
    return out + words[-1]


def paragraph(text, width=40):
    lines = wrap(text, width)
    return [justify(l, width) for l in lines[:-1]] + lines[-1:]


def boxed(text, width=30, title=""):
    """The text wrapped inside an ASCII box, with an optional title in the top border."""
    inner = width - 4
    lines = wrap(text, inner)
    top = "+-" + (f" {title} " if title else "").ljust(inner, "-") + "-+"
    body = [f"| {line.ljust(inner)} |" for line in lines]
    return "\n".join([top, *body, "+" + "-" * (width - 2) + "+"])
