"""Which repairers a run asks, in order, and a cancellable call into one of them.

No model configured (or `model = "builtin"`): the built-in repairer alone. A model with `strategy = builtin-first`:
the built-in repairer first (with `builtin_seconds`), the model once it has nothing more. `model-only`: the model.
The LLM repairer (and litellm) is imported only when a model is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from untilgreen.models.base import Candidate, Explains, RepairRequest, Repairer
from untilgreen.settings import Settings
from untilgreen.threads import abandonable

BUILTIN = "builtin"


@dataclass
class Chain:
    repairers: list[Repairer]
    notice: str = ""


def choose(settings: Settings) -> Chain:
    model = settings.model.strip()
    if not model or model == BUILTIN:
        from untilgreen.models.builtin import BuiltinRepairer

        notice = (
            ""
            if model
            else (
                "no model is configured, so the built-in repairer runs (offline; it tries small mutations of the code "
                "the failure points at); configure a model with --model (any litellm model string, e.g. "
                "openai/gpt-4o-mini) or the `model` setting"
            )
        )
        return Chain([BuiltinRepairer.from_settings(settings)], notice)
    from untilgreen.models.llm import LLMRepairer

    llm = LLMRepairer(settings)
    if settings.strategy == "builtin-first":
        from untilgreen.models.builtin import BuiltinRepairer

        return Chain([BuiltinRepairer.from_settings(settings), llm])
    return Chain([llm])


def propose(repairer: Repairer, request: RepairRequest) -> list[Candidate]:
    """`repairer.propose(request)`, returning at once on a cancel even if the repairer is stuck in a call it
    cannot interrupt."""
    return list(
        abandonable(
            lambda: repairer.propose(request),
            request.cancel,
            name=f"propose-{repairer.name}",
            cancelled="cancelled while the repairer was working",
        )
        or []
    )


def explain_nothing(repairer: Repairer, next_repairer: str = "") -> tuple[str, dict[str, Any] | None]:
    """Why `repairer` had nothing (more) to propose, when it can say (the built-in repairer's search): ": " and a
    sentence to end the stop message (or the notice that `next_repairer` is asked next) with, and the same as
    JSON; ("", None) otherwise."""
    found = repairer.summary(next_repairer) if isinstance(repairer, Explains) else None
    return (f": {found[0]}", found[1]) if found else ("", None)
