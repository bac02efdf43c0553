"""A small project with the shapes real packages' suites have, and one bug (two failing tests): a root conftest
that adds options and reads them in `pytest_configure` and `pytest_collection_modifyitems` (pytest's own
`--runslow` example, and an option without a default), a test folder conftest with an autouse fixture and a
fixture reading a data file relative to `__file__`, a sibling helper module, runtime skips, xfail, parametrize
ids, a `unittest.TestCase`, and `testpaths`/`addopts` in `pyproject.toml`.

Run `python -m tests.models.shapes_project DIR` to write it (for `benchmarks/bench_warm_worker.py --root DIR`).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

FILES = {
    "pyproject.toml": """\
        [tool.pytest.ini_options]
        testpaths = ["tests"]
        addopts = "--strict-markers -ra"
        """,
    "conftest.py": """\
        import pytest


        def pytest_addoption(parser):
            parser.addoption("--runslow", action="store_true", default=False, help="run slow tests")
            parser.addoption("--legacy-prices", action="store_true", help="use the old rounding")


        def pytest_configure(config):
            config.addinivalue_line("markers", "slow: mark test as slow to run")
            pytest.legacy_prices = config.getoption("--legacy-prices")


        def pytest_collection_modifyitems(config, items):
            if config.getoption("--runslow"):
                return
            skip_slow = pytest.mark.skip(reason="need --runslow option to run")
            for item in items:
                if "slow" in item.keywords:
                    item.add_marker(skip_slow)
        """,
    "pricing/__init__.py": """\
        from pricing.core import discount, line_total, order_total

        __all__ = ["discount", "line_total", "order_total"]
        """,
    "pricing/core.py": """\
        BULK_QUANTITY = 10
        BULK_RATE = 0.1
        _cache = {}


        def discount(quantity):
            \"\"\"The bulk discount rate for a quantity.\"\"\"
            if quantity > BULK_QUANTITY:
                return BULK_RATE
            return 0.0


        def line_total(price, quantity):
            key = (price, quantity)
            if key not in _cache:
                _cache[key] = round(price * quantity * (1 - discount(quantity)), 2)
            return _cache[key]


        def order_total(lines, shipping=0.0):
            if not lines:
                raise ValueError("an order needs at least one line")
            return round(sum(line_total(p, q) for p, q in lines) + shipping, 2)
        """,
    "tests/conftest.py": """\
        import json
        import os

        import pytest

        from pricing import core


        @pytest.fixture(autouse=True)
        def fresh_cache():
            core._cache.clear()
            yield
            core._cache.clear()


        @pytest.fixture
        def catalog():
            with open(os.path.join(os.path.dirname(__file__), "data", "catalog.json")) as handle:
                return json.load(handle)
        """,
    "tests/data/catalog.json": """\
        {"pen": 1.5, "book": 12.0, "lamp": 30.0}
        """,
    "tests/helpers.py": """\
        def order_of(catalog, **quantities):
            return [(catalog[name], quantity) for name, quantity in quantities.items()]
        """,
    "tests/test_core.py": """\
        import sys

        import pytest
        from helpers import order_of

        from pricing import discount, line_total, order_total


        @pytest.mark.parametrize("quantity, rate", [(1, 0.0), (9, 0.0), (10, 0.1), (50, 0.1)],
                                 ids=["one", "nine", "bulk-edge", "bulk"])
        def test_discount(quantity, rate):
            assert discount(quantity) == rate


        def test_line_total_at_the_bulk_edge():
            assert line_total(2.0, 10) == 18.0


        def test_order_total(catalog):
            assert order_total(order_of(catalog, pen=2, book=1), shipping=4.0) == 19.0


        def test_empty_order():
            with pytest.raises(ValueError):
                order_total([])


        def test_legacy_rounding():
            if not pytest.legacy_prices:
                pytest.skip("only with --legacy-prices")
            assert line_total(0.333, 3) == 1.0


        @pytest.mark.skipif(sys.platform == "win32", reason="no windows here")
        def test_big_order(catalog):
            assert order_total(order_of(catalog, lamp=20)) == 540.0


        @pytest.mark.xfail(reason="negative quantities are not refused yet", strict=True)
        def test_negative_quantity_is_refused():
            with pytest.raises(ValueError):
                line_total(1.0, -1)


        @pytest.mark.slow
        def test_many_orders(catalog):
            assert sum(order_total(order_of(catalog, pen=n)) for n in range(1, 200)) > 0
        """,
    "tests/test_legacy.py": """\
        import unittest

        from pricing import core


        class LegacyTotals(unittest.TestCase):
            def setUp(self):
                core._cache.clear()

            def test_small_line(self):
                self.assertEqual(core.line_total(3.0, 2), 6.0)

            def test_cache_is_used(self):
                core.line_total(1.0, 1)
                self.assertIn((1.0, 1), core._cache)

            @unittest.skip("kept for reference")
            def test_old_shipping(self):
                self.fail("never runs")
        """,
}


def write(root: Path) -> Path:
    """Write the project into `root` (created); returns `root`."""
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
