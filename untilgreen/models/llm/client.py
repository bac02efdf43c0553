"""One chat completion through litellm: lazy import, retries with backoff, cancellation, clear errors, usage.

litellm is imported on the first call, never at module import (it is slow and, without
`LITELLM_LOCAL_MODEL_COST_MAP`, fetches a price list from the network). Each call runs in a daemon thread so the
caller can stop waiting the moment the run is cancelled: an HTTP request in flight cannot be interrupted, so an
abandoned call ends on its own when its `timeout` closes the socket. With `stream`, the reply is read in that
thread (`stream.read`: progress while the model writes, the connection closed once the call is abandoned) and
assembled, so callers get one `Completion` either way.
"""

from __future__ import annotations

import email.utils
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from untilgreen.errors import Cancelled
from untilgreen.models.base import RepairerError, Usage
from untilgreen.models.llm.litellm_import import litellm_module
from untilgreen.models.llm.prompt_cache import mark_stable_start
from untilgreen.models.llm.provider import KEY_ENVS, point_ollama_lookups
from untilgreen.models.llm.stream import OnProgress, read
from untilgreen.telemetry.genai import model_call
from untilgreen.threads import abandonable

if TYPE_CHECKING:
    from untilgreen.settings import Settings

BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 30.0
GRACE_S = 5.0  # past the timeout, stop waiting for a call that litellm failed to time out
_TIMEOUTS = {
    "Timeout",
    "APITimeoutError",
    "TimeoutException",
    "ReadTimeout",
    "ConnectTimeout",
    "TimeoutError",
}
_RESETS = {
    "ConnectionResetError",
    "RemoteProtocolError",
    "ReadError",
    "BrokenPipeError",
    "ConnectionAbortedError",
}
_MALFORMED = {"JSONDecodeError", "MalformedReply"}


class MalformedReply(Exception):
    """A stream that ended without any text (litellm skips chunks it cannot parse, so a garbled stream is empty)."""


@dataclass(frozen=True)
class Completion:
    text: str
    usage: Usage
    # "stop", "length" (cut off by the token limit), ... as the provider said, when it said
    finish_reason: str | None = None


@dataclass(frozen=True)
class _Failure:
    """A classified call failure: retried (`retry`) or turned into `message`."""

    message: str
    retry: bool = False
    reason: str = ""
    retry_after: float | None = None


class ModelClient:
    def __init__(self, settings: Settings, *, rng: Callable[[], float] = random.random) -> None:
        self.settings = settings
        self._rng = rng

    @property
    def where(self) -> str:
        return self.settings.api_base or f"the {self.settings.model.partition('/')[0]} API"

    def complete(
        self,
        messages: Sequence[dict[str, str]],
        *,
        temperature: float,
        cancel: threading.Event,
        deadline: float,
        cache: bool = False,
        on_progress: OnProgress | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        """One reply to `messages` (of at most `max_tokens`, when given), retried on 429/5xx/resets until
        `model_retries` or `deadline` (monotonic). `cache`: mark the prompt's stable start for the provider's
        prompt cache (worth it when asked again); a streamed reply tells `on_progress` how far the model got."""
        started = time.monotonic()
        kwargs = self._kwargs(messages, temperature, cache)
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        with model_call(self.settings.model, temperature, max_tokens) as call:
            for attempt in range(self.settings.model_retries + 1):
                if cancel.is_set():
                    raise Cancelled("the run was cancelled while waiting for the model")
                try:
                    response = self._call(kwargs, cancel, on_progress)
                except Cancelled:
                    raise
                except BaseException as error:  # noqa: BLE001 - every failure is classified below
                    failure = self._classify(error)
                    if not failure.retry:
                        raise RepairerError(failure.message) from None
                    delay = backoff(attempt, failure.retry_after, self._rng)
                    if attempt == self.settings.model_retries or time.monotonic() + delay > deadline:
                        raise RepairerError(self._exhausted(failure, attempt + 1)) from None
                    if cancel.wait(delay):
                        raise Cancelled("the run was cancelled while waiting to retry the model") from None
                    continue
                completion = self._completion(response, time.monotonic() - started)
                usage = completion.usage
                call.replied(
                    usage.prompt_tokens, usage.completion_tokens, usage.cost_usd, completion.finish_reason
                )
                return completion
        raise AssertionError("unreachable")  # pragma: no cover

    def _kwargs(self, messages: Sequence[dict[str, str]], temperature: float, cache: bool) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": mark_stable_start(messages, self.settings.model) if cache else list(messages),
            "temperature": temperature,
            "timeout": self.settings.model_timeout,
            "max_retries": 0,  # the OpenAI client's own retries would hide 429s from our backoff and cancel
            "drop_params": True,  # e.g. models that take no `temperature`
        }
        if self.settings.stream:
            kwargs["stream"] = True
            kwargs["stream_options"] = {"include_usage": True}  # the token counts, in the last chunk
        if self.settings.api_base:
            kwargs["api_base"] = self.settings.api_base
        key = self._api_key()
        if key:
            kwargs["api_key"] = key
        return kwargs

    def _api_key(self) -> str | None:
        name = self.settings.api_key_env
        if name:
            value = os.environ.get(name, "").strip()
            if not value:
                raise RepairerError(
                    f"The environment variable {name} (named by `api_key_env`) is not set or empty; "
                    "export your API key in it."
                )
            return value
        if (
            self.settings.api_base
            and self.settings.model.startswith("openai/")
            and not os.environ.get("OPENAI_API_KEY")
        ):
            return "no-key"  # a local OpenAI-compatible server needs none, but the client insists on one
        return None  # litellm reads the provider's own variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...)

    def _call(self, kwargs: dict[str, Any], cancel: threading.Event, on_progress: OnProgress | None) -> Any:
        litellm = litellm_module()
        point_ollama_lookups(self.settings)
        abandoned = threading.Event()  # set when the caller stops waiting: a cancel or the deadline

        def call() -> Any:
            started = time.monotonic()
            response = litellm.completion(**kwargs)
            if not kwargs.get("stream"):
                return response
            chunks = read(response, abandoned, on_progress, started)
            if not any(c.choices and c.choices[0].delta.content for c in chunks):
                raise MalformedReply("the stream had no text")
            return litellm.stream_chunk_builder(chunks, messages=kwargs["messages"])

        try:
            return abandonable(
                call,
                cancel,
                name="untilgreen-model-call",
                cancelled="the run was cancelled while waiting for the model",
                deadline=time.monotonic() + self.settings.model_timeout + GRACE_S,
            )
        finally:
            abandoned.set()

    def _completion(self, response: Any, duration: float) -> Completion:
        choices = getattr(response, "choices", None) or []
        message = getattr(choices[0], "message", None) if choices else None
        usage = getattr(response, "usage", None)
        try:
            cost: float | None = float(litellm_module().completion_cost(completion_response=response))
        except Exception:  # noqa: BLE001 - litellm raises for models it has no price for
            cost = None
        return Completion(
            text=str(getattr(message, "content", None) or ""),
            finish_reason=getattr(choices[0], "finish_reason", None) if choices else None,
            usage=Usage(
                prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                cost_usd=cost,
                duration_s=duration,
                cached_tokens=_cached_tokens(usage),
            ),
        )

    def _classify(self, error: BaseException) -> _Failure:
        chain = list(_causes(error))
        names = {type(e).__name__ for e in chain}
        status = getattr(error, "status_code", None)
        detail = _server_message(error)
        if names & _TIMEOUTS or status == 408:
            return _Failure(
                f"The model did not answer within {self.settings.model_timeout:g} s; "
                "raise `model_timeout` or use a faster model."
            )
        if "ConnectError" in names or "ConnectionRefusedError" in names or "gaierror" in names:
            reason = (
                "connection refused"
                if "ConnectionRefusedError" in names
                else "host not found"
                if "gaierror" in names
                else str(chain[-1])
            )
            return _Failure(
                f"Cannot reach the model at {self.where}: {reason}; check `api_base` or start the server."
            )
        if names & _MALFORMED:
            return _Failure(
                f"The model at {self.where} answered with a malformed body; check that the `model` prefix "
                f"(`{self.settings.model.partition('/')[0]}/`) names the API that `api_base` serves."
            )
        if names & _RESETS:
            return _Failure("", retry=True, reason="connection reset")
        if status in (401, 403) or "Missing credentials" in detail or "AuthenticationError" in names:
            return _Failure(self._auth_message(status))
        if status == 404:
            return _Failure(
                f"The model `{self.settings.model}` was not found at {self.where} (HTTP 404); check the `model` "
                "setting (`openai/<name>` for an OpenAI-compatible server) and `api_base`."
            )
        if status == 429 or (isinstance(status, int) and status >= 500):
            return _Failure("", retry=True, reason=f"HTTP {status}", retry_after=_retry_after(error))
        if "ContextWindowExceeded" in " ".join(names) or "context length" in detail.lower():
            return _Failure(
                "The prompt is too long for the model; lower `context_tokens` or use a larger model."
            )
        code = f"HTTP {status}: " if status else f"{type(error).__name__}: "
        return _Failure(
            f"The model call failed ({code}{detail[:300]}); check the `model`, `api_base` and "
            "`api_key_env` settings."
        )

    def _auth_message(self, status: int | None) -> str:
        code = f" (HTTP {status})" if status else ""
        if self.settings.api_key_env:
            return (
                f"The model at {self.where} refused the API key{code}; check that the environment variable "
                f"{self.settings.api_key_env} (named by `api_key_env`) holds a valid key."
            )
        own = KEY_ENVS.get(self.settings.model.partition("/")[0], "e.g. OPENAI_API_KEY")
        return (
            f"The model at {self.where} refused the request for a missing or bad API key{code}; set `api_key_env` "
            "to the environment variable holding your key"
            + (f" (or set the provider's own, {own})." if own else ".")
        )

    def _exhausted(self, failure: _Failure, tries: int) -> str:
        return (
            f"The model at {self.where} kept failing ({failure.reason}) after {tries} tries; "
            "try again later or raise `model_retries`."
        )


def _cached_tokens(usage: Any) -> int:
    """Prompt tokens read from the provider's cache: OpenAI's `prompt_tokens_details.cached_tokens`, which
    litellm also fills from Anthropic's `cache_read_input_tokens`."""
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) or getattr(usage, "cache_read_input_tokens", None)
    return int(cached or 0)


def backoff(attempt: int, retry_after: float | None, rng: Callable[[], float] = random.random) -> float:
    """Seconds before retry number `attempt + 1`: the server's Retry-After, else exponential with jitter."""
    if retry_after is not None:
        return max(0.0, retry_after)
    return min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0**attempt) * (0.5 + rng())


def _retry_after(error: BaseException) -> float | None:
    for headers in (
        getattr(error, "litellm_response_headers", None),
        getattr(getattr(error, "response", None), "headers", None),
    ):
        if not headers:
            continue
        lowered = {str(k).lower(): str(v) for k, v in dict(headers).items()}
        if "retry-after-ms" in lowered:
            return _seconds(lowered["retry-after-ms"], 1000.0)
        if "retry-after" in lowered:
            return _seconds(lowered["retry-after"], 1.0)
    return None


def _seconds(value: str, per_second: float) -> float | None:
    try:
        return float(value) / per_second
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _server_message(error: BaseException) -> str:
    text = str(getattr(error, "message", "") or error)
    return text.split(" - ", 1)[-1].strip() if "Exception - " in text else text.strip()
