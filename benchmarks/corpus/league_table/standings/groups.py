"""Tournament group stages: head-to-head tiebreaks and qualification."""

from .table import LeagueTable


class GroupStage(LeagueTable):
    """A group where teams level on points are separated by their matches against each other first."""

    def __init__(self, name, teams, qualify=2, system=None):
        super().__init__(teams, **({"system": system} if system else {}))
        self.name = name
        self.qualify = qualify
        self.results = []

    def record(self, home, away, home_goals, away_goals):
        super().record(home, away, home_goals, away_goals)
        self.results.append((home, away, home_goals, away_goals))

    def _head_to_head(self, team, others):
        """Points `team` took from its matches against `others`."""
        points = 0
        for home, away, home_goals, away_goals in self.results:
            if home == team and away in others:
                points += self.system.points(home_goals, away_goals)
            elif away == team and home in others:
                points += self.system.points(home_goals, away_goals)
        return points

    def tiebreak(self, row, level):
        others = [t for t in level if t != row.team]
        return (self._head_to_head(row.team, others), row.difference, row.scored)

    def qualifiers(self):
        return [r.team for r in self.standings()[:self.qualify]]

    def is_complete(self):
        n = len(self.rows)
        return len(self.results) == n * (n - 1) // 2
