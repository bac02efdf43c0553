"""The LLM repairer: render the prompt, ask the model (through litellm) for candidates, parse the replies."""

from __future__ import annotations

import time
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from untilgreen.errors import Cancelled
from untilgreen.models.base import Candidate, RepairerError, RepairRequest
from untilgreen.models.llm.client import Completion, ModelClient
from untilgreen.models.llm.edit_formats import Parsed, parse_reply, resolve_format
from untilgreen.models.llm.prompt import prompt_text, render_prompt

if TYPE_CHECKING:
    from untilgreen.settings import Settings


class LLMRepairer:
    """A `Repairer` backed by any litellm model string (`openai/...`, `anthropic/...`, `ollama/...`, ...).

    `propose` raises `RepairerError` when the model cannot be used (unreachable, bad key, timeout, retries
    exhausted) and `untilgreen.errors.Cancelled` when `request.cancel` is set while it waits.
    """

    def __init__(self, settings: Settings) -> None:
        if not settings.model or settings.model == "builtin":
            raise RepairerError(
                "No model is configured; set `model` to a litellm model string such as openai/gpt-4o."
            )
        self.settings = settings
        self.name = settings.model
        self._strong = _Model(settings)
        fast = settings.fast_model
        self._fast = _Model(replace(settings, model=fast)) if fast and fast != settings.model else None

    def _model_for(self, request: RepairRequest) -> tuple[_Model, bool]:
        """`fast_model` until it has failed `escalate_after` attempts of this run, then `model`; and whether the
        prompt's start is worth caching: a cache write costs more than plain input, so only when an earlier
        attempt asked the same model (a read) or a later one may (a write that pays back)."""
        attempt = len({a.number for a in request.attempts}) + 1
        more = attempt < self.settings.attempts
        model, again = self._strong, more
        if self._fast is not None:
            failed = len({a.number for a in request.attempts if a.source == self._fast.name})
            if failed < self.settings.escalate_after:
                model, again = self._fast, more and failed + 1 < self.settings.escalate_after
        asked_before = any(a.source == model.name for a in request.attempts)
        return model, self.settings.prompt_cache and (again or asked_before)

    def propose(self, request: RepairRequest) -> list[Candidate]:
        model, cache = self._model_for(request)
        messages = render_prompt(request, model.edit_format, edit_tests=self.settings.edit_tests)
        deadline = time.monotonic() + request.time_budget_s
        count = max(1, request.candidates)

        def ask(index: int) -> Completion:
            told = request.progress
            return model.client.complete(
                messages,
                temperature=request.temperature,
                cancel=request.cancel,
                deadline=deadline,
                cache=cache,
                on_progress=None if told is None else lambda tokens, seconds: told(index, tokens, seconds),
            )

        if count == 1:
            completions = [ask(0)]
        else:  # one call per candidate, in parallel: each gets its own usage, and not every provider has `n`
            with ThreadPoolExecutor(count, thread_name_prefix="untilgreen-candidate") as pool:
                futures = [pool.submit(ask, index) for index in range(count)]
            outcomes = [f.exception() or f.result() for f in futures]
            completions = [o for o in outcomes if isinstance(o, Completion)]
            errors = [o for o in outcomes if isinstance(o, BaseException)]
            if request.cancel.is_set():
                raise Cancelled("the run was cancelled while waiting for the model")
            if not completions:
                raise errors[0]
        prompt = prompt_text(messages)
        shown = sorted({chunk.path for chunk in request.context.chunks})
        return [self._candidate(model, c, prompt, shown) for c in completions]

    @staticmethod
    def _candidate(model: _Model, completion: Completion, prompt: str, shown: list[str]) -> Candidate:
        parsed = cut_off(parse_reply(completion.text, model.edit_format, shown), completion)
        return Candidate(
            edits=parsed.edits,
            source=model.name,
            explanation=parsed.explanation,
            usage=completion.usage,
            prompt=prompt,
            response=completion.text,
            parse_error=parsed.error,
        )


class _Model:
    """One model of the repairer: its name (the candidates' source), edit format and client."""

    def __init__(self, settings: Settings) -> None:
        self.name = settings.model
        self.edit_format = resolve_format(settings.edit_format, settings.model)
        self.client = ModelClient(settings)


def cut_off(parsed: Parsed, completion: Completion) -> Parsed:
    """A reply the token limit cut off inside an edit is refused with that said, so the next one is shorter; one
    cut off after its last complete block is used as it is."""
    if completion.finish_reason != "length" or not (parsed.error or parsed.unterminated):
        return parsed
    return Parsed(
        error=(
            "Your reply was cut off by the output token limit before its edit was complete, so nothing was "
            "applied. Send a shorter edit: only the lines that change, with a few lines of context, and "
            "little or no explanation."
        ),
        explanation=parsed.explanation,
    )
