"""The protocol shared by the worker and the language server: events round-trip, their JSON keeps its shape, and
whatever else arrives is refused with one sentence."""

from __future__ import annotations

import typing

import pytest

from untilgreen import protocol as ev
from untilgreen.models.llm.prompt import _OUTCOMES
from untilgreen.server.runs import OUTCOME_WORDS

SAMPLES = [
    ev.RunStarted("r-1", root="/p", targets=["t::a"], attempts=4, repairers=["builtin", "openai/x"]),
    ev.PhaseChanged("r-1", "propose", 2, 4, 1200, None),
    ev.Notice("r-1", "warning", "flaky"),
    ev.TestsRan("r-1", "targets", 1, 0, 3, [ev.FailureBrief("t::a", "failed", "assert 1 == 2", "sig")], 1.5),
    ev.Localized("r-1", 1, 900, [ev.ChunkBrief("a.py::f", "a.py", "f", 1, 9, 0.8, "frame")], 2),
    ev.AttemptProposed("r-1", 1, 4, 0, "openai/x", "why", 300, 0.002, 300, 0.002),
    ev.AttemptApplied("r-1", 1, 0, "openai/x", "diff", {"a.py": [[3, 4]]}, "abc"),
    ev.AttemptValidated(
        "r-1",
        1,
        0,
        "openai/x",
        "regression",
        "broke",
        "sig",
        "diff",
        {"a.py": [[3, 3]]},
        ["t::b"],
        ["t::c"],
        [ev.Finding("a.py", 3, "S307", "Use of possibly insecure function")],
    ),
    ev.RunFinished(
        "r-1",
        True,
        "green",
        "ok",
        2,
        "memory",
        "diff",
        {"a.py": [[1, 1]]},
        10,
        None,
        3.2,
        ["t::c"],
        {"generated": 3},
        [ev.Finding("a.py", 1, "S105", 'Possible hardcoded password assigned to: "password"')],
    ),
    ev.RunFailed("r-1", "no tests were collected", 2),
    ev.ModelProgress("r-1", 2, 4, 0, 340, 4.1),
    ev.Recalled("r-1", 1, 2, 1, 0.05),
    # a resumed run names the stopped run it continues
    ev.RunStarted("r-2", root="/p", targets=["t::a"], attempts=6, repairers=["builtin"], resumed_from="r-1"),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.kind)
def test_every_event_round_trips_through_json(event: ev.Event) -> None:
    line = event.to_line()
    assert "\n" not in line
    assert ev.Event.from_json(line) == event
    assert ev.Event.from_json(line.encode()) == event
    assert ev.Event.from_json(event.to_json()) == event


def test_the_samples_cover_every_event_type() -> None:
    assert {type(e) for e in SAMPLES} == set(ev.Event._registry.values())


def test_the_json_keeps_its_shape() -> None:
    """The worker's stream is an interface: the kind first, then the fields in their order, compact."""
    assert SAMPLES[7].to_line() == (
        '{"event":"attempt_validated","run_id":"r-1","attempt":1,"candidate":0,"source":"openai/x",'
        '"outcome":"regression","detail":"broke","signature":"sig","diff":"diff","ranges":{"a.py":[[3,3]]},'
        '"regressions":["t::b"],"flaky":["t::c"],'
        '"security":[{"path":"a.py","line":3,"code":"S307","message":"Use of possibly insecure function"}]}'
    )
    assert SAMPLES[3].to_json()["failed"] == [
        {"test_id": "t::a", "kind": "failed", "message": "assert 1 == 2", "signature": "sig"}
    ]


def test_fields_added_by_a_newer_worker_are_ignored() -> None:
    assert ev.Event.from_json('{"event":"notice","run_id":"r","message":"hi","later":1}') == ev.Notice(
        "r", message="hi"
    )


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '"text"',
        '{"run_id": "r"}',
        '{"event": "party", "run_id": "r"}',
        '{"event": "notice"}',
        '{"event": "tests_ran", "run_id": "r", "failed": [{"nope": 1}]}',
        '{"event": "tests_ran", "run_id": "r", "failed": [3]}',
    ],
)
def test_anything_else_is_one_value_error(line: str) -> None:
    with pytest.raises(ValueError, match=r"^not an untilgreen event \(.+\)$"):
        ev.Event.from_json(line)


def test_every_outcome_has_its_words_for_the_model_and_the_user() -> None:
    assert set(_OUTCOMES) == set(typing.get_args(ev.Outcome))
    assert set(OUTCOME_WORDS) == set(typing.get_args(ev.Outcome))


def test_a_judged_attempt_carries_the_fields_the_editor_is_told() -> None:
    judged = ev.JudgedAttempt.of_event(SAMPLES[7], of=4)
    assert (judged.number, judged.ranges) == (1, {"a.py": [[3, 3]]})
    assert judged.fields() == {
        "of": 4,
        "candidate": 0,
        "source": "openai/x",
        "outcome": "regression",
        "signature": "sig",
        "detail": "broke",
        "diff": "diff",
    }
    assert judged.security == [ev.Finding("a.py", 3, "S307", "Use of possibly insecure function")]
