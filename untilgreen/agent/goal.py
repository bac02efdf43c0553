"""Goal mode: implement a described change test-first.

baseline (what passes now) → plan + tests that encode the goal (test files only, each test asserts) → red check
(they must fail on the current code; if they pass, the goal seems met and the run stops) → the fix loop with the
failing new tests as targets, the new tests frozen → green (the new tests pass, no test that passed before fails)
→ a mutation check of the new code against the new tests. The result is one diff of tests and code.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

from untilgreen.agent.attempt import AttemptRunner, Seen, Tried
from untilgreen.agent.changes import new_ranges
from untilgreen.agent.goal_checks import GoalPolicy
from untilgreen.agent.goal_mutation import MutationScore, mutation_score
from untilgreen.agent.goal_tests import TestWriter
from untilgreen.agent.loop import AttemptLoop
from untilgreen.agent.repairers import Chain
from untilgreen.agent.security import new_findings
from untilgreen.protocol import NO_MODEL, needs_model
from untilgreen.agent.result import FileChange, RunResult, StopReason, sha256, source_kind
from untilgreen.agent.session import RunSession
from untilgreen.agent.validate import Baseline, Validator, target_failures
from untilgreen.context import Context, Index, approx_tokens
from untilgreen.context.lexical import lexical_scores
from untilgreen.context.pack import pack
from untilgreen.context.terms import words
from untilgreen.errors import UserError
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.testrun import NoTestsCollected, RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace


@dataclass
class GoalResult(RunResult):
    plan: str = ""
    tests: list[str] = field(default_factory=list)  # the new test ids
    mutation_score: MutationScore | None = None

    def summary_json(self) -> dict[str, Any]:
        """The `fix --json` shape plus the goal's plan, new tests and mutation score."""
        score = self.mutation_score.to_json() if self.mutation_score else None
        return {
            **super().summary_json(),
            "mode": "goal",
            "plan": self.plan,
            "tests": list(self.tests),
            "mutation_score": score,
        }


class GoalRun:
    def __init__(self, session: RunSession) -> None:
        self.session = session
        self.plan = ""
        self.tests: list[str] = []
        self.targets: list[str] = []
        self.mutation: MutationScore | None = None

    def chain(self) -> Chain:
        """The model alone: the built-in repairer cannot write tests, and goal mode without a model is refused."""
        if needs_model(self.session.settings):
            raise UserError(NO_MODEL)
        from untilgreen.models.llm import LLMRepairer

        return Chain([LLMRepairer(self.session.settings)])

    def result(self, green: bool, reason: StopReason, message: str, **fields: Any) -> RunResult:
        return self.session.result(
            green,
            reason,
            message,
            kind=GoalResult,
            targets=self.targets,
            plan=self.plan,
            tests=self.tests,
            mutation_score=self.mutation,
            **fields,
        )

    def execute(self, stack: ExitStack, chain: Chain) -> RunResult:
        session = self.session
        request, settings = session.request, session.settings
        if not request.goal.strip():
            raise UserError(
                'the goal is empty; describe the change you want, e.g. "add a slugify() that ...".'
            )
        session.phase("baseline")
        workspace = stack.enter_context(Workspace.create(request.root, request.overlays))
        config = RunnerConfig.from_settings(settings)
        report = _baseline(workspace, config, session.cancel)
        session.on_tests("baseline", 0, 0, report)
        index = stack.enter_context(Index.for_root(request.root, overlays=request.overlays))
        context = goal_context(index, workspace, request.goal, request.file, settings.context_tokens)
        red = TestWriter(session, chain.repairers[-1], workspace, context, report, config).until_red()
        if red is None:
            return self.result(
                True,
                "goal-met",
                "the goal seems met already: tests written for it pass on the "
                "current code; nothing was changed",
            )
        stack.callback(red.patched.workspace.close)
        self.plan, self.tests, self.targets = red.plan, red.tests, red.targets
        new_files = {path: after for path, (_, after) in red.patched.changes.items() if after is not None}
        index.refresh({**request.overlays, **new_files})  # the localizer and the prompt see the new tests
        validator = Validator(
            Baseline(_merged(report, red.report), red.targets), config, session.cancel, session.on_tests
        )
        policy = GoalPolicy(mode="goal", phase="code", frozen=frozenset(red.patched.changes))
        runner = AttemptRunner(
            red.patched.workspace,
            policy,
            validator,
            Seen(),
            session.emit,
            session.run_id,
            index.chunk,
            settings.review.refuse_security,
        )
        loop = AttemptLoop(
            session, chain, runner, validator, index, target_failures(red.report, red.targets), []
        )
        winner = loop.until_green([])
        try:
            return self._green(winner, config)
        finally:
            winner.close()

    def _green(self, winner: Tried, config: RunnerConfig) -> RunResult:
        """The mutation check, then one patch of tests and code against the files the run started from."""
        session = self.session
        assert winner.patched is not None  # a green candidate was applied
        final = winner.patched.workspace
        session.phase("mutation-check", session.attempts)
        self.mutation = mutation_score(
            final, winner.changes, self.tests, config, session.cancel, session.on_tests
        )
        session.notify(self.mutation.sentence(), "info" if self.mutation.caught else "warning")
        changes = {
            rel: (final.start_text(rel), final.read(rel) if rel in final.files() else None)
            for rel in final.changed_files()
        }
        files = [FileChange(rel, sha256(before), after) for rel, (before, after) in sorted(changes.items())]
        message = (
            f"green after {session.attempts} attempt(s): {len(self.tests)} new test(s) encode the "
            f"goal and pass; {self.mutation.sentence()}"
        )
        return self.result(
            True,
            "green",
            message,
            repairer=source_kind(winner.candidate.source),
            diff=final.diff(),
            files=files,
            ranges=new_ranges(changes),
            security=new_findings(changes),
        )


def goal_context(index: Index, workspace: Workspace, goal: str, focus: str, budget_tokens: int) -> Context:
    """The code shown with the goal: the file it is about (whole), then the code its words match."""
    ranked = []
    if focus:
        if focus not in workspace.files():
            raise UserError(f"{focus} is not a file of the project; pass --file a path inside it.")
        ranked = [c.scored(1.0, "the file the goal is about") for c in index.chunks(focus)]
    shown = {c.id for c in ranked}
    matches = lexical_scores(index.store, list(dict.fromkeys(words(goal))))
    chunks = index.store.chunks_by_id([cid for cid in matches if cid not in shown])
    ranked += sorted(
        (
            chunks[cid].scored(score * 0.9, f"matches the goal's words: {', '.join(terms[:3])}")
            for cid, (score, terms, _) in matches.items()
            if cid in chunks
        ),
        key=lambda c: -c.score,
    )
    return pack(ranked, [], index.chunks, workspace.read_or_none, budget_tokens, approx_tokens)


def _baseline(workspace: Workspace, config: RunnerConfig, cancel: threading.Event) -> TestReport:
    """The whole suite with coverage; a project without any test yet has an empty baseline (its first tests are
    the goal's)."""
    try:
        return run_tests(workspace, None, config=config, coverage=True, cancel=cancel)
    except NoTestsCollected:
        return TestReport(coverage={})


def _merged(baseline: TestReport, red: TestReport) -> TestReport:
    """The baseline with the red check over it: the new tests' results and coverage replace theirs."""
    ran = set(red.passed) | set(red.failed_ids)
    passed = [t for t in baseline.passed if t not in ran] + red.passed
    failures = [f for f in baseline.failures if f.test_id not in ran] + red.failures
    return replace(
        baseline,
        passed=passed,
        failures=failures,
        coverage={**(baseline.coverage or {}), **(red.coverage or {})},
    )
