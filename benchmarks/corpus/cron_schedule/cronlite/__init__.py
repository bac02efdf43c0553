"""Parse five-field cron expressions and compute when they fire next."""

from .parse import CronError, CronSpec, parse
from .schedule import next_run, upcoming

__all__ = ["CronError", "CronSpec", "next_run", "parse", "upcoming"]
