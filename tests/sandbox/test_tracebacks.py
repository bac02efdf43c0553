from pathlib import Path

from untilgreen.sandbox.tracebacks import parse_tracebacks

UNITTEST_OUTPUT = """\
..F
======================================================================
FAIL: test_total (tests.test_cart.CartTest.test_total)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "{root}/tests/test_cart.py", line 9, in test_total
    self.assertEqual(cart.total(), 30)
  File "{root}/shop/cart.py", line 14, in total
    return sum(self._prices()) - 1
AssertionError: 29 != 30

======================================================================
ERROR: test_empty (tests.test_cart.CartTest.test_empty)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "{root}/tests/test_cart.py", line 12, in test_empty
    Cart().average()
  File "/usr/lib/python3.11/statistics.py", line 430, in mean
    raise StatisticsError('mean requires at least one data point')
statistics.StatisticsError: mean requires at least one data point

----------------------------------------------------------------------
Ran 3 tests in 0.001s

FAILED (failures=1, errors=1)
"""


def test_unittest_output_gives_one_failure_per_traceback(tmp_path: Path):
    failures = parse_tracebacks(UNITTEST_OUTPUT.format(root=tmp_path), tmp_path, "python -m unittest")
    assert [f.test_id for f in failures] == [
        "tests.test_cart.CartTest.test_total",
        "tests.test_cart.CartTest.test_empty",
    ]
    first, second = failures
    assert (first.exc_type, first.message) == ("AssertionError", "29 != 30")
    assert [(f.file, f.line, f.function, f.in_project) for f in first.frames] == [
        ("tests/test_cart.py", 9, "test_total", True),
        ("shop/cart.py", 14, "total", True),
    ]
    assert second.exc_type == "StatisticsError"
    assert second.frames[-1].in_project is False and second.frames[-1].file.endswith("statistics.py")


def test_script_output_without_test_names_uses_the_command(tmp_path: Path):
    output = (
        "Traceback (most recent call last):\n"
        f'  File "{tmp_path}/run.py", line 3, in <module>\n'
        "    main()\n"
        "KeyError: 'price'\n"
        "Traceback (most recent call last):\n"
        f'  File "{tmp_path}/run.py", line 5, in <module>\n'
        "ValueError: bad\n"
    )
    failures = parse_tracebacks(output, tmp_path, "make test")
    assert [f.test_id for f in failures] == ["make test", "make test #2"]
    assert failures[0].message == "'price'"


def test_output_without_tracebacks_gives_nothing(tmp_path: Path):
    assert parse_tracebacks("all good\nError: not a python traceback\n", tmp_path, "x") == []
