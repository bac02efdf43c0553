"""The loop with the real LLM repairer (litellm) against a scripted OpenAI-compatible server on 127.0.0.1.

The server answers with the right fix only when the prompt holds the failing test's source, the failure message,
the previous attempt's outcome (from the second request on) and no planted secret; so green proves the prompts.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from tests.agent.conftest import Events, leftovers
from tests.support.projects import FailingProject, block, failing_project
from tests.support.scripted_llm import HANG, Reply, ScriptedLLM, Status
from untilgreen.agent import RunRequest, run
from untilgreen.protocol import AttemptValidated, RunFinished, TestsRan
from untilgreen.memory import Store
from untilgreen.settings import build

LOOP_FOREVER = "It must retry until it converges.\n\n" + block(
    "shop/pricing.py",
    "    return price - price * percent / 10\n",
    "    while True:\n        pass\n",
)
EDIT_TEST = "The test expects the wrong value.\n\n" + block(
    "tests/test_pricing.py",
    "    assert apply_discount(200, 10) == 180\n",
    "    assert apply_discount(200, 10) == 0\n",
)


@pytest.fixture(autouse=True)
def no_provider_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> FailingProject:
    return failing_project(tmp_path)


def request(project: FailingProject, llm_url: str, tmp_path: Path, **values: object) -> RunRequest:
    base: dict[str, object] = {
        "model": "openai/scripted",
        "api_base": llm_url,
        "strategy": "model-only",
        "model_timeout": 10.0,
        "model_retries": 1,
        "attempts": 4,
        "memory.path": str(tmp_path / "memory.sqlite3"),
        "sandbox.test_timeout": 3.0,
    }
    base.update({k.replace("__", "."): v for k, v in values.items()})
    return RunRequest(project.root, settings=build(base))


def outcomes(events: Events) -> list[str]:
    return [e.outcome for e in events.of(AttemptValidated)]


def test_green_on_the_first_reply_and_recorded_in_memory(project: FailingProject, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(project.judge()) as llm:
        result = run(request(project, llm.url, tmp_path), events)
    assert result.green, (result.message, [r.notes for r in llm.requests])
    assert (result.attempts, result.repairer, result.cost_usd) == (1, "openai/scripted", None)
    assert "percent / 100" in result.diff and result.tokens > 0
    assert project.secret not in llm.requests[0].text
    with Store.open(tmp_path / "memory.sqlite3") as store:
        detail = store.run(result.run_id)
        assert detail is not None and [a.outcome for a in detail.attempts] == ["green"]
        assert project.secret not in detail.attempts[0].prompt and "SEARCH" in detail.attempts[0].response
        assert store.stats()["fix_cards"]["pending"] == 1


def test_wrong_then_right(project: FailingProject, tmp_path: Path) -> None:
    events = Events()
    with ScriptedLLM(project.wrong_fix, project.judge(after_attempt=True)) as llm:
        result = run(request(project, llm.url, tmp_path), events)
    assert result.green and result.attempts == 2, [r.notes for r in llm.requests]
    assert outcomes(events) == ["still-failing", "green"]


def test_unusable_replies_test_edits_and_repeats_are_told_to_the_model(
    project: FailingProject, tmp_path: Path
) -> None:
    no_match = block("shop/pricing.py", "    return price * 0.9\n", "    return price\n")
    prose = "Change the division so it uses 100:\n\n    return price - price * percent / 100\n"
    script = [
        "I think the code is fine.",
        no_match,
        prose,
        EDIT_TEST,
        project.wrong_fix,
        project.wrong_fix,
        project.judge(after_attempt=True),
    ]
    events = Events()
    with ScriptedLLM(*script) as llm:
        result = run(request(project, llm.url, tmp_path, attempts=7), events)
    assert result.green, (result.message, outcomes(events), llm.requests[-1].notes)
    assert outcomes(events) == [
        "not-applied",
        "not-applied",
        "not-applied",
        "refused",
        "still-failing",
        "duplicate",
        "green",
    ]
    prompts = [r.text for r in llm.requests]
    assert "does not match" in prompts[2] or "SEARCH" in prompts[2]
    assert "test file" in prompts[4]
    assert "was not run again" in prompts[6]
    validated = [e for e in events.of(TestsRan) if e.phase == "targets"]
    assert len(validated) == 2  # the duplicate and the refused edit were never run
    assert (project.root / "tests/test_pricing.py").read_text() == project.files["tests/test_pricing.py"]


def test_messy_replies_are_refused_with_the_reason_until_a_whole_file_reaches_green(
    project: FailingProject, tmp_path: Path
) -> None:
    old, new = "    return price - price * percent / 10\n", "    return price - price * percent / 100\n"
    fixed = project.files["shop/pricing.py"].replace(old, new)
    script = [
        "",
        Reply(project.right_fix[: project.right_fix.index("=======")], finish_reason="length"),
        block("shop/pricing.py", old, new + "    # ... rest unchanged\n"),
        project.right_fix + "\n" + block("shop/pricing.py", "    return sum(price)\n", "    return 0\n"),
        block("shop/discounts.py", "", "RATE = 100\n"),
        f"Here is the whole file.\n\n./shop/pricing.py\n```python\n{fixed}```\n",
    ]
    events = Events()
    with ScriptedLLM(*script) as llm:
        result = run(request(project, llm.url, tmp_path, attempts=6), events)
    assert result.green, (result.message, outcomes(events))
    assert outcomes(events) == ["not-applied"] * 5 + ["green"]
    prompts = [r.text for r in llm.requests]
    assert "Your reply was empty." in prompts[1]
    assert "Your reply was cut off by the output token limit" in prompts[2]
    assert "leaves code out with `# ... rest unchanged`" in prompts[3]
    assert "Block 2 (shop/pricing.py): the SEARCH text does not match" in prompts[4]
    assert "Nothing was applied: the blocks of a reply apply together or not at all" in prompts[4]
    assert "the file does not exist, and a fix edits existing files only" in prompts[5]
    added = [line for line in result.diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == ["+" + new.rstrip("\n")] and not (project.root / "shop/discounts.py").exists()


def test_a_unified_diff_with_crlf_tabs_and_a_bare_file_name_reaches_green(
    project: FailingProject, tmp_path: Path
) -> None:
    diff = (
        "The percent is divided by 10.\n\n```\n--- a/pricing.py\n+++ b/pricing.py\n@@ -28,3 +28,3 @@\n"
        ' def apply_discount(price, percent):\n \t"""The price after taking `percent` percent off."""\n'
        "-\treturn price - price * percent / 10\n+\treturn price - price * percent / 100\n```\n"
    )
    with ScriptedLLM(diff.replace("\n", "\r\n")) as llm:
        result = run(request(project, llm.url, tmp_path), Events())
    assert result.green and result.attempts == 1, result.message
    assert "+    return price - price * percent / 100" in result.diff


def test_rate_limit_then_a_patch_that_loops_forever_then_right(
    project: FailingProject, tmp_path: Path
) -> None:
    events = Events()
    with ScriptedLLM(Status(429, retry_after=0.2), LOOP_FOREVER, project.judge(after_attempt=False)) as llm:
        result = run(request(project, llm.url, tmp_path), events)
    assert result.green, (result.message, outcomes(events))
    assert outcomes(events) == ["timeout", "green"]
    assert [r.answer for r in llm.requests][0] == "HTTP 429"


def test_hanging_server_and_no_server_stop_with_a_model_error(
    project: FailingProject, tmp_path: Path
) -> None:
    with ScriptedLLM(HANG, HANG) as llm:
        result = run(request(project, llm.url, tmp_path, model_timeout=1.0, model_retries=0), Events())
    assert (result.green, result.stop_reason) == (False, "model-error")
    assert "did not answer within 1 s" in result.message
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run(request(project, f"http://127.0.0.1:{port}/v1", tmp_path), Events())
    assert result.stop_reason == "model-error" and "Cannot reach the model" in result.message


def test_cancel_during_the_model_call_leaves_nothing(
    project: FailingProject, tmp_path: Path, private_dirs: Path
) -> None:
    cancel = threading.Event()
    events = Events()
    with ScriptedLLM(HANG) as llm:
        threading.Thread(
            target=lambda: (llm.wait_for_requests(1, timeout=120), cancel.set()), daemon=True
        ).start()
        result = run(request(project, llm.url, tmp_path, model_timeout=60.0), events, cancel)
    assert result.stop_reason == "cancelled" and not result.green
    assert isinstance(events[-1], RunFinished) and events[-1].stop_reason == "cancelled"
    assert leftovers(private_dirs) == []
