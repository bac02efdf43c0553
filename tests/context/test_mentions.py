from __future__ import annotations

from untilgreen.context.mentions import mentioned_locations
from untilgreen.sandbox.results import Failure, TestReport

COLLECTION = """\
/venv/lib/python3.11/site-packages/_pytest/python.py:498: in importtestmodule
    mod = import_path(
tests/test_stock.py:3: in <module>
    from inventory.stock import Stock
E     File "/tmp/shadow-x1/inventory/stock.py", line 15
E       return self.quantity < = self.threshold
E   SyntaxError: invalid syntax
"""


def test_locations_named_in_text_resolve_to_indexed_paths():
    paths = {"inventory/stock.py", "tests/test_stock.py", "stock.py"}
    assert mentioned_locations(COLLECTION, paths) == [("tests/test_stock.py", 3), ("inventory/stock.py", 15)]


def test_collection_errors_are_localized_from_the_text(index):
    failure = Failure("tests/test_stock.py", "collection", "CollectError", COLLECTION)
    context = index.localize(TestReport(failures=[failure]))
    assert context.ranked[0].symbol == "Stock.reorder_needed"
    assert "deepest project frame of tests/test_stock.py (CollectError at line 15)" in context.ranked[0].why
