import pytest

from amortize import build_schedule, format_table, monthly_payment, summarize


def test_monthly_payment():
    assert monthly_payment(10_000, 0.06, 12) == 860.66


def test_zero_interest_payment():
    assert monthly_payment(1200, 0.0, 12) == 100.0


def test_invalid_term():
    with pytest.raises(ValueError):
        monthly_payment(1000, 0.05, 0)


def test_first_month_interest():
    rows = build_schedule(10_000, 0.06, 12)
    assert rows[0].interest == 50.0
    assert rows[0].principal == 810.66


def test_balance_reaches_zero():
    rows = build_schedule(10_000, 0.06, 12)
    assert rows[-1].balance == 0


def test_interest_decreases_over_time():
    rows = build_schedule(5_000, 0.12, 6)
    interests = [r.interest for r in rows]
    assert interests == sorted(interests, reverse=True)


def test_summary_principal():
    rows = build_schedule(2400, 0.0, 24)
    assert summarize(rows)["principal"] == 2400
    assert summarize(rows)["halfway_month"] == 12



def test_table_layout():
    table = format_table(build_schedule(1200, 0.0, 3)).splitlines()
    assert len(table) == 5
    assert table[2].split() == ["1", "400.00", "0.00", "400.00", "800.00"]
