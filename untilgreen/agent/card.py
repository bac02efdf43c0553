"""A model's green patch gets its fix card written in plain words by one short extra model call.

The card is worth a little and never worth a failed run: the call is skipped when memory is off or when it could
overspend the cost budget, and a model error or an unusable reply leaves the card's plain text (said in an info
notice). What the call used is charged to the run's budget and kept in its record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from untilgreen.agent.memory_bridge import AttemptNote
from untilgreen.agent.result import source_kind
from untilgreen.errors import Cancelled
from untilgreen.models.base import Candidate, RepairerError

if TYPE_CHECKING:
    from untilgreen.agent.attempt import Tried
    from untilgreen.agent.session import RunSession
    from untilgreen.models.llm.card_writer import CardText
    from untilgreen.sandbox.results import Failure
    from untilgreen.sandbox.workspace import Workspace

KEPT = "The fix card keeps its plain text: "


def card_text(
    session: RunSession, winner: Tried, failures: Sequence[Failure], workspace: Workspace
) -> CardText | None:
    """The card's words from the fast model, for a patch a model wrote; None: the card keeps its plain text."""
    source = winner.candidate.source
    if source_kind(source) != source or session.memory.store is None:
        return None  # the built-in repairer's and replayed fixes keep their text; no memory, no card
    from untilgreen.memory.records import CARD_CALL
    from untilgreen.models.llm.card_writer import CardWriter, parse_card
    from untilgreen.models.llm.privacy import project_secrets
    from untilgreen.models.llm.prompt import prompt_text, render_card_prompt

    writer = CardWriter(session.settings)
    messages = render_card_prompt(
        failures, winner.diff, winner.candidate.explanation, project_secrets(workspace)
    )
    budget = session.budget
    over = budget.over_with(writer.estimate_usd(messages))
    if over:
        session.notify(KEPT + f"writing it could exceed the cost budget ({over}).")
        return None
    try:
        completion = writer.ask(messages, session.cancel)
    except (RepairerError, Cancelled) as err:
        session.notify(KEPT + str(err))
        return None
    budget.charge(completion.usage, writer.model)
    call = Candidate(
        [], writer.model, usage=completion.usage, prompt=prompt_text(messages), response=completion.text
    )
    session.memory.record_attempt(
        AttemptNote(session.attempts, call, CARD_CALL, "", "", completion.usage.duration_s)
    )
    text = parse_card(completion.text)
    if text is None:
        session.notify(KEPT + f"{writer.model} did not answer in the asked form.")
    return text
