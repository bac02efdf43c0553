"""A second real LSP client: Neovim headless (0.7 API: vim.lsp.start_client) lists our code actions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.editor import write_project

INIT = Path(__file__).with_name("neovim_init.lua")


def test_neovim_lists_the_code_actions(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail(
            "nvim is not installed; install the Debian package `neovim` (scripts/install-system-deps.sh)."
        )
    root = write_project(tmp_path / "project")
    out = tmp_path / "actions.txt"
    env = {
        **os.environ,
        "UG_ROOT": str(root),
        "UG_FILE": str(root / "tests/test_grading.py"),
        "UG_OUT": str(out),
        "UG_CMD": "\t".join([sys.executable, "-m", "untilgreen", "lsp"]),
        "XDG_STATE_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [nvim, "--headless", "-u", str(INIT)], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.is_file(), done.stderr
    assert out.read_text().splitlines() == ["Fix until green: test_exactly_the_threshold_passes"]
