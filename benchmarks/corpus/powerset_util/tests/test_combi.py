from combi.knapsack import best_load
from combi.partitions import binomial, count_partitions, pascal_row
from combi.permutations import next_permutation, permutations_in_order
from combi.subsets import all_subsets, subsets_of_size


def test_partitions():
    assert [count_partitions(n) for n in range(1, 8)] == [1, 2, 3, 5, 7, 11, 15]


def test_binomial_and_pascal():
    assert binomial(10, 3) == 120
    assert binomial(3, 5) == 0
    assert pascal_row(4) == [1, 4, 6, 4, 1]


def test_permutations():
    assert ["".join(p) for p in permutations_in_order("bca")] == ["abc", "acb", "bac", "bca", "cab", "cba"]
    assert next_permutation([3, 2, 1]) is None


def test_subset_count():
    assert len(all_subsets("abcd")) == 16


def test_pairs():
    assert subsets_of_size([1, 2, 3], 2) == [[1, 2], [1, 3], [2, 3]]


def test_best_load():
    parcels = [("tv", 18, 300), ("chair", 9, 120), ("lamp", 4, 80), ("rug", 12, 150)]
    assert best_load(parcels, 25) == (380, ["lamp", "tv"])


def test_nothing_fits():
    assert best_load([("piano", 250, 900)], 100) == (0, [])
