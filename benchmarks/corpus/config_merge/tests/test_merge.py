import pytest

from layered.merge import MergeError, deep_merge, merge_layers


def test_nested_override():
    base = {"db": {"host": "localhost", "port": 5432}, "debug": False}
    assert deep_merge(base, {"db": {"port": 5433}}) == {
        "db": {"host": "localhost", "port": 5433},
        "debug": False,
    }


def test_none_deletes():
    assert deep_merge({"a": 1, "b": 2}, {"a": None}) == {"b": 2}


def test_section_replaced_by_scalar():
    with pytest.raises(MergeError):
        deep_merge({"db": {"host": "x"}}, {"db": "sqlite://"})


def test_layers_in_order():
    assert merge_layers({"x": 1}, {"x": 2}, {"y": 3}) == {"x": 2, "y": 3}
