"""The real fix loop with each provider's wire format: a rate limit, a wrong fix, then green, with tokens and cost.

The judge answers the right fix only for a prompt holding the failing test, the failure and the wrong fix's
outcome, so green through the Anthropic or Ollama API proves the prompts survive each provider's translation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agent.conftest import Events
from tests.agent.test_llm_loop import outcomes, request
from tests.support.projects import FailingProject, failing_project
from tests.support.scripted_llm import ANTHROPIC, OLLAMA, PROVIDER_KEY, PROVIDERS, Reply, ScriptedLLM, Status
from untilgreen.agent import run
from untilgreen.cli import main
from untilgreen.protocol import AttemptProposed, ModelProgress, PhaseChanged


@pytest.fixture(autouse=True)
def provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", PROVIDER_KEY)
    monkeypatch.setenv("OPENROUTER_API_KEY", PROVIDER_KEY)


@pytest.mark.parametrize("name", PROVIDERS)
def test_each_provider_reaches_green_counting_tokens_and_cost(name: str, tmp_path: Path) -> None:
    model, wire, stream = PROVIDERS[name]
    project: FailingProject = failing_project(tmp_path)
    right = project.judge(then=Reply(project.right_fix, 1000, 50), after_attempt=True)
    script = (Status(429, retry_after=0.2), Reply(project.wrong_fix, 900, 40), right)
    events = Events()
    with ScriptedLLM(*script, wire=wire) as llm:
        result = run(request(project, llm.url, tmp_path, model=model, stream=stream), events)
    assert result.green, (result.message, [r.notes for r in llm.requests])
    assert outcomes(events) == ["still-failing", "green"] and result.repairer == model
    assert [r.answer for r in llm.requests][0] == "HTTP 429" and all(r.stream is stream for r in llm.requests)
    assert result.tokens == 900 + 40 + 1000 + 50
    # litellm has no price for a made-up model name (the cost is unknown), but Ollama's models cost nothing
    assert result.cost_usd == (0.0 if wire is OLLAMA else None)


def test_the_cli_says_the_price_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = failing_project(tmp_path)
    flags = ["--set", f"memory.path={tmp_path / 'memory.sqlite3'}", "--set", "strategy=model-only"]
    with ScriptedLLM(project.judge(), wire=ANTHROPIC) as llm:
        code = main(
            ["fix", str(project.root), "--model", llm.model, "--api-base", llm.url, "--dry-run", *flags]
        )
    err = capsys.readouterr().err
    assert code == 0 and "tokens, price unknown for anthropic/scripted)" in " ".join(err.split()), err


def test_a_streaming_model_tells_how_far_it_got_during_the_attempt(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    events = Events()  # each event survives the worker's JSON lines
    with ScriptedLLM(project.judge(then=Reply(project.right_fix, stream_s=1.5))) as llm:
        result = run(request(project, llm.url, tmp_path, stream=True), events)
    assert result.green, result.message
    progress = events.of(ModelProgress)
    assert len(progress) >= 3 and {(p.attempt, p.of, p.candidate) for p in progress} == {(1, 4, 0)}
    tokens, seconds = [p.tokens for p in progress], [p.elapsed_s for p in progress]
    assert tokens == sorted(tokens) and tokens[0] < tokens[-1] and seconds[-1] >= 1.3
    proposing = next(i for i, e in enumerate(events) if isinstance(e, PhaseChanged) and e.phase == "propose")
    proposed = next(i for i, e in enumerate(events) if isinstance(e, AttemptProposed))
    assert all(proposing < events.index(p) < proposed for p in progress)
