"""User records."""

from dataclasses import dataclass, field


@dataclass
class User:
    username: str
    email: str
    first_name: str
    last_name: str
    groups: set = field(default_factory=set)
    active: bool = True

    def display_name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.username

    def in_group(self, group):
        return group in self.groups
