"""Whole addresses."""

from dataclasses import dataclass

from .postcodes import normalise_postcode
from .streets import _word, normalise_street

COUNTRY_NAMES = {"united kingdom": "GB", "uk": "GB", "great britain": "GB", "netherlands": "NL",
                 "holland": "NL", "usa": "US", "united states": "US", "germany": "DE", "deutschland": "DE"}


@dataclass(frozen=True)
class Address:
    lines: tuple
    city: str
    postcode: str
    country: str

    def label(self):
        if self.country == "US":
            city_line = f"{self.city.upper()} {self.postcode}"
        elif self.country in ("NL", "DE"):
            city_line = f"{self.postcode} {self.city}"
        else:
            return "\n".join([*self.lines, self.city.upper(), self.postcode, self.country])
        return "\n".join([*self.lines, city_line, self.country])


def country_code(name):
    cleaned = " ".join(name.lower().replace(".", "").split())
    return COUNTRY_NAMES.get(cleaned, cleaned.upper())


def normalise(raw, default_country="GB"):
    """An Address from a dict with 'lines' (str or list), 'city', 'postcode' and optional 'country'."""
    lines = raw["lines"]
    if isinstance(lines, str):
        lines = lines.split("\n")
    country = country_code(raw.get("country") or default_country)
    return Address(
        lines=tuple(normalise_street(l) for l in lines if l.strip()),
        city=" ".join(_word(w, i) for i, w in enumerate(raw["city"].split())),
        postcode=normalise_postcode(raw["postcode"], default_country),
        country=country,
    )


def same_address(a, b):
    return (a.postcode, a.country, a.lines[:1]) == (b.postcode, b.country, b.lines[:1])
