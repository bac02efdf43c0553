"""Chapter headings like 'Chapter XIV: The Storm'."""

import re

from .roman import from_roman, to_roman

_HEADING = re.compile(r"^Chapter\s+([IVXLCDM]+)(?::\s*(.*))?$", re.IGNORECASE)


def heading(number, title=""):
    text = f"Chapter {to_roman(number)}"
    return f"{text}: {title}" if title else text


def parse_heading(line):
    """(number, title) from a heading line, or None when the line is not a heading."""
    match = _HEADING.match(line.strip())
    if not match:
        return None
    return from_roman(match.group(1)), (match.group(2) or "").strip()


def renumber(lines, start=1):
    """Renumber every chapter heading consecutively, keeping titles and other lines."""
    out, number = [], start
    for line in lines:
        parsed = parse_heading(line)
        if parsed is None:
            out.append(line)
        else:
            out.append(heading(number, parsed[1]))
            number += 1
    return out
