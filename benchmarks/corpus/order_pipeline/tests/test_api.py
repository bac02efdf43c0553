from orders.api import submit_order


def stock():
    return {"ROSE-RED": 10, "FERN-S": 3}


def test_small_order_pays_shipping():
    result = submit_order({"customer": "k", "country": "DE", "lines": [["ROSE-RED", 2, 12.50]]}, stock())
    assert result["shipping"] == 4.95
    assert result["total"] == 29.95


def test_free_shipping_over_threshold():
    result = submit_order({"customer": "k", "country": "AT", "lines": [["ROSE-RED", 5, 12.50]]}, stock())
    assert result == {"ok": True, "total": 62.5, "shipping": 0.0, "reserved": {"ROSE-RED": 5}}


def test_coupon_can_drop_below_free_shipping():
    result = submit_order({"customer": "k", "country": "NL", "coupon": "spring10",
                           "lines": [["ROSE-RED", 5, 12.50]]}, stock())
    assert result["shipping"] == 6.90


def test_out_of_stock():
    result = submit_order({"customer": "k", "country": "DE", "lines": [["FERN-S", 4, 7.0]]}, stock())
    assert result == {"ok": False, "error": "out of stock: FERN-S"}


def test_empty_order():
    assert submit_order({"customer": "k", "country": "DE", "lines": []}, stock())["ok"] is False
