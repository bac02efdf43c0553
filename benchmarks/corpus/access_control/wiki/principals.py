"""Users and roles."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset = field(default_factory=frozenset)

    def has(self, role):
        return role in self.roles or "admin" in self.roles


def user(name, *roles):
    return User(name, frozenset(roles))
