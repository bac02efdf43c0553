"""A blocking call that a cancel (or a deadline) can walk away from."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from untilgreen.errors import Cancelled

T = TypeVar("T")
POLL_S = 0.05  # how often the waiting caller checks for cancellation


def abandonable(
    call: Callable[[], T],
    cancel: threading.Event,
    *,
    name: str,
    cancelled: str,
    deadline: float | None = None,
) -> T:
    """`call()` in a daemon thread, waited for by polling: `Cancelled(cancelled)` as soon as `cancel` is set, and
    `TimeoutError` past `deadline` (a `time.monotonic()` value). The thread is then abandoned: a call stuck in
    something it cannot interrupt (a socket, a C extension) never holds up a cancel. Its own error is re-raised."""
    box: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as err:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = err
        finally:
            done.set()

    context = contextvars.copy_context()  # the caller's: a traced call nests in the caller's span
    threading.Thread(target=context.run, args=(run,), name=name, daemon=True).start()
    while not done.wait(POLL_S):
        if cancel.is_set():
            raise Cancelled(cancelled)
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError("the call outlived its timeout")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
