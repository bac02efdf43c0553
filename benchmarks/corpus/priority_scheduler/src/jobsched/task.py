"""Jobs and their ordering."""

from dataclasses import dataclass, field

PRIORITIES = {"critical": 0, "high": 1, "normal": 2, "low": 3}


@dataclass
class Task:
    name: str
    priority: str = "normal"
    deadline: float | None = None  # seconds on the scheduler's clock
    attempts: int = 0
    max_attempts: int = 3
    payload: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {self.priority!r}")

    def sort_key(self):
        """Higher priority first, then the earliest deadline; tasks without a deadline go last."""
        return (PRIORITIES[self.priority], self.deadline is None, self.deadline or 0.0)
