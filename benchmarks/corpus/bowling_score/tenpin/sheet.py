"""A printable score sheet."""

from .frames import PINS, split_frames
from .scoring import running_totals


def _marks(frame, tenth):
    marks, standing = [], PINS
    for pins in frame:
        if pins == PINS and standing == PINS:
            marks.append("X")
        elif pins == standing and len(marks) and marks[-1] not in ("X", "/"):
            marks.append("/")
        elif pins == 0:
            marks.append("-")
        else:
            marks.append(str(pins))
        standing = PINS if (tenth and (standing - pins == 0)) else standing - pins
        if not tenth and standing == 0:
            break
    return " ".join(marks)


class ScoreSheet:
    def __init__(self, player):
        self.player = player
        self.rolls = []

    def roll(self, *pins):
        self.rolls.extend(pins)
        return self

    @property
    def total(self):
        totals = running_totals(self.rolls)
        return totals[-1] if totals else 0

    @property
    def complete(self):
        frames = split_frames(self.rolls)
        return len(running_totals(self.rolls)) == 10 and len(frames) == 10

    def render(self):
        frames = split_frames(self.rolls)
        totals = running_totals(self.rolls)
        marks = [_marks(f, n == 10) for n, f in enumerate(frames, 1)]
        cells = [f"{m:<5}|{t if t is not None else '':>4}"
                 for m, t in zip(marks, totals + [None] * (len(marks) - len(totals)))]
        return f"{self.player}: " + " ".join(f"[{c}]" for c in cells)
