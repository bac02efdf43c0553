"""The extension in a real VS Code (code-server driven by Chromium): packages the .vsix (with the untilgreen wheel
inside), installs it, and fixes a failing test from the lightbulb with the built-in repairer. Screenshots of every
step go to test-output/vscode-e2e/."""

from __future__ import annotations

import warnings

import pytest

from tests.client.vscode import CLIENT, npm


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_fix_until_green_in_vscode() -> None:
    npm("package")
    assert (CLIENT / "untilgreen.vsix").is_file()
    try:
        npm("test", cwd=CLIENT / "e2e", timeout=600)
    except AssertionError as first:
        # A browser driving a real workbench can lose a click to a re-render; one fresh run decides. A second
        # failure fails the test with its own output.
        warnings.warn(
            f"the VS Code end-to-end run failed once and was run again:\n{str(first)[-2000:]}", stacklevel=1
        )
        npm("test", cwd=CLIENT / "e2e", timeout=600)
