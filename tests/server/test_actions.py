"""Code actions come from stored state: offered where they apply, and nowhere else."""

from __future__ import annotations

from lsprotocol import types

from untilgreen.server.actions import FIX_ALL_KIND, Remembered, code_actions
from untilgreen.server.cursor import enclosing_test

TEST_FILE = """\
import pytest


def helper():
    return 1


@pytest.mark.slow
def test_one():
    x = 1

    assert x


class TestGroup:
    def test_two(self):
        assert True

    def other(self):
        pass
""".splitlines()


def test_test_at_finds_the_enclosing_test_function():
    assert enclosing_test(TEST_FILE, 7) == "test_one"  # its decorator
    assert enclosing_test(TEST_FILE, 8) == "test_one"  # the def line
    assert enclosing_test(TEST_FILE, 11) == "test_one"  # in the body, after a blank line
    assert enclosing_test(TEST_FILE, 16) == "TestGroup::test_two"
    assert enclosing_test(TEST_FILE, 4) is None  # in a helper
    assert enclosing_test(TEST_FILE, 19) is None  # in a method that is not a test
    assert enclosing_test(TEST_FILE, 0) is None


def _params(line: int, diagnostics=(), only=None) -> types.CodeActionParams:
    pos = types.Position(line=line, character=0)
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri="file:///p/tests/test_a.py"),
        range=types.Range(start=pos, end=pos),
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
    )


def _diag(test_id: str, source: str = "untilgreen") -> types.Diagnostic:
    pos = types.Position(line=11, character=0)
    return types.Diagnostic(
        range=types.Range(start=pos, end=pos),
        message="m",
        source=source,
        data={"testId": test_id, "signature": "s"},
    )


def _titles(params, *, failing=False, remembered=(), versions=None) -> list[str]:
    found = code_actions(
        "file:///p/tests/test_a.py",
        "tests/test_a.py",
        TEST_FILE,
        params,
        is_test_file=True,
        failing=failing,
        remembered=list(remembered),
        versions=versions or {},
    )
    return [a.title for a in found]


def test_actions_where_they_apply():
    tid = "tests/test_a.py::test_one"
    assert _titles(_params(11, [_diag(tid)]), failing=True) == [
        "Fix until green",
        "Fix until green: test_one",
        "Fix all failing tests",
    ]
    assert _titles(_params(4)) == []  # a helper, nothing failing
    assert _titles(_params(11, [_diag(tid, source="ruff")])) == ["Fix until green: test_one"]
    assert _titles(_params(11, [_diag(tid)], only=[types.CodeActionKind.Source]), failing=True) == [
        "Fix all failing tests"
    ]


def test_quick_fix_carries_the_test_id_for_the_command():
    [quick] = code_actions(
        "file:///p/t.py",
        "t.py",
        [],
        _params(0, [_diag("t.py::test_z")]),
        is_test_file=False,
        failing=False,
        remembered=[],
        versions={},
    )
    assert quick.kind == types.CodeActionKind.QuickFix and quick.command.command == "untilgreen.fix"
    assert quick.command.arguments == [{"uri": "file:///p/t.py", "targets": ["t.py::test_z"]}]
    assert FIX_ALL_KIND.startswith(types.CodeActionKind.Source)


def test_remembered_fix_only_while_the_documents_are_as_it_was_built_for():
    tid = "tests/test_a.py::test_one"
    fix = Remembered(tid, "Apply remembered fix", types.WorkspaceEdit(), {"file:///p/pkg/a.py": 4})
    params = _params(11, [_diag(tid)])
    assert "Apply remembered fix" in _titles(params, remembered=[fix], versions={"file:///p/pkg/a.py": 4})
    assert "Apply remembered fix" not in _titles(params, remembered=[fix], versions={"file:///p/pkg/a.py": 5})


def test_continue_run_is_offered_on_our_diagnostics_after_a_run_stopped_on_its_budget():
    def found(diagnostics, stopped: str = "run-1", only=None) -> list[types.CodeAction]:
        return code_actions(
            "file:///p/t.py",
            "t.py",
            [],
            _params(0, diagnostics, only=only),
            is_test_file=False,
            failing=False,
            remembered=[],
            versions={},
            stopped=stopped,
        )

    ours = _diag("t.py::test_z")
    [fix, continued] = found([ours])
    assert continued.title == "Continue run" and continued.kind == types.CodeActionKind.QuickFix
    assert continued.command.command == "untilgreen.continueRun"
    assert continued.command.arguments == [{"runId": "run-1"}] and continued.diagnostics == [ours]
    assert [a.title for a in found([ours], stopped="")] == ["Fix until green"]  # nothing stopped
    assert found([_diag("t.py::test_z", source="ruff")]) == []  # nobody else's diagnostics
    assert found([ours], only=[types.CodeActionKind.Source]) == []
