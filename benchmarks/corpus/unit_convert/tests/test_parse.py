import pytest

from units.display import humanize
from units.parse import parse_quantity
from units.tables import dimension_of


def test_parse():
    assert parse_quantity(" 250 g") == (250.0, "g")
    assert parse_quantity("1.5cup") == (1.5, "cup")


def test_parse_rejects_garbage():
    with pytest.raises(ValueError):
        parse_quantity("a pinch")


def test_humanize():
    assert humanize(0.25, "mass") == "250 g"
    assert humanize(1609.344, "length") == "1.609 km"


def test_dimensions():
    assert dimension_of("tbsp") == "volume"
