"""Declarative validation of submitted HTML form data."""

from .fields import Field, Email, Integer
from .form import Form

__all__ = ["Field", "Email", "Integer", "Form"]
