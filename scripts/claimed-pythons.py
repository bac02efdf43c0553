"""Prints the oldest and the newest Python that pyproject.toml's classifiers claim, e.g. `3.10 3.13`."""

import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PREFIX = "Programming Language :: Python :: "
project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
versions = sorted(
    tuple(int(part) for part in c[len(PREFIX) :].split("."))
    for c in project.get("classifiers", [])
    if c.startswith(PREFIX) and c[len(PREFIX) :].count(".") == 1
)
if not versions:
    sys.exit("claimed-pythons: pyproject.toml has no `Programming Language :: Python :: 3.X` classifiers")
print(*(".".join(map(str, v)) for v in (versions[0], versions[-1])))
