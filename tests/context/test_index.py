from __future__ import annotations

import os
from pathlib import Path

from untilgreen.context import Index


def test_indexes_source_files_and_skips_tooling_dirs(project: Path, tmp_path: Path):
    (project / ".venv" / "lib").mkdir(parents=True)
    (project / ".venv" / "lib" / "x.py").write_text("def hidden(): pass\n")
    (project / "node_modules").mkdir()
    (project / "node_modules" / "y.js").write_text("function hidden() {}\n")
    with Index.for_root(project, cache_dir=tmp_path / "c") as index:
        paths = {c.path for c in index.chunks()}
        assert paths == {"inventory/stock.py", "tests/test_stock.py"}
        assert index.chunk("inventory/stock.py::Stock.remove").start == 17
        assert index.chunk("inventory/stock.py::missing") is None
        assert [c.symbol for c in index.chunks("inventory/stock.py")][:3] == [
            "<module>",
            "REORDER_MARGIN",
            "Stock",
        ]


def test_second_run_is_warm_and_only_changed_files_are_rechunked(project: Path, tmp_path: Path):
    cache = tmp_path / "c"
    Index.for_root(project, cache_dir=cache).close()
    with Index.for_root(project, cache_dir=cache) as warm:
        assert warm.stats == {"chunked": 0, "unchanged": 3, "removed": 0}
        stock = project / "inventory" / "stock.py"
        stock.write_text(stock.read_text() + "\n\ndef added():\n    pass\n")
        os.utime(stock, ns=(1, 1))  # a new mtime even on coarse clocks
        (project / "tests" / "test_stock.py").unlink()
        warm.refresh()
        assert warm.stats == {"chunked": 1, "unchanged": 1, "removed": 1}
        assert warm.chunk("inventory/stock.py::added") is not None
        assert not warm.chunks("tests/test_stock.py")


def test_touched_but_unchanged_file_is_not_rechunked(project: Path, tmp_path: Path):
    cache = tmp_path / "c"
    Index.for_root(project, cache_dir=cache).close()
    os.utime(project / "inventory" / "stock.py", ns=(5, 5))
    with Index.for_root(project, cache_dir=cache) as warm:
        assert warm.stats["chunked"] == 0


def test_overlays_shadow_the_disk_and_the_disk_comes_back(project: Path, tmp_path: Path):
    cache = tmp_path / "c"
    overlay = {str(project / "inventory" / "stock.py"): "def unsaved():\n    return 1\n", "new.py": "X = 1\n"}
    with Index.for_root(project, overlays=overlay, cache_dir=cache) as index:
        assert [c.symbol for c in index.chunks("inventory/stock.py")] == ["unsaved"]
        assert index.chunk("new.py::X") is not None
    with Index.for_root(project, cache_dir=cache) as index:
        assert index.chunk("inventory/stock.py::unsaved") is None
        assert index.chunk("inventory/stock.py::Stock") is not None
        assert index.chunk("new.py::X") is None


def test_an_unparsable_file_never_breaks_the_index(project: Path, tmp_path: Path):
    (project / "broken.py").write_bytes(b"def f(:\n  \xff\xfe return\nclass\n")
    with Index.for_root(project, cache_dir=tmp_path / "c") as index:
        assert index.chunks("broken.py")
        assert index.chunk("inventory/stock.py::total") is not None
