"""One feature flag."""

from dataclasses import dataclass, field

from .bucketing import in_rollout


@dataclass
class Flag:
    name: str
    percent: int = 0
    allow: set = field(default_factory=set)
    block: set = field(default_factory=set)
    killed: bool = False

    def enabled_for(self, user_id):
        """Kill switch first, then the allow list, then the rollout unless the user is blocked."""
        if self.killed:
            return False
        if user_id in self.allow:
            return True
        return in_rollout(self.name, user_id, self.percent) or user_id not in self.block
