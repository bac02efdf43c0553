"""How many league points a result is worth."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PointsSystem:
    win: int = 3
    draw: int = 1
    loss: int = 0

    def points(self, scored, conceded):
        if scored > conceded:
            return self.win
        if scored == conceded:
            return self.draw
        return self.loss


FOOTBALL = PointsSystem()
RUGBY_LIKE = PointsSystem(win=4, draw=2, loss=0)
