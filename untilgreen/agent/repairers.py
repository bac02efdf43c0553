"""Which repairers a run asks, in order, and a cancellable call into one of them.

No model configured (or `model = "builtin"`): the built-in repairer alone. A model with `strategy = builtin-first`:
the built-in repairer first (with `builtin_seconds`), the model once it has nothing more. `model-only`: the model.
The LLM repairer (and litellm) is imported only when a model is configured.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from untilgreen.errors import Cancelled
from untilgreen.models.base import Candidate, RepairRequest, Repairer
from untilgreen.settings import Settings

BUILTIN = "builtin"
POLL_S = 0.05


@dataclass
class Chain:
    repairers: list[Repairer]
    notice: str = ""


def choose(settings: Settings) -> Chain:
    model = settings.model.strip()
    if not model or model == BUILTIN:
        from untilgreen.models.builtin import BuiltinRepairer

        notice = "" if model else (
            "no model is configured, so the built-in repairer runs (offline; it tries small mutations of the code "
            "the failure points at); configure a model with --model (any litellm model string, e.g. "
            "openai/gpt-4o-mini) or the `model` setting")
        return Chain([BuiltinRepairer.from_settings(settings)], notice)
    from untilgreen.models.llm import LLMRepairer

    llm = LLMRepairer(settings)
    if settings.strategy == "builtin-first":
        from untilgreen.models.builtin import BuiltinRepairer

        return Chain([BuiltinRepairer.from_settings(settings), llm])
    return Chain([llm])


def is_builtin(repairer: Repairer) -> bool:
    return repairer.name == BUILTIN


def propose(repairer: Repairer, request: RepairRequest) -> list[Candidate]:
    """`repairer.propose(request)` in a helper thread, so a cancel returns at once even if the repairer is stuck
    in a call it cannot interrupt (the thread is a daemon and is abandoned)."""
    box: dict[str, object] = {}

    def call() -> None:
        try:
            box["value"] = repairer.propose(request)
        except BaseException as err:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = err

    thread = threading.Thread(target=call, name=f"propose-{repairer.name}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(POLL_S)
        if request.cancel.is_set() and thread.is_alive():
            raise Cancelled("cancelled while the repairer was working")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return list(box.get("value") or [])  # type: ignore[call-overload]


def explain_nothing(repairer: Repairer, next_repairer: str = "") -> tuple[str, dict[str, Any] | None]:
    """Why `repairer` had nothing (more) to propose, when it can say (the built-in repairer's search): ": " and a
    sentence to end the stop message (or the notice that `next_repairer` is asked next) with, and the same as
    JSON; ("", None) otherwise."""
    summary = getattr(repairer, "summary", None)
    found = summary(next_repairer) if callable(summary) else None
    return (f": {found[0]}", found[1]) if found else ("", None)
