"""Zone-based rate cards."""

import math
from dataclasses import dataclass

from .parcel import Parcel


class NotShippable(ValueError):
    pass


@dataclass(frozen=True)
class RateCard:
    carrier: str
    base: dict          # zone -> price of the first kg
    per_extra_kg: dict  # zone -> price of each further started kg
    max_side_cm: float = 120
    max_girth_cm: float = 300

    def quote(self, parcel: Parcel, zone: str):
        if zone not in self.base:
            raise NotShippable(f"{self.carrier} does not ship to zone {zone!r}")
        if not parcel.fits(self.max_side_cm, self.max_girth_cm):
            raise NotShippable(f"parcel too large for {self.carrier}")
        kg = parcel.weight_kg
        extra = max(0, math.ceil(kg) - 1)
        return round(self.base[zone] + extra * self.per_extra_kg[zone], 2)


def cheapest(cards, parcel, zone):
    """(carrier, price) of the cheapest card that can ship the parcel, or None."""
    offers = []
    for card in cards:
        try:
            offers.append((card.quote(parcel, zone), card.carrier))
        except NotShippable:
            continue
    if not offers:
        return None
    price, carrier = min(offers)
    return carrier, price
