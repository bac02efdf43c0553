"""The loop end to end with scripted repairers: the real sandbox, memory and context index."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.agent.conftest import (
    RIGHT,
    SHOP,
    TARGET,
    WRONG,
    Events,
    Scripted,
    candidate,
    leftovers,
    request_for,
    write_tree,
)

from untilgreen.agent import run
from untilgreen.protocol import (
    AttemptApplied,
    AttemptValidated,
    Localized,
    Notice,
    RunFinished,
    RunStarted,
    TestsRan,
)
from untilgreen.models.base import SearchReplace


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


ALWAYS = SearchReplace("shop/pricing.py", "    if total > 100:", "    if total >= 0:")
RIGHT_BIG = SearchReplace(
    "shop/pricing.py",
    '''def discount_rate(total):
    """Orders of 100 or more get 10 % off."""
    if total > 100:
        return 0.1
    return 0.0''',
    '''def discount_rate(total):
    """Orders of 100 or more get 10 % off."""
    threshold = 100
    if total < threshold:
        return 0.0
    return 0.1''',
)


def test_candidates_are_validated_in_parallel_and_the_best_is_chosen(shop: Path, tmp_path: Path) -> None:
    events = Events()
    repairer = Scripted([candidate(WRONG), candidate(ALWAYS), candidate(RIGHT_BIG), candidate(RIGHT)])
    result = run(request_for(shop, tmp_path, candidates=4), events, repairers=[repairer])
    assert result.green and result.attempts == 1
    assert (
        "+    if total >= 100:" in result.diff and "threshold" not in result.diff
    )  # the smallest green patch
    by_candidate = {e.candidate: e.outcome for e in events.of(AttemptValidated)}
    assert by_candidate == {0: "still-failing", 1: "regression", 2: "green", 3: "green"}
    regression = next(e for e in events.of(AttemptValidated) if e.candidate == 1)
    assert regression.regressions == ["tests/test_cart.py::test_small_order_has_no_discount"]
    assert [e.phase for e in events.of(TestsRan) if e.candidate == 1] == ["targets", "affected", "recheck"]


def test_environment_failures_stop_the_run_before_any_repair(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "svc",
        {
            "svc/__init__.py": "",
            "svc/config.py": "import os\n\n\ndef database_url():\n    return os.environ['SHOP_DATABASE_URL']\n",
            "tests/test_config.py": "from svc.config import database_url\n\n\ndef test_url():\n"
            "    assert database_url().startswith('postgres://')\n",
        },
    )
    repairer = Scripted([candidate(RIGHT)])
    result = run(request_for(root, tmp_path), Events(), repairers=[repairer])
    assert (result.green, result.stop_reason) == (False, "environment")
    assert "SHOP_DATABASE_URL" in result.message and "sandbox.env_passthrough" in result.message
    assert repairer.requests == []


FLAKY = """from pathlib import Path


def test_flaky():
    marker = Path(__file__).with_name("seen.txt")
    first = not marker.exists()
    marker.write_text("seen")
    assert not first
"""


def test_flaky_tests_are_quarantined_not_repaired(shop: Path, tmp_path: Path) -> None:
    write_tree(shop, {"tests/test_flaky.py": FLAKY})
    events = Events()
    result = run(request_for(shop, tmp_path), events, repairers=[Scripted([candidate(RIGHT)])])
    assert result.green and result.quarantined == ["tests/test_flaky.py::test_flaky"]
    assert result.targets == [TARGET]
    assert any("quarantined" in e.message for e in events.of(Notice))


def test_the_same_failure_twice_widens_the_context_and_changes_the_temperature(
    shop: Path, tmp_path: Path
) -> None:
    other_wrong = SearchReplace("shop/pricing.py", "        return 0.1", "        return 0.12")
    repairer = Scripted([candidate(WRONG)], [candidate(other_wrong)], [candidate(RIGHT)])
    events = Events()
    result = run(request_for(shop, tmp_path, attempts=3, temperature=0.2), events, repairers=[repairer])
    assert result.green and result.attempts == 3
    first, second, third = repairer.requests
    assert first.temperature == second.temperature == 0.2 and third.temperature != 0.2
    assert len(events.of(Localized)) == 2 and any("broader context" in e.message for e in events.of(Notice))


def test_known_fix_from_memory_is_tried_first(shop: Path, tmp_path: Path) -> None:
    first = run(request_for(shop, tmp_path), Events(), repairers=[Scripted([candidate(RIGHT)])])
    assert first.green
    untouched = Scripted()
    second = run(request_for(shop, tmp_path), Events(), repairers=[untouched])
    assert second.green and second.repairer == "memory" and second.attempts == 1
    assert untouched.requests == [] and second.diff == first.diff


def test_cancel_during_a_test_run_leaves_no_process_and_no_shadow(
    shop: Path, tmp_path: Path, private_dirs: Path
) -> None:
    loop = SearchReplace(
        "shop/pricing.py", "    if total > 100:", "    while total:\n        total += 0\n    if total:"
    )
    cancel = threading.Event()
    events = Events()

    def on_event(event: object) -> None:
        events(event)
        if isinstance(event, AttemptApplied):
            threading.Timer(2.0, cancel.set).start()  # the targets are running the endless loop by then

    request = request_for(shop, tmp_path, sandbox__test_timeout=120.0)
    started = time.monotonic()
    result = run(request, on_event, cancel, repairers=[Scripted([candidate(loop)])])
    assert result.stop_reason == "cancelled" and time.monotonic() - started < 100
    assert leftovers(private_dirs) == []
    assert (shop / "shop/pricing.py").read_text() == SHOP["shop/pricing.py"]
