"""Diagnostics: where failures show, and one merged set per file across layers."""

from __future__ import annotations

from lsprotocol import types

from untilgreen.server.diagnostics import (
    RUN,
    TESTS,
    DiagnosticSets,
    FailureInfo,
    failure_diagnostics,
    info_diagnostics,
)

FAILURE = FailureInfo(
    test_id="tests/test_a.py::test_x",
    kind="failed",
    message="ZeroDivisionError: division by zero\nmore",
    signature="ZeroDivisionError: division by zero | ratio",
    frames=(("tests/test_a.py", 5, "test_x"), ("pkg/a.py", 12, "ratio")),
)
LINES = {("tests/test_a.py", 4): "    assert ratio(1, 0) == 0", ("pkg/a.py", 11): "\treturn 'é😀' / b"}


def line_text(rel: str, line: int) -> str | None:
    return LINES.get((rel, line))


def test_failure_shows_at_the_assertion_and_at_the_deepest_project_frame():
    by_file = failure_diagnostics([FAILURE], line_text)
    [in_test], [in_source] = by_file["tests/test_a.py"], by_file["pkg/a.py"]
    assert in_test.message == "ZeroDivisionError: division by zero" and in_test.code == "failed"
    assert (in_test.range.start.line, in_test.range.start.character, in_test.range.end.character) == (
        4,
        4,
        27,
    )
    assert in_test.data == {"testId": FAILURE.test_id, "signature": FAILURE.signature}
    assert in_source.message.endswith("(in tests/test_a.py::test_x)")
    assert (in_source.range.start.character, in_source.range.end.character) == (1, 17)  # UTF-16 columns


def test_a_collection_error_without_frames_marks_the_first_line():
    failure = FailureInfo("tests/test_b.py", "collection", "SyntaxError: bad", "SyntaxError: bad")
    [diag] = failure_diagnostics([failure], line_text)["tests/test_b.py"]
    assert diag.range.start.line == 0 and diag.message == "SyntaxError: bad"


def test_layers_merge_per_file_and_only_changed_files_are_published():
    sent: list[tuple[str, int]] = []
    sets = DiagnosticSets(lambda uri, diags: sent.append((uri, len(diags))), lambda rel: "file:///p/" + rel)
    sets.replace(TESTS, failure_diagnostics([FAILURE], line_text))
    assert sorted(sent) == [("file:///p/pkg/a.py", 1), ("file:///p/tests/test_a.py", 1)]
    sent.clear()
    sets.add(RUN, info_diagnostics({"pkg/a.py": [[12, 13]]}, "attempt 1/4: still failing"))
    assert sent == [("file:///p/pkg/a.py", 2)]  # the failing-test diagnostic is kept
    [attempt] = [d for d in sets.merged("pkg/a.py") if d.severity == types.DiagnosticSeverity.Information]
    assert (attempt.range.start.line, attempt.range.end.line) == (11, 13)
    sent.clear()
    sets.replace(RUN, info_diagnostics({"pkg/a.py": [[12, 12]]}, "green after 1 attempt"))
    assert sent == [("file:///p/pkg/a.py", 2)]
    sent.clear()
    sets.replace(TESTS, {})
    assert sorted(sent) == [("file:///p/pkg/a.py", 1), ("file:///p/tests/test_a.py", 0)]


def test_a_check_of_a_function_id_replaces_the_diagnostics_of_its_parametrized_cases():
    from untilgreen.server.checks import in_selection

    case = "tests/test_a.py::test_x[1-2]"
    assert in_selection(case, ["tests/test_a.py::test_x"]) and in_selection(case, ["tests"])
    assert not in_selection(case, ["tests/test_a.py::test_xy"]) and not in_selection(
        case, ["tests/test_b.py"]
    )
