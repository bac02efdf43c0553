"""Version ranges: comparator sets such as ">=1.2.0 <2.0.0", "^1.4", "~2.1.3" and "1.x"."""

from dataclasses import dataclass

from .version import Version


@dataclass(frozen=True)
class Comparator:
    op: str
    version: Version

    def test(self, candidate):
        if self.op == "=":
            return candidate == self.version
        if self.op == ">":
            return candidate > self.version
        if self.op == ">=":
            return candidate >= self.version
        if self.op == "<":
            return candidate <= self.version
        if self.op == "<=":
            return candidate <= self.version
        raise ValueError(f"unknown operator {self.op!r}")


def _partial(text):
    """'1', '1.4', '1.4.x' -> (major, minor or None, patch or None)."""
    parts = [p for p in text.split(".") if p not in ("x", "X", "*")]
    numbers = [int(p) for p in parts]
    return tuple(numbers + [None] * (3 - len(numbers)))


def _expand(token):
    if token[0] == "^":
        major, minor, patch = _partial(token[1:])
        low = Version(major, minor or 0, patch or 0)
        if major > 0 or minor is None:
            high = low.bump("major")
        elif minor > 0 or patch is None:
            high = low.bump("minor")
        else:
            high = low.bump("patch")
        return [Comparator(">=", low), Comparator("<", high)]
    if token[0] == "~":
        major, minor, patch = _partial(token[1:])
        low = Version(major, minor or 0, patch or 0)
        high = low.bump("major" if minor is None else "minor")
        return [Comparator(">=", low), Comparator("<", high)]
    for op in (">=", "<=", ">", "<", "="):
        if token.startswith(op):
            return [Comparator(op, Version.parse(token[len(op):]))]
    major, minor, patch = _partial(token)
    if patch is not None:
        return [Comparator("=", Version(major, minor, patch))]
    low = Version(major, minor or 0, 0)
    return [Comparator(">=", low), Comparator("<", low.bump("major" if minor is None else "minor"))]


class Range:
    """Alternatives separated by '||'; within one, every comparator must hold."""

    def __init__(self, text):
        self.text = text
        self.alternatives = [
            [c for token in alt.split() for c in _expand(token)] for alt in text.split("||")
        ]

    def contains(self, version):
        if isinstance(version, str):
            version = Version.parse(version)
        return any(self._alt_contains(alt, version) for alt in self.alternatives)

    @staticmethod
    def _alt_contains(alt, version):
        if not all(c.test(version) for c in alt):
            return False
        if not version.is_prerelease:
            return True
        # a pre-release only matches when a comparator names a pre-release of the same release
        core = (version.major, version.minor, version.patch)
        return any(c.version.pre and (c.version.major, c.version.minor, c.version.patch) == core for c in alt)


def satisfies(version, range_text):
    return Range(range_text).contains(version)


def max_satisfying(versions, range_text):
    rng = Range(range_text)
    matching = [Version.parse(v) for v in versions if rng.contains(v)]
    return str(max(matching)) if matching else None
