"""What every run keeps, fix or goal: its events, budget, attempts, stop reasons and memory record.

A run (`agent.fix.FixRun`, `agent.goal.GoalRun`) holds one session and changes this state only through its
methods; `agent.run.run` opens the session, hands it to the run the mode asks for, and closes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from untilgreen.agent.budget import Budget
from untilgreen.protocol import (
    Outcome,
    AttemptProposed,
    Event,
    FailureBrief,
    ModelProgress,
    Notice,
    PhaseChanged,
    RunFailed,
    RunFinished,
    RunStarted,
    TestsRan,
)
from untilgreen.agent.memory_bridge import AttemptNote, MemoryBridge
from untilgreen.agent.repairers import Chain, explain_nothing, propose
from untilgreen.agent.request import RunRequest
from untilgreen.agent.result import AttemptResult, RunResult, StopReason, sha256
from untilgreen.agent.resume import Resumed
from untilgreen.errors import Cancelled, UserError
from untilgreen.models.base import Candidate, Repairer, RepairerError, RepairRequest
from untilgreen.sandbox.results import TestReport

OnEvent = Callable[[Event], None]


class RunStopped(Exception):
    """Ends a run before green with a stop reason (budget, no-progress, model-error); the message is its sentence."""

    def __init__(self, reason: StopReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class RunSession:
    def __init__(self, request: RunRequest, on_event: OnEvent | None, cancel: threading.Event) -> None:
        self.request = request
        self.settings = request.settings
        self.cancel = cancel
        self.budget = Budget.from_settings(self.settings)
        self.memory = MemoryBridge(None, False)
        self.records: list[AttemptResult] = []
        self._on_event = on_event if on_event is not None else (lambda event: None)
        self._repairer = ""  # the repairer asked last: a result without a winner names it
        self._search: dict[str, Any] | None = (
            None  # the built-in repairer's last search, when it found nothing
        )
        self._lock = threading.Lock()  # candidates validated in parallel emit from their threads
        self.resumed: Resumed | None = None  # the stopped run this one resumes
        # what the run's attempts touched and its localization showed, as the run started (path -> sha256): the
        # files whose change makes resuming this run pointless
        self.files: dict[str, str | None] = {}

    @property
    def run_id(self) -> str:
        return self.memory.run_id

    @property
    def attempts(self) -> int:
        return self.budget.used_attempts

    # -- the run's start and end -----------------------------------------------------------------------------

    def open(self) -> None:
        """Open memory, take over the stopped run a resume names, and start the run's record (the run id comes
        from it). UserError (memory closed, nothing recorded) when the run to resume cannot be resumed."""
        self.memory = MemoryBridge.open(self.settings, self.request.root)
        if self.request.resume:
            try:
                self._resume(self.request.resume)
            except UserError:
                self.memory.close()
                raise
        request = self.request
        self.memory.start(
            request.mode,
            request.goal,
            self.settings.model or "builtin",
            "untilgreen " + request.mode,
            resumed_from=self.resumed.run_id if self.resumed else "",
        )
        if self.settings.max_cost_usd_per_day:
            self.budget.spent_today = self.memory.spent_today() or 0.0

    def _resume(self, run_id: str) -> None:
        from untilgreen.agent import resume

        resumed = resume.load(self.memory, run_id, self.request.mode)
        resume.check_files(resumed, self.request.root, self.request.overlays)
        self.resumed = resumed
        self.request = resume.resumed_request(self.request, resumed)
        self.settings = self.request.settings
        self.budget = Budget.from_settings(self.settings)
        self.budget.used_attempts = self.budget.resumed_at = resumed.last_attempt
        self.files = dict(resumed.files)

    def refused(self, err: UserError) -> None:
        """The run never started (a resume refused): told as `run_failed`, nothing recorded."""
        self.emit(RunFailed("", str(err), err.exit_code))

    def saw(self, path: str, text: str | None) -> None:
        """The run's attempts or localization use `path`, whose text at the run's start was `text`."""
        with self._lock:
            self.files.setdefault(path, sha256(text))

    def started(self, chain: Chain) -> None:
        request, settings = self.request, self.settings
        self.emit(
            RunStarted(
                self.run_id,
                str(request.root),
                request.mode,
                request.goal,
                list(request.targets),
                settings.attempts,
                settings.candidates,
                [r.name for r in chain.repairers],
                resumed_from=self.resumed.run_id if self.resumed else "",
            )
        )
        for message, level in (
            (chain.notice, "info"),
            (self.memory.problem, "warning"),
            (self._day_budget_unknown(), "warning"),
        ):
            if message:
                self.notify(message, level)
        self.memory.on_problem = lambda message: self.notify(message, "warning")

    def _day_budget_unknown(self) -> str:
        if not self.settings.max_cost_usd_per_day or self.memory.store is not None:
            return ""
        return (
            "`max_cost_usd_per_day` counts only this run: the day's earlier spend is kept in memory, which is off; "
            "fix the memory database (untilgreen doctor) to enforce the daily budget."
        )

    def finished(self, result: RunResult) -> None:
        from untilgreen.agent.resume import kept

        resume = None
        if self.request.mode == "fix":
            resume = kept(self.settings, result.targets or self.request.targets, self.files, self.attempts)
        self.memory.finish("green" if result.green else "red", result.stop_reason, result.diff, resume)
        self.memory.close()
        self.emit(
            RunFinished(
                run_id=result.run_id,
                green=result.green,
                stop_reason=result.stop_reason,
                message=result.message,
                attempts=result.attempts,
                repairer=result.repairer,
                diff=result.diff,
                ranges=result.ranges,
                tokens=result.tokens,
                cost_usd=result.cost_usd,
                duration_s=round(result.duration_s, 3),
                quarantined=result.quarantined,
                search=result.search,
                security=result.security,
                summary=result.summary_json(),
            )
        )

    def failed(self, err: BaseException) -> None:
        """The run ends with an error instead of a result (UserError: the user's to fix; anything else: a bug)."""
        exit_code = err.exit_code if isinstance(err, UserError) else 3
        self.emit(RunFailed(self.run_id, str(err) or type(err).__name__, exit_code))
        self.memory.finish("error", "error", "")
        self.memory.close()

    def result(
        self, green: bool, reason: StopReason, message: str, kind: type[RunResult] = RunResult, **fields: Any
    ) -> RunResult:
        """The run's result as `kind`; `fields` add what the run knows (targets, the patch, the winner's repairer)."""
        fields.setdefault("repairer", self._repairer)
        return kind(
            run_id=self.run_id,
            green=green,
            stop_reason=reason,
            message=message,
            attempts=self.attempts,
            tokens=self.budget.tokens,
            cost_usd=self.budget.cost,
            duration_s=self.budget.elapsed(),
            cached_tokens=self.budget.cached_tokens,
            records=self.records,
            search=self._search,
            resumed_from=self.resumed.run_id if self.resumed else "",
            **fields,
        )

    # -- events ------------------------------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        with self._lock:
            self._on_event(event)

    def phase(self, name: str, attempt: int = 0) -> None:
        self.emit(
            PhaseChanged(
                self.run_id, name, attempt, self.settings.attempts, self.budget.tokens, self.budget.cost
            )
        )

    def notify(self, message: str, level: str = "info") -> None:
        self.emit(Notice(self.run_id, level, message))

    def model_progress(self, attempt: int) -> Callable[[int, int, float], None]:
        """A `RepairRequest.progress` for attempt `attempt`: a streaming model's writing, told as events."""

        def told(candidate: int, tokens: int, elapsed_s: float) -> None:
            of = self.settings.attempts
            self.emit(ModelProgress(self.run_id, attempt, of, candidate, tokens, round(elapsed_s, 2)))

        return told

    def on_tests(self, phase: str, attempt: int, candidate: int, report: TestReport) -> None:
        from untilgreen.memory.signature import signature

        failed = [
            FailureBrief(
                f.test_id, f.kind, "\n".join(f.message.strip().splitlines()[:4])[:500], signature(f).text
            )
            for f in report.failures
        ]
        self.emit(
            TestsRan(
                self.run_id,
                phase,
                attempt,
                candidate,
                len(report.passed),
                failed,
                round(report.duration_s, 3),
            )
        )

    # -- attempts ----------------------------------------------------------------------------------------------

    def next_attempt(self, failed: str) -> int:
        """The next attempt's number; Cancelled, or a budget stop saying `failed: <which budget>`."""
        if self.cancel.is_set():
            raise Cancelled("cancelled")
        why = self.budget.exhausted()
        if why:
            raise RunStopped("budget", f"{failed}: {why}")
        return self.attempts + 1

    def ask(self, repairer: Repairer, request: RepairRequest, number: int) -> list[Candidate]:
        """`repairer`'s candidates for attempt `number` (at most `request.candidates`), offered as that attempt;
        none: the attempt is not used. A repairer that cannot work stops the run (`model-error`)."""
        self._repairer = repairer.name
        try:
            candidates = propose(repairer, request)[: request.candidates]
        except RepairerError as err:
            raise RunStopped("model-error", str(err)) from None
        if candidates:
            self.offer(number, candidates, repairer.name)
        return candidates

    def offer(self, number: int, candidates: list[Candidate], repairer: str) -> None:
        """Attempt `number` tries `candidates` from `repairer`: it counts, what they cost is charged, each is told."""
        self._repairer = repairer
        self.budget.used_attempts = number
        for index, candidate in enumerate(candidates):
            self.budget.charge(candidate.usage, candidate.source)
            self.emit(
                AttemptProposed(
                    self.run_id,
                    number,
                    self.settings.attempts,
                    index,
                    candidate.source,
                    candidate.explanation,
                    candidate.usage.tokens,
                    candidate.usage.cost_usd,
                    self.budget.tokens,
                    self.budget.cost,
                )
            )

    def nothing_from(self, repairer: Repairer, following: str = "") -> str:
        """Why `repairer` had nothing (more) to propose, as ": <sentence>" ("" when it cannot say); the numbers
        behind it are kept for the result's `search`. `following`: the repairer asked next."""
        why, self._search = explain_nothing(repairer, following)
        return why

    def record(
        self,
        number: int,
        index: int,
        candidate: Candidate,
        *,
        outcome: Outcome,
        detail: str,
        diff: str,
        duration_s: float,
        tests: str = "",
        fingerprint: str = "",
    ) -> None:
        """One tried candidate, in the result's records and in memory's run record."""
        usage = candidate.usage
        self.records.append(
            AttemptResult(
                number,
                index,
                candidate.source,
                outcome,
                detail,
                diff,
                usage.tokens,
                usage.cost_usd,
                round(duration_s, 3),
            )
        )
        self.memory.record_attempt(
            AttemptNote(number, candidate, outcome, tests, diff, duration_s, fingerprint)
        )
