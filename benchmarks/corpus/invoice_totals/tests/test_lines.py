from decimal import Decimal

import pytest

from billing.lines import LineItem


def test_net_with_discount():
    line = LineItem("Desk lamp", 3, Decimal("24.90"), Decimal("10"))
    assert line.net == Decimal("67.23")


def test_bad_discount():
    with pytest.raises(ValueError):
        LineItem("Chair", 1, Decimal("80"), Decimal("120"))
