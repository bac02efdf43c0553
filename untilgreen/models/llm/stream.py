"""Reading a litellm stream: throttled progress while the model writes, and a hang-up the moment the run stops.

The reader checks `stop` after every chunk; once it is set, the HTTP response under litellm's wrapper is closed, so
the provider stops generating (and billing) instead of writing to a reader that is gone. A stream that sends
nothing at all is closed by its `model_timeout`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from untilgreen.errors import Cancelled

OnProgress = Callable[[int, float], None]  # (tokens written so far, seconds since the request was sent)
PROGRESS_EVERY_S = 0.25  # at most four reports a second, and one at the end


def read(stream: Any, stop: threading.Event, on_progress: OnProgress | None, started: float) -> list[Any]:
    """Every chunk of `stream`; raises Cancelled, after closing the stream, as soon as `stop` is set."""
    chunks: list[Any] = []
    chars, reported = 0, 0.0
    try:
        for chunk in stream:
            if stop.is_set():
                raise Cancelled("the run was cancelled while the model was writing")
            chunks.append(chunk)
            chars += len(_text(chunk))
            now = time.monotonic()
            if on_progress is not None and now - reported >= PROGRESS_EVERY_S:
                reported = now
                on_progress(_tokens(chunks, chars), now - started)
    except BaseException:
        close(stream)
        raise
    if on_progress is not None:
        on_progress(_tokens(chunks, chars), time.monotonic() - started)
    return chunks


def _text(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or []
    delta = getattr(choices[0], "delta", None) if choices else None
    return str(getattr(delta, "content", None) or "")


def _tokens(chunks: list[Any], chars: int) -> int:
    """The completion tokens the provider counted, when a chunk says (most say only in the last one); until then
    an estimate of a token per four characters of text, the usual ratio for English and code."""
    for chunk in reversed(chunks):
        counted = getattr(getattr(chunk, "usage", None), "completion_tokens", None)
        if counted:
            return int(counted)
    return (chars + 3) // 4


def close(stream: Any) -> None:
    """Close the connection under litellm's stream wrapper, which has no synchronous `close` of its own: the
    provider SDK's stream (OpenAI's closes its HTTP response) or litellm's own line iterator over it."""
    inner = getattr(stream, "completion_stream", None)
    for target in (inner, getattr(inner, "streaming_response", None)):
        closer = getattr(target, "close", None)
        if callable(closer):
            try:
                closer()
            except Exception:  # noqa: BLE001 - a connection that fails to close is dropped anyway
                pass
