"""Cron expression parsing: lists, ranges, steps and names."""

from dataclasses import dataclass

from .fields import ALIASES, FIELDS


class CronError(ValueError):
    pass


@dataclass(frozen=True)
class CronSpec:
    minutes: frozenset
    hours: frozenset
    days: frozenset
    months: frozenset
    weekdays: frozenset
    day_restricted: bool
    weekday_restricted: bool

    def day_matches(self, day):
        """Classic cron: when both day-of-month and weekday are restricted, either may match."""
        weekday = (day.weekday() + 1) % 7
        dom, dow = day.day in self.days, weekday in self.weekdays
        if self.day_restricted and self.weekday_restricted:
            return dom or dow
        return dom and dow

    def matches(self, moment):
        return (moment.minute in self.minutes and moment.hour in self.hours
                and moment.month in self.months and self.day_matches(moment))


def _number(text, fld):
    text = text.lower()
    if text in fld.names:
        return fld.names[text]
    if not text.isdigit():
        raise CronError(f"bad {fld.name} value {text!r}")
    value = int(text)
    if fld.name == "weekday" and value == 7:
        return 0
    if not fld.low <= value <= fld.high:
        raise CronError(f"{fld.name} {value} is outside {fld.low}-{fld.high}")
    return value


def _part(part, fld):
    base, _, step_text = part.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronError(f"bad step {step_text!r} in {fld.name}")
        step = int(step_text)
    if base == "*":
        low, high = fld.low, fld.high
    elif "-" in base:
        first, last = base.split("-", 1)
        low, high = _number(first, fld), _number(last, fld)
        if low > high:
            raise CronError(f"empty range {base!r} in {fld.name}")
    else:
        low = _number(base, fld)
        high = fld.high if step_text else low
    return set(range(low, high + 1, step))


def parse(expression):
    text = ALIASES.get(expression.strip().lower(), expression)
    parts = text.split()
    if len(parts) != len(FIELDS):
        raise CronError(f"expected {len(FIELDS)} fields, got {len(parts)}")
    sets = [frozenset().union(*(_part(p, fld) for p in part.split(","))) for part, fld in zip(parts, FIELDS)]
    return CronSpec(*sets, day_restricted=parts[2] != "*", weekday_restricted=parts[4] != "*")
