"""Assignments and scores."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Assignment:
    name: str
    category: str  # "homework", "quiz", "exam", ...
    points: float


@dataclass
class Course:
    title: str
    weights: dict  # category -> share of the final grade, summing to 1
    assignments: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)  # (student, assignment name) -> points earned

    def __post_init__(self):
        if abs(sum(self.weights.values()) - 1.0) > 1e-9:
            raise ValueError("category weights must sum to 1")

    def add(self, name, category, points):
        if category not in self.weights:
            raise ValueError(f"unknown category {category!r}")
        self.assignments.append(Assignment(name, category, points))

    def record(self, student, assignment, points):
        self.scores[(student, assignment)] = points

    def missing(self, student):
        """Names of the assignments the student has no score for."""
        return [a.name for a in self.assignments if (student, a.name) not in self.scores]

    def students(self):
        return sorted({s for s, _ in self.scores})
