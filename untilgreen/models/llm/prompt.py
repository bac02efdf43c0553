"""Rendering a `RepairRequest` into chat messages from the template files in `templates/`.

Templates use `str.format` fields; sections that are empty for a request (no earlier attempts, no recollections)
disappear. The whole prompt is redacted last: the values of the project's `.env` files and anything shaped like
a key or token are masked, and secret files (`.env`, keys, credentials) are left out of the code shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from untilgreen.memory.redact import redact
from untilgreen.models.llm.edit_formats import SEARCH_REPLACE, SYMBOL
from untilgreen.models.llm.privacy import (
    is_secret_path,
    project_secrets,
    without_secret_diffs,
    without_secret_sections,
)

if TYPE_CHECKING:
    from untilgreen.memory.records import Recollection
    from untilgreen.models.base import AttemptSummary, RepairRequest
    from untilgreen.protocol import Outcome
    from untilgreen.sandbox.results import Failure

Message = dict[str, str]

MAX_FRAMES = 8
MAX_ATTEMPTS = 6  # the most recent attempts shown; older ones add tokens, not insight
MAX_RECOLLECTIONS = 3
MAX_CARD_FAILURES = 3  # the card names one failure; a few show what the fix had in common

_OUTCOMES: dict[Outcome, str] = {  # every Outcome: a test holds it to that
    "still-failing": "Applied, but the failing tests still fail",
    "regression": "Applied, but other tests broke",
    "not-applied": "Could not be applied to the code",
    "refused": "Refused",
    "lint": "Broke the code (syntax or lint error)",
    "duplicate": "Repeated an earlier attempt",
    "timeout": "Made the tests hang (timeout)",
    "error": "Failed with an error",
    "green": "Made the failing tests pass",
    "invalid-tests": "The tests are not valid Python or do not collect",
    "vacuous": "Rejected: a new test asserts nothing",
    "goal-met": "The new tests already pass on the current code",
    "red": "The new tests fail on the current code, as they should",
}


@cache
def template(name: str) -> str:
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8").rstrip("\n")


def render_prompt(request: RepairRequest, edit_format: str, *, edit_tests: bool = False) -> list[Message]:
    """The system and user messages for `request`, redacted; `edit_format` is `search-replace` or `symbol`.

    Fix mode sends two user messages: what stays the same across a run's attempts (task, failures, code), then
    what changes (earlier attempts, memory, the reminder), so a provider's prompt cache can keep the first.
    """
    goal_tests = request.mode == "goal" and request.phase == "tests"
    if goal_tests:
        edit_format = SEARCH_REPLACE  # new test files cannot be written as symbol replacements
    system = template("system.md").format(
        test_rule=_test_rule(request, edit_tests),
        format_instructions=template(f"format_{edit_format.replace('-', '_')}.md"),
    )
    if goal_tests:
        users = [_goal_tests(request, edit_format)]
    else:
        users = [
            template("user.md").format(
                task=_task(request),
                failures="\n\n".join(_failure(f) for f in request.failures)
                or "(no failure details were captured)",
                code=_code(request),
            ),
            template("user_attempts.md").format(
                history=_history(request.attempts),
                memory=_memory(request.recollections),
                reminder=_reminder(request, edit_format),
            ),
        ]
    secrets = project_secrets(request.workspace)
    return [
        {"role": "system", "content": redact(system, secrets)},
        *({"role": "user", "content": redact(user, secrets)} for user in users),
    ]


def render_card_prompt(
    failures: Sequence[Failure], diff: str, explanation: str, secrets: Sequence[str]
) -> list[Message]:
    """The fix card's prompt: what failed, the green patch and the repair model's own words, redacted."""
    user = template("fix_card.md").format(
        failures="\n\n".join(_failure(f) for f in failures[:MAX_CARD_FAILURES])
        or "(no failure details were captured)",
        diff=clip(without_secret_diffs(diff).strip(), 60, 20, 4000),
        explanation=clip(explanation.strip(), 20, 5, 2000) or "(nothing)",
    )
    return [{"role": "user", "content": redact(user, secrets)}]


def prompt_text(messages: Sequence[Message]) -> str:
    """The messages as one text, for the run record."""
    return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)


def _test_rule(request: RepairRequest, edit_tests: bool) -> str:
    if request.mode == "goal" and request.phase == "tests":
        return "Write tests only: this step encodes the goal as tests; edits to other files are refused."
    if request.mode == "goal":
        return (
            "Do not edit the test files: the tests written for the goal are frozen now; write the code that "
            "makes them pass. Edits to tests are refused."
        )
    if edit_tests:
        return "Edit a test only if the test itself is clearly wrong; fix the code under test otherwise."
    return "Do not edit the test files: fix the code under test. Edits to tests are refused."


def _task(request: RepairRequest) -> str:
    targets = "\n".join(f"- {t}" for t in request.targets) or "- (no failing test named)"
    if request.mode == "goal":
        return template("task_goal.md").format(goal=request.goal.strip(), targets=targets)
    return template("task_fix.md").format(targets=targets)


def _goal_tests(request: RepairRequest, edit_format: str) -> str:
    """Goal mode's first step: a short plan and the tests that encode the goal, before any code."""
    from untilgreen.memory.signature import is_test_file

    tests = [p for p in request.workspace.files() if p.endswith(".py") and is_test_file(p)]
    return template("goal_tests.md").format(
        goal=request.goal.strip(),
        tests="\n".join(f"- {p}" for p in tests[:40]) or "- (none yet; create tests/test_<topic>.py)",
        code=_code(request),
        history=_history(request.attempts),
        reminder=_reminder(request, edit_format),
    )


def _failure(failure: Failure) -> str:
    head = f"{failure.exc_type}: {failure.message}" if failure.exc_type else failure.message
    lines = [f"## {failure.test_id} ({failure.kind})", clip(head.strip(), 20, 20, 2500)]
    if failure.frames:
        lines.append("Deepest frames (innermost last):")
        lines += [
            f"  {f.file}:{f.line} in {f.function}" + ("" if f.in_project else " (library)")
            for f in failure.frames[-MAX_FRAMES:]
        ]
    if failure.output.strip():
        lines.append(
            "Output (head and tail):\n```text\n" + clip(failure.output.strip(), 30, 50, 6000) + "\n```"
        )
    return "\n".join(lines)


def _code(request: RepairRequest) -> str:
    """The packed context, and the source of any failing test the packing left out; no secret files."""
    rendered = without_secret_sections(request.context.rendered)
    missing = [
        f"### {t.id} (failing test, lines {t.start}-{t.end})\n```\n{t.text}\n```"
        for t in request.context.tests
        if t.text not in rendered and not is_secret_path(t.path)
    ]
    return "\n\n".join([*missing, rendered]).strip() or "(no code was found for these failures)"


def _history(attempts: Sequence[AttemptSummary]) -> str:
    """Earlier attempts, most recent first, grouped by what happened to them."""
    if not attempts:
        return ""
    recent = sorted(attempts, key=lambda a: a.number, reverse=True)[:MAX_ATTEMPTS]
    groups: dict[Outcome, list[AttemptSummary]] = {}
    for attempt in recent:
        groups.setdefault(attempt.outcome, []).append(attempt)
    parts = ["# Earlier attempts (most recent first; your fix must differ from them)"]
    for outcome, members in groups.items():
        numbers = ", ".join(str(a.number) for a in members)
        parts.append(f"## {_OUTCOMES[outcome]} (attempt {numbers})")
        for a in members:
            body = (
                f"### Attempt {a.number} ({a.source})\nWhat happened: {clip(a.detail.strip(), 25, 15, 2500)}"
            )
            if a.diff.strip():
                body += "\n```diff\n" + clip(without_secret_diffs(a.diff).strip(), 40, 20, 3000) + "\n```"
            parts.append(body)
    return "\n\n".join(parts) + "\n\n"


def _memory(recollections: Sequence[Recollection]) -> str:
    if not recollections:
        return ""
    parts = ["# Fixes that worked for similar failures before (use them if they fit)"]
    for r in recollections[:MAX_RECOLLECTIONS]:
        card = r.card
        title = card.summary.strip() if r.same_project and card.summary.strip() else card.signature.text
        lines = [f"## {title} ({r.applied_in}; similarity {r.score:.2f})"]
        if r.same_project and card.root_cause.strip():
            lines.append(f"Root cause: {card.root_cause.strip()}")
        lines.append("```diff\n" + clip(without_secret_diffs(card.diff).strip(), 40, 20, 3000) + "\n```")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n\n"


def _reminder(request: RepairRequest, edit_format: str) -> str:
    kind = "REPLACE SYMBOL blocks" if edit_format == SYMBOL else "SEARCH/REPLACE blocks"
    if request.mode == "goal" and request.phase == "tests":
        text = f"Write the plan, then the tests as {kind}."
    else:
        text = f"Name the cause in one or two sentences, then give the fix as {kind}."
    if request.attempts:
        text += " Do not repeat an earlier attempt."
    return text


def clip(text: str, head: int, tail: int, max_chars: int) -> str:
    """At most `head` + `tail` lines and about `max_chars` characters, with what was left out said."""
    lines = text.splitlines()
    if len(lines) > head + tail:
        lines = [*lines[:head], f"... ({len(lines) - head - tail} lines left out) ...", *lines[-tail:]]
    text = "\n".join(lines)
    if len(text) > max_chars:
        half = max_chars // 2
        text = f"{text[:half]}\n... ({len(text) - 2 * half} characters left out) ...\n{text[-half:]}"
    return text
