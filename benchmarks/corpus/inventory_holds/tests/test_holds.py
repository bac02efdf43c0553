from datetime import datetime, timedelta

import pytest

from stockhold import HoldNotFound, OutOfStock, Warehouse


class FakeClock:
    def __init__(self):
        self.now = datetime(2025, 11, 28, 9, 0)

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def shop(clock):
    warehouse = Warehouse(clock)
    warehouse.receive("MUG-01", 5)
    warehouse.receive("TEE-M", 2)
    return warehouse


def test_reserve_reduces_availability(shop):
    shop.reserve("MUG-01", 3, cart="c1")
    assert shop.available("MUG-01") == 2
    assert shop.on_hand["MUG-01"] == 5


def test_cannot_reserve_more_than_available(shop):
    shop.reserve("TEE-M", 2, cart="c1")
    with pytest.raises(OutOfStock) as info:
        shop.reserve("TEE-M", 1, cart="c2")
    assert info.value.available == 0


def test_confirm_takes_stock(shop):
    hold = shop.reserve("MUG-01", 2, cart="c1")
    shop.confirm(hold)
    assert (shop.on_hand["MUG-01"], shop.available("MUG-01")) == (3, 3)


def test_released_stock_can_be_reserved_again(shop):
    hold = shop.reserve("TEE-M", 2, cart="c1")
    shop.release(hold)
    assert shop.reserve("TEE-M", 2, cart="c2")


def test_expired_hold_frees_stock(shop, clock):
    shop.reserve("TEE-M", 2, cart="c1", ttl=timedelta(minutes=10))
    clock.advance(minutes=10)
    assert shop.available("TEE-M") == 2


def test_expired_hold_cannot_be_confirmed(shop, clock):
    hold = shop.reserve("MUG-01", 1, cart="c1")
    clock.advance(minutes=16)
    with pytest.raises(ValueError):
        shop.confirm(hold)


def test_extend_keeps_hold_alive(shop, clock):
    hold = shop.reserve("MUG-01", 4, cart="c1", ttl=timedelta(minutes=5))
    clock.advance(minutes=4)
    shop.extend(hold)
    clock.advance(minutes=10)
    shop.confirm(hold)
    assert shop.on_hand["MUG-01"] == 1


def test_release_cart(shop):
    shop.reserve("MUG-01", 1, cart="c1")
    shop.reserve("TEE-M", 1, cart="c1")
    shop.reserve("MUG-01", 2, cart="c2")
    shop.release_cart("c1")
    assert (shop.available("MUG-01"), shop.available("TEE-M")) == (3, 2)


def test_unknown_hold(shop):
    with pytest.raises(HoldNotFound):
        shop.release(99)


def test_invalid_quantities(shop):
    with pytest.raises(ValueError):
        shop.reserve("MUG-01", 0, cart="c1")
    with pytest.raises(ValueError):
        shop.receive("MUG-01", -2)
