from decimal import Decimal

import pytest

from shop.catalog import PriceList
from shop.checkout import UnknownProduct, quote, receipt


@pytest.fixture
def prices():
    return PriceList({"TEA-100": "4.20", "MUG-01": "9.90", "SAMPLE-TEA": "0"})


def test_simple_quote(prices):
    lines, total = quote({"TEA-100": 2, "MUG-01": 1}, prices)
    assert total == Decimal("18.30")
    assert [sku for sku, *_ in lines] == ["MUG-01", "TEA-100"]


def test_bulk_discount(prices):
    _, total = quote({"TEA-100": 10}, prices)
    assert total == Decimal("39.90")


def test_free_sample_costs_nothing(prices):
    _, total = quote({"SAMPLE-TEA": 1, "TEA-100": 1}, prices)
    assert total == Decimal("4.20")


def test_unknown_product_rejected(prices):
    with pytest.raises(UnknownProduct):
        quote({"KETTLE-9": 1}, prices)


def test_negative_price_rejected(prices):
    with pytest.raises(ValueError):
        prices.set_price("MUG-01", -1)


def test_receipt_layout(prices):
    text = receipt({"MUG-01": 1}, prices)
    assert text.splitlines() == ["MUG-01       1      9.90", "TOTAL               9.90"]


def test_search():
    from shop.catalog import Product
    from shop.search import categories, search

    items = [Product("TEA-100", "Green Tea  100g", "tea"), Product("MUG-01", "Tea mug", "kitchen")]
    assert [p.sku for p in search(items, "tea")] == ["TEA-100", "MUG-01"]
    assert [p.sku for p in search(items, "TEA", category="kitchen")] == ["MUG-01"]
    assert categories(items) == ["kitchen", "tea"]
