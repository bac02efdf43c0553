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
