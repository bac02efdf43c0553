import pytest

from routing import Graph, NoRoute, bfs_hops, shortest_path


def tram():
    g = Graph()
    g.add_edge("Depot", "Market", 4)
    g.add_edge("Market", "Harbour", 3)
    g.add_edge("Depot", "Park", 1)
    g.add_edge("Park", "Market", 2)
    return g


def test_nodes_and_degree():
    g = tram()
    assert g.nodes() == ["Depot", "Harbour", "Market", "Park"]
    assert g.degree("Market") == 3


def test_shortest_forward():
    assert shortest_path(tram(), "Depot", "Harbour") == (6, ["Depot", "Park", "Market", "Harbour"])


def test_shortest_backward():
    assert shortest_path(tram(), "Harbour", "Depot") == (6, ["Harbour", "Market", "Park", "Depot"])


def test_directed_one_way():
    g = Graph(directed=True)
    g.add_edge("a", "b")
    with pytest.raises(NoRoute):
        shortest_path(g, "b", "a")


def test_remove_edge():
    g = Graph.from_edges([("a", "b"), ("b", "c", 5)], directed=True)
    g.remove_edge("a", "b")
    assert g.neighbours("a") == {}
    assert g.neighbours("b") == {"c": 5}


def test_negative_weight():
    with pytest.raises(ValueError):
        Graph().add_edge("a", "b", -1)


def test_bfs_hops_from_depot():
    assert bfs_hops(tram(), "Depot") == {"Depot": 0, "Market": 1, "Park": 1, "Harbour": 2}
