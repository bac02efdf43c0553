"""The span of one model call, named and described by OpenTelemetry's GenAI semantic conventions (`chat <model>`,
`gen_ai.*`), with its cost as `untilgreen.cost_usd`. A span of the current context: within a run, its phase."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from untilgreen.telemetry.tracing import tracer

if TYPE_CHECKING:
    from opentelemetry.trace import Span


class ModelCall:
    """What a traced call tells its span once the reply is in (nothing, untraced)."""

    def __init__(self, span: Span | None) -> None:
        self.span = span

    def replied(
        self, input_tokens: int, output_tokens: int, cost_usd: float | None, finish_reason: str | None
    ) -> None:
        if self.span is None:
            return
        self.span.set_attributes(
            {"gen_ai.usage.input_tokens": input_tokens, "gen_ai.usage.output_tokens": output_tokens}
        )
        if cost_usd is not None:
            self.span.set_attribute("untilgreen.cost_usd", cost_usd)
        if finish_reason:
            self.span.set_attribute("gen_ai.response.finish_reasons", [finish_reason])


@contextmanager
def model_call(model: str, temperature: float, max_tokens: int | None) -> Iterator[ModelCall]:
    """Around one chat completion of `model` (a litellm string: `provider/name`, the provider litellm's route),
    retries included; an error ends the span as failed."""
    traced = tracer()
    if traced is None:
        yield ModelCall(None)
        return
    from opentelemetry.trace import SpanKind

    provider, _, name = model.partition("/") if "/" in model else ("", "", model)
    attributes: dict[str, str | float] = {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": name,
        "gen_ai.request.temperature": temperature,
    }
    if provider:  # the current name, and the older one many backends still read
        attributes.update({"gen_ai.provider.name": provider, "gen_ai.system": provider})
    if max_tokens is not None:
        attributes["gen_ai.request.max_tokens"] = max_tokens
    with traced.start_as_current_span(f"chat {name}", kind=SpanKind.CLIENT, attributes=attributes) as span:
        yield ModelCall(span)
