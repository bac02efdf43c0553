"""Histograms with fixed or quantile bin edges."""

from .edges import linear_edges, quantile_edges
from .histogram import Histogram

__all__ = ["Histogram", "linear_edges", "quantile_edges"]
