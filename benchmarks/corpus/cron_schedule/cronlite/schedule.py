"""Finding the next moments a cron spec fires."""

from datetime import timedelta

from .parse import parse

SEARCH_DAYS = 366 * 8  # long enough for "29 February on a Monday"


def next_run(spec, after):
    """The first minute strictly after `after` (a naive datetime) at which the spec fires."""
    if isinstance(spec, str):
        spec = parse(spec)
    start = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.replace(hour=0, minute=0)
    for offset in range(SEARCH_DAYS):
        if day.month in spec.months and spec.day_matches(day):
            first_day = offset == 0
            for hour in sorted(spec.hours):
                if first_day and hour < start.hour:
                    continue
                for minute in sorted(spec.minutes):
                    candidate = day.replace(hour=hour, minute=minute)
                    if candidate >= start:
                        return candidate
        day += timedelta(days=1)
    raise ValueError(f"the schedule never fires within {SEARCH_DAYS} days")


def upcoming(spec, after, count):
    if isinstance(spec, str):
        spec = parse(spec)
    runs = []
    for _ in range(count):
        after = next_run(spec, after)
        runs.append(after)
    return runs
