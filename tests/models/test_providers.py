"""Each provider's wire format through real litellm and `ModelClient`: replies, usage, and the errors told.

The servers in `tests.support.scripted_llm` speak the OpenAI, Anthropic and Ollama APIs; the model strings are
the ones users write (`anthropic/<name>`, `ollama_chat/<name>`, `openrouter/<name>`, ...), with and without
streaming.
"""

from __future__ import annotations

import os
import re
import threading
import time

import pytest

from tests.support.scripted_llm import (
    DROP,
    GARBLED,
    HANG,
    OLLAMA,
    PROVIDER_KEY,
    PROVIDERS,
    Reply,
    ScriptedLLM,
    Status,
    Turn,
)
from untilgreen.models.base import RepairerError
from untilgreen.models.llm.client import Completion, ModelClient
from untilgreen.models.llm.provider import KEY_ENVS, point_ollama_lookups
from untilgreen.settings import Settings

MESSAGES = [
    {"role": "system", "content": "You fix code."},
    {"role": "user", "content": "The test fails with ZeroDivisionError."},
]
REPLY = "shop/pricing.py\n<<<<<<< SEARCH\n    return 1 / 0\n=======\n    return 0\n>>>>>>> REPLACE\n"


@pytest.fixture(autouse=True)
def provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", PROVIDER_KEY)
    monkeypatch.setenv("OPENROUTER_API_KEY", PROVIDER_KEY)


def serve(name: str, *turns: Turn) -> ScriptedLLM:
    """A server for provider `name` that, where the provider takes a key, insists on the exported one."""
    model, wire, _ = PROVIDERS[name]
    key = PROVIDER_KEY if KEY_ENVS.get(model.partition("/")[0]) and model != "openai/scripted" else None
    return ScriptedLLM(*turns, wire=wire, api_key=key)


def complete(name: str, llm: ScriptedLLM, **settings: object) -> Completion:
    model, _, stream = PROVIDERS[name]
    values: dict[str, object] = {
        "model": model,
        "api_base": llm.url,
        "stream": stream,
        "model_timeout": 10.0,
        "model_retries": 1,
        **settings,
    }
    client = ModelClient(Settings(**values), rng=lambda: 0.0)  # type: ignore[arg-type]
    return client.complete(
        MESSAGES, temperature=0.2, cancel=threading.Event(), deadline=time.monotonic() + 60
    )


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_reply_with_its_usage_and_the_prompt_as_the_provider_takes_it(name: str) -> None:
    with serve(name, Reply(REPLY, 120, 30)) as llm:
        completion = complete(name, llm)
    assert (completion.text, completion.finish_reason) == (REPLY, "stop")
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (120, 30)
    # litellm has no price for a made-up model name, but knows Ollama's local models cost nothing
    assert completion.usage.cost_usd == (0.0 if llm.wire is OLLAMA else None)
    [request] = llm.requests
    assert "ZeroDivisionError" in request.text and "You fix code." in request.text
    assert request.body["model"] == PROVIDERS[name][0].split("/", 1)[1]
    assert request.stream is PROVIDERS[name][2]


def test_the_request_bodies_of_each_api() -> None:
    with serve("anthropic", REPLY) as llm:
        complete("anthropic", llm)
    body = llm.requests[0].body
    assert llm.requests[0].path == "/v1/messages" and body["system"][0]["text"] == "You fix code."
    assert llm.requests[0].headers["x-api-key"] == PROVIDER_KEY and body["max_tokens"] > 0
    with serve("openai-stream", REPLY) as llm:
        complete("openai-stream", llm)
    assert llm.requests[0].body["stream_options"] == {"include_usage": True}
    for name, path in (("ollama", "/api/generate"), ("ollama_chat", "/api/chat")):
        with serve(name, REPLY) as llm:
            complete(name, llm)
        assert llm.requests[0].path == path and llm.requests[0].body["options"]["temperature"] == 0.2
        assert "authorization" not in llm.requests[0].headers


@pytest.mark.parametrize("name", ["ollama", "ollama_chat-stream"])
def test_ollama_model_lookups_go_to_the_configured_server(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm looks an Ollama model up before each call; asked of localhost:11434, a machine where nothing
    answers there at once made every call wait (and time out) first."""
    monkeypatch.delenv("OLLAMA_API_BASE", raising=False)
    with serve(name, Status(401)) as llm:
        with pytest.raises(RepairerError, match="HTTP 401"):
            complete(name, llm)
    assert llm.unrouted and set(llm.unrouted) == {"POST /api/show"}
    monkeypatch.setenv("OLLAMA_API_BASE", "http://127.0.0.1:9")  # a user's own is kept
    with serve(name, REPLY) as llm:
        complete(name, llm)
    assert os.environ["OLLAMA_API_BASE"] == "http://127.0.0.1:9"


def test_an_ollama_base_set_for_one_server_goes_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings that name no Ollama server any more (a language server's settings change) get litellm's default
    back, not the last server's."""
    monkeypatch.delenv("OLLAMA_API_BASE", raising=False)
    point_ollama_lookups(Settings(model="ollama_chat/x", api_base="http://127.0.0.1:9"))
    assert os.environ["OLLAMA_API_BASE"] == "http://127.0.0.1:9"
    point_ollama_lookups(Settings(model="ollama/x"))
    assert "OLLAMA_API_BASE" not in os.environ


@pytest.mark.parametrize("name", PROVIDERS)
def test_429_waits_as_retry_after_says_then_succeeds(name: str) -> None:
    with serve(name, Status(429, retry_after=1), REPLY) as llm:
        started = time.monotonic()
        completion = complete(name, llm)
    assert 1.0 <= time.monotonic() - started < 5
    assert [r.answer for r in llm.requests] == ["HTTP 429", REPLY] and completion.text == REPLY


ERRORS = {
    "401": (
        [Status(401)],
        r"^The model at \S+ refused the request for a missing or bad API key \(HTTP 401\);",
    ),
    "500": ([Status(500, retry_after=0)] * 2, r"^The model at \S+ kept failing \(HTTP 500\) after 2 tries;"),
    "timeout": ([HANG], r"^The model did not answer within 1 s;"),
    "dropped": ([DROP] * 2, r"^The model at \S+ kept failing \(connection reset\) after 2 tries;"),
    "malformed": (
        [GARBLED],
        r"^The model at \S+ answered with a malformed body; check that the `model` prefix",
    ),
}


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("name", PROVIDERS)
def test_failures_become_the_one_sentence_errors(name: str, error: str) -> None:
    turns, message = ERRORS[error]
    with serve(name, *turns) as llm:
        with pytest.raises(RepairerError) as raised:
            complete(name, llm, model_timeout=1.0)
    text = str(raised.value)
    assert re.match(message, text), text
    assert not re.search(r"\.\s+[A-Z]", text) and text.endswith(".")  # one sentence
    if error == "401":  # names the provider's own key variable; Ollama takes none
        own = KEY_ENVS.get(PROVIDERS[name][0].partition("/")[0])
        assert own in text if own else "provider's own" not in text
