"""League tables and group stages for round-robin competitions."""

from .groups import GroupStage
from .rules import FOOTBALL, RUGBY_LIKE, PointsSystem
from .table import LeagueTable

__all__ = ["FOOTBALL", "GroupStage", "LeagueTable", "PointsSystem", "RUGBY_LIKE"]
