import pytest

from inventory import InsufficientStock, Item, Stock


@pytest.fixture
def stock():
    s = Stock()
    s.register(Item("BOLT-8", "Hex bolt M8", 0.12, reorder_point=10, reorder_quantity=500))
    s.register(Item("NUT-8", "Hex nut M8", 0.05, reorder_point=10, reorder_quantity=800))
    s.receive("BOLT-8", 40)
    s.receive("NUT-8", 25)
    return s


def test_receive_and_ship(stock):
    stock.ship("BOLT-8", 15)
    assert stock.on_hand("BOLT-8") == 25
    assert [m.quantity for m in stock.history] == [40, 25, -15]


def test_ship_too_much(stock):
    with pytest.raises(InsufficientStock):
        stock.ship("NUT-8", 26)


def test_unknown_sku(stock):
    with pytest.raises(KeyError):
        stock.receive("WASHER", 3)


def test_no_reorder_above_point(stock):
    stock.ship("BOLT-8", 29)
    assert not stock.reorder_needed("BOLT-8")


def test_reorder_at_threshold(stock):
    stock.ship("BOLT-8", 30)
    assert stock.reorder_needed("BOLT-8")


def test_reorder_list_below_point(stock):
    stock.ship("NUT-8", 20)
    assert stock.reorder_list() == [("NUT-8", 800)]


def test_valuation(stock):
    assert stock.valuation() == round(40 * 0.12 + 25 * 0.05, 2)
