"""After goal mode goes green: do the new tests notice when the new code is wrong? A few built-in mutations of the
changed lines (one operator after another, so the sample is varied) are applied one at a time and the new tests
run on each; a mutant is caught when one of them fails."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from untilgreen.agent.changes import Changes, new_ranges
from untilgreen.agent.validate import OnTests
from untilgreen.errors import Cancelled, UserError
from untilgreen.memory.signature import is_test_file
from untilgreen.models.builtin.mutate import Mutant, mutants
from untilgreen.sandbox.results import TestReport
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

MAX_MUTANTS = 10


@dataclass
class MutationScore:
    caught: int
    total: int
    survived: list[str] = field(
        default_factory=list
    )  # `operator at path:line` of each mutant the tests missed

    def to_json(self) -> dict[str, int]:
        return {"caught": self.caught, "total": self.total}

    def sentence(self) -> str:
        if not self.total:
            return "mutation check: the new code offers no mutation to try"
        text = f"mutation check: the new tests caught {self.caught} of {self.total} mutants of the new code"
        if not self.caught:
            text += "; the tests may be weak (they pass even when the new code is changed)"
        elif self.survived:
            text += f" (missed: {', '.join(self.survived[:3])})"
        return text


def mutation_score(
    workspace: Workspace,
    changes: Changes,
    tests: Sequence[str],
    config: RunnerConfig,
    cancel: threading.Event,
    on_tests: OnTests,
    limit: int | None = None,
) -> MutationScore:
    """Mutate the changed non-test lines of `changes` (as they are in `workspace`) and run `tests` on each, for at
    most `limit` (default MAX_MUTANTS) mutants."""
    code = {
        path: after
        for path, (_, after) in changes.items()
        if after is not None and path.endswith(".py") and not is_test_file(path)
    }
    lines = {
        (path, line): 1.0
        for path, spans in new_ranges({p: changes[p] for p in code}).items()
        for start, end in spans
        for line in range(start, end + 1)
    }
    chosen = _varied(mutants(code, lines), MAX_MUTANTS if limit is None else limit)
    score = MutationScore(0, len(chosen))
    files = sorted({t.split("::", 1)[0] for t in tests})
    for number, mutant in enumerate(chosen, 1):
        if cancel.is_set():
            raise Cancelled("cancelled")
        fork = workspace.fork()
        try:
            fork.write(mutant.path, mutant.mutation.apply(code[mutant.path]))
            report = run_tests(fork, files, config=config, cancel=cancel)
        except UserError:  # the mutant breaks collection itself: the tests cannot pass
            score.caught += 1
            continue
        finally:
            fork.close()
        on_tests("mutation", 0, number, report)
        if _caught(report, tests):
            score.caught += 1
        else:
            score.survived.append(f"{mutant.operator} at {mutant.path}:{mutant.mutation.line}")
    return score


def _varied(found: list[Mutant], limit: int) -> list[Mutant]:
    """Up to `limit` mutants, taking one of each operator in turn."""
    by_operator: dict[str, list[Mutant]] = {}
    for mutant in found:
        by_operator.setdefault(mutant.operator, []).append(mutant)
    chosen: list[Mutant] = []
    while len(chosen) < limit and any(by_operator.values()):
        for group in by_operator.values():
            if group and len(chosen) < limit:
                chosen.append(group.pop(0))
    return chosen


def _caught(report: TestReport, tests: Sequence[str]) -> bool:
    """A new test (or the collection of its file) failed, or the run hung."""
    if report.timed_out:
        return True
    return any(
        f.test_id == t or f.test_id.startswith(t + "[") or f.test_id == t.split("::", 1)[0]
        for f in report.failures
        for t in tests
    )
