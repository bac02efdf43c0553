"""Fix mode: baseline → (known fix from memory) → localize → propose → apply → lint → validate → decide, until the
failing targets pass without a regression or a budget is spent. Everything happens in a shadow; the user's files
are only read."""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from untilgreen.agent.apply import Policy
from untilgreen.agent.attempt import AttemptRunner, Seen, Tried
from untilgreen.agent.baseline import establish
from untilgreen.agent.card import card_text
from untilgreen.agent.changes import new_ranges, old_lines
from untilgreen.agent.loop import AttemptLoop
from untilgreen.agent.repairers import Chain, choose
from untilgreen.agent.result import FileChange, RunResult, StopReason, sha256, source_kind
from untilgreen.agent.session import RunSession
from untilgreen.agent.validate import Validator
from untilgreen.protocol import Recalled
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

if TYPE_CHECKING:
    from untilgreen.context import Index
    from untilgreen.memory import Signature
    from untilgreen.models.llm.card_writer import CardText


class FixRun:
    def __init__(self, session: RunSession) -> None:
        self.session = session
        self.quarantine: set[str] = set()
        self.targets: list[str] = []

    def chain(self) -> Chain:
        return choose(self.session.settings)

    def result(self, green: bool, reason: StopReason, message: str, **fields: Any) -> RunResult:
        return self.session.result(
            green, reason, message, quarantined=sorted(self.quarantine), targets=self.targets, **fields
        )

    def execute(self, stack: ExitStack, chain: Chain) -> RunResult:
        from untilgreen.context import Index

        session = self.session
        request, settings = session.request, session.settings
        session.phase("baseline")
        workspace = stack.enter_context(Workspace.create(request.root, request.overlays))
        config = RunnerConfig.from_settings(settings)
        start = establish(
            workspace, request.targets, config, session.cancel, session.on_tests, session.notify
        )
        self.quarantine = start.baseline.quarantine
        self.targets = start.baseline.targets
        if start.stop:
            return self.result(start.stop == "already-green", start.stop, start.message)
        session.phase("recall")
        started = time.monotonic()
        sigs = session.memory.signatures(start.failures)
        recollections = session.memory.recall(sigs)
        known = session.memory.known_fixes(recollections, workspace.read_or_none)
        session.emit(
            Recalled(
                session.run_id,
                len(sigs),
                len(recollections),
                len(known),
                round(time.monotonic() - started, 3),
            )
        )
        index = stack.enter_context(Index.for_root(request.root, overlays=request.overlays))
        validator = Validator(start.baseline, config, session.cancel, session.on_tests)
        runner = AttemptRunner(
            workspace,
            Policy(request.mode, settings.edit_tests),
            validator,
            Seen(session.resumed.fingerprints if session.resumed else None),
            session.emit,
            session.run_id,
            index.chunk,
            settings.review.refuse_security,
        )
        loop = AttemptLoop(session, chain, runner, validator, index, start.failures, recollections)
        winner = loop.until_green(known)
        text = card_text(session, winner, start.failures, workspace)
        return self._green(winner, validator, sigs, index, text)

    def _green(
        self, winner: Tried, validator: Validator, sigs: list[Signature], index: Index, text: CardText | None
    ) -> RunResult:
        session = self.session
        files = [
            FileChange(path, sha256(before), after)
            for path, (before, after) in sorted(winner.changes.items())
        ]
        symbols = [
            chunk.id
            for path, (before, after) in winner.changes.items()
            for chunk in index.chunks(path)
            if old_lines(before, after) & set(range(chunk.start, chunk.end + 1))
        ]
        verification = (
            f"{len(validator.baseline.targets)} target test(s) green; full suite {winner.passed} passed"
            + (f"; quarantined as flaky: {', '.join(sorted(self.quarantine))}" if self.quarantine else "")
        )
        session.memory.fix_cards(sigs, winner.candidate, winner.diff, symbols, verification, text)
        message = f"green after {session.attempts} attempt(s) with a patch from {winner.candidate.source}"
        if session.resumed:
            message = (
                f"green at attempt {session.attempts}, resuming run {session.resumed.run_id}, with a patch from "
                f"{winner.candidate.source}"
            )
        result = self.result(
            True,
            "green",
            message,
            repairer=source_kind(winner.candidate.source),
            diff=winner.diff,
            files=files,
            ranges=new_ranges(winner.changes),
            security=winner.security,
        )
        winner.close()
        return result
