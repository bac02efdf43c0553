"""Traces of real runs, sent over OTLP/HTTP to a receiver started by the test and decoded from protobuf: the tree
of spans of `untilgreen fix` with a model (joining the trace of the process that started it, as the language
server's worker does), of an eval (one trace), and nothing at all — not even an import — when tracing is off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.agent.conftest import SHOP, SHOP_BUG, write_tree
from tests.support.otlp import OtlpReceiver, Span
from tests.support.projects import failing_project
from tests.support.scripted_llm import ScriptedLLM
from untilgreen.settings import build
from untilgreen.telemetry.tracing import endpoint

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
CARD = "SUMMARY: divide the percentage by 100\nROOT CAUSE: the discount divided by 10, not by 100.\n"


def untilgreen(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "untilgreen", *args, **env)


def python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a process of its own, without tracing or provider variables but those of `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TRACEPARENT", "OPENAI_"))}
    done = subprocess.run(
        [sys.executable, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done


def attributes(span: Span, *keys: str) -> tuple[object, ...]:
    return tuple(span.attributes.get(key) for key in keys)


def test_a_fix_with_a_model_is_one_tree_in_the_trace_of_its_starter(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    with OtlpReceiver() as receiver, ScriptedLLM(project.right_fix, CARD) as llm:
        done = untilgreen(
            "fix", str(project.root), "--model", llm.model, "--api-base", llm.url, "--json",
            "--set", "strategy=model-only", "--set", f"memory.path={tmp_path / 'memory.sqlite3'}",
            "--set", f"telemetry.otlp_endpoint={receiver.url}",
            TRACEPARENT=f"00-{TRACE_ID}-{PARENT_ID}-01",
        )  # fmt: skip
        result = json.loads(done.stdout)
    assert {s.trace_id for s in receiver.spans} == {TRACE_ID}  # one trace, across the process boundary
    run = receiver.one("untilgreen.run")
    assert run.parent_id == PARENT_ID
    assert attributes(run, "untilgreen.mode", "untilgreen.project.root", "untilgreen.run.outcome") == (
        "fix",
        str(project.root),
        "green",
    )
    assert attributes(run, "untilgreen.run.attempts", "untilgreen.tokens", "untilgreen.run.id") == (
        1,
        result["tokens"],
        result["run_id"],
    )
    assert [s.name for s in receiver.children(run)] == [
        "untilgreen.phase.baseline",
        "untilgreen.phase.recall",
        "untilgreen.attempt",
    ]
    baseline, recall, attempt = receiver.children(run)
    tests = receiver.children(baseline, "untilgreen.tests")
    assert attributes(
        tests[0], "untilgreen.tests.phase", "untilgreen.tests.passed", "untilgreen.tests.failed"
    ) == (
        "baseline",
        2,
        1,
    )
    assert [s.name for s in receiver.children(recall)] == ["untilgreen.memory.recall"]
    assert attributes(attempt, "untilgreen.attempt.number", "untilgreen.attempt.source") == (1, llm.model)
    assert attempt.attributes["untilgreen.attempt.outcome"] == "green"
    phases = {s.name.rpartition(".")[2]: s for s in receiver.children(attempt)}
    assert list(phases) == ["localize", "propose", "validate", "final-check"]
    assert phases["localize"].attributes["untilgreen.context.chunks"] > 0
    [call] = receiver.children(phases["propose"])
    assert call.name == "chat scripted"
    assert attributes(call, "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.system") == (
        "chat",
        "scripted",
        "openai",
    )
    assert (
        call.attributes["gen_ai.usage.input_tokens"] > 0 and call.attributes["gen_ai.usage.output_tokens"] > 0
    )
    checked = [t.attributes["untilgreen.tests.phase"] for t in receiver.children(phases["validate"])]
    assert checked[0] == "targets"
    [final] = receiver.children(phases["final-check"], "untilgreen.tests")
    assert final.attributes["untilgreen.tests.passed"] == 3
    # the fix card's words: one more model call, after the winner's whole-suite check
    assert [s.name for s in receiver.spans].count("chat scripted") == 2
    for span in receiver.spans:  # every child lies within its parent
        up = next((s for s in receiver.spans if s.span_id == span.parent_id), None)
        assert up is None or up.start_ns <= span.start_ns <= span.end_ns <= up.end_ns, (span.name, up.name)


def test_an_eval_is_one_trace(tmp_path: Path) -> None:
    write_tree(tmp_path / "corpus" / "shop", {**SHOP, "bug.toml": SHOP_BUG})
    with OtlpReceiver() as receiver:
        untilgreen(
            "eval", str(tmp_path / "corpus"), "--model", "builtin", "--runs", "2", "--jobs", "2", "--json",
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        )  # fmt: skip
    evaluation = receiver.one("untilgreen.eval")
    assert evaluation.parent_id == "" and {s.trace_id for s in receiver.spans} == {evaluation.trace_id}
    runs = receiver.children(evaluation)
    assert [(s.name, s.attributes["untilgreen.run.outcome"]) for s in runs] == [
        ("untilgreen.run", "green")
    ] * 2
    assert evaluation.attributes["untilgreen.eval.runs"] == 2


def test_a_fix_all_is_one_trace(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_tree(tmp_path / name, SHOP)
    with OtlpReceiver() as receiver:
        python(
            "-c", "import sys\nfrom untilgreen.cli import main\nmain(sys.argv[1:])",
            "fix-all", str(tmp_path / "a"), str(tmp_path / "b"), "--model", "builtin", "--json",
            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        )  # fmt: skip
    command = receiver.one("untilgreen.fix-all")
    assert command.parent_id == "" and {s.trace_id for s in receiver.spans} == {command.trace_id}
    runs = receiver.children(command, "untilgreen.run")
    assert [s.attributes["untilgreen.run.outcome"] for s in runs] == ["green", "green"]
    assert command.attributes["untilgreen.fix_all.projects"] == 2


GREEN = {
    "calc.py": "def add(a, b):\n    return a + b\n",
    "test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
}
RUN = """
import sys
from pathlib import Path
from untilgreen.agent import RunRequest, run
from untilgreen.settings import build

result = run(RunRequest(Path(sys.argv[1]), settings=build({"memory.path": sys.argv[2]})))
print(result.stop_reason, sorted({m.partition(".")[0] for m in sys.modules if m.startswith("opentelemetry")}))
"""


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({}, ""),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"},
            "traces cannot be sent to http://127.0.0.1:9/v1",
        ),
    ],
    ids=["off", "collector-down"],
)
def test_a_run_without_tracing_imports_nothing_and_a_down_collector_only_warns(
    tmp_path: Path, env: dict[str, str], said: str
) -> None:
    root = write_tree(tmp_path / "green", GREEN)
    done = python("-c", RUN, str(root), str(tmp_path / "memory.sqlite3"), **env)
    stop_reason, _, imported = done.stdout.strip().partition(" ")
    assert stop_reason == "already-green"
    assert imported == ("['opentelemetry']" if env else "[]")
    assert done.stderr.count("untilgreen:") == (1 if said else 0) and said in done.stderr, done.stderr


RAY_LIKE = """
import sys
from untilgreen.settings import build
from untilgreen.telemetry import attach, current_traceparent
from untilgreen.telemetry.spans import command_span
from untilgreen.telemetry.tracing import shutdown

with attach(sys.argv[1]), command_span(build({"telemetry.otlp_endpoint": sys.argv[2]}), "task", {}):
    print(current_traceparent())
shutdown()
"""


def test_a_task_given_a_traceparent_joins_its_trace_and_hands_on_its_own() -> None:
    with OtlpReceiver() as receiver:
        done = python("-c", RAY_LIKE, f"00-{TRACE_ID}-{PARENT_ID}-01", receiver.url)
    task = receiver.one("task")
    assert (task.trace_id, task.parent_id) == (TRACE_ID, PARENT_ID)
    assert done.stdout.strip() == f"00-{TRACE_ID}-{task.span_id}-01"


MISSING = """
import sys
sys.modules["opentelemetry"] = None  # as if the telemetry extra were not installed
from untilgreen.settings import build
from untilgreen.telemetry.tracing import start
print(start(build({"telemetry.otlp_endpoint": "http://127.0.0.1:9"})))
"""


def test_tracing_without_the_extra_says_how_to_install_it_once() -> None:
    done = python("-c", MISSING)
    assert done.stdout.strip() == "None"
    assert done.stderr.count("pip install untilgreen[telemetry]") == 1, done.stderr


@pytest.mark.parametrize(
    ("setting", "env", "url"),
    [
        ("", {}, ""),
        (
            "http://collector:4318/",
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318"},
            "http://collector:4318/v1/traces",
        ),
        ("", {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318"}, "http://other:4318/v1/traces"),
        ("", {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://t:1/x"}, "http://t:1/x"),
    ],
)
def test_the_endpoint(monkeypatch: pytest.MonkeyPatch, setting: str, env: dict[str, str], url: str) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", *env):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert endpoint(build({"telemetry.otlp_endpoint": setting})) == url
