import pytest

from parcels.parcel import Parcel
from parcels.rates import NotShippable, RateCard, cheapest

SWIFT = RateCard("Swift", base={"domestic": 4.90, "eu": 9.50}, per_extra_kg={"domestic": 1.10, "eu": 2.40})
POSTAL = RateCard("Postal", base={"domestic": 5.50}, per_extra_kg={"domestic": 0.80}, max_side_cm=60)

SMALL_HEAVY = Parcel(20, 15, 10, 3.2)
BIG_LIGHT = Parcel(50, 40, 30, 1.5)     # 12 kg volumetric


def test_volumetric_weight():
    assert BIG_LIGHT.volumetric_kg == 12.0
    assert BIG_LIGHT.billable_kg == 12.0
    assert SMALL_HEAVY.billable_kg == 3.2


def test_describe():
    assert BIG_LIGHT.describe() == "50 x 40 x 30 cm, 1.5 kg (bulky)"


def test_quote_heavy_parcel():
    assert SWIFT.quote(SMALL_HEAVY, "domestic") == round(4.90 + 3 * 1.10, 2)


def test_quote_bulky_parcel_uses_volume():
    assert SWIFT.quote(BIG_LIGHT, "eu") == round(9.50 + 11 * 2.40, 2)


def test_unknown_zone():
    with pytest.raises(NotShippable):
        POSTAL.quote(SMALL_HEAVY, "eu")


def test_cheapest_skips_cards_that_cannot_ship():
    assert cheapest([SWIFT, POSTAL], Parcel(70, 20, 20, 1.0), "domestic") == ("Swift", 10.4)


def test_cheapest_small():
    assert cheapest([SWIFT, POSTAL], SMALL_HEAVY, "domestic") == ("Postal", 7.9)
