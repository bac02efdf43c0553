"""Build records as the CI API returns them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Build:
    number: int
    commit: str
    status: str  # "passed", "failed" or "skipped"

    @property
    def usable(self):
        return self.status in ("passed", "failed")


def parse_builds(rows):
    """rows: 'number commit status' strings, any order -> builds sorted by number."""
    builds = []
    for row in rows:
        number, commit, status = row.split()
        builds.append(Build(int(number), commit, status))
    return sorted(builds, key=lambda b: b.number)
