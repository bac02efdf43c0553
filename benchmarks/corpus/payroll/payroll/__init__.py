"""Monthly payroll: gross pay, deductions and payslips."""
