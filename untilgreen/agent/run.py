"""The run: baseline → (known fix from memory) → localize → propose → apply → lint → validate → decide, until
green or a budget is spent. Everything happens in a shadow; the user's files are only read.

Stop reasons: green, already-green, budget, no-progress, cancelled, model-error, environment, nothing-to-fix
(and goal-met in goal mode, see untilgreen.agent.goal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from untilgreen.agent.apply import Policy
from untilgreen.agent.attempt import AttemptRunner, Seen, Tried
from untilgreen.agent.baseline import establish
from untilgreen.agent.budget import Budget
from untilgreen.agent.changes import new_ranges, old_lines
from untilgreen.protocol import (
    AttemptProposed, AttemptValidated, ChunkBrief, Event, FailureBrief, Localized, Notice, PhaseChanged, RunFailed,
    RunFinished, RunStarted, TestsRan,
)  # fmt: skip
from untilgreen.agent.memory_bridge import AttemptNote, MemoryBridge, hints
from untilgreen.agent.repairers import Chain, choose, explain_nothing, propose
from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import AttemptResult, FileChange, RunResult, StopReason, sha256
from untilgreen.agent.select import best
from untilgreen.agent.validate import Validator
from untilgreen.errors import Cancelled, UserError
from untilgreen.models.base import AttemptSummary, Candidate, Repairer, RepairerError, RepairRequest
from untilgreen.sandbox.results import Failure, TestReport
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from untilgreen.context import Context, Index
    from untilgreen.memory import Recollection, Signature

OnEvent = Callable[[Event], None]
IDLE_ROUNDS = 2  # attempts in a row with only already-tried patches before the run stops for no progress


class _Stop(Exception):
    def __init__(self, reason: StopReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def run(request: RunRequest, on_event: OnEvent | None = None, cancel: threading.Event | None = None, *,
        repairers: Sequence[Repairer] | None = None) -> RunResult:
    """Run the loop for `request`. `repairers` replaces the chain the settings choose (tests, the eval harness).

    Raises UserError for problems the user must fix (no tests collected, bad settings); every other end is a
    RunResult with its stop reason. A cancelled run leaves no process and no shadow directory.
    """
    if request.mode == "goal":
        from untilgreen.agent.goal import GoalRun

        return GoalRun(request, on_event, cancel or threading.Event(), repairers).execute()
    return _Run(request, on_event, cancel or threading.Event(), repairers).execute()


def source_kind(source: str) -> str:
    """The repairer a candidate source names: builtin, memory, or the model string."""
    head = source.split(":", 1)[0]
    return head if head in ("builtin", "memory") else source


class _Run:
    def __init__(self, request: RunRequest, on_event: OnEvent | None, cancel: threading.Event,
                 repairers: Sequence[Repairer] | None) -> None:
        self.request = request
        self.settings = request.settings
        self.cancel = cancel
        self.on_event = on_event if on_event is not None else (lambda event: None)
        self.given = list(repairers) if repairers is not None else None
        self.budget = Budget.from_settings(self.settings)
        self.memory = MemoryBridge(None, False)
        self.records: list[AttemptResult] = []
        self.history: list[AttemptSummary] = []
        self.last_repairer = ""
        self.quarantine: set[str] = set()
        self.targets: list[str] = []
        self.search: dict[str, Any] | None = None  # the built-in repairer's last search, when it found nothing
        self._lock = threading.Lock()

    # -- events ------------------------------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        with self._lock:
            self.on_event(event)

    def phase(self, name: str, attempt: int = 0) -> None:
        self.emit(PhaseChanged(self.memory.run_id, name, attempt, self.settings.attempts, self.budget.tokens,
                               self.budget.cost))

    def next_attempt(self, failed: str) -> int:
        """The next attempt's number; Cancelled, or a budget stop saying `failed: <which budget>`."""
        if self.cancel.is_set():
            raise Cancelled("cancelled")
        why = self.budget.exhausted()
        if why:
            raise _Stop("budget", f"{failed}: {why}")
        return self.budget.used_attempts + 1

    def notify(self, message: str, level: str = "info") -> None:
        self.emit(Notice(self.memory.run_id, level, message))

    def on_tests(self, phase: str, attempt: int, candidate: int, report: TestReport) -> None:
        from untilgreen.memory.signature import signature

        failed = [FailureBrief(f.test_id, f.kind, "\n".join(f.message.strip().splitlines()[:4])[:500],
                               signature(f).text) for f in report.failures]
        self.emit(TestsRan(self.memory.run_id, phase, attempt, candidate, len(report.passed), failed,
                           round(report.duration_s, 3)))

    # -- the run -----------------------------------------------------------------------------------------------

    def execute(self) -> RunResult:
        request, settings = self.request, self.settings
        self.memory = MemoryBridge.open(settings, request.root)
        self.memory.start(request.mode, request.goal, settings.model or "builtin", "untilgreen " + request.mode)
        stack = ExitStack()
        try:
            chain = self._chain()
            self.emit(RunStarted(self.memory.run_id, str(request.root), request.mode, request.goal,
                                 list(request.targets), settings.attempts, settings.candidates,
                                 [r.name for r in chain.repairers]))
            for message, level in ((chain.notice, "info"), (self.memory.problem, "warning")):
                if message:
                    self.notify(message, level)
            self.memory.on_problem = lambda message: self.notify(message, "warning")
            result = self._execute(stack, chain)
        except Cancelled:
            result = self._result(False, "cancelled", "the run was cancelled; nothing was changed")
        except _Stop as stop:
            result = self._result(False, stop.reason, str(stop))
        except BaseException as err:
            stack.close()
            exit_code = err.exit_code if isinstance(err, UserError) else 3
            self.emit(RunFailed(self.memory.run_id, str(err) or type(err).__name__, exit_code))
            self.memory.finish("error", "error", "")
            self.memory.close()
            raise
        stack.close()
        self.memory.finish("green" if result.green else "red", result.stop_reason, result.diff)
        self.memory.close()
        self.emit(RunFinished(result.run_id, result.green, result.stop_reason, result.message, result.attempts,
                              result.repairer, result.diff, result.ranges, result.tokens, result.cost_usd, round(result.duration_s, 3), result.quarantined,
                              result.search))
        return result

    def _chain(self) -> Chain:
        return Chain(self.given) if self.given is not None else choose(self.settings)

    def _result(self, green: bool, reason: StopReason, message: str, **extra: Any) -> RunResult:
        return RunResult(
            run_id=self.memory.run_id, green=green, stop_reason=reason, message=message,
            attempts=self.budget.used_attempts, repairer=extra.pop("repairer", self.last_repairer),
            tokens=self.budget.tokens, cost_usd=self.budget.cost, duration_s=self.budget.elapsed(),
            records=self.records, quarantined=sorted(self.quarantine), targets=self.targets, search=self.search,
            **extra,
        )  # fmt: skip

    def _execute(self, stack: ExitStack, chain: Chain) -> RunResult:
        from untilgreen.context import Index

        request, settings = self.request, self.settings
        self.phase("baseline")
        workspace = stack.enter_context(Workspace.create(request.root, request.overlays))
        config = RunnerConfig.from_settings(settings)
        start = establish(workspace, request.targets, config, self.cancel, self.on_tests, self.notify)
        self.quarantine = start.baseline.quarantine
        self.targets = start.baseline.targets
        if start.stop:
            return self._result(start.stop == "already-green", start.stop, start.message)
        self.phase("recall")
        sigs = self.memory.signatures(start.failures)
        recollections = self.memory.recall(sigs)
        known = self.memory.known_fixes(recollections, lambda rel: _read(workspace, rel))
        index = stack.enter_context(Index.for_root(request.root, overlays=request.overlays))
        validator = Validator(start.baseline, config, self.cancel, self.on_tests)
        runner = AttemptRunner(workspace, Policy(request.mode, settings.edit_tests), validator, Seen(), self.emit,
                               self.memory.run_id, index.chunk)
        loop = _Loop(self, chain, runner, validator, index, start.failures, recollections)
        winner = loop.until_green(known)
        return self._green(winner, validator, sigs, index)

    def _green(self, winner: Tried, validator: Validator, sigs: list[Signature], index: Index) -> RunResult:
        files = [FileChange(path, sha256(before), after) for path, (before, after) in sorted(winner.changes.items())]
        symbols = [chunk.id for path, (before, after) in winner.changes.items()
                   for chunk in index.chunks(path)
                   if old_lines(before, after) & set(range(chunk.start, chunk.end + 1))]
        verification = (f"{len(validator.baseline.targets)} target test(s) green; full suite {winner.passed} passed"
                        + (f"; quarantined as flaky: {', '.join(sorted(self.quarantine))}" if self.quarantine else ""))
        self.memory.fix_cards(sigs, winner.candidate, winner.diff, symbols, verification)
        message = f"green after {self.budget.used_attempts} attempt(s) with a patch from {winner.candidate.source}"
        result = self._result(True, "green", message, repairer=source_kind(winner.candidate.source),
                              diff=winner.diff, files=files, ranges=new_ranges(winner.changes))
        winner.close()
        return result


class _Loop:
    """The attempts of one run, with what carries from one to the next."""

    def __init__(self, run: _Run, chain: Chain, runner: AttemptRunner, validator: Validator, index: Index,
                 failures: list[Failure], recollections: list[Recollection]) -> None:
        self.run, self.chain, self.runner, self.validator, self.index = run, chain, runner, validator, index
        self.failures = failures
        self.recollections = recollections
        self.active = 0  # the repairer asked now; every repairer but the last is asked once
        self.widen = 1
        self.temperature = run.settings.temperature
        self.context: Context | None = None
        self.last_signature = ""
        self.idle = 0

    def until_green(self, known: list[Candidate]) -> Tried:
        run = self.run
        while True:
            number = run.next_attempt("no green patch")
            if known:
                candidates, known = known[: max(1, run.settings.candidates)], []
                run.last_repairer = "memory"
            else:
                candidates = self._propose(number)
            run.budget.used_attempts = number
            tried = self._attempt(number, candidates)
            winner = best(tried)
            if winner is not None and winner.outcome == "green":
                run.phase("final-check", number)
                assert winner.patched is not None  # a green candidate was applied
                verdict = self.validator.full(winner.patched.workspace, number, winner.index)
                winner.outcome, winner.detail, winner.failures = verdict.outcome, verdict.detail, verdict.failures
                winner.regressions, winner.passed = verdict.regressions, verdict.passed
                if verdict.outcome != "green":
                    run.emit(AttemptValidated(run.memory.run_id, number, winner.index, winner.candidate.source,
                                              winner.outcome, winner.detail, diff=winner.diff,
                                              ranges=new_ranges(winner.changes), regressions=winner.regressions))
            self._remember(tried)
            if winner is not None and winner.outcome == "green":
                for other in tried:
                    if other is not winner:
                        other.close()
                return winner
            for t in tried:
                t.close()
            self._next_inputs(winner or next((t for t in tried if t.failures), None), tried)

    def _propose(self, number: int) -> list[Candidate]:
        run, settings = self.run, self.run.settings
        repairers = self.chain.repairers
        while True:
            repairer = repairers[self.active]
            last = self.active == len(repairers) - 1
            if self.context is None:
                self._localize(number)
            seconds = run.budget.remaining_seconds()
            if not last:
                seconds = min(seconds, settings.builtin_seconds)
            request = RepairRequest(
                mode=run.request.mode, workspace=self.runner.base, report=self.validator.baseline.report,
                targets=list(self.validator.baseline.targets), failures=list(self.failures), context=self.context,
                attempts=list(run.history), recollections=list(self.recollections), goal=run.request.goal,
                candidates=max(1, settings.candidates), temperature=self.temperature, time_budget_s=seconds,
                cancel=run.cancel, notify=lambda message: run.notify(message, "warning"),
            )  # fmt: skip
            run.phase("propose", number)
            run.last_repairer = repairer.name
            try:
                candidates = propose(repairer, request)
            except RepairerError as err:
                raise _Stop("model-error", str(err)) from None
            if not last:
                self.active += 1
            if candidates:
                return candidates[: max(1, settings.candidates)]
            if last:
                why, run.search = explain_nothing(repairer)
                raise _Stop("no-progress", f"the {repairer.name} repairer had nothing (more) to propose{why}")
            following = repairers[self.active].name
            why, run.search = explain_nothing(repairer, following)
            if why:  # the numbers stay recorded; the user is told what was tried before the next is asked
                run.notify(f"the {repairer.name} repairer found nothing to propose{why}")

    def _localize(self, number: int) -> None:
        run = self.run
        run.phase("localize", number)
        context = self.context = self.index.localize(
            self.validator.baseline.report, targets=self.validator.baseline.targets,
            hints=hints(self.recollections), budget_tokens=run.settings.context_tokens * self.widen,
        )  # fmt: skip
        chunks = [ChunkBrief(c.id, c.path, c.symbol, c.start, c.end, round(c.score, 4), c.why)
                  for c in context.chunks]
        run.emit(Localized(run.memory.run_id, number, context.tokens, chunks,
                           len(hints(self.recollections))))

    def _attempt(self, number: int, candidates: list[Candidate]) -> list[Tried]:
        run = self.run
        for index, candidate in enumerate(candidates):
            run.budget.charge(candidate.usage, candidate.source)
            run.emit(AttemptProposed(run.memory.run_id, number, run.settings.attempts, index, candidate.source,
                                     candidate.explanation, candidate.usage.tokens, candidate.usage.cost_usd,
                                     run.budget.tokens, run.budget.cost))
        run.phase("validate", number)
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
        run = self.run
        for t in tried:
            sig = _first_signature(t.failures)
            run.history.append(t.summary(sig))
            usage = t.candidate.usage
            run.records.append(AttemptResult(t.number, t.index, t.candidate.source, t.outcome, t.detail, t.diff,
                                             usage.tokens, usage.cost_usd, round(t.duration_s, 3)))
            tests = f"{t.passed} passed, {len(t.failures)} failed" if t.patched else ""
            run.memory.record_attempt(AttemptNote(t.number, t.candidate, t.outcome, tests, t.diff, t.duration_s))

    def _next_inputs(self, lead: Tried | None, tried: list[Tried]) -> None:
        """The same failure twice in a row widens the context and changes the temperature; only already-tried
        patches twice in a row stops the run. The request keeps the baseline failures: each attempt's own failure
        reaches the repairer through its summary."""
        run = self.run
        signature = _first_signature(lead.failures) if lead is not None else ""
        if signature and signature == self.last_signature:
            self.widen *= 2
            self.temperature = round((self.temperature + 0.4) % 1.0, 2)
            self.context = None
            run.notify(f"the same failure came back twice in a row; restarting with a broader context "
                       f"({run.settings.context_tokens * self.widen} tokens) and temperature {self.temperature}")
        self.last_signature = signature
        self.idle = self.idle + 1 if all(t.outcome == "duplicate" for t in tried) else 0
        if self.idle >= IDLE_ROUNDS:
            raise _Stop("no-progress", f"the repairer proposed only patches already tried, {IDLE_ROUNDS} attempts "
                                       "in a row")


def _first_signature(failures: list[Failure]) -> str:
    if not failures:
        return ""
    from untilgreen.memory.signature import signature

    return signature(failures[0]).text


def _read(workspace: Workspace, rel: str) -> str | None:
    try:
        return workspace.read(rel)
    except (OSError, UserError):
        return None
