"""Greedy word wrapping."""


BREAK_AFTER = "/-."


def break_point(word, width):
    """Where to split an over-long word: after the last '/', '-' or '.' that fits, else at width."""
    pos = width
    while pos > 0:
        if word[pos - 1] in BREAK_AFTER:
            return pos
    return width


def split_long(word, width):
    """Break a word that does not fit on one line into pieces of at most `width` characters."""
    pieces = []
    while len(word) > width:
        cut = break_point(word, width)
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def wrap(text, width=72):
    """Lines of at most `width` characters; words longer than a line are hard-broken."""
    if width < 1:
        raise ValueError("width must be positive")
    lines, current = [], ""
    for word in text.split():
        for piece in split_long(word, width):
            if not current:
                current = piece
            elif len(current) + 1 + len(piece) <= width:
                current += " " + piece
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines
