import pytest

from payroll.employees import Employee
from payroll.payslip import payroll_total, payslip
from payroll.tax import income_tax

ENGINEER = Employee("E1", "Noor", monthly_salary=5_000.0)
BARISTA = Employee("B7", "Sam", hourly_rate=14.0, pension_percent=0)


def test_gross_with_overtime():
    assert BARISTA.gross(hours=40, overtime_hours=4) == 644.0


def test_tax_bands():
    assert income_tax(5_000.0, 250.0) == pytest.approx(2_000 * 0.20 + 2_750 * 0.40 - 200)


def test_salaried_payslip():
    slip = payslip(ENGINEER)
    assert (slip.gross, slip.pension, slip.tax, slip.net) == (5_000.0, 250.0, 1_300.0, 3_450.0)


def test_part_timer_below_allowance_pays_no_tax():
    slip = payslip(BARISTA, hours=40)
    assert slip.tax == 0.0
    assert slip.net == 560.0


def test_payslip_lines():
    assert payslip(ENGINEER).lines()[-1] == "Net pay         3450.00"


def test_payroll_total():
    assert payroll_total([payslip(ENGINEER), payslip(ENGINEER)]) == (6_900.0, 2_600.0)
