"""Parse one access-log line."""

import re
from dataclasses import dataclass
from datetime import datetime

_LINE = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<when>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" '
    r'(?P<status>\d{3}) (?P<size>\d+|-)'
)


@dataclass(frozen=True)
class Hit:
    ip: str
    when: datetime
    method: str
    path: str
    status: int
    size: int


def parse_line(line):
    """A Hit, or None for blank, comment or malformed lines."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    match = _LINE.match(line)
    if not match:
        return None
    return Hit(
        ip=match["ip"],
        when=datetime.strptime(match["when"], "%d/%b/%Y:%H:%M:%S %z"),
        method=match["method"],
        path=match["path"].split("?", 1)[0],
        status=int(match["status"]),
        size=0 if match["size"] == "-" else int(match["size"]),
    )
