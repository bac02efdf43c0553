"""Fix cards in the model's words: after a model's green patch, one short call (to the fast model when there is
one) writes the card's summary and root cause; a failed call, a spent budget or the built-in repairer's patch
keeps the card's plain text, and the run stays green. Real litellm against a scripted server, real memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agent.conftest import TARGET, Events, request_for
from tests.agent.test_llm_loop import no_provider_key, request  # noqa: F401 - an autouse fixture
from tests.support.projects import FailingProject, failing_project
from tests.support.scripted_llm import GARBLED, Reply, ScriptedLLM, Status, Turn, when
from untilgreen.agent import run
from untilgreen.memory import FixCard, Store
from untilgreen.models.llm.litellm_import import litellm_module
from untilgreen.protocol import Notice, RunFinished

SUMMARY = "The discount divided the percentage by 10 instead of 100."
ROOT_CAUSE = (
    "apply_discount read the percent as tenths, so 10 percent took the whole price off. "
    "Dividing by 100 turns the percent into the right fraction."
)
CARD = f"SUMMARY: {SUMMARY}\nROOT CAUSE: {ROOT_CAUSE}"
MECHANICAL = "The discount divides by 10 instead of 100."  # the first line of the right fix's explanation


def card_turn(project: FailingProject, then: Turn) -> Turn:
    """`then` only for a card prompt holding the failure and the green patch."""
    return when(
        contains=["SUMMARY:", "ROOT CAUSE:", project.failure_message, "percent / 100"],
        then=then,
        otherwise=Status(500, message="not a card prompt"),
    )


def cards(tmp_path: Path, run_id: str) -> list[FixCard]:
    """The fix cards stored for the failures of run `run_id`."""
    with Store.open(tmp_path / "memory.sqlite3") as store:
        detail = store.run(run_id)
        assert detail is not None and detail.signatures
        return [r.card for sig in detail.signatures for r in store.search(sig) if r.card.run_id == run_id]


def price(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    return float(sum(litellm_module().cost_per_token(model, prompt_tokens, completion_tokens)))


def test_the_fast_model_writes_the_card_and_its_cost_is_the_runs(tmp_path: Path) -> None:
    project = failing_project(tmp_path)
    events = Events()
    script = (
        project.judge(then=Reply(project.right_fix, 1000, 100)),
        card_turn(project, Reply(CARD, 400, 60)),
    )
    with ScriptedLLM(*script) as llm:
        # escalate_after 0: the strong model fixes from the first attempt, the fast one only writes cards
        settings = {"model": "openai/gpt-4o", "fast_model": "openai/gpt-4o-mini", "escalate_after": 0}
        result = run(request(project, llm.url, tmp_path, **settings), events)
    assert result.green, (result.message, [r.notes for r in llm.requests])
    assert [r.body["model"] for r in llm.requests] == ["gpt-4o", "gpt-4o-mini"], [
        r.notes for r in llm.requests
    ]
    assert llm.requests[1].body["max_tokens"] > 0
    assert result.tokens == 1000 + 100 + 400 + 60
    assert result.cost_usd == pytest.approx(price("gpt-4o", 1000, 100) + price("gpt-4o-mini", 400, 60))
    finished = events.of(RunFinished)[0]
    assert (finished.tokens, finished.cost_usd) == (result.tokens, result.cost_usd)

    [card] = cards(tmp_path, result.run_id)
    assert (card.summary, card.root_cause) == (f"[openai/gpt-4o] {SUMMARY}", ROOT_CAUSE)
    with Store.open(tmp_path / "memory.sqlite3") as store:
        detail = store.run(result.run_id)
    assert detail is not None
    summary = detail.summary
    assert (summary.attempts, summary.tokens_in + summary.tokens_out) == (1, result.tokens)
    assert summary.cost == pytest.approx(result.cost_usd)
    assert [(a.outcome, a.model) for a in detail.attempts] == [
        ("green", "openai/gpt-4o"),
        ("fix-card", "openai/gpt-4o-mini"),
    ]


@pytest.mark.parametrize(
    "reply",
    [Status(500), GARBLED, "", "The fix changes the divisor."],
    ids=["http-500", "garbled", "empty", "not-the-form"],
)
def test_a_failed_card_call_keeps_the_plain_card_and_the_green_run(tmp_path: Path, reply: Turn) -> None:
    project = failing_project(tmp_path)
    events = Events()
    with ScriptedLLM(project.judge(), card_turn(project, reply)) as llm:
        result = run(request(project, llm.url, tmp_path), events)
    assert result.green and len(llm.requests) == 2, [(r.answer, r.notes) for r in llm.requests]
    [card] = cards(tmp_path, result.run_id)
    assert card.summary == f"[openai/scripted] {MECHANICAL}"
    assert card.root_cause.startswith(MECHANICAL)
    notices = events.of(Notice)
    assert {n.level for n in notices} == {"info"}
    assert any(n.message.startswith("The fix card keeps its plain text") for n in notices)


@pytest.mark.parametrize(
    ("max_cost_usd", "card_written"),
    [(0.0035, False), (0.0036, False), (1.0, True)],
    ids=["spent", "too-small", "enough"],
)
def test_the_cost_budget_decides_whether_the_card_call_is_made(
    tmp_path: Path, max_cost_usd: float, card_written: bool
) -> None:
    project = failing_project(tmp_path)
    # the repair call costs $0.0035 with gpt-4o; the card call could cost about a quarter of a cent more
    events = Events()
    script = (project.judge(then=Reply(project.right_fix, 1000, 100)), card_turn(project, CARD))
    with ScriptedLLM(*script) as llm:
        values = {"model": "openai/gpt-4o", "max_cost_usd": max_cost_usd}
        result = run(request(project, llm.url, tmp_path, **values), events)
    assert result.green and len(llm.requests) == (2 if card_written else 1), result.message
    [card] = cards(tmp_path, result.run_id)
    assert card.summary == f"[openai/gpt-4o] {SUMMARY if card_written else MECHANICAL}"
    budget_notices = [n for n in events.of(Notice) if "`max_cost_usd`" in n.message]
    assert [n.level for n in budget_notices] == ([] if card_written else ["info"])


def test_the_builtin_repairers_card_keeps_its_text_and_no_model_is_called(shop: Path, tmp_path: Path) -> None:
    with ScriptedLLM(CARD, CARD) as llm:
        settings = {"model": "openai/scripted", "api_base": llm.url, "targets": [TARGET]}
        result = run(request_for(shop, tmp_path, **settings), Events())
    assert result.green and result.repairer == "builtin", result.message
    assert llm.requests == []
    [card] = cards(tmp_path, result.run_id)
    assert card.summary.startswith("[builtin:") and SUMMARY not in card.summary + card.root_cause
