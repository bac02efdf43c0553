"""A warm worker that gives no verdict hands the project to cold runs, and the run says so; a search that finds
nothing says what it tried, also before the model is asked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.projects import block
from tests.support.scripted_llm import ScriptedLLM
from untilgreen.agent import RunRequest, run
from untilgreen.protocol import Event, Notice
from untilgreen.settings import build

CORPUS = Path(__file__).parents[2] / "benchmarks" / "corpus"

# A real pattern: the suite insists on being started by pytest's own entry point (as its CI does), which the warm
# worker is not; a plain `python -m pytest` run is.
STRICT_ENTRY_CONFTEST = """\
    import os
    import sys

    def pytest_configure(config):
        if os.path.basename(os.path.dirname(sys.argv[0])) != "pytest" and not sys.argv[0].endswith("pytest"):
            raise RuntimeError("start this suite with pytest, not " + os.path.basename(sys.argv[0]))
    """


def _shop(root: Path, conftest: str = "") -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "shop.py").write_text("def total(prices, tax):\n    return sum(prices) - tax\n")
    (root / "tests" / "test_shop.py").write_text(
        textwrap.dedent("""\
        from shop import total

        def test_total_adds_tax():
            assert total([1, 2], 1) == 4

        def test_empty():
            assert total([], 0) == 0
        """)
    )
    if conftest:
        (root / "conftest.py").write_text(textwrap.dedent(conftest))
    return root


def _settings(tmp_path: Path, **values: object):
    return build(
        {
            "memory.path": str(tmp_path / "memory.sqlite3"),
            "sandbox.test_timeout": 5.0,
            "sandbox.timeout": 120.0,
            "attempts": 2,
            **values,
        }
    )


def test_a_warm_worker_without_verdicts_falls_back_to_cold_runs_and_says_so(tmp_path: Path) -> None:
    root = _shop(tmp_path / "shop", STRICT_ENTRY_CONFTEST)
    events: list[Event] = []
    result = run(RunRequest(root, settings=_settings(tmp_path)), events.append)
    notices = [e.message for e in events if isinstance(e, Notice) and e.level == "warning"]
    assert result.green and result.repairer == "builtin", result.message
    assert len(notices) == 1, notices
    assert "warm test worker gave no verdict" in notices[0]
    assert "RuntimeError: start this suite with pytest" in notices[0]


def test_a_search_that_finds_nothing_says_what_it_tried_through_the_cli(tmp_path: Path) -> None:
    # A missing line: no single mutation fixes it. The whole search is 301 candidates: the run's 25 s budget
    # stops it on a loaded machine (the advice is then about time) and not on a quiet one (every candidate tried).
    root = tmp_path / "bank_account"
    shutil.copytree(CORPUS / "bank_account", root)
    flags = ["--set", f"memory.path={tmp_path / 'memory.sqlite3'}", "--set", "max_seconds=25"]
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "fix", str(root), "--json", *flags],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = json.loads(done.stdout)
    search = summary["search"]
    assert summary["stop_reason"] == "no-progress", summary
    if search["out_of_time"]:
        assert 0 < search["validated"] < search["generated"]
    else:
        assert search["validated"] == search["generated"] > 0
    assert search["locations"][0]["path"] == "ledgerbank/bank.py" and search["lines"] >= 3
    failed_on = search["failed_on"]
    assert sum(failed_on.values()) - failed_on.get("did not parse", 0) == search["validated"]
    assert "plausible" not in failed_on
    assert not search["cold_fallback"]
    said = " ".join(done.stderr.split())
    assert f"validated {search['validated']} " in said and "ledgerbank/bank.py:" in said
    advice = "--set max_seconds=" if search["out_of_time"] else "every candidate was tried"
    assert advice in said and "`--model`" in said


def test_builtin_first_says_what_the_search_tried_before_the_model_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same missing line: the built-in search finds nothing in its `builtin_seconds`, then the model (a
    # scripted OpenAI-compatible server) answers with the missing line.
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    root = tmp_path / "bank_account"
    shutil.copytree(CORPUS / "bank_account", root)
    credit = '        dst.credit(amount, f"{memo} from {source}")\n'
    fix = block("ledgerbank/bank.py", credit, '        src.debit(amount, f"{memo} to {target}")\n' + credit)
    with ScriptedLLM(fix) as llm:
        flags = [
            "--model",
            llm.model,
            "--set",
            f"api_base={llm.url}",
            "--set",
            "strategy=builtin-first",
            "--set",
            "builtin_seconds=3",
            "--set",
            f"memory.path={tmp_path / 'memory.sqlite3'}",
        ]
        done = subprocess.run(
            [sys.executable, "-m", "untilgreen", "fix", str(root), "--json", *flags],
            capture_output=True,
            text=True,
            timeout=600,
        )
        # the fix, then its fix card's words (unscripted: the card keeps its plain text)
        asked = len(llm.requests)
    summary = json.loads(done.stdout)
    search = summary["search"]
    assert summary["green"] and summary["repairer"] == llm.model and asked == 2, (summary, done.stderr[-999:])
    if search["out_of_time"]:
        assert 0 < search["validated"] < search["generated"]
    else:
        assert search["validated"] == search["generated"] > 0
    said = " ".join(done.stderr.split())
    assert said.count("repairer found nothing to propose") == 1, said
    assert f"validated {search['validated']} " in said and "ledgerbank/bank.py:" in said
    assert f"ran out; asking {llm.model} next" in said and "`--model`" not in said
