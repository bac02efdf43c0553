"""The words of a fix card: one short call to the fast model, asking for a summary line and the root cause.

The call is made once, without retries: a card is worth a little, not a wait.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from untilgreen.models.llm.client import Completion, ModelClient
from untilgreen.models.llm.litellm_import import litellm_module

if TYPE_CHECKING:
    from untilgreen.models.llm.prompt import Message
    from untilgreen.settings import Settings

MAX_REPLY_TOKENS = 300
CHARS_PER_TOKEN = 4  # about, for English and code; enough for an estimate
TEMPERATURE = 0.2
_CARD = re.compile(
    r"^[*#\s]*summary[*\s]*:[*\s]*(?P<summary>[^\n]*?)\s*$.*?^[*#\s]*root cause[*\s]*:[*\s]*(?P<cause>.*?)\s*\Z",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class CardText:
    summary: str  # one line
    root_cause: str  # a few sentences


class CardWriter:
    def __init__(self, settings: Settings) -> None:
        self.model = settings.fast_model or settings.model
        self._client = ModelClient(dataclasses.replace(settings, model=self.model, model_retries=0))

    def estimate_usd(self, messages: Sequence[Message]) -> float:
        """The most the call can cost: the prompt at about four characters a token and a reply of the full
        `MAX_REPLY_TOKENS`, at litellm's price for the model. 0.0 when litellm has no price for it."""
        prompt_tokens = sum(len(m["content"]) for m in messages) // CHARS_PER_TOKEN + 1
        try:
            costs = litellm_module().cost_per_token(
                model=self.model, prompt_tokens=prompt_tokens, completion_tokens=MAX_REPLY_TOKENS
            )
        except Exception:  # noqa: BLE001 - litellm raises for models it has no price for
            return 0.0
        return float(sum(costs))

    def ask(self, messages: Sequence[Message], cancel: threading.Event) -> Completion:
        """The model's reply; `RepairerError` when the model cannot be used, `Cancelled` when the run is."""
        return self._client.complete(
            messages,
            temperature=TEMPERATURE,
            cancel=cancel,
            deadline=time.monotonic(),
            max_tokens=MAX_REPLY_TOKENS,
        )


def parse_card(reply: str) -> CardText | None:
    """The `SUMMARY:` line and the `ROOT CAUSE:` text the prompt asks for; None when either is missing or empty."""
    match = _CARD.search(reply)
    if match is None:
        return None
    summary = " ".join(match["summary"].split())[:200]
    cause = " ".join(match["cause"].split())[:2000]
    return CardText(summary, cause) if summary and cause else None
