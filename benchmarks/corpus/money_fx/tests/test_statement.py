from fx.portfolio import Portfolio
from fx.rates import RateTable
from fx.statement import statement

TABLE = RateTable("EUR", {"USD": "1.10", "JPY": "160", "GBP": "0.85"})


def test_single_currency():
    p = Portfolio()
    p.deposit("EUR", "100.50")
    assert statement(p, TABLE, "EUR").splitlines() == ["Holdings:", "  EUR 100.50", "Total (EUR): 100.50"]


def test_holdings_listed_sorted():
    p = Portfolio()
    p.deposit("USD", 5)
    p.deposit("EUR", 1)
    assert statement(p, TABLE, "EUR").splitlines()[1:3] == ["  EUR 1.00", "  USD 5.00"]


def test_total_in_yen():
    p = Portfolio()
    p.deposit("EUR", 10)
    p.deposit("USD", 11)
    assert statement(p, TABLE, "JPY").splitlines()[-1] == "Total (JPY): 3,200"


def test_parse_table():
    table = RateTable.parse("# ECB\nEUR/USD 1.10\nEUR/GBP 0.85\n")
    assert table.base == "EUR"
    assert str(table.rate("EUR", "GBP")) == "0.85"


def test_rate_table_cross_rate():
    assert TABLE.rate("USD", "GBP").quantize(__import__("decimal").Decimal("0.0001")) == \
        __import__("decimal").Decimal("0.7727")
