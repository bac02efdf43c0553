"""Command arguments: one JSON object converted to its attrs class as pygls converts parameters."""

from __future__ import annotations

import pytest

from untilgreen.server.commands import BadArgument, FixArguments, GoalArguments, RunArguments, argument


def test_an_argument_becomes_its_class() -> None:
    assert argument(
        "untilgreen.fix", FixArguments, ({"uri": "file:///p/t.py", "targets": ["t.py::x"]},)
    ) == FixArguments("file:///p/t.py", ["t.py::x"])
    assert argument("untilgreen.goal", GoalArguments, ({"goal": "add f"},)) == GoalArguments("add f")
    assert argument("untilgreen.cancel", RunArguments, ({"runId": "run-1"},)) == RunArguments("run-1")


def test_no_argument_is_every_default_and_unknown_keys_are_ignored() -> None:
    assert argument("untilgreen.cancel", RunArguments, ()) == RunArguments(None)
    assert argument("untilgreen.fix", FixArguments, ({"targets": [], "extra": 1},)) == FixArguments()


@pytest.mark.parametrize(
    "args, says",
    [
        (
            ({"targets": None},),
            "untilgreen.fix got a malformed argument: invalid value for type, expected list @ $.targets",
        ),
        (("t.py::x",), "untilgreen.fix takes one JSON object as its argument"),
        (({}, {}), "untilgreen.fix takes one JSON object as its argument"),
    ],
)
def test_a_malformed_argument_is_one_sentence(args: tuple[object, ...], says: str) -> None:
    with pytest.raises(BadArgument) as raised:
        argument("untilgreen.fix", FixArguments, args)
    assert str(raised.value) == says
