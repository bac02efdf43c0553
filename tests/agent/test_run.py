"""The loop end to end with scripted repairers: the real sandbox, memory and context index."""

from __future__ import annotations

from pathlib import Path

from tests.agent.conftest import RIGHT, SHOP, TARGET, WRONG, Events, Scripted, candidate, request_for

from untilgreen.agent import run
from untilgreen.agent.events import AttemptApplied, AttemptValidated, Localized, RunFinished, RunStarted, TestsRan


def test_green_on_the_first_reply(shop: Path, tmp_path: Path) -> None:
    events = Events()
    repairer = Scripted([candidate(RIGHT)])
    result = run(request_for(shop, tmp_path), events, repairers=[repairer])
    assert result.green and result.stop_reason == "green", result.message
    assert result.attempts == 1 and result.repairer == "scripted"
    assert "-    if total > 100:\n+    if total >= 100:" in result.diff
    assert result.targets == [TARGET]
    assert [f.path for f in result.files] == ["shop/pricing.py"]
    assert (shop / "shop/pricing.py").read_text() == SHOP["shop/pricing.py"]  # the user's file is untouched
    request = repairer.requests[0]
    assert [f.test_id for f in request.failures] == [TARGET]
    assert any(c.path == "shop/pricing.py" for c in request.context.chunks)
    phases = [e.phase for e in events.of(TestsRan)]
    assert phases == ["baseline", "flaky-check", "targets", "affected", "final"]
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], RunFinished)
    assert events.of(Localized) and events.of(AttemptApplied)[0].ranges == {"shop/pricing.py": [[6, 6]]}
    assert events[-1].green and events[-1].ranges == {"shop/pricing.py": [[6, 6]]}


def test_wrong_then_right_tells_the_repairer_what_happened(shop: Path, tmp_path: Path) -> None:
    events = Events()
    repairer = Scripted([candidate(WRONG)], [candidate(RIGHT)])
    result = run(request_for(shop, tmp_path), events, repairers=[repairer])
    assert result.green and result.attempts == 2
    second = repairer.requests[1]
    assert [a.outcome for a in second.attempts] == ["still-failing"]
    assert "return 0.15" in second.attempts[0].diff and "assert" in second.attempts[0].detail
    assert [e.outcome for e in events.of(AttemptValidated)] == ["still-failing", "green"]
