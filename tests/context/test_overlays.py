"""Unsaved buffers (overlays) are seen by the Index that was given them, and never stored."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlean

import untilgreen.context
from untilgreen.context import Index, bm25
from untilgreen.context.batch import chunk_source
from untilgreen.context.lexical import lexical_scores

STOCK = "inventory/stock.py"


def _buffer(function: str) -> str:
    return f"def {function}(stocks):\n    return [s for s in stocks if s.{function}_flag]\n"


def _symbols(index: Index, path: str = STOCK) -> list[str]:
    return [c.symbol for c in index.chunks(path)]


def test_two_users_of_one_store_each_see_only_their_own_buffer(project: Path, tmp_path: Path):
    cache = tmp_path / "shared"
    Index.for_root(project, cache_dir=cache).close()  # the editor's language server and a terminal run
    with (
        Index.for_root(project, overlays={STOCK: _buffer("alpha")}, cache_dir=cache) as first,
        Index.for_root(project, overlays={STOCK: _buffer("bravo")}, cache_dir=cache) as second,
    ):
        first.refresh({STOCK: _buffer("alpha")})  # after the second stored whatever it stores
        for mine, theirs, index in (("alpha", "bravo", first), ("bravo", "alpha", second)):
            assert _symbols(index) == [mine]
            assert {c.path for c in index.chunks() if c.symbol in ("alpha", "bravo")} == {STOCK}
            assert [c.symbol for c in index.chunks() if c.path == STOCK] == [mine]
            assert index.chunk(f"{STOCK}::{mine}") is not None
            assert index.chunk(f"{STOCK}::{theirs}") is None
            assert index.chunk(f"{STOCK}::Stock") is None  # the buffer shadows the whole stored file
            assert index.store.chunks_named(theirs) == []
            assert index.store.chunk_ids_for_symbol(mine) == [f"{STOCK}::{mine}"]
            assert list(lexical_scores(index.store, [mine])) == [f"{STOCK}::{mine}"]
            assert lexical_scores(index.store, [theirs]) == {}
            assert lexical_scores(index.store, ["reorder"]) == {}  # words only the disk version has
            assert index._text(STOCK) == _buffer(mine)


def test_a_fresh_open_after_a_run_with_buffers_sees_the_disk(project: Path, tmp_path: Path):
    cache = tmp_path / "c"
    overlays = {STOCK: _buffer("unsaved"), "inventory/draft.py": _buffer("drafted")}
    with Index.for_root(project, overlays=overlays, cache_dir=cache) as index:
        assert _symbols(index) == ["unsaved"]
        assert "inventory/draft.py" in index.store.paths()
        assert set(lexical_scores(index.store, ["unsaved", "drafted"])) == {
            f"{STOCK}::unsaved",
            "inventory/draft.py::drafted",
        }
    db = sqlite3.connect(cache / "index.sqlite3")
    assert (
        db.execute(
            "SELECT count(*) FROM chunks WHERE text LIKE '%unsaved%' OR text LIKE '%drafted%'"
        ).fetchone()[0]
        == 0
    )
    assert db.execute("SELECT count(*) FROM files WHERE path = 'inventory/draft.py'").fetchone()[0] == 0
    db.close()
    with Index.for_root(project, cache_dir=cache) as index:
        assert index.stats["chunked"] == 0  # nothing to undo: the store never held the buffers
        assert "unsaved" not in _symbols(index)
        assert "Stock.reorder_needed" in _symbols(index)
        assert "inventory/draft.py" not in index.store.paths()
        assert lexical_scores(index.store, ["unsaved", "drafted"]) == {}
        assert f"{STOCK}::Stock.reorder_needed" in lexical_scores(index.store, ["reorder_needed"])


def test_a_discarded_buffer_disappears_at_the_next_refresh(project: Path, tmp_path: Path):
    with Index.for_root(project, overlays={STOCK: _buffer("unsaved")}, cache_dir=tmp_path / "c") as index:
        index.refresh()
        assert "unsaved" not in _symbols(index)
        assert lexical_scores(index.store, ["unsaved"]) == {}


def test_a_saved_buffer_shows_the_stored_chunks(project: Path, tmp_path: Path):
    text = (project / STOCK).read_text()
    with Index.for_root(project, overlays={STOCK: text}, cache_dir=tmp_path / "c") as index:
        assert index.store._overlays == {}
        assert "Stock.reorder_needed" in _symbols(index)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """This package's own source: enough chunks and words for BM25's statistics to matter."""
    root = tmp_path / "corpus"
    shutil.copytree(
        Path(untilgreen.context.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


@pytest.mark.parametrize(
    "terms",
    [
        ["overlay", "chunks"],
        ["reorder_needed", "chunk_file", "store", "path"],  # phrases of several tokens
        ["bm25", "fts", "search", "symbol", "body", "limit", "query"],
    ],
)
def test_overlay_chunks_score_as_the_fts_table_scores_the_same_text(corpus: Path, tmp_path: Path, terms):
    with Index.for_root(corpus, cache_dir=tmp_path / "c") as index:
        expected = index.store.search(terms, limit=10_000)
        paths = ["store.py", "index.py", "lexical.py", "chunker.py"]
        index.store.set_overlays({p: chunk_source(p, (corpus / p).read_text()) for p in paths})
        got = index.store.search(terms, limit=10_000)
    assert len({p for cid, *_ in got if (p := cid.partition("::")[0]) in paths}) >= 3
    assert {hit[0]: hit[2:] for hit in got} == {hit[0]: hit[2:] for hit in expected}
    scores = {cid: score for cid, score, *_ in expected}
    for cid, score, *_ in got:
        assert score == pytest.approx(scores[cid], rel=1e-9), cid
    assert [score for _, score, *_ in got] == sorted((score for _, score, *_ in got), reverse=True)


def test_tokens_split_as_the_fts_tokenizer_splits():
    text = "reorder_needed x1y_2 café données straße __dunder__ ünïcode_ok"
    db = sqlean.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    db.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, t, instance)")
    db.execute("INSERT INTO t VALUES (?)", (text,))
    assert bm25.tokens(text) == tuple(term for (term,) in db.execute("SELECT term FROM v ORDER BY offset"))
