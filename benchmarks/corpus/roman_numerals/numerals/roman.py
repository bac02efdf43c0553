"""Conversion between integers and Roman numerals."""

import re

VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
PAIRS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]
_VALID = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def to_roman(number):
    if not 0 < number < 4000:
        raise ValueError("Roman numerals cover 1..3999")
    out = []
    for value, symbol in PAIRS:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)


def from_roman(text):
    text = text.strip().upper()
    if not text or not _VALID.match(text):
        raise ValueError(f"not a Roman numeral: {text!r}")
    total = 0
    for i, symbol in enumerate(text):
        value = VALUES[symbol]
        nxt = VALUES[text[i]] if i + 1 < len(text) else 0
        if value < nxt:
            total += value
        else:
            total += value
    return total
