"""Aggregate hits."""

from collections import Counter

from .parse import parse_line


def status_class(hit):
    return f"{hit.status // 100}xx"


def hour_of(hit):
    return hit.when.strftime("%H:00")


def summarize(lines):
    statuses, paths, hours = Counter(), Counter(), Counter()
    total_bytes = 0
    for line in lines:
        hit = parse_line(line)
        statuses[status_class(hit)] += 1
        paths[hit.path] += 1
        hours[hour_of(hit)] += 1
        total_bytes += hit.size
    return {
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "top_paths": paths.most_common(3),
        "busiest_hour": hours.most_common(1)[0][0] if hours else None,
        "bytes": total_bytes,
    }
