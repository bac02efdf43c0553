from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from untilgreen.context import batch

SOURCES = [
    (f"pkg/m{i}.py", f"def f{i}(x):\n    return x + {i}\n\n\nclass C{i}:\n    def g(self):\n        pass\n")
    for i in range(6)
]


def test_a_pool_chunks_like_the_process_itself(monkeypatch):
    monkeypatch.setattr(batch, "POOL_MIN_FILES", 2)
    pooled = list(batch.chunk_all(SOURCES, workers=2))
    assert pooled == [batch.chunk_source(p, s) for p, s in SOURCES]
    assert [c.symbol for c in pooled[0].chunks] == ["f0", "C0", "C0.g"]
    assert pooled[0].fts[0] == ("f0", "f0")  # single letters are not indexed


def test_without_a_pool_it_chunks_in_process(monkeypatch):
    def unavailable(*args, **kwargs):
        raise OSError("no semaphores")

    monkeypatch.setattr(batch, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", unavailable)
    assert len(list(batch.chunk_all(SOURCES, workers=2))) == len(SOURCES)
    assert ProcessPoolExecutor is not None


@pytest.mark.parametrize(
    "identifier, expected",
    [
        ("reorder_needed", ("reorder_needed", "reorder", "needed")),
        ("Stock", ("stock",)),
        ("ABC", ("abc",)),
        ("x", ()),
    ],
)
def test_identifier_words(identifier, expected):
    from untilgreen.context.terms import identifier_words

    assert identifier_words(identifier) == expected
