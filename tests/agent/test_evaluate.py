"""The eval harness over a small corpus: independent runs on copies, pass@k, per-class table, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agent.conftest import RIGHT, SHOP, SHOP_BUG, WRONG, Scripted, candidate, write_tree
from untilgreen.agent.evaluate import evaluate, load_corpus, pass_at_k
from untilgreen.cli import main
from untilgreen.settings import build


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_tree(tmp_path / "corpus" / "shop", {**SHOP, "bug.toml": SHOP_BUG})
    return tmp_path / "corpus"


def test_pass_at_k() -> None:
    assert pass_at_k(3, 0, 1) == 0.0 and pass_at_k(3, 3, 1) == 1.0
    assert pass_at_k(3, 1, 1) == pytest.approx(1 / 3) and pass_at_k(3, 1, 3) == 1.0
    assert pass_at_k(4, 2, 2) == pytest.approx(1 - 1 / 6)


def test_evaluate_runs_independent_copies(corpus: Path, tmp_path: Path) -> None:
    projects = load_corpus(corpus)
    assert [(p.name, p.bug_class) for p in projects] == [("shop", "comparison-operator")]
    scripts = iter([Scripted([candidate(WRONG)], [candidate(WRONG)]), Scripted([candidate(RIGHT)])])
    report = evaluate(projects, build({"attempts": 2}), runs=2, repairers=lambda project: [next(scripts)])
    summary = report.summary()
    assert [s.green for s in report.samples] == [False, True]
    assert (summary["pass@1"], summary["pass@2"], summary["runs"]) == (0.5, 1.0, 2)
    assert summary["repeated_mistake_rate"] == 0.333  # the second WRONG was a repeat
    assert set(report.by_class()) == {"comparison-operator"}
    assert "if total > 100" in (corpus / "shop/shop/pricing.py").read_text()  # the corpus is never edited


def test_eval_command_with_the_builtin_repairer(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(corpus), "--model", "builtin", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "builtin" and data["summary"]["pass@1"] == 1.0
    # the built-in repairer is free: each green cost nothing, and no model tokens were spent
    assert (data["summary"]["cost_per_green_usd"], data["summary"]["tokens_per_green"]) == (0.0, 0)
    assert data["samples"][0]["repairer"] == "builtin"
