"""Street lines: consistent capitalisation and expanded abbreviations."""

import re

SUFFIXES = {"st": "Street", "rd": "Road", "ave": "Avenue", "ln": "Lane", "dr": "Drive", "sq": "Square",
            "ct": "Court", "pl": "Place", "blvd": "Boulevard"}
DIRECTIONS = {"n": "North", "s": "South", "e": "East", "w": "West"}
UNITS = {"apt": "Apt", "flat": "Flat", "unit": "Unit", "ste": "Suite", "suite": "Suite"}
_LOWER = {"of", "the", "and", "upon", "on"}


def _word(word, position):
    if any(ch.isdigit() for ch in word):
        return word.upper()
    lowered = word.lower()
    if position > 0 and lowered in _LOWER:
        return lowered
    return "-".join(part.capitalize() for part in lowered.split("-"))


def normalise_street(line):
    words = [w for w in re.split(r"[\s,]+", line.strip()) if w]
    out = []
    for i, word in enumerate(words):
        key = word.lower().rstrip(".")
        if i == len(words) - 1 and key in SUFFIXES and i > 0:
            out.append(SUFFIXES[key])
        elif key in DIRECTIONS and len(words) > 2 and (i in (0, len(words) - 1) or words[i - 1].isdigit()):
            out.append(DIRECTIONS[key])
        elif key in UNITS:
            out.append(UNITS[key])
        else:
            out.append(_word(word, i))
    return " ".join(out)
