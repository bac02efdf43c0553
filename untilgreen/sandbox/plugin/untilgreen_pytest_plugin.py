"""pytest plugin loaded with ``-p untilgreen_pytest_plugin`` inside the sandbox.

It runs in the *project's* interpreter, so it imports nothing from untilgreen and keeps to syntax that old
Pythons accept. It writes one JSON object per line to ``$UNTILGREEN_REPORT`` as the run goes, so a run that is
killed at its wall-clock limit still tells which tests finished and which one was running.

It also neutralises project options that would break a structured run (``-x``, ``-n auto``, ``--cov-fail-under``,
random ordering, ``--lf``...), enforces a per-test timeout, optionally records per-test line coverage, and refuses
to run when project code was imported from outside the shadow (an editable install pointing at the original).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Generator

import pytest

if TYPE_CHECKING:  # names for annotations only: at run time this module keeps to Python 3.7 and pytest 3.10
    from types import CodeType, FrameType, TracebackType
    from typing import Protocol

    class ExceptionLike(Protocol):
        """What `failure` reads of pytest's ExceptionInfo (the warm direct runner passes its own)."""

        @property
        def value(self) -> BaseException: ...

        @property
        def tb(self) -> TracebackType | None: ...


_ROOT = os.path.realpath(os.environ.get("UNTILGREEN_PROJECT_ROOT") or os.getcwd())
FOREIGN_ROOTS = [
    os.path.realpath(p) for p in os.environ.get("UNTILGREEN_FOREIGN_ROOTS", "").split(os.pathsep) if p
]
_COVERAGE = os.environ.get("UNTILGREEN_COVERAGE") == "1"
_MAX_TEXT = 4000
_MAX_FRAMES = 60

# Options removed from the command line and from ini `addopts`. Value: how many following args they consume
# when given without "=". Plugins we block (see runner) register these, so leaving them in would be a usage error.
_STRIPPED_OPTIONS = {
    "-x": 0,
    "--exitfirst": 0,
    "--maxfail": 1,
    "--sw": 0,
    "--stepwise": 0,
    "--stepwise-skip": 0,
    "--lf": 0,
    "--last-failed": 0,
    "--ff": 0,
    "--failed-first": 0,
    "--nf": 0,
    "--new-first": 0,
    "--lfnf": 1,
    "--last-failed-no-failures": 1,
    "--cache-clear": 0,
    "-n": 1,
    "--numprocesses": 1,
    "--dist": 1,
    "--maxprocesses": 1,
    "--tx": 1,
    "--looponfail": 0,
    "-f": 0,
    "--cov": 0,
    "--cov-report": 1,
    "--cov-fail-under": 1,
    "--cov-config": 1,
    "--cov-branch": 0,
    "--cov-append": 0,
    "--cov-context": 1,
    "--no-cov": 0,
    "--no-cov-on-fail": 0,
    "--cov-reset": 0,
    "--randomly-seed": 1,
    "--randomly-dont-reorganize": 0,
    "--randomly-dont-reset-seed": 0,
    "--random-order": 0,
    "--random-order-bucket": 1,
    "--random-order-seed": 1,
    "--timeout": 1,
    "--timeout-method": 1,
    "--timeout_method": 1,
    "--timeout-disable-debugger-detection": 0,
}
# Markers of the blocked plugins, registered so `--strict-markers` projects still collect.
_BORROWED_MARKERS = [
    "timeout(seconds): per-test timeout (enforced by untilgreen in the sandbox)",
    "xdist_group(name): xdist grouping (ignored in the sandbox)",
    "randomly_dont_reorganize: ignored in the sandbox",
    "random_order(disabled=True): ignored in the sandbox",
    "no_cover: pytest-cov's marker (coverage is not measured in the sandbox)",
]


class TestTimeout(BaseException):
    """Raised in the test's thread when its time is up; a BaseException so `except Exception` cannot swallow it."""


# The report path and the per-test timeout are read when used, not at import: the warm worker imports this
# module once and sets them per forked candidate.


def emit(record: dict[str, Any]) -> None:
    path = os.environ.get("UNTILGREEN_REPORT")
    if not path:
        return
    line = json.dumps(record, default=str)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _clip(text: object, limit: int = _MAX_TEXT) -> str:
    text = str(text)
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + "\n[... %d characters omitted ...]\n" % (len(text) - limit) + text[-half:]


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


_project_file_cache: dict[str, str | None] = {}


def _project_relpath(filename: str) -> str | None:
    """Relative path of a file that belongs to the project (under the root, not in a virtualenv), else None."""
    cached = _project_file_cache.get(filename)
    if cached is not None or filename in _project_file_cache:
        return cached
    result = None
    if filename and not filename.startswith("<"):
        real = os.path.realpath(filename)
        if _under(real, _ROOT) and "site-packages" not in real and "dist-packages" not in real:
            result = os.path.relpath(real, _ROOT).replace(os.sep, "/")
    _project_file_cache[filename] = result
    return result


def _strip_options(args: list[str]) -> list[str]:
    kept: list[str] = []
    skip = 0
    for arg in args:
        if skip:
            skip -= 1
            continue
        name, has_value = arg.split("=", 1)[0], "=" in arg
        if name in _STRIPPED_OPTIONS:
            skip = 0 if has_value else _STRIPPED_OPTIONS[name]
            continue
        if name.startswith("-n") and (name[2:] == "auto" or name[2:].isdigit()):
            continue  # -nauto, -n4
        kept.append(arg)
    return kept


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    args[:] = _strip_options(args)


def pytest_configure(config: pytest.Config) -> None:
    for marker in _BORROWED_MARKERS:
        config.addinivalue_line("markers", marker)
    emit({"event": "start", "pytest": pytest.__version__, "python": sys.version.split()[0], "root": _ROOT})


# ---------------------------------------------------------------------------------------------- failures


def _frames_from_traceback(tb: TracebackType | None) -> list[dict[str, Any]]:
    """Frames from the first project frame on (pytest's own frames before it are noise)."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if (
            code.co_filename == __file__
        ):  # the timeout handler and the coverage tracer are ours, not the test's
            tb = tb.tb_next
            continue
        rel = _project_relpath(code.co_filename)
        frames.append(
            {
                "file": rel if rel is not None else code.co_filename,
                "line": tb.tb_lineno,
                "function": code.co_name,
                "in_project": rel is not None,
            }
        )
        tb = tb.tb_next
    first = next((i for i, f in enumerate(frames) if f["in_project"]), 0)
    frames = frames[first:]
    if len(frames) > _MAX_FRAMES:
        frames = frames[:10] + frames[-(_MAX_FRAMES - 10) :]
    return frames


def failure(test_id: str, kind: str, excinfo: ExceptionLike, longrepr_text: str) -> dict[str, Any]:
    exc, tb = excinfo.value, excinfo.tb
    cause = exc.__cause__
    if type(exc).__name__ == "CollectError" and cause is not None:
        exc, tb = cause, cause.__traceback__  # the SyntaxError/ImportError pytest wrapped
    frames = _frames_from_traceback(tb)
    if isinstance(exc, SyntaxError) and exc.filename:
        rel = _project_relpath(exc.filename)
        frames.append(
            {
                "file": rel if rel is not None else exc.filename,
                "line": exc.lineno or 1,
                "function": "<module>",
                "in_project": rel is not None,
            }
        )
    if isinstance(exc, TestTimeout):
        kind = "timeout"
    message = str(exc)
    return {
        "test_id": test_id,
        "kind": kind,
        "exc_type": type(exc).__name__,
        "message": _clip(message),
        "frames": frames,
        "output": _clip(longrepr_text, 12000),
    }


_pending: dict[str, dict[str, Any]] = {}  # nodeid -> failure dict captured in pytest_exception_interact
_phases: dict[str, dict[str, Any]] = {}  # nodeid -> {"outcome": ..., "duration": ..., "longrepr": ...}


_collection_errors: set[str] = set()  # node ids already reported


def _node_id(nodeid: str) -> str:
    """The id as pytest >= 4 writes it: pytest 3 puts a `()` node between a class and its methods."""
    return nodeid.replace("::()", "")


def pytest_exception_interact(
    node: pytest.Item | pytest.Collector,
    call: pytest.CallInfo[Any],
    report: pytest.CollectReport | pytest.TestReport,
) -> None:
    if call.excinfo is None:
        return
    nodeid = _node_id(report.nodeid)
    if report.when == "collect":
        _collection_errors.add(nodeid)
        emit(
            {
                "event": "collection_error",
                "failure": failure(nodeid, "collection", call.excinfo, str(report.longrepr)),
            }
        )
        return
    kind = "failed" if report.when == "call" else "error"
    _pending.setdefault(nodeid, failure(nodeid, kind, call.excinfo, str(report.longrepr)))


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """Collection failures that bypassed exception_interact still count, with pytest's text as the message."""
    nodeid = _node_id(report.nodeid)
    if report.failed and nodeid not in _collection_errors:
        _collection_errors.add(nodeid)
        text = str(report.longrepr)
        emit(
            {
                "event": "collection_error",
                "failure": {
                    "test_id": nodeid,
                    "kind": "collection",
                    "exc_type": "CollectionError",
                    "message": _clip(text.strip().splitlines()[-1] if text.strip() else text),
                    "frames": [],
                    "output": _clip(text, 12000),
                },
            }
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    check_foreign_imports(session)
    emit({"event": "collected", "count": len(session.items)})


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    emit({"event": "begin", "test_id": _node_id(nodeid)})


# A test's outcome over its phases: the most telling phase decides (a failing teardown of a passed test is an error).
_OUTCOME_RANK = {"passed": 0, "xpassed": 1, "skipped": 2, "xfailed": 3, "failed": 4, "error": 4}


def _phase_outcome(report: pytest.TestReport) -> str:
    """pytest's word for one phase report (as its terminal summary counts it)."""
    if report.failed:  # a strict xpass too: pytest makes its call report failed
        return "failed" if report.when == "call" else "error"
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    return "skipped" if report.skipped else "passed"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    state = _phases.setdefault(_node_id(report.nodeid), {"outcome": "passed", "duration": 0.0})
    state["duration"] += getattr(report, "duration", 0.0)
    outcome = _phase_outcome(report)
    if _OUTCOME_RANK[outcome] > _OUTCOME_RANK[state["outcome"]]:
        state["outcome"] = outcome
    if report.failed:
        state.setdefault("longrepr", str(report.longrepr))


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    nodeid = _node_id(nodeid)
    state = _phases.pop(nodeid, {"outcome": "passed", "duration": 0.0})
    failure = _pending.pop(nodeid, None)
    outcome = state["outcome"]
    if outcome in ("failed", "error") and failure is None:
        failure = {
            "test_id": nodeid,
            "kind": outcome,
            "exc_type": "Failed",
            "message": _clip(state.get("longrepr", "")),
            "frames": [],
            "output": _clip(state.get("longrepr", ""), 12000),
        }
    if failure is not None and failure["kind"] == "timeout":
        outcome = "timeout"
    emit(
        {
            "event": "result",
            "test_id": nodeid,
            "outcome": outcome,
            "duration": round(state["duration"], 6),
            "failure": failure,
            "coverage": _collector.take() if _collector else None,
        }
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> None:
    emit({"event": "finish", "exitstatus": int(exitstatus)})


# ---------------------------------------------------------------------------------------------- foreign imports


_clean_modules: dict[
    str, object
] = {}  # module name -> the module object found not foreign (the warm worker's forks inherit it)


def foreign_file(filename: str) -> str | None:
    """The real path of a module file under a foreign root (outside the shadow, not installed), else None."""
    real = os.path.realpath(filename)
    if (
        _under(real, _ROOT)
        or "site-packages" in real
        or not any(_under(real, root) for root in FOREIGN_ROOTS)
    ):
        return None
    return real


def check_foreign_imports(session: pytest.Session | None) -> None:
    if not FOREIGN_ROOTS:
        return
    found: list[dict[str, str]] = []
    for name, module in list(sys.modules.items()):
        if _clean_modules.get(name) is module:
            continue
        filename = getattr(module, "__file__", None)
        real = foreign_file(filename) if filename else None
        if real is None:
            _clean_modules[name] = module
        else:
            found.append({"module": name, "file": real})
    if found:
        for item in found:
            emit(dict(item, event="foreign_import"))
        pytest.exit(
            "project modules were imported from outside the shadow copy: %s"
            % ", ".join("%s (%s)" % (f["module"], f["file"]) for f in found[:5]),
            returncode=4,
        )


# ---------------------------------------------------------------------------------------------- per-test timeout


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    armed = arm_timeout(item)
    if _collector:
        _collector.reset()
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)


def arm_timeout(item: Any) -> bool:
    seconds = float(os.environ.get("UNTILGREEN_TEST_TIMEOUT") or 0)
    marker = item.get_closest_marker("timeout")
    if marker and marker.args:
        try:
            seconds = min(seconds, float(marker.args[0])) if seconds else float(marker.args[0])
        except (TypeError, ValueError):
            pass
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        return False

    def on_timeout(signum: int, frame: FrameType | None) -> None:
        raise TestTimeout("test exceeded its %.1f s time limit (it may loop forever)" % seconds)

    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


# ---------------------------------------------------------------------------------------------- coverage


class _TraceCollector:
    """Per-test executed lines of project files, with sys.settrace (Python < 3.12)."""

    def __init__(self) -> None:
        self.lines: dict[str, set[int]] = {}
        sys.settrace(self._global)
        threading.settrace(self._global)

    def _global(self, frame: FrameType, event: str, arg: object) -> Callable[..., Any] | None:
        rel = _project_relpath(frame.f_code.co_filename)
        if rel is None:
            return None
        bucket = self.lines.setdefault(rel, set())

        def local(frame: FrameType, event: str, arg: object) -> Callable[..., Any]:
            if event == "line":
                bucket.add(frame.f_lineno)
            return local

        return local

    def reset(self) -> None:
        self.lines = {}

    def take(self) -> dict[str, list[int]]:
        taken = {path: sorted(lines) for path, lines in self.lines.items()}
        self.lines = {}
        return taken


# sys.monitoring where the interpreter has it (Python >= 3.12), else None. Typed loosely: the type checker reads
# this module for the oldest Python untilgreen itself runs on, which has none.
_MONITORING: Any = getattr(sys, "monitoring", None)


class _MonitoringCollector:
    """Per-test executed lines with sys.monitoring (Python >= 3.12): each line reported once per test."""

    def __init__(self) -> None:
        mon = _MONITORING
        self.tool = mon.COVERAGE_ID
        mon.use_tool_id(self.tool, "untilgreen")
        mon.register_callback(self.tool, mon.events.LINE, self._line)
        mon.set_events(self.tool, mon.events.LINE)
        self.lines: dict[str, set[int]] = {}

    def _line(self, code: CodeType, line: int) -> object:
        rel = _project_relpath(code.co_filename)
        if rel is not None:
            self.lines.setdefault(rel, set()).add(line)
        return _MONITORING.DISABLE

    def reset(self) -> None:
        self.lines = {}
        _MONITORING.restart_events()

    def take(self) -> dict[str, list[int]]:
        taken = {path: sorted(lines) for path, lines in self.lines.items()}
        self.reset()
        return taken


def _make_collector() -> _TraceCollector | _MonitoringCollector | None:
    if not _COVERAGE:
        return None
    if _MONITORING is not None:
        try:
            return _MonitoringCollector()
        except ValueError:  # the coverage tool id is taken (coverage.py running in the project's own hooks)
            pass
    return _TraceCollector()


_collector = _make_collector()
