import pytest

from geokit.distance import haversine_km, initial_bearing
from geokit.points import LatLon
from geokit.routes import bounding_box, nearest, route_length_km, within

BERLIN = LatLon(52.5200, 13.4050)
PARIS = LatLon(48.8566, 2.3522)
ROME = LatLon(41.9028, 12.4964)


def test_same_point_is_zero():
    assert haversine_km(BERLIN, BERLIN) == 0


def test_along_a_meridian():
    assert haversine_km(LatLon(0, 0), LatLon(1, 0)) == pytest.approx(111.195, abs=0.01)


def test_parse_and_validate():
    assert LatLon.parse("41.9028, 12.4964") == ROME
    with pytest.raises(ValueError):
        LatLon(91, 0)


def test_bearing_due_east_on_equator():
    assert initial_bearing(LatLon(0, 0), LatLon(0, 10)) == pytest.approx(90)


def test_berlin_paris():
    assert haversine_km(BERLIN, PARIS) == pytest.approx(877.5, abs=1.0)


def test_bounding_box():
    assert bounding_box([BERLIN, PARIS, ROME]) == (41.9028, 2.3522, 52.52, 13.405)


def test_nearest_and_within():
    assert nearest(ROME, [BERLIN, PARIS]) == PARIS
    assert within(BERLIN, [PARIS, ROME], 100) == []
