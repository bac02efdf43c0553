"""Parcels and their weights."""

from dataclasses import dataclass

VOLUMETRIC_DIVISOR = 5000  # cm^3 per kg, the usual courier convention


@dataclass(frozen=True)
class Parcel:
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float

    @property
    def volume_cm3(self):
        return self.length_cm * self.width_cm * self.height_cm

    @property
    def volumetric_kg(self):
        return round(self.volume_cm3 / VOLUMETRIC_DIVISOR, 2)

    @property
    def billable_kg(self):
        """Couriers bill the larger of the real and the volumetric weight."""
        return max(self.weight_kg, self.volumetric_kg)

    def fits(self, max_side_cm, max_girth_cm):
        sides = sorted((self.length_cm, self.width_cm, self.height_cm), reverse=True)
        girth = sides[0] + 2 * (sides[1] + sides[2])
        return sides[0] <= max_side_cm and girth <= max_girth_cm

    def describe(self):
        """Human-readable summary for the packing slip."""
        dims = f"{self.length_cm:g} x {self.width_cm:g} x {self.height_cm:g} cm"
        note = " (bulky)" if self.volumetric_kg > self.weight_kg else ""
        return f"{dims}, {self.weight_kg:g} kg{note}"
