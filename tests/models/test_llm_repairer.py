"""The LLM repairer against a scripted OpenAI-compatible server: real litellm, real HTTP, no network, no key."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.projects import PLANTED_SECRET, TOKEN_LOOKING, FailingProject
from tests.support.scripted_llm import DROP, HANG, Reply, ScriptedLLM, Status
from untilgreen.errors import Cancelled
from untilgreen.models.base import AttemptSummary, Candidate, RepairerError
from untilgreen.models.llm import LLMRepairer, apply_edits
from untilgreen.models.llm.client import backoff
from untilgreen.sandbox import Workspace
from untilgreen.settings import Settings

Start = Callable[..., ScriptedLLM]


@pytest.fixture(autouse=True)
def no_provider_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def repairer(llm: ScriptedLLM, **settings: object) -> LLMRepairer:
    values: dict[str, object] = {
        "model": llm.model,
        "api_base": llm.url,
        "model_timeout": 10.0,
        "model_retries": 2,
    }
    values.update(settings)
    return LLMRepairer(Settings(**values))  # type: ignore[arg-type]


def apply(candidate: Candidate, shadow: Workspace):
    return apply_edits(candidate.edits, lambda p: shadow.read(p) if p in shadow.files() else None)


def test_green_on_the_first_reply(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(project.judge())
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir, temperature=0.3))
    assert llm.requests[0].notes == []
    assert candidate.parse_error == "" and candidate.source == llm.model
    assert candidate.explanation == "The discount divides by 10 instead of 100."
    result = apply(candidate, shadow)
    assert result.ok and "percent / 100\n" in result.files["shop/pricing.py"]
    body = llm.requests[0].body
    assert body["temperature"] == 0.3 and body["model"] == "scripted"
    assert PLANTED_SECRET not in candidate.prompt and TOKEN_LOOKING not in candidate.prompt
    assert candidate.response == project.right_fix


def test_wrong_then_right_with_the_first_attempt_in_the_second_prompt(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(project.wrong_fix, project.judge(after_attempt=True))
    model = repairer(llm)
    [first] = model.propose(project.request(shadow, index_dir))
    shadow.write("shop/pricing.py", apply(first, shadow).files["shop/pricing.py"])
    attempt = AttemptSummary(
        number=1,
        source=first.source,
        outcome="still-failing",
        diff=shadow.diff(),
        detail=f"{project.target}: AssertionError: {project.wrong_failure_message}",
    )
    shadow.write("shop/pricing.py", project.files["shop/pricing.py"])  # each attempt starts from the baseline
    [second] = model.propose(project.request(shadow, index_dir, attempts=[attempt]))
    assert llm.requests[1].notes == [], llm.requests[1].notes
    assert "percent / 100\n" in apply(second, shadow).files["shop/pricing.py"]
    prompt = llm.requests[1].message("user")
    assert "percent / 1000" in prompt and "Applied, but the failing tests still fail (attempt 1)" in prompt


def test_the_judge_answers_wrong_without_the_previous_outcome(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(project.judge(after_attempt=True))
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir))
    assert candidate.response == project.wrong_fix
    assert llm.requests[0].notes == [f"missing {project.wrong_failure_message!r}"]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (
            "I think the discount is wrong.",
            "Your reply had no SEARCH/REPLACE blocks, so there was nothing to apply.",
        ),
        (
            "Change it to:\n```python\nreturn price - price * percent / 100\n```\nor:\n```\nreturn 0\n```",
            "Your reply had code but no SEARCH/REPLACE blocks",
        ),
        ("", "Your reply was empty."),
    ],
)
def test_replies_without_blocks_give_a_parse_error(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path, reply: str, error: str
) -> None:
    llm = scripted_llm(reply)
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir))
    assert candidate.edits == [] and candidate.parse_error.startswith(error)
    assert "`<<<<<<< SEARCH`" in candidate.parse_error


def test_a_search_matching_nothing_is_told_with_the_nearest_lines(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    reply = "shop/pricing.py\n<<<<<<< SEARCH\n    return price * percent / 10\n=======\n    return 0\n>>>>>>> REPLACE\n"
    llm = scripted_llm(reply)
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir))
    result = apply(candidate, shadow)
    assert result.message.startswith("Block 1 (shop/pricing.py): the SEARCH text does not match the file.")
    assert "    6 |     return price - price * percent / 10" in result.message


def test_429_then_success_honours_retry_after(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Status(429, retry_after=1), project.right_fix)
    started = time.monotonic()
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir))
    assert 1.0 <= time.monotonic() - started < 5
    assert [r.answer for r in llm.requests] == ["HTTP 429", project.right_fix]
    assert candidate.edits and candidate.usage.duration_s >= 1.0


def test_a_reset_connection_is_retried(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(DROP, project.right_fix)
    [candidate] = repairer(llm).propose(project.request(shadow, index_dir))  # after a backoff of 0.5 to 1.5 s
    assert [r.answer for r in llm.requests] == ["dropped", project.right_fix] and candidate.edits


def test_backoff_is_exponential_with_jitter_and_honours_retry_after() -> None:
    assert [backoff(n, None, lambda: 0.5) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff(0, None, lambda: 0.0) == 0.5 and backoff(2, None, lambda: 0.99) == pytest.approx(5.96)
    assert backoff(5, 7.5) == 7.5 and backoff(0, -3) == 0.0


def test_5xx_until_the_retries_are_exhausted(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Status(500, retry_after=0), Status(503, retry_after=0), Status(500, retry_after=0))
    with pytest.raises(RepairerError) as caught:
        repairer(llm, model_retries=2).propose(project.request(shadow, index_dir))
    assert str(caught.value) == (
        f"The model at {llm.url} kept failing (HTTP 500) after 3 tries; try again later or raise `model_retries`."
    )
    assert len(llm.requests) == 3


def test_a_hanging_server_times_out(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(HANG)
    started = time.monotonic()
    with pytest.raises(RepairerError, match=r"^The model did not answer within 1.5 s; raise `model_timeout`"):
        repairer(llm, model_timeout=1.5).propose(project.request(shadow, index_dir))
    assert time.monotonic() - started < 1.5 + 2.0
    assert len(llm.requests) == 1  # a timeout is not retried: the next call would hang as long


def test_no_server_is_a_clear_error(project: FailingProject, shadow: Workspace, index_dir: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    model = LLMRepairer(Settings(model="openai/scripted", api_base=url, model_retries=3))
    started = time.monotonic()
    with pytest.raises(RepairerError) as caught:
        model.propose(project.request(shadow, index_dir))
    assert str(caught.value) == (
        f"Cannot reach the model at {url}: connection refused; check `api_base` or start the server."
    )
    assert time.monotonic() - started < 3  # refused connections are not retried


def test_a_bad_api_key_names_the_variable(
    scripted_llm: Start,
    project: FailingProject,
    shadow: Workspace,
    index_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    llm = scripted_llm(project.right_fix, api_key="the-right-key")
    monkeypatch.setenv("SCRIPTED_KEY", "a-wrong-key")
    with pytest.raises(
        RepairerError,
        match="refused the API key .HTTP 401.; check that the environment variable "
        "SCRIPTED_KEY .named by `api_key_env`. holds a valid key",
    ):
        repairer(llm, api_key_env="SCRIPTED_KEY").propose(project.request(shadow, index_dir))
    monkeypatch.setenv("SCRIPTED_KEY", "the-right-key")
    [candidate] = repairer(llm, api_key_env="SCRIPTED_KEY").propose(project.request(shadow, index_dir))
    assert candidate.edits
    monkeypatch.delenv("SCRIPTED_KEY")
    with pytest.raises(RepairerError, match="SCRIPTED_KEY .named by `api_key_env`. is not set or empty"):
        repairer(llm, api_key_env="SCRIPTED_KEY").propose(project.request(shadow, index_dir))


def test_an_unknown_model_is_not_found(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Status(404, message="model 'scripted' not found"))
    with pytest.raises(
        RepairerError,
        match=r"^The model `openai/scripted` was not found at http://127\.0\.0\.1:\d+/v1 \(HTTP 404\)",
    ):
        repairer(llm).propose(project.request(shadow, index_dir))


def cancel_while(llm: ScriptedLLM, model: LLMRepairer, request) -> float:
    """Cancel `request` once the server has it; returns how long propose took to give up after the cancel."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            model.propose(request)
        except BaseException as error:  # noqa: BLE001 - checked below
            outcome.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    llm.wait_for_requests(1)
    time.sleep(0.2)
    cancelled = time.monotonic()
    request.cancel.set()
    worker.join(5)
    assert not worker.is_alive() and isinstance(outcome[0], Cancelled)
    return time.monotonic() - cancelled


def test_cancel_abandons_a_hanging_call(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(HANG)
    assert cancel_while(llm, repairer(llm, model_timeout=60), project.request(shadow, index_dir)) < 1.0


def test_cancel_does_not_wait_out_a_long_backoff(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Status(429, retry_after=30))
    assert cancel_while(llm, repairer(llm), project.request(shadow, index_dir)) < 1.0
    assert len(llm.requests) == 1


def test_several_candidates_each_with_its_usage(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Reply(project.right_fix, 100, 20), Reply(project.wrong_fix, 100, 30))
    candidates = repairer(llm).propose(project.request(shadow, index_dir, candidates=2))
    assert sorted((c.usage.prompt_tokens, c.usage.completion_tokens) for c in candidates) == [
        (100, 20),
        (100, 30),
    ]
    assert all(
        c.usage.cost_usd is None and c.usage.tokens in (120, 130) for c in candidates
    )  # no known price


def test_cost_of_a_model_with_a_known_price(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    llm = scripted_llm(Reply(project.right_fix, 1_000_000, 0))
    [candidate] = repairer(llm, model="openai/gpt-4o-mini").propose(project.request(shadow, index_dir))
    assert llm.requests[0].body["model"] == "gpt-4o-mini"
    assert candidate.usage.cost_usd == pytest.approx(
        0.15
    )  # the local price map: $0.15 per million input tokens


def test_litellm_prints_nothing(
    scripted_llm: Start,
    project: FailingProject,
    shadow: Workspace,
    index_dir: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    llm = scripted_llm(Status(400, message="bad request"), project.right_fix)
    with pytest.raises(RepairerError, match=r"^The model call failed \(HTTP 400: bad request\)"):
        repairer(llm).propose(project.request(shadow, index_dir))
    repairer(llm).propose(project.request(shadow, index_dir))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_reply_cut_off_inside_a_block_says_so(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    cut = project.right_fix[: project.right_fix.index("=======")]
    llm = scripted_llm(Reply(cut, finish_reason="length"), Reply(project.right_fix, finish_reason="length"))
    model = repairer(llm)
    [first] = model.propose(project.request(shadow, index_dir))
    assert first.edits == [] and first.parse_error.startswith(
        "Your reply was cut off by the output token limit"
    )
    assert "Send a shorter edit" in first.parse_error
    [second] = model.propose(project.request(shadow, index_dir))  # cut off after its last block: usable
    assert second.parse_error == "" and apply(second, shadow).ok
    diff = "--- a/shop/pricing.py\n+++ b/shop/pricing.py\n@@ -6 +6 @@\n-    return price - price * percent / 10\n+"
    llm.add(Reply(diff, finish_reason="length"))  # a hunk running to the end may have lost lines
    [third] = model.propose(project.request(shadow, index_dir))
    assert third.edits == [] and "cut off by the output token limit" in third.parse_error


def test_one_fence_is_the_whole_file_when_one_file_was_shown(
    scripted_llm: Start, project: FailingProject, shadow: Workspace, index_dir: Path
) -> None:
    whole = project.files["shop/pricing.py"].replace("percent / 10\n", "percent / 100\n")
    llm = scripted_llm(f"The fixed file:\n```python\n{whole}```\n", "Change it to:\n```python\nreturn 0\n```")
    model = repairer(llm)
    [first] = model.propose(project.request(shadow, index_dir))
    assert apply(first, shadow).files == {"shop/pricing.py": whole}
    [second] = model.propose(project.request(shadow, index_dir))
    assert "looks like a fragment, not the whole file" in apply(second, shadow).message
