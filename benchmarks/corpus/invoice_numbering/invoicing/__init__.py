"""Gapless invoice numbers per series and fiscal year."""

from .numbering import InvoiceNumberer, parse_number
from .sequence import SequenceStore

__all__ = ["InvoiceNumberer", "SequenceStore", "parse_number"]
