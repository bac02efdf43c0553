"""Dijkstra and breadth-first search."""

import heapq
from collections import deque


class NoRoute(Exception):
    pass


def shortest_path(graph, start, goal):
    """(cost, [start, ..., goal]) of the cheapest route."""
    queue = [(0, start, [start])]
    settled = set()
    while queue:
        cost, node, path = heapq.heappop(queue)
        if node == goal:
            return cost, path
        if node in settled:
            continue
        settled.add(node)
        for nxt, weight in graph.neighbours(node).items():
            if nxt not in settled:
                heapq.heappush(queue, (cost + weight, nxt, path + [nxt]))
    raise NoRoute(f"no route from {start!r} to {goal!r}")


def bfs_hops(graph, start):
    """Number of edges from `start` to every reachable node."""
    hops = {start: 0}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for nxt in graph.neighbours(node):
            if nxt not in hops:
                hops[nxt] = hops[node] + 1
                todo.append(nxt)
    return hops
