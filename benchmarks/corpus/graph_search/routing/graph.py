"""Adjacency-map graphs."""

from collections import defaultdict


class Graph:
    def __init__(self, directed=False):
        self.directed = directed
        self._adj = defaultdict(dict)

    def _link(self, source, target, weight):
        if weight < 0:
            raise ValueError("negative weights are not supported")
        self._adj[source][target] = weight
        self._adj[target]  # make sure isolated targets exist as nodes

    def add_edge(self, source, target, weight=1):
        self._link(source, target, weight)
        if not self.directed:
            self._link(source, target, weight)

    @classmethod
    def from_edges(cls, edges, directed=False):
        """Build a graph from (source, target[, weight]) tuples."""
        graph = cls(directed)
        for edge in edges:
            graph.add_edge(*edge)
        return graph

    def remove_edge(self, source, target):
        self._adj[source].pop(target, None)
        if not self.directed:
            self._adj[target].pop(source, None)

    def neighbours(self, node):
        return dict(self._adj.get(node, {}))

    def nodes(self):
        return sorted(self._adj)

    def degree(self, node):
        return len(self._adj.get(node, {}))
