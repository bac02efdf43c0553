"""The LLM repairer: render the prompt, ask the model (through litellm) for candidates, parse the replies."""

from __future__ import annotations

import time
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
        self.edit_format = resolve_format(settings.edit_format, settings.model)
        self._client = ModelClient(settings)

    def propose(self, request: RepairRequest) -> list[Candidate]:
        messages = render_prompt(request, self.edit_format, edit_tests=self.settings.edit_tests)
        deadline = time.monotonic() + request.time_budget_s
        count = max(1, request.candidates)

        def ask(index: int) -> Completion:
            told = request.progress
            return self._client.complete(
                messages,
                temperature=request.temperature,
                cancel=request.cancel,
                deadline=deadline,
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
        return [self._candidate(c, prompt, shown) for c in completions]

    def _candidate(self, completion: Completion, prompt: str, shown: list[str]) -> Candidate:
        parsed = cut_off(parse_reply(completion.text, self.edit_format, shown), completion)
        return Candidate(
            edits=parsed.edits,
            source=self.name,
            explanation=parsed.explanation,
            usage=completion.usage,
            prompt=prompt,
            response=completion.text,
            parse_error=parsed.error,
        )


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
