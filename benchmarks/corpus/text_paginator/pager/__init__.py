"""Pagination of sequences and of query results."""

from .paginate import Page, Paginator

__all__ = ["Page", "Paginator"]
