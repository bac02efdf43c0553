"""Country-specific postcode validation and formatting."""

import re
from dataclasses import dataclass


class InvalidPostcode(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    space_at: int | None = None  # insert a space this many characters from the end
    dash_at: int | None = None  # insert a dash after this many characters

    def format(self, compact):
        if self.space_at is not None:
            return f"{compact[:-self.space_at]} {compact[-self.space_at:]}"
        if self.dash_at is not None and len(compact) > self.dash_at:
            return f"{compact[:self.dash_at]}-{compact[self.dash_at:]}"
        return compact


RULES = {
    "GB": Rule(re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}"), space_at=3),
    "NL": Rule(re.compile(r"[1-9]\d{3}[A-Z]{2}"), space_at=2),
    "US": Rule(re.compile(r"\d{5}(\d{4})?"), dash_at=5),
    "DE": Rule(re.compile(r"\d{5}")),
}


def normalise_postcode(raw, country):
    compact = re.sub(r"[\s-]", "", raw).upper()
    rule = RULES.get(country)
    if rule is None:
        return " ".join(raw.split()).upper()
    if not rule.pattern.fullmatch(compact):
        raise InvalidPostcode(f"{raw!r} is not a valid {country} postcode")
    return rule.format(compact)
