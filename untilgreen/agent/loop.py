"""The attempts of a run, until a candidate is green on the whole suite: propose → apply and validate each
candidate → choose → carry what was learned into the next attempt. Fix mode and goal mode's code step both run it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from untilgreen.agent.attempt import AttemptRunner, Tried
from untilgreen.agent.changes import new_ranges
from untilgreen.protocol import AttemptValidated, ChunkBrief, Localized
from untilgreen.agent.memory_bridge import hints
from untilgreen.agent.repairers import Chain
from untilgreen.agent.select import best
from untilgreen.agent.session import RunSession, RunStopped
from untilgreen.agent.validate import Validator
from untilgreen.models.base import AttemptSummary, Candidate, RepairRequest
from untilgreen.sandbox.results import Failure

if TYPE_CHECKING:
    from untilgreen.context import Context, Index
    from untilgreen.memory import Recollection

IDLE_ROUNDS = 2  # attempts in a row with only already-tried patches before the run stops for no progress


class AttemptLoop:
    """The attempts of one run, with what carries from one to the next."""

    def __init__(
        self,
        session: RunSession,
        chain: Chain,
        runner: AttemptRunner,
        validator: Validator,
        index: Index,
        failures: list[Failure],
        recollections: list[Recollection],
    ) -> None:
        self.session, self.chain, self.runner, self.validator, self.index = (
            session,
            chain,
            runner,
            validator,
            index,
        )
        self.failures = failures
        self.recollections = recollections
        # the attempts so far, as the next proposal sees them (a resumed run's start with the stopped run's)
        self.history: list[AttemptSummary] = list(session.resumed.history) if session.resumed else []
        self.active = 0  # the repairer asked now; every repairer but the last is asked once
        self.widen = 1
        self.temperature = session.settings.temperature
        self.context: Context | None = None
        self.last_signature = ""
        self.idle = 0

    def until_green(self, known: list[Candidate]) -> Tried:
        """The green winner (the caller closes it); `known`: remembered fixes, tried first as one attempt.
        Raises RunStopped when the budget or the repairers give out, and Cancelled."""
        session = self.session
        while True:
            number = session.next_attempt("no green patch")
            if known:
                candidates, known = known[: max(1, session.settings.candidates)], []
                session.offer(number, candidates, "memory")
            else:
                candidates = self._propose(number)
            tried = self._attempt(number, candidates)
            winner = best(tried)
            if winner is not None and winner.outcome == "green":
                self._final_check(number, winner)
            self._remember(tried)
            if winner is not None and winner.outcome == "green":
                for other in tried:
                    if other is not winner:
                        other.close()
                return winner
            for t in tried:
                t.close()
            self._next_inputs(winner or next((t for t in tried if t.failures), None), tried)

    def _final_check(self, number: int, winner: Tried) -> None:
        """The whole suite once more, cold; a winner that fails it is told as validated with its new outcome."""
        session = self.session
        session.phase("final-check", number)
        assert winner.patched is not None  # a green candidate was applied
        verdict = self.validator.full(winner.patched.workspace, number, winner.index)
        winner.outcome, winner.detail, winner.failures = verdict.outcome, verdict.detail, verdict.failures
        winner.regressions, winner.passed = verdict.regressions, verdict.passed
        if verdict.outcome != "green":
            session.emit(
                AttemptValidated(
                    session.run_id,
                    number,
                    winner.index,
                    winner.candidate.source,
                    winner.outcome,
                    winner.detail,
                    diff=winner.diff,
                    ranges=new_ranges(winner.changes),
                    regressions=winner.regressions,
                    security=winner.security,
                )
            )

    def _propose(self, number: int) -> list[Candidate]:
        session, settings = self.session, self.session.settings
        repairers = self.chain.repairers
        while True:
            repairer = repairers[self.active]
            last = self.active == len(repairers) - 1
            context = self.context or self._localize(number)
            seconds = session.budget.remaining_seconds()
            if not last:
                seconds = min(seconds, settings.builtin_seconds)
            request = RepairRequest(
                mode=session.request.mode,
                workspace=self.runner.base,
                report=self.validator.baseline.report,
                targets=list(self.validator.baseline.targets),
                failures=list(self.failures),
                context=context,
                attempts=list(self.history),
                recollections=list(self.recollections),
                goal=session.request.goal,
                candidates=max(1, settings.candidates),
                temperature=self.temperature,
                time_budget_s=seconds,
                cancel=session.cancel,
                notify=lambda message: session.notify(message, "warning"),
                progress=session.model_progress(number),
            )
            session.phase("propose", number)
            candidates = session.ask(repairer, request, number)
            if not last:
                self.active += 1
            if candidates:
                return candidates
            if last:
                why = session.nothing_from(repairer)
                raise RunStopped(
                    "no-progress", f"the {repairer.name} repairer had nothing (more) to propose{why}"
                )
            why = session.nothing_from(repairer, repairers[self.active].name)
            if why:  # the numbers stay recorded; the user is told what was tried before the next is asked
                session.notify(f"the {repairer.name} repairer found nothing to propose{why}")

    def _localize(self, number: int) -> Context:
        session = self.session
        session.phase("localize", number)
        context = self.context = self.index.localize(
            self.validator.baseline.report,
            targets=self.validator.baseline.targets,
            hints=hints(self.recollections),
            budget_tokens=session.settings.context_tokens * self.widen,
        )
        chunks = [
            ChunkBrief(c.id, c.path, c.symbol, c.start, c.end, round(c.score, 4), c.why)
            for c in context.chunks
        ]
        for path in sorted({c.path for c in context.chunks}):
            session.saw(path, self.runner.base.read_or_none(path))
        session.emit(
            Localized(session.run_id, number, context.tokens, chunks, len(hints(self.recollections)))
        )
        return context

    def _attempt(self, number: int, candidates: list[Candidate]) -> list[Tried]:
        self.session.phase("validate", number)
        if len(candidates) == 1:
            return [self.runner.run(number, 0, candidates[0])]
        with ThreadPoolExecutor(max_workers=min(len(candidates), 4), thread_name_prefix="candidate") as pool:
            futures = [pool.submit(self.runner.run, number, i, c) for i, c in enumerate(candidates)]
            tried = []
            for future in futures:
                try:
                    tried.append(future.result())
                except BaseException:
                    for done in tried:
                        done.close()
                    raise
            return tried

    def _remember(self, tried: list[Tried]) -> None:
        for t in tried:
            for path, (before, _) in t.changes.items():
                self.session.saw(path, before)
            self.history.append(t.summary(_first_signature(t.failures)))
            tests = f"{t.passed} passed, {len(t.failures)} failed" if t.patched else ""
            self.session.record(
                t.number,
                t.index,
                t.candidate,
                outcome=t.outcome,
                detail=t.detail,
                diff=t.diff,
                duration_s=t.duration_s,
                tests=tests,
                fingerprint=t.fingerprint,
            )

    def _next_inputs(self, lead: Tried | None, tried: list[Tried]) -> None:
        """The same failure twice in a row widens the context and changes the temperature; only already-tried
        patches twice in a row stops the run. The request keeps the baseline failures: each attempt's own failure
        reaches the repairer through its summary."""
        session = self.session
        signature = _first_signature(lead.failures) if lead is not None else ""
        if signature and signature == self.last_signature:
            self.widen *= 2
            self.temperature = round((self.temperature + 0.4) % 1.0, 2)
            self.context = None
            session.notify(
                f"the same failure came back twice in a row; restarting with a broader context "
                f"({session.settings.context_tokens * self.widen} tokens) and temperature "
                f"{self.temperature}"
            )
        self.last_signature = signature
        self.idle = self.idle + 1 if all(t.outcome == "duplicate" for t in tried) else 0
        if self.idle >= IDLE_ROUNDS:
            raise RunStopped(
                "no-progress",
                f"the repairer proposed only patches already tried, {IDLE_ROUNDS} attempts in a row",
            )


def _first_signature(failures: list[Failure]) -> str:
    if not failures:
        return ""
    from untilgreen.memory.signature import signature

    return signature(failures[0]).text
