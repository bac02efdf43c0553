"""A round-robin league table."""

from dataclasses import dataclass

from .rules import FOOTBALL


@dataclass
class Row:
    team: str
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    scored: int = 0
    conceded: int = 0
    points: int = 0

    @property
    def difference(self):
        return self.scored - self.conceded


class LeagueTable:
    def __init__(self, teams, system=FOOTBALL):
        self.system = system
        self.rows = {team: Row(team) for team in teams}

    def _credit(self, team, scored, conceded):
        row = self.rows[team]
        row.played += 1
        row.scored += scored
        row.conceded += conceded
        row.won += scored > conceded
        row.drawn += scored == conceded
        row.lost += scored < conceded
        row.points += self.system.points(scored, conceded)

    def record(self, home, away, home_goals, away_goals):
        if home == away:
            raise ValueError("a team cannot play itself")
        for team in (home, away):
            if team not in self.rows:
                raise KeyError(f"unknown team {team!r}")
        self._credit(home, home_goals, away_goals)
        self._credit(away, away_goals, home_goals)

    def tiebreak(self, row, level):
        """Extra sort keys for rows level on points; `level` holds the teams they are level with."""
        return (row.difference, row.scored)

    def standings(self):
        by_points = {}
        for row in self.rows.values():
            by_points.setdefault(row.points, []).append(row.team)
        return sorted(
            self.rows.values(),
            key=lambda r: (-r.points, *(-k for k in self.tiebreak(r, by_points[r.points])), r.team),
        )

    def render(self):
        lines = [f"{'':2} {'team':<12} {'P':>2} {'W':>2} {'D':>2} {'L':>2} {'GD':>4} {'Pts':>4}"]
        for pos, r in enumerate(self.standings(), 1):
            lines.append(f"{pos:>2} {r.team:<12} {r.played:>2} {r.won:>2} {r.drawn:>2} {r.lost:>2} "
                         f"{r.difference:>+4} {r.points:>4}")
        return "\n".join(lines)
