"""The five cron fields, their value ranges and symbolic names."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    low: int
    high: int
    names: dict = field(default_factory=dict)

    def values(self):
        return range(self.low, self.high + 1)


MONTH_NAMES = {name: n for n, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
DAY_NAMES = {name: n for n, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}

FIELDS = (
    Field("minute", 0, 59),
    Field("hour", 0, 24),
    Field("day", 1, 31),
    Field("month", 1, 12, MONTH_NAMES),
    Field("weekday", 0, 6, DAY_NAMES),
)

ALIASES = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
