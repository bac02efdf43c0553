"""`run_tests`: run a project's tests in a shadow workspace, inside the sandbox, and report structured results."""

from __future__ import annotations

import json
import os
import re
import shlex
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from untilgreen.errors import Cancelled, UserError
from untilgreen.sandbox import isolation
from untilgreen.sandbox.interpreter import find_python, pytest_version
from untilgreen.sandbox.process import Limits, ProcessResult, run_sandboxed, scrub_environment
from untilgreen.sandbox.results import NOT_FAILING, Failure, TestReport
from untilgreen.sandbox.tracebacks import parse_tracebacks

if TYPE_CHECKING:
    from untilgreen.sandbox.workspace import Workspace
    from untilgreen.settings import Settings

PLUGIN_DIR = Path(__file__).parent / "plugin"
PLUGIN_MODULE = "untilgreen_pytest_plugin"
# Plugins that fight a structured run: parallelism, random order, their own coverage gate or timeout signal.
BLOCKED_PLUGINS = ("cacheprovider", "xdist", "randomly", "random_order", "cov", "timeout")
PYTEST_INTERNAL_ERROR = 3  # pytest's ExitCode.INTERNAL_ERROR (a plain int in pytest < 5)


class NoTestsCollected(UserError):
    """pytest ran and found no test (the ids name none, or the project has no tests yet)."""


@dataclass(frozen=True)
class RunnerConfig:
    """How tests run: interpreter, optional generic command, isolation, limits and environment passthrough."""

    python: str = ""
    command: str = ""
    isolation: str = "auto"
    test_timeout_s: float = 30.0
    env_passthrough: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_settings(cls, settings: Settings) -> RunnerConfig:
        box = settings.sandbox
        return cls(
            python=settings.python,
            command=settings.test_command,
            isolation=box.isolation,
            test_timeout_s=box.test_timeout,
            env_passthrough=tuple(box.env_passthrough),
            limits=Limits(
                timeout_s=box.timeout,
                cpu_s=box.cpu_seconds or None,
                memory_mb=box.memory_mb or None,
                file_size_mb=box.file_size_mb or None,
                processes=box.processes,
                tmp_size_mb=box.tmp_size_mb,
                network=box.network,
            ),
        )


def run_tests(
    workspace: Workspace,
    test_ids: Sequence[str] | None = None,
    *,
    config: RunnerConfig | None = None,
    limits: Limits | None = None,
    coverage: bool = False,
    cancel: threading.Event | None = None,
) -> TestReport:
    """Run the tests (all, or `test_ids`) in `workspace` and return what happened.

    Raises UserError for problems the user must fix (no pytest, no tests collected, project code imported from
    outside the shadow); test failures, collection errors and timeouts are results, not errors.
    """
    config = config or RunnerConfig()
    if limits is not None:
        config = replace(config, limits=limits)
    if config.command:
        return _run_command(workspace, config, cancel)
    python = find_python(workspace.root, config.python)
    report_path = workspace.path / f".untilgreen-report-{uuid.uuid4().hex}.jsonl"
    env = sandbox_environment(workspace, config, python, report_path, coverage)
    argv = [str(python), "-m", "pytest", *pytest_arguments(workspace, python), *(test_ids or [])]
    try:
        result = _run(argv, workspace, config, python, env, cancel)
        events = read_events(report_path)
    finally:
        report_path.unlink(missing_ok=True)
    return _report_from_events(events, result, workspace, argv, test_ids)


def pytest_arguments(workspace: Workspace, python: Path, traceback: str = "short") -> list[str]:
    """pytest's options for a structured run in `workspace`, the ones `python`'s pytest knows (before test ids)."""
    argv = ["-p", PLUGIN_MODULE]
    for plugin in BLOCKED_PLUGINS:
        argv += ["-p", f"no:{plugin}"]
    # A collection error in one file must not stop the others: the baseline needs every test's outcome.
    argv += ["--rootdir", str(workspace.path), "--continue-on-collection-errors", "-q", f"--tb={traceback}"]
    if (pytest_version(python) or (0,)) >= (6,):  # older pytest rejects --no-header as a usage error
        argv.append("--no-header")
    return argv


def sandbox_environment(
    workspace: Workspace, config: RunnerConfig, python: Path, report_path: Path, coverage: bool
) -> dict[str, str]:
    """The scrubbed environment a pytest run in `workspace` gets (shared with the built-in repairer's warm worker)."""
    env = scrub_environment(os.environ, config.env_passthrough)
    venv = python.parent.parent
    if (venv / "pyvenv.cfg").exists():
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGIN_DIR), *workspace.python_path_entries()])
    env["UNTILGREEN_REPORT"] = str(report_path)
    env["UNTILGREEN_PROJECT_ROOT"] = str(workspace.path)
    env["UNTILGREEN_FOREIGN_ROOTS"] = os.pathsep.join(workspace.foreign_import_roots())
    env["UNTILGREEN_TEST_TIMEOUT"] = str(config.test_timeout_s)
    env["UNTILGREEN_COVERAGE"] = "1" if coverage else "0"
    return env


def _run(
    argv: list[str],
    workspace: Workspace,
    config: RunnerConfig,
    python: Path,
    env: dict[str, str],
    cancel: threading.Event | None,
) -> ProcessResult:
    readonly = [*isolation.interpreter_paths(python), PLUGIN_DIR]
    return run_sandboxed(
        argv,
        workdir=workspace.path,
        limits=config.limits,
        env=env,
        isolation=config.isolation,
        readonly=readonly,
        hidden=[workspace.root],
        cancel=cancel,
    )


def _empty_report(result: ProcessResult) -> TestReport:
    if result.cancelled:
        raise Cancelled("the test run was cancelled")
    return TestReport(
        isolation=result.isolation,
        duration_s=result.duration_s,
        exit_code=result.exit_code or 0,
        timed_out=result.timed_out,
        output=result.output,
    )


def _last_line(output: str, default: str) -> str:
    lines = output.strip().splitlines()
    return lines[-1] if lines else default


def read_events(path: Path) -> list[dict[str, Any]]:
    """The plugin's JSON-lines report, skipping a last line cut off by a kill at the deadline."""
    events = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    for line in text.splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def _report_from_events(
    events: list[dict[str, Any]],
    result: ProcessResult,
    workspace: Workspace,
    argv: list[str],
    test_ids: Sequence[str] | None,
) -> TestReport:
    report = _empty_report(result)
    foreign = [e for e in events if e.get("event") == "foreign_import"]
    if foreign:
        first = foreign[0]
        raise UserError(
            f"module `{first['module']}` was imported from {first['file']}, outside the shadow copy, so the tests would "
            "not see untilgreen's edits; an editable install or a sys.path entry points at the original project: "
            "run the tests from the project's own directory layout (or reinstall it non-editable) and try again."
        )
    started = any(e.get("event") == "start" for e in events)
    if not started:
        return _report_without_pytest(report, result, workspace, argv)
    if any(e.get("event") == "finish" and e.get("exitstatus") == PYTEST_INTERNAL_ERROR for e in events):
        raise UserError(
            f"pytest stopped with an internal error before reporting the tests "
            f"({_internal_error(result, workspace, argv)}); run that command in the project to see "
            "pytest's whole traceback, and `untilgreen doctor` to check the setup."
        )
    running: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "collected":
            report.collected = event["count"]
        elif kind == "begin":
            running = event["test_id"]
        elif kind == "collection_error":
            report.failures.append(Failure.from_dict(event["failure"]))
        elif kind == "result":
            running = None
            _add_result(report, event)
    if running is not None and (result.timed_out or result.exit_code is None):
        report.failures.append(
            Failure(
                test_id=running,
                kind="timeout",
                exc_type="Timeout",
                message=f"the test run was stopped after {result.duration_s:.0f} s while this test was running "
                "(it may loop forever, or need a longer sandbox.timeout)",
            )
        )
    if report.collected == 0 and not report.failures and not report.passed:
        if any(line.startswith("ERROR: ") for line in result.output.splitlines()):
            raise UserError(
                f"pytest refused to run ({_pytest_error(result, workspace, argv)}); check the test ids and "
                "the project's pytest configuration."
            )
        where = "for the given test ids" if test_ids else f"in {workspace.root}"
        raise NoTestsCollected(
            f"no tests were collected {where}; check the test ids or the project's pytest configuration "
            "(testpaths, file names test_*.py)."
        )
    return report


def _add_result(report: TestReport, event: dict[str, Any]) -> None:
    test_id = event["test_id"]
    report.durations[test_id] = event.get("duration", 0.0)
    if event.get("coverage") is not None:
        if report.coverage is None:
            report.coverage = {}
        report.coverage[test_id] = event["coverage"]
    outcome = event["outcome"]
    if outcome in NOT_FAILING:
        getattr(report, outcome).append(test_id)
    else:
        report.failures.append(Failure.from_dict(event["failure"]))


def _report_without_pytest(
    report: TestReport, result: ProcessResult, workspace: Workspace, argv: list[str]
) -> TestReport:
    """pytest never reached its configure step: a missing pytest, a broken conftest, a crash or a timeout."""
    output = result.output
    if "No module named pytest" in output:
        python = argv[0]
        raise UserError(
            f"pytest is not installed for {python}; install it there ({python} -m pip install pytest) "
            "or set the `python` setting to an interpreter that has it."
        )
    failures = conftest_failures(output, workspace.path)
    if failures is not None:
        report.failures = failures
        return report
    if result.timed_out:
        raise UserError(
            f"the test run did not start within {result.duration_s:.0f} s; raise sandbox.timeout or "
            "check what the project does at import time."
        )
    raise UserError(
        f"the test run failed before any test ran ({_pytest_error(result, workspace, argv)}); run "
        "`untilgreen doctor` to check the setup."
    )


def conftest_failures(output: str, shadow: Path) -> list[Failure] | None:
    """When pytest's output says it could not import a conftest file: a collection failure per project frame
    of the traceback (paths relative to `shadow`), else one for `conftest.py`; None otherwise."""
    if "while loading conftest" not in output:
        return None
    failures = parse_tracebacks(output, shadow, "conftest.py")
    for failure in failures:
        failure.kind = "collection"
    return failures or [
        Failure(
            test_id="conftest.py", kind="collection", exc_type="ConftestError", message=_last_line(output, "")
        )
    ]


# Lines in which pytest (or Python, before pytest could start) says why a run stopped.
_ERROR_LINE = re.compile(r"^(ERROR: |usage: |\S+: error: |E  |\w*(Error|Exception)\b)")


def _internal_error(result: ProcessResult, workspace: Workspace, argv: list[str]) -> str:
    """The last line of pytest's INTERNALERROR traceback (the exception) and the command."""
    lines = [
        line.removeprefix("INTERNALERROR>").strip()
        for line in result.output.splitlines()
        if line.startswith("INTERNALERROR>")
    ]
    detail = next((line for line in reversed(lines) if line), f"exit code {result.exit_code}")
    return f"{detail}; the command was `{shlex.join(argv)}`".replace(str(workspace.path), str(workspace.root))


def _pytest_error(result: ProcessResult, workspace: Workspace, argv: list[str]) -> str:
    """pytest's own error lines (else the last line of output) and the command, as the user's project sees them."""
    lines = [line.strip() for line in result.output.splitlines() if _ERROR_LINE.match(line)]
    detail = " / ".join(dict.fromkeys(lines[:4])) or _last_line(
        result.output, f"exit code {result.exit_code}"
    )
    text = f"{detail}; the command was `{shlex.join(argv)}`"
    return text.replace(str(workspace.path), str(workspace.root))


def _run_command(workspace: Workspace, config: RunnerConfig, cancel: threading.Event | None) -> TestReport:
    """A non-pytest test command: exit code plus Python tracebacks parsed from its output."""
    argv = shlex.split(config.command)
    # A command that names its interpreter by path needs that interpreter's files visible in the sandbox.
    named = Path(argv[0]) if argv else None
    if named is not None and named.is_absolute() and named.name.startswith("python"):
        python = named
    else:
        python = find_python(workspace.root, config.python)
    env = scrub_environment(os.environ, config.env_passthrough)
    env["PYTHONPATH"] = os.pathsep.join(workspace.python_path_entries())
    result = _run(argv, workspace, config, python, env, cancel)
    report = _empty_report(result)
    if result.exit_code == 0 and not result.timed_out:
        report.passed.append(config.command)
        return report
    failures = parse_tracebacks(result.output, workspace.path, config.command)
    if result.timed_out:
        failures.append(
            Failure(
                test_id=config.command,
                kind="timeout",
                exc_type="Timeout",
                message=f"the test command was stopped after {result.duration_s:.0f} s",
            )
        )
    report.failures = failures or [
        Failure(
            test_id=config.command,
            kind="failed",
            exc_type="ExitCode",
            message=f"exit code {result.exit_code}",
            output=result.output,
        )
    ]
    return report
