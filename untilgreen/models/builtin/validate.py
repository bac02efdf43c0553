"""Verdicts on one candidate file: warm (a forked pytest in a long-lived sandboxed worker) or cold (`run_tests`).

Both run the same pytest arguments with the same plugin, environment and isolation, so their verdicts agree; per
candidate, the warm path only skips the interpreter and plugin start-up, the parse of pytest's configuration and
compiling the project (see the worker script).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from untilgreen.errors import Cancelled, UserError
from untilgreen.sandbox import isolation
from untilgreen.sandbox.interpreter import find_python
from untilgreen.sandbox.process import Limits
from untilgreen.sandbox.results import NOT_FAILING, TestReport
from untilgreen.sandbox.session import SandboxSession, SessionClosed, start_sandboxed
from untilgreen.sandbox.testrun import (
    BLOCKED_PLUGINS,
    PLUGIN_DIR,
    RunnerConfig,
    conftest_failures,
    pytest_arguments,
    read_events,
    sandbox_environment,
    run_tests,
)
from untilgreen.sandbox.workspace import Workspace

WORKER_SCRIPT = Path(__file__).parent / "warm" / "untilgreen_warm_worker.py"
_START_TIMEOUT_S = 60.0
_REPLY_MARGIN_S = 5.0


@dataclass(frozen=True)
class Verdict:
    """Which tests did not fail (passed, xfailed, xpassed), failed (failures, errors, collection errors, timeouts)
    and were skipped in one run. As in pytest, a skipped test does not fail a run: a target or a baseline pass
    that is skipped now is kept. `broken` says why pytest gave no verdict at all (it stopped before running a
    test, or could not start)."""

    passed: frozenset[str]
    failed: frozenset[str]
    skipped: frozenset[str] = frozenset()
    broken: str = field(default="", compare=False)
    timed_out: bool = field(default=False, compare=False)

    def satisfies(self, targets: Sequence[str]) -> bool:
        """Every target passed; a target that is a file (a collection error at baseline) passed whole."""
        return all(self._passes(target) for target in targets)

    def keeps(self, baseline: TestReport) -> bool:
        """No test that passed at baseline fails now."""
        return all(test in self.passed or test in self.skipped for test in baseline.passed)

    def _passes(self, target: str) -> bool:
        if target in self.passed or target in self.skipped:
            return True
        inside = target + "::"
        return (
            target not in self.failed
            and not any(t.startswith(inside) for t in self.failed)
            and any(t.startswith(inside) for t in self.passed | self.skipped)
        )

    def missing(self, baseline: TestReport) -> set[str]:
        """The baseline's tests this whole-suite verdict says nothing about (not under a failed collection)."""
        known = self.passed | self.failed | self.skipped
        return {
            test
            for test in baseline.test_ids
            if test not in known and not any(test.startswith(node + "::") for node in self.failed)
        }

    @classmethod
    def from_report(cls, report: TestReport) -> Verdict:
        return cls(
            frozenset(report.not_failing - set(report.skipped)),
            frozenset(report.failed_ids),
            frozenset(report.skipped),
            timed_out=report.timed_out,
        )

    @classmethod
    def from_events(cls, events: list[dict[str, Any]], timed_out: bool = False) -> Verdict:
        """The verdict of a warm request's report; `timed_out`: the worker killed the request at its timeout."""
        passed: set[str] = set()
        failed: set[str] = set()
        skipped: set[str] = set()
        running, began, finished = None, False, False
        for event in events:
            kind = event.get("event")
            if kind == "begin":
                running, began = event["test_id"], True
            elif kind == "collection_error":
                failed.add(event["failure"]["test_id"])
            elif kind == "result":
                running = None
                outcome = event["outcome"]
                (skipped if outcome == "skipped" else passed if outcome in NOT_FAILING else failed).add(
                    event["test_id"]
                )
            elif kind == "finish":
                finished = True
        if (
            running is not None
        ):  # killed at the candidate's timeout (or it ended the process) while this test ran
            failed.add(running)
        broken = "" if finished or began or timed_out else "pytest stopped before running any test"
        return cls(frozenset(passed), frozenset(failed), frozenset(skipped), broken, timed_out)


@dataclass(frozen=True)
class FileVersion:
    """A candidate: the whole new text of one project file (relative path)."""

    path: str
    text: str


class WarmWorker:
    """One warm worker process in the sandbox, serving one candidate at a time. Close it (context manager)."""

    def __init__(
        self, workspace: Workspace, config: RunnerConfig, lifetime_s: float, direct: bool = True
    ) -> None:
        """`direct`: target tests may run without pytest's collection where the worker proves it equivalent."""
        if config.command:
            raise ValueError("the warm worker runs pytest; a custom test command needs the cold path")
        self.workspace = workspace
        self.direct = direct
        # requests per path that ran them: "direct", "pytest", or "preloaded" (none: see `run`)
        self.paths: Counter[str] = Counter()
        self.last_path = ""
        self.cpu_s = 0.0  # CPU the candidates cost in the sandbox (the forks, and the worker forking them)
        python = find_python(workspace.root, config.python)
        env = sandbox_environment(
            workspace, config, python, workspace.path / ".untilgreen-warm-unused", False
        )
        argv = [
            str(python),
            str(WORKER_SCRIPT),
            json.dumps(list(BLOCKED_PLUGINS)),
            json.dumps(pytest_arguments(workspace, python, traceback="no")),
        ]
        limits = Limits(**{**config.limits.__dict__, "timeout_s": lifetime_s})
        self._session: SandboxSession = start_sandboxed(
            argv,
            workdir=workspace.path,
            limits=limits,
            env=env,
            isolation=config.isolation,
            readonly=[*isolation.interpreter_paths(python), PLUGIN_DIR, WORKER_SCRIPT.parent],
            hidden=[workspace.root],
        )
        try:
            ready = self._session.receive(_START_TIMEOUT_S)
            if ready is None or not json.loads(ready).get("ready"):
                raise SessionClosed(f"the warm worker did not start: {self._session.output()[-500:]}")
            self.prepared: str = json.loads(ready)["prepared"]  # what each fork skips: see the worker script
        except BaseException:
            self.close()
            raise

    @property
    def isolation(self) -> str:
        return self._session.isolation

    def run(
        self,
        candidate: FileVersion | None,
        tests: Sequence[str],
        *,
        timeout_s: float,
        test_timeout_s: float,
        cancel: threading.Event | None = None,
    ) -> Verdict:
        """Run `tests` (all when empty) with `candidate` loaded in place of its file; SessionClosed if the
        worker died. A candidate of a module imported before the fork gets a `broken` verdict: a cold run
        decides."""
        report = self.workspace.path / f".untilgreen-warm-{uuid.uuid4().hex}.jsonl"
        output = report.with_name(report.name + ".out")
        request = {
            "id": report.name,
            "tests": list(tests),
            "timeout": timeout_s,
            "test_timeout": test_timeout_s,
            "report": str(report),
            "file": None,
            "source": "",
            "direct": self.direct,
        }
        if candidate is not None:
            request.update(file=str(self.workspace.path / candidate.path), source=candidate.text)
        try:
            self._session.send(json.dumps(request))
            waited = 0.0
            while True:
                reply = self._session.receive(0.1)
                if reply is not None:
                    answer = json.loads(reply)
                    self.cpu_s += float(answer.get("cpu") or 0.0)
                    break
                waited += 0.1
                if cancel is not None and cancel.is_set():
                    self.close()
                    raise Cancelled("the candidate search was cancelled")
                if waited > timeout_s + _REPLY_MARGIN_S:
                    self.close()
                    raise SessionClosed("the warm worker stopped answering")
            if answer.get("status") == "preloaded":
                self.last_path = "preloaded"
                self.paths[self.last_path] += 1
                return Verdict(
                    frozenset(),
                    frozenset(),
                    broken=(
                        f"{candidate.path if candidate else 'the candidate'} is imported before pytest runs any "
                        f"test (module {answer.get('module')}, e.g. as a dependency of pytest itself), so only a "
                        "fresh interpreter runs a changed version of it"
                    ),
                )
            events = read_events(report)
            self.last_path = next((e["path"] for e in events if e.get("event") == "runner"), "")
            self.paths[self.last_path] += 1
            verdict = Verdict.from_events(events, timed_out=answer.get("status") == "timeout")
            if verdict.broken:
                failures = conftest_failures(_text(output), self.workspace.path)
                if failures is not None:  # as a cold run reports a conftest that cannot be imported
                    return Verdict(frozenset(), frozenset(f.test_id for f in failures))
                verdict = replace(verdict, broken=_last_error(output) or verdict.broken)
            return verdict
        finally:
            report.unlink(missing_ok=True)
            output.unlink(missing_ok=True)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> WarmWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _text(output: Path) -> str:
    try:
        return output.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _last_error(output: Path) -> str:
    """The last line of pytest's output that names an error (`INTERNALERROR> ValueError: ...`), if any."""
    lines = _text(output).splitlines()
    errors = [line.removeprefix("INTERNALERROR> ").strip() for line in lines if "Error" in line]
    return errors[-1][:300] if errors else ""


def cold_verdict(
    workspace: Workspace,
    candidate: FileVersion | None,
    tests: Sequence[str],
    config: RunnerConfig,
    cancel: threading.Event | None = None,
) -> Verdict:
    """The same question answered by a fresh `run_tests` on a fork of the workspace with the candidate written."""
    with workspace.fork() as fork:
        if candidate is not None:
            fork.write(candidate.path, candidate.text)
        try:
            return Verdict.from_report(run_tests(fork, list(tests) or None, config=config, cancel=cancel))
        except Cancelled:
            raise
        except UserError as err:  # e.g. the candidate broke pytest itself: nothing passed
            return Verdict(frozenset(), frozenset(tests), broken=str(err))
