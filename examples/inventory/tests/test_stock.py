import pytest

from inventory import Item, Stock


@pytest.fixture
def stock():
    stock = Stock()
    stock.add_item(Item("BOLT-M4", "M4 bolt", 0.05, reorder_point=100, reorder_quantity=1000), quantity=250)
    return stock


def test_receive_adds_to_on_hand(stock):
    stock.receive("BOLT-M4", 50)
    assert stock.on_hand["BOLT-M4"] == 300


def test_ship_more_than_available_is_refused(stock):
    with pytest.raises(ValueError, match="only 250 on hand"):
        stock.ship("BOLT-M4", 251)


def test_no_reorder_above_reorder_point(stock):
    stock.ship("BOLT-M4", 149)
    assert not stock.needs_reorder("BOLT-M4")


def test_reorder_below_reorder_point(stock):
    stock.ship("BOLT-M4", 200)
    assert stock.needs_reorder("BOLT-M4")


def test_reorder_at_reorder_point(stock):
    stock.ship("BOLT-M4", 150)
    assert stock.needs_reorder("BOLT-M4")


def test_value(stock):
    assert stock.value() == pytest.approx(12.5)
