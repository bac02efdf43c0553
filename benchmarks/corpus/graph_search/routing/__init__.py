"""Weighted graphs and shortest paths for a transit map."""

from .graph import Graph
from .search import NoRoute, bfs_hops, shortest_path

__all__ = ["Graph", "NoRoute", "bfs_hops", "shortest_path"]
