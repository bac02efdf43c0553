"""The run's budgets: attempts, wall time, tokens and cost."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from untilgreen.models.base import Usage
from untilgreen.settings import Settings

# Sources that cost nothing (no model call).
FREE_SOURCES = ("builtin", "memory")


@dataclass
class Budget:
    attempts: int
    max_seconds: float
    max_tokens: int
    max_cost_usd: float  # 0: no limit
    max_cost_usd_per_day: float = 0.0  # 0: no limit
    spent_today: float = 0.0  # by the day's earlier runs, as memory recorded them
    started: float = field(default_factory=time.monotonic)
    used_attempts: int = 0
    tokens: int = 0
    cached_tokens: int = 0  # of `tokens`, read from the provider's prompt cache
    cost_usd: float = 0.0
    cost_known: bool = True  # False once a model call had no known price
    resumed_at: int = 0  # a resumed run: the stopped run's last attempt (`attempts` counts on from it)

    @classmethod
    def from_settings(cls, settings: Settings) -> Budget:
        return cls(
            settings.attempts,
            settings.max_seconds,
            settings.max_tokens,
            settings.max_cost_usd,
            settings.max_cost_usd_per_day,
        )

    def charge(self, usage: Usage, source: str) -> None:
        self.tokens += usage.tokens
        self.cached_tokens += usage.cached_tokens
        if usage.cost_usd is not None:
            self.cost_usd += usage.cost_usd
        elif usage.tokens and not source.startswith(FREE_SOURCES):
            self.cost_known = False

    @property
    def cost(self) -> float | None:
        """The spend in US dollars; None when a model's price is unknown."""
        return round(self.cost_usd, 6) if self.cost_known else None

    def over_with(self, extra_usd: float) -> str:
        """The cost budget (its setting, in backticks) that spending `extra_usd` more would reach; "" if none."""
        if self.max_cost_usd and self.cost_usd + extra_usd >= self.max_cost_usd:
            return "`max_cost_usd`"
        if (
            self.max_cost_usd_per_day
            and self.spent_today + self.cost_usd + extra_usd >= self.max_cost_usd_per_day
        ):
            return "`max_cost_usd_per_day`"
        return ""

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining_seconds(self) -> float:
        return max(0.0, self.max_seconds - self.elapsed())

    def exhausted(self) -> str:
        """Why no further attempt may start ("" while there is budget left)."""
        if self.used_attempts >= self.attempts:
            if self.resumed_at:
                return (
                    f"all {self.attempts - self.resumed_at} more attempts were used "
                    f"(attempts {self.resumed_at + 1} to {self.attempts})"
                )
            return f"all {self.attempts} attempts were used"
        if self.remaining_seconds() <= 0:
            return f"the time budget of {self.max_seconds:g} s ran out"
        if self.tokens >= self.max_tokens:
            return f"the token budget of {self.max_tokens} was spent ({self.tokens} tokens)"
        if self.max_cost_usd and self.cost_usd >= self.max_cost_usd:
            return f"the run's cost budget `max_cost_usd` of ${self.max_cost_usd:g} was spent (${self.cost_usd:.4f})"
        today = self.spent_today + self.cost_usd
        if self.max_cost_usd_per_day and today >= self.max_cost_usd_per_day:
            return (
                f"the day's cost budget `max_cost_usd_per_day` of ${self.max_cost_usd_per_day:g} was spent "
                f"(${today:.4f} today, ${self.cost_usd:.4f} of it in this run)"
            )
        return ""


def per_green(total: float | None, greens: int) -> float | None:
    """What each green run cost on average (`runs`, `eval`): None when no run was green or a price is unknown."""
    return None if total is None or not greens else round(total / greens, 6)
