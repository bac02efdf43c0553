"""The extension in a real VS Code (code-server driven by Chromium): packages the .vsix (with the untilgreen wheel
inside), installs it, and fixes a failing test from the lightbulb with the built-in repairer. Screenshots of every
step go to test-output/vscode-e2e/."""

from __future__ import annotations

import pytest

from tests.client.vscode import CLIENT, npm


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_fix_until_green_in_vscode() -> None:
    npm("package")
    assert (CLIENT / "untilgreen.vsix").is_file()
    npm("test", cwd=CLIENT / "e2e", timeout=600)
