from __future__ import annotations

from pathlib import Path

from untilgreen.context import Index
from untilgreen.context.model import Chunk
from untilgreen.context.testslice import purified, sliced
from untilgreen.sandbox.results import Failure, Frame, TestReport

TEST = """\
def test_retry_goes_to_the_back(tmp_path):
    q = RetryingQueue()
    calls = []
    other = make_other()
    assert other.ready()

    def sometimes(payload):
        calls.append(payload)

    for n in (1, 2, 3):
        q.put("job", n=n)
    q.run({"job": sometimes})
    assert calls == [1, 2, 3, 1]
    assert other.done()
"""


def chunk(text: str, path: str = "tests/test_q.py", start: int = 10) -> Chunk:
    return Chunk(f"{path}::t", path, "t", "function", start, start + text.count("\n") - 1, text)


def test_the_slice_keeps_what_the_failing_assertion_depends_on():
    kept = sliced(chunk(TEST), 10 + 12)  # `assert calls == ...`
    assert kept.split("\n") == [
        "(tmp_path)",  # fixtures are set up before the test runs
        "q = RetryingQueue()",
        "calls = []",
        "def sometimes(payload):",
        "        calls.append(payload)",
        "for n in (1, 2, 3) :",
        'q.put("job", n=n)',
        'q.run({"job": sometimes})',
        "assert calls == [1, 2, 3, 1]",
    ]  # not `other`: an unrelated variable, an earlier (passed) assertion, a line that never ran


def test_a_failure_outside_the_body_keeps_the_whole_test():
    assert sliced(chunk(TEST), 10) == TEST


def test_other_languages_keep_the_lines_up_to_the_failure():
    text = "test('x', () => {\n  const a = make();\n  expect(a.b()).toBe(1);\n  expect(a.c()).toBe(2);\n});"
    assert sliced(chunk(text, "tests/x.test.js", 1), 3).splitlines()[-1] == "  expect(a.b()).toBe(1);"


def test_purified_slices_at_the_deepest_frame_inside_the_test():
    test = chunk(TEST)
    frames = [Frame("tests/test_q.py", 22, "t"), Frame("jobs/queue.py", 5, "run")]
    failure = Failure("tests/test_q.py::t", "failed", "AssertionError", "", frames)
    [narrowed] = purified([test], [failure])
    assert "other" not in narrowed.text and "calls" in narrowed.text
    unlocated = Failure("tests/test_q.py::t", "timeout", "TestTimeout", "", [])
    assert purified([test], [unlocated]) == [test]


def test_names_outside_the_failing_assertions_slice_are_not_references(project: Path, tmp_path: Path):
    (project / "tests" / "test_two.py").write_text(
        "from inventory.stock import Stock, total\n\n\n"
        "def test_two():\n"
        "    stock = Stock('a', 5, 5)\n"
        "    assert total([stock]) == 5\n"
        "    assert stock.reorder_needed()\n"
    )
    failing = "tests/test_two.py::test_two"
    failure = Failure(failing, "failed", "AssertionError", "", [Frame("tests/test_two.py", 6, "test_two")])
    with Index.for_root(project, cache_dir=tmp_path / "c") as index:
        reasons = {c.symbol: c.why for c in index.localize(TestReport(failures=[failure])).ranked}
    assert "`total` is used by test_two" in reasons["total"]
    assert "`Stock` is used by test_two" in reasons["Stock"]
    assert "used by" not in reasons.get("Stock.reorder_needed", "")  # after the failing line: never ran
