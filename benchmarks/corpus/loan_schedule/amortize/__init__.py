"""Fixed-rate loan amortization schedules."""

from .schedule import Payment, build_schedule, monthly_payment
from .summary import format_table, summarize

__all__ = ["Payment", "build_schedule", "monthly_payment", "summarize", "format_table"]
