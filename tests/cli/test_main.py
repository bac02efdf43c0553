"""`untilgreen.cli.main` itself: the one place every subcommand's errors end as one sentence."""

from __future__ import annotations

import importlib

import pytest

from untilgreen.cli import main
from untilgreen.errors import EXIT_CANCELLED


def test_ctrl_c_while_the_subcommands_import_is_a_cancel_not_a_traceback(monkeypatch, capsys) -> None:
    def interrupted(name: str, package: str | None = None) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib, "import_module", interrupted)
    assert main(["check", "."]) == EXIT_CANCELLED
    assert capsys.readouterr().err == "untilgreen: cancelled.\n"


def test_help_still_exits_through_argparse(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("untilgreen ")
