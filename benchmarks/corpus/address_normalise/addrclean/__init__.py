"""Normalise postal addresses typed by customers into a consistent form."""

from .address import Address, normalise, same_address
from .postcodes import InvalidPostcode

__all__ = ["Address", "InvalidPostcode", "normalise", "same_address"]
