"""A streamed reply through real litellm and `ModelClient`: progress while the model writes, and a cancel that
hangs up on the server mid-stream, for each API that streams."""

from __future__ import annotations

import threading
import time

import pytest

from tests.models.test_providers import MESSAGES, provider_keys, serve
from tests.support.scripted_llm import PROVIDERS, Reply, ScriptedLLM
from untilgreen.errors import Cancelled
from untilgreen.models.llm.client import Completion, ModelClient
from untilgreen.settings import Settings

__all__ = ["provider_keys"]  # the autouse fixture, shared

STREAMING = [name for name, (_, _, stream) in PROVIDERS.items() if stream]
SLOW = "".join(f"    total += price_{i} * quantity_{i}  # line {i} of the reply\n" for i in range(20))


def client(name: str, llm: ScriptedLLM) -> ModelClient:
    model = PROVIDERS[name][0]
    return ModelClient(Settings(model=model, api_base=llm.url, stream=True, model_timeout=10.0))


def complete(
    name: str, llm: ScriptedLLM, cancel: threading.Event, told: list[tuple[int, float]]
) -> Completion:
    return client(name, llm).complete(
        MESSAGES,
        temperature=0.0,
        cancel=cancel,
        deadline=time.monotonic() + 60,
        on_progress=lambda tokens, seconds: told.append((tokens, seconds)),
    )


@pytest.mark.parametrize("name", STREAMING)
def test_progress_is_told_while_the_model_writes(name: str) -> None:
    told: list[tuple[int, float]] = []
    with serve(name, Reply(SLOW, 100, 350, stream_s=2.0)) as llm:
        completion = complete(name, llm, threading.Event(), told)
    assert completion.text == SLOW
    tokens, seconds = [t for t, _ in told], [s for _, s in told]
    assert len(told) >= 4 and tokens == sorted(tokens) and seconds == sorted(seconds)
    assert 0 < tokens[0] < tokens[-2] and seconds[-1] >= 1.8
    assert tokens[-1] == 350  # the provider's own count, once it says it


@pytest.mark.parametrize("name", STREAMING)
def test_a_cancel_mid_stream_hangs_up_on_the_server(name: str) -> None:
    told: list[tuple[int, float]] = []
    cancel = threading.Event()
    with serve(name, Reply(SLOW, stream_s=3.0)) as llm:
        worker = threading.Thread(
            target=lambda: pytest.raises(Cancelled, complete, name, llm, cancel, told), daemon=True
        )
        worker.start()
        deadline = time.monotonic() + 10
        while not told and time.monotonic() < deadline:  # the model is writing
            time.sleep(0.01)
        cancel.set()
        cancelled = time.monotonic()
        worker.join(5)
        returned = time.monotonic() - cancelled
        [request] = llm.requests
        while request.hung_up is None and time.monotonic() < cancelled + 2:
            time.sleep(0.01)
    assert told and returned < 1.0
    assert request.hung_up is not None and request.hung_up - cancelled < 1.0
    assert request.frames_sent < SLOW.count("\n")  # before the stream ended
