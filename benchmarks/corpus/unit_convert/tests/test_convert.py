import pytest

from units.convert import IncompatibleUnits, convert, feet_and_inches


def test_metric_length():
    assert convert(2.5, "km", "m") == pytest.approx(2500)


def test_imperial_mass():
    assert convert(1, "lb", "oz") == pytest.approx(16)


def test_incompatible():
    with pytest.raises(IncompatibleUnits):
        convert(1, "kg", "l")


def test_feet_and_inches():
    assert feet_and_inches(1.80) == (5, 11)
