from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from untilgreen.cli import context as context_command


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    context_command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["context", *argv])


def test_arguments_and_defaults():
    args = parse(["--test", "a::b", "--test", "a::c", "--json"])
    assert (args.path, args.tests, args.budget, args.json) == (".", ["a::b", "a::c"], 6000, True)
    assert parse(["proj", "--budget", "100"]).budget == 100


@pytest.mark.slow
def test_json_lists_the_ranked_chunks(project: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    test_id = "tests/test_stock.py::test_reorder_needed_at_threshold"
    args = parse([str(project), "--test", test_id, "--json", "--set", f"python={sys.executable}"])
    assert args.handler(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"chunks", "tokens"} and out["tokens"] > 0
    top = out["chunks"][0]
    assert set(top) == {"id", "path", "symbol", "start", "end", "score", "why"}
    assert (top["symbol"], top["path"], top["start"], top["end"]) == (
        "Stock.reorder_needed",
        "inventory/stock.py",
        13,
        15,
    )
    assert "Ochiai" in top["why"]


def test_the_whole_suite_runs_for_contrast_and_uncollected_targets_run_after():
    from untilgreen.sandbox.results import Failure, TestReport

    calls: list[object] = []

    def runner(workspace, test_ids, *, config, coverage):
        calls.append((test_ids, coverage))
        if test_ids is None:
            return TestReport(
                passed=["t::p"], failures=[Failure("t::f", "failed", "E", "")], coverage={"t::p": {}}
            )
        return TestReport(failures=[Failure("x::g", "failed", "E", "")], coverage={"x::g": {"a.py": [1]}})

    report = context_command.suite_report(None, ["t::f"], None, runner)
    assert calls == [(None, True)] and report.passed == ["t::p"]
    report = context_command.suite_report(None, ["t::f", "x::g"], None, runner)
    assert calls[1:] == [(None, True), (["x::g"], True)]
    assert report.failed_ids == ["t::f", "x::g"] and set(report.coverage) == {"t::p", "x::g"}


@pytest.mark.slow
def test_a_named_test_is_contrasted_with_the_passing_ones(project: Path, tmp_path: Path, monkeypatch, capsys):
    """A passing test runs the buggy line too, so its Ochiai is 1/sqrt(2), not the 1.00 of running one test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tests = project / "tests" / "test_stock.py"
    tests.write_text(
        tests.read_text() + "\n\ndef test_plenty():\n    assert not Stock('b', 9, 2).reorder_needed()\n"
    )
    test_id = "tests/test_stock.py::test_reorder_needed_at_threshold"
    args = parse([str(project), "--test", test_id, "--json", "--set", f"python={sys.executable}"])
    assert args.handler(args) == 0
    top = json.loads(capsys.readouterr().out)["chunks"][0]
    assert top["symbol"] == "Stock.reorder_needed" and "Ochiai 0.71 at line 15" in top["why"]
