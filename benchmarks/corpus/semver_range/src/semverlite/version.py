"""Parsing and ordering of MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] versions."""

import re
from dataclasses import dataclass, field
from functools import total_ordering

_PATTERN = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


class InvalidVersion(ValueError):
    pass


def _pre_key(pre):
    """Numeric identifiers sort numerically and before alphanumeric ones."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre)


@total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple = ()
    build: tuple = field(default=(), compare=False)

    @classmethod
    def parse(cls, text):
        match = _PATTERN.match(text.strip())
        if not match:
            raise InvalidVersion(f"not a semantic version: {text!r}")
        major, minor, patch, pre, build = match.groups()
        return cls(int(major), int(minor), int(patch),
                   tuple(pre.split(".")) if pre else (), tuple(build.split(".")) if build else ())

    @property
    def is_prerelease(self):
        return bool(self.pre)

    def _key(self):
        # a release sorts after all of its pre-releases
        return (self.major, self.minor, self.patch, not self.pre, _pre_key(self.pre))

    def __lt__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()

    def bump(self, part):
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        if part == "patch":
            return Version(self.major, self.minor, self.patch + (0 if self.pre else 1))
        raise ValueError(f"unknown part {part!r}")

    def __str__(self):
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + ".".join(self.pre)
        if self.build:
            text += "+" + ".".join(self.build)
        return text
