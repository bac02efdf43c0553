from dataclasses import dataclass


@dataclass(frozen=True)
class Employee:
    staff_id: str
    name: str
    hourly_rate: float = 0.0
    monthly_salary: float = 0.0
    pension_percent: float = 5.0

    @property
    def is_hourly(self):
        return not self.monthly_salary

    def gross(self, hours=0.0, overtime_hours=0.0):
        """Salaried staff get the salary; hourly staff get hours plus overtime at 1.5x."""
        if self.monthly_salary:
            return round(self.monthly_salary, 2)
        return round(self.hourly_rate * (hours + 1.5 * overtime_hours), 2)
