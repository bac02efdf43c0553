"""Grouping changes into hunks with surrounding context lines."""

from dataclasses import dataclass, field

from .lcs import opcodes


@dataclass
class Hunk:
    old_start: int  # 0-based
    old_len: int
    new_start: int
    new_len: int
    lines: list = field(default_factory=list)  # (' ' | '-' | '+', text)


def grouped(codes, context):
    """Split opcodes into groups of changes no more than 2*context equal lines apart, trimming outer context."""
    if not codes or all(c[0] == "equal" for c in codes):
        return []
    codes = list(codes)
    tag, i1, i2, j1, j2 = codes[0]
    if tag == "equal":
        codes[0] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    tag, i1, i2, j1, j2 = codes[-1]
    if tag == "equal":
        codes[-1] = (tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    groups, current = [], []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            current.append((tag, i1, i1 + context, j1, j1 + context))
            groups.append(current)
            current = [(tag, i2 - context, i2, j2 - context, j2)]
            continue
        current.append((tag, i1, i2, j1, j2))
    if current and not (len(current) == 1 and current[0][0] == "equal"):
        groups.append(current)
    return groups


def make_hunks(a, b, context=3):
    hunks = []
    for group in grouped(opcodes(a, b), context):
        first, last = group[0], group[-1]
        hunk = Hunk(first[1], last[2] - first[1], first[3], last[4] - first[3])
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.lines += [(" ", line) for line in a[i1:i2]]
                continue
            hunk.lines += [("-", line) for line in a[i1:i2]]
            hunk.lines += [("+", line) for line in b[j1:j2]]
        hunks.append(hunk)
    return hunks
