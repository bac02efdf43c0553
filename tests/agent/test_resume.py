"""Resuming a stopped run (`fix --resume`): real runs of the shop with scripted repairers, the real sandbox and
memory."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from tests.agent.conftest import RIGHT, WRONG, Events, Scripted, candidate, request_for

from untilgreen.agent import RunRequest, run
from untilgreen.agent.resume import Resumed, resumed_request
from untilgreen.errors import UserError
from untilgreen.memory import Store
from untilgreen.models.base import Candidate, RepairRequest
from untilgreen.settings import load_settings
from untilgreen.protocol import AttemptValidated, PhaseChanged, RunFailed, RunStarted, TestsRan


def stopped_by_budget(shop: Path, tmp_path: Path) -> str:
    """A run with an attempt budget of 1 whose only candidate is wrong: stopped on its budget."""
    first = run(request_for(shop, tmp_path, attempts=1), Events(), repairers=[Scripted([candidate(WRONG)])])
    assert (first.green, first.stop_reason, first.attempts) == (False, "budget", 1), first.message
    assert [r.outcome for r in first.records] == ["still-failing"]
    return first.run_id


def test_a_run_stopped_by_its_budget_resumes_without_trying_its_patch_again(
    shop: Path, tmp_path: Path
) -> None:
    first = stopped_by_budget(shop, tmp_path)
    events = Events()
    repairer = Scripted([candidate(WRONG)], [candidate(RIGHT)])
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=2), resume=first)
    result = run(request, events, repairers=[repairer])

    assert result.green and result.stop_reason == "green", result.message
    assert result.resumed_from == first and result.summary_json()["resumed_from"] == first
    # attempt numbers go on from the stopped run's; the wrong patch is recognised and not run again
    assert [(r.number, r.outcome) for r in result.records] == [(2, "duplicate"), (3, "green")]
    assert "attempt 1's (outcome: still-failing)" in result.records[0].detail
    validated = [e.attempt for e in events.of(TestsRan) if e.phase not in ("baseline", "final")]
    assert 2 not in validated and 3 in validated
    # same targets; the budget is a fresh one: two more attempts, told as "of 3"
    (started,) = events.of(RunStarted)
    assert started.targets == ["tests/test_cart.py::test_discount_at_threshold"]
    assert started.resumed_from == first and started.attempts == 3
    assert {e.of for e in events.of(PhaseChanged) if e.attempt} == {3}
    # the repairer is told what the stopped run tried
    assert [(h.number, h.outcome) for h in repairer.requests[0].attempts] == [(1, "still-failing")]
    with Store.open(tmp_path / "memory.sqlite3", root=shop) as store:
        detail = store.run(result.run_id)
    assert detail is not None and detail.resumed_from == first
    assert [a.n for a in detail.attempts] == [2, 3] and all(a.fingerprint for a in detail.attempts)


def test_a_resumed_run_that_runs_out_again_can_be_resumed_again(shop: Path, tmp_path: Path) -> None:
    first = stopped_by_budget(shop, tmp_path)
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=1), resume=first)
    again = run(request, Events(), repairers=[Scripted([candidate(WRONG)])])
    assert (again.stop_reason, [(r.number, r.outcome) for r in again.records]) == (
        "budget",
        [(2, "duplicate")],
    )
    assert "all 1 more attempts were used (attempts 2 to 2)" in again.message
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=2), resume=again.run_id)
    last = run(request, Events(), repairers=[Scripted([candidate(WRONG)], [candidate(RIGHT)])])
    # the first run's fingerprint is still known two resumes later
    assert [(r.number, r.outcome) for r in last.records] == [(3, "duplicate"), (4, "green")]


def test_a_cancelled_run_resumes(shop: Path, tmp_path: Path) -> None:
    cancel = threading.Event()

    def cancelled_after_proposing(request: RepairRequest) -> list[Candidate]:
        cancel.set()  # the run stops before this attempt is validated
        return [candidate(WRONG)]

    first = run(
        request_for(shop, tmp_path, temperature=0.7),
        Events(),
        cancel,
        repairers=[Scripted(cancelled_after_proposing)],
    )
    assert first.stop_reason == "cancelled", first.message
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=2), resume=first.run_id)
    repairer = Scripted([candidate(RIGHT)])
    result = run(request, Events(), repairers=[repairer])
    assert result.green and result.resumed_from == first.run_id, result.message
    assert result.records[-1].outcome == "green"
    # the attempt the cancel cut short still counts: numbering goes on after it
    assert first.attempts == 1 and result.records[0].number == 2
    assert repairer.requests[0].temperature == 0.7  # the stopped run's repairer settings


def test_settings_given_for_this_run_win_over_the_stopped_runs(tmp_path: Path) -> None:
    resumed = Resumed("r-1", ["t::a"], {"temperature": 0.7, "model": "openai/x", "candidates": 3}, {}, 2)
    settings, _ = load_settings(
        tmp_path,
        overrides={"temperature": 0.5, "attempts": 2},
        environ={},
        user_config=tmp_path / "none.toml",
    )
    request = resumed_request(RunRequest(tmp_path, targets=["other"], settings=settings), resumed)
    s = request.settings
    assert request.targets == ["t::a"]
    assert (s.temperature, s.model, s.candidates, s.attempts) == (0.5, "openai/x", 3, 4)
    assert (s.sources["temperature"], s.sources["model"]) == ("the command line", "run r-1")


def refused(shop: Path, tmp_path: Path, run_id: str, **overlays: str) -> str:
    events = Events()
    request = dataclasses.replace(request_for(shop, tmp_path, overlays=overlays), resume=run_id)
    untouched = Scripted()
    with pytest.raises(UserError) as err:
        run(request, events, repairers=[untouched])
    assert untouched.requests == [] and [e.message for e in events.of(RunFailed)] == [str(err.value)]
    assert not events.of(RunStarted)
    return str(err.value)


def test_a_green_run_is_refused(shop: Path, tmp_path: Path) -> None:
    green = run(request_for(shop, tmp_path), Events(), repairers=[Scripted([candidate(RIGHT)])])
    assert green.green
    message = refused(shop, tmp_path, green.run_id)
    assert message == (
        f"run {green.run_id} is already green, so there is nothing to resume; see its patch with "
        f"`untilgreen runs show {green.run_id}`."
    )


def test_an_unknown_run_is_refused(shop: Path, tmp_path: Path) -> None:
    message = refused(shop, tmp_path, "r-0000000000")
    assert message == (
        "there is no run r-0000000000 of this project in memory; `untilgreen runs` lists the runs you can resume."
    )
    with Store.open(tmp_path / "memory.sqlite3", root=shop) as store:
        assert store.runs() == []  # a refused resume records nothing


def test_a_change_to_a_touched_file_is_refused_and_an_unrelated_one_is_not(
    shop: Path, tmp_path: Path
) -> None:
    first = stopped_by_budget(shop, tmp_path)
    pricing = (shop / "shop" / "pricing.py").read_text()
    (shop / "shop" / "pricing.py").write_text(pricing.replace("return 0.0", "return 0.0  # none"))
    assert refused(shop, tmp_path, first) == (
        f"shop/pricing.py changed since run {first} stopped; start a new run with `untilgreen fix`."
    )
    # an unsaved editor buffer counts as the file's text, both ways
    assert "shop/pricing.py changed" in refused(shop, tmp_path, first, **{"shop/pricing.py": pricing + "\n"})
    (shop / "shop" / "pricing.py").write_text(pricing)
    (shop / "README.md").write_text("The shop.\n")
    (shop / "shop" / "unrelated.py").write_text("NAME = 'unrelated'\n")
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=1), resume=first)
    result = run(request, Events(), repairers=[Scripted([candidate(RIGHT)])])
    assert result.green and result.records[0].number == 2, result.message


def test_a_model_error_stop_is_refused_with_what_to_do(shop: Path, tmp_path: Path) -> None:
    from untilgreen.models.base import RepairerError

    def fails(request: RepairRequest) -> list[Candidate]:
        raise RepairerError("the model is unreachable; check `api_base`.")

    first = run(request_for(shop, tmp_path), Events(), repairers=[Scripted(fails)])
    assert first.stop_reason == "model-error"
    assert refused(shop, tmp_path, first.run_id) == (
        f"run {first.run_id} stopped with model-error, and only a run stopped by its budget or cancelled can be "
        "resumed; start a new run with `untilgreen fix`."
    )


def test_validated_attempts_are_told_with_their_continued_numbers(shop: Path, tmp_path: Path) -> None:
    first = stopped_by_budget(shop, tmp_path)
    events = Events()
    request = dataclasses.replace(request_for(shop, tmp_path, attempts=1), resume=first)
    run(request, events, repairers=[Scripted([candidate(RIGHT)])])
    assert [(e.attempt, e.outcome) for e in events.of(AttemptValidated)] == [(2, "green")]
