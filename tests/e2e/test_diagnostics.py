"""Failing tests become diagnostics on open and save, at the assertion and in the source; they clear when green."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.e2e.editor import BUGGY, Editor

pytestmark = pytest.mark.settings({"runOnSave": "file"})


async def test_failing_test_shows_at_the_assertion_and_clears_when_fixed(client, editor: Editor):
    editor.open("tests/test_grading.py")
    await editor.wait_until(lambda: editor.diagnostics("tests/test_grading.py"), what="test diagnostics")
    [diag] = editor.diagnostics("tests/test_grading.py")
    assert diag.source == "untilgreen" and diag.code == "failed"
    assert diag.range.start.line == 4 and diag.range.start.character == 4  # `assert passed(50)`, 0-based
    assert diag.message.startswith("AssertionError: assert False")
    assert diag.data["testId"] == "tests/test_grading.py::test_exactly_the_threshold_passes"
    assert diag.data["signature"].startswith("AssertionError")

    # Fix the source in an unsaved buffer, then save it: the tests importing it run again, with the buffer.
    fixed = BUGGY["calc/grading.py"].replace("score > threshold", "score >= threshold")
    editor.open("calc/grading.py")
    editor.change("calc/grading.py", fixed)
    editor.save("calc/grading.py")
    await editor.wait_until(
        lambda: not editor.diagnostics("tests/test_grading.py"), what="diagnostics to clear"
    )


@pytest.mark.settings({"runOnSave": "off"})
async def test_run_on_save_off_runs_nothing(client, editor: Editor):
    editor.open("tests/test_grading.py")
    with pytest.raises(AssertionError, match="timed out"):
        await editor.wait_until(lambda: client.diagnostics, timeout=3, what="no diagnostics")


@pytest.mark.init_options({"workspaceTrusted": False})
async def test_untrusted_workspace_runs_no_tests(client, editor: Editor):
    editor.open("tests/test_grading.py")
    with pytest.raises(AssertionError, match="timed out"):
        await editor.wait_until(lambda: client.diagnostics, timeout=3, what="no diagnostics")


@pytest.mark.settings({"attempts": "many"})
async def test_a_bad_setting_is_one_clear_message(client, editor: Editor):
    await editor.wait_until(lambda: client.messages, timeout=20, what="a message")
    [message] = client.messages
    assert message.type == types.MessageType.Error
    assert "`attempts`" in message.message and "whole number" in message.message
    assert "Traceback" not in message.message
