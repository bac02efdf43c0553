"""Payslips."""

from dataclasses import dataclass

from .tax import income_tax


@dataclass(frozen=True)
class Payslip:
    staff_id: str
    gross: float
    pension: float
    tax: float

    @property
    def net(self):
        return round(self.gross - self.pension - self.tax, 2)

    def lines(self):
        return [
            f"Gross        {self.gross:>10.2f}",
            f"Pension      {-self.pension:>10.2f}",
            f"Income tax   {-self.tax:>10.2f}",
            f"Net pay      {self.net:>10.2f}",
        ]


def payslip(employee, hours=0.0, overtime_hours=0.0):
    gross = employee.gross(hours, overtime_hours)
    pension = round(gross * employee.pension_percent / 100, 2)
    return Payslip(employee.staff_id, gross, pension, income_tax(gross, pension))


def payroll_total(slips):
    return round(sum(s.net for s in slips), 2), round(sum(s.tax for s in slips), 2)
