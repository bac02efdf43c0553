"""Record permission decisions for the security log."""

from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Decision:
    when: datetime
    user: str
    action: str
    resource: str
    allowed: bool


class AuditLog:
    def __init__(self, clock=lambda: datetime.now(timezone.utc)):
        self._clock = clock
        self.entries = []

    def check(self, permissions, user, action, resource):
        """Ask `permissions.can_<action>(user)`, log the answer and return it."""
        allowed = bool(getattr(permissions, f"can_{action}")(user))
        self.entries.append(Decision(self._clock(), user.name, action, resource, allowed))
        return allowed

    def denied(self):
        return [e for e in self.entries if not e.allowed]

    def summary(self):
        return {"allowed": sum(e.allowed for e in self.entries), "denied": len(self.denied())}
