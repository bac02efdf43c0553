"""The warm worker: runs inside the sandbox, in the project's interpreter, and imports nothing from untilgreen.

It imports pytest, its built-in plugins and the installed third-party plugins once (no project code), parses
pytest's configuration once with the loading of conftest files deferred (they are project code), rewrites the
asserts of the test files once, freezes the heap (so the garbage collector of each fork skips it) and backs it
with huge pages where the system allows (so each fork has fewer page table entries to copy and tear down), then
reads one JSON request per line on stdin and forks per request. The child loads the mutant source of one file
through a meta-path finder (no file is written), runs its tests and exits; the results go to the request's
report file through the untilgreen pytest plugin. When the project has no conftest file, the parent also
configures pytest and starts the session (the fixture registry, the reporters), so a child only collects, runs,
finishes the session and exits without unconfiguring (nothing outlives it); otherwise each child loads the
conftest files and runs the whole session on the prepared configuration. The parent kills the child's process
group at the request's timeout and answers one JSON line on the protocol stream. When the configuration cannot
be prepared without the conftest files (their options in `addopts`, say), each child runs `pytest.main` from the
start, as a cold run does; so does a child whose conftest files cannot be imported (the candidate broke an
import), so that pytest reports it in its own words. With the session prepared, a child asked for a list of
tests runs them without pytest's collection when the direct runner (`untilgreen_warm_direct`) can prove it
gives pytest's verdict; the report's first event says which path ran: {"event": "runner", "path": "direct" |
"pytest"}.

Ready line: {"ready", "pytest", "prepared": "session" | "configuration" | "none"} (what the parent prepared).
Request: {"id", "file" (absolute path or null), "source", "tests" (ids; empty: all), "timeout", "report" (the
child's output goes to this path + ".out"), "test_timeout", "direct" (false: always pytest)}. Reply: {"id", "status": "done" | "timeout", "exit", "seconds",
"cpu" (seconds of CPU the request cost: the child's, and this process's own since the previous reply)}.
A request whose file this process imported before forking (pytest imports its own dependencies, and a project
can be one of them, as pluggy is) gets no fork: a fork would keep the module as imported, where a cold run
imports the candidate. Its reply is {"id", "status": "preloaded", "module"}.
"""

from __future__ import annotations

import fnmatch
import gc
import importlib
import importlib.machinery
import json
import os
import pathlib
import select
import shutil
import signal
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence

if TYPE_CHECKING:  # names for annotations only: at run time this module keeps to Python 3.7 and pytest 3.10
    import argparse
    from types import CodeType, ModuleType

    import pytest
    from _pytest.capture import CaptureManager
    from _pytest.main import Session

    from untilgreen.models.builtin.warm.untilgreen_warm_direct import DirectRunner

_BLOCKED = set(json.loads(sys.argv[1]))  # plugin names a structured run blocks
_ARGS = json.loads(sys.argv[2])  # pytest arguments before the test ids
_PLUGIN = _ARGS[_ARGS.index("-p") + 1]  # the untilgreen plugin comes first


_MAX_FILES = 2000  # project files compiled ahead in the parent


class _CodeLoader(importlib.machinery.SourceFileLoader):
    """Executes a code object compiled ahead (or the mutant text held in memory): no bytecode file is read or
    written, so each fork skips compiling the project from source (bytecode writing is often off in the sandbox)."""

    def __init__(
        self, fullname: str, path: str, code: CodeType | None = None, source: str | None = None
    ) -> None:
        super().__init__(fullname, path)
        self.code, self.source = code, source

    def get_source(self, fullname: str) -> str | None:
        return self.source if self.source is not None else super().get_source(fullname)

    def get_code(self, fullname: str) -> CodeType | None:
        if self.source is not None:
            return compile(self.source, self.path, "exec", dont_inherit=True)
        return self.code


class _CodeFinder:
    """First on `sys.meta_path`: serves the mutant's file from its source and the project's other non-test files
    from the code objects compiled in the parent, while unchanged (test files go through pytest's rewriting)."""

    def __init__(self, codes: dict[str, tuple[int, int, CodeType]]) -> None:
        self.codes = codes  # real path -> (size, mtime_ns, code)
        self.mutant: str | None = None
        self.source: str | None = None

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        real = os.path.realpath(spec.origin)
        if real == self.mutant:
            spec.loader = _CodeLoader(fullname, spec.origin, source=self.source)
            return spec
        known = self.codes.get(real)
        if known is None:
            return None
        stat = os.stat(real)
        if (stat.st_size, stat.st_mtime_ns) != known[:2]:
            return None
        spec.loader = _CodeLoader(fullname, spec.origin, code=known[2])
        return spec

    def invalidate_caches(self) -> None:
        pass


def _preload() -> tuple[ModuleType, list[object]]:
    """Import what every candidate would import again: pytest, its plugins, installed pytest11 plugins."""
    import pytest
    from _pytest.config import default_plugins
    from importlib import metadata

    for name in default_plugins:
        try:
            importlib.import_module("_pytest." + name)
        except ImportError:
            pass
    plugins: list[object] = []
    found: Any = metadata.entry_points()  # before Python 3.10, a dict of entry points by group
    for entry in found.select(group="pytest11") if hasattr(found, "select") else found.get("pytest11", []):
        if entry.name in _BLOCKED or entry.name.split(".")[0] in _BLOCKED:
            continue
        try:
            plugins.append(entry.load())
        except Exception:  # a broken plugin breaks the cold run the same way; leave it out here
            pass
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the plugins above are passed explicitly
    _warm_up(pytest, plugins)
    return pytest, plugins


_WARM_UP_TESTS = (
    "import pytest\n\n\n@pytest.fixture\ndef one():\n    return 1\n\n\n"
    "def test_passes(one):\n    assert one == 1\n\n\ndef test_fails():\n    assert [1] == [2]\n"
)


def _warm_up(pytest: ModuleType, plugins: list[object]) -> None:
    """One throwaway session on two tests of our own in a test folder, with the untilgreen plugin (writing no
    report): imports what pytest loads lazily (reports, assertion rewriting, failure formatting) and fills the
    caches each candidate would fill again (compiled name patterns, the plugin's module paths)."""
    folder = tempfile.mkdtemp(prefix="untilgreen-warm-up-")
    try:
        os.mkdir(os.path.join(folder, "tests"))
        open(os.path.join(folder, "data.json"), "w").close()  # a non-test file meets the name patterns too
        with open(os.path.join(folder, "tests", "test_untilgreen_warm_up.py"), "w") as handle:
            handle.write(_WARM_UP_TESTS)
        blocked = [arg for name in sorted(_BLOCKED) for arg in ("-p", "no:" + name)]
        arguments = blocked + ["-p", _PLUGIN, "-q", "--rootdir", folder, "--tb=short", folder]
        pytest.main(arguments, plugins=list(plugins))
    finally:
        sys.modules.pop("test_untilgreen_warm_up", None)
        shutil.rmtree(folder, ignore_errors=True)


class _Prepared:
    """pytest's configuration parsed in the parent with the initial conftest files left for each child.

    `Config._preparse` would import the conftest files of the test paths (project code); the plugin manager's
    `_set_initial_conftests` is replaced by a recorder for the parse. When the project has no conftest file,
    `start_session` then configures pytest and starts the session in the parent too, so a child only collects
    and runs its tests; otherwise each child loads the conftest files (the real `_set_initial_conftests` with
    the recorded arguments and its own test ids) and runs the whole session. The global output capture pytest
    starts around conftest loading is stopped in the parent and started again in the child, so no capture file
    is shared between forks.
    """

    def __init__(self, plugins: list[object]) -> None:
        from _pytest.config import get_config

        self.plugins = plugins
        self.conftest_args: dict[str, Any] = {}
        self.option_args: list[
            str
        ] = []  # the arguments pytest parses after loading the initial conftest files
        self.session: Session | None = None
        # the fast path for target tests, when the session is prepared and it applies
        self.direct: DirectRunner | None = None
        config = get_config(list(_ARGS), list(plugins))
        # Replaced on the instances for the parse (setattr: the type checker refuses assigning to a method).
        setattr(config.pluginmanager, "_set_initial_conftests", self._record)
        parse_setoption = config._parser.parse_setoption
        setattr(config._parser, "parse_setoption", self._record_options(parse_setoption))
        try:
            for plugin in plugins:
                config.pluginmanager.register(plugin)
            config = config.pluginmanager.hook.pytest_cmdline_parse(
                pluginmanager=config.pluginmanager, args=list(_ARGS)
            )
        except BaseException:
            config._ensure_unconfigure()
            raise
        del config.pluginmanager._set_initial_conftests
        setattr(config._parser, "parse_setoption", parse_setoption)
        self.config = config
        self.capture: CaptureManager = config.pluginmanager.getplugin("capturemanager")
        self.capture.stop_global_capturing()

    def _record(self, **arguments: Any) -> None:
        self.conftest_args = arguments

    def _record_options(self, parse_setoption: Callable[..., Any]) -> Callable[..., Any]:
        def recording(
            args: Sequence[str], option: argparse.Namespace, namespace: argparse.Namespace | None = None
        ) -> Any:
            self.option_args = list(args)  # with `addopts`, after the untilgreen plugin neutralised options
            return parse_setoption(args, option, namespace=namespace)

        return recording

    def _load_conftests(self, args: Sequence[str]) -> None:
        """Load the initial conftest files for `args` and parse the arguments again, as `Config.parse` does after
        loading them: an option a conftest adds (without a default) exists only once parsed."""
        config = self.config
        config.pluginmanager._set_initial_conftests(**dict(self.conftest_args, args=args))
        config._parser.parse_setoption(list(self.option_args), config.option, namespace=config.option)

    def start_session(self) -> None:
        """Configure pytest and start the session (the fixture registry, the reporters) once, in the parent."""
        from _pytest.main import Session

        config = self.config
        try:
            config.pluginmanager._set_initial_conftests(**self.conftest_args)  # there are none: loads nothing
            config._do_configure()
            session = Session.from_config(config)
            session.exitstatus = 0
            config.hook.pytest_sessionstart(session=session)
        except BaseException:
            config._ensure_unconfigure()
            raise
        self.session = session
        try:
            if TYPE_CHECKING:  # the same file, which the project's interpreter finds by its own name
                from untilgreen.models.builtin.warm.untilgreen_warm_direct import direct_runner
            else:
                from untilgreen_warm_direct import direct_runner

            self.direct = direct_runner(config, self.capture)
        except Exception:  # a pytest without what the direct runner uses: each fork runs pytest
            self.direct = None

    def run(self, tests: Sequence[str], direct: bool) -> int | pytest.ExitCode:
        """pytest's exit status for `tests` (all when empty), run directly when `direct` allows and it applies."""
        config = self.config
        if tests:
            config.args, config.args_source = list(tests), config.ArgsSource.ARGS
        import pytest
        from _pytest.config import ConftestImportFailure

        unimportable = False
        self.capture.start_global_capturing()
        try:
            if self.session is None:
                self._load_conftests(config.args)
        except ConftestImportFailure:
            unimportable = True
        finally:
            self.capture.suspend_global_capture()
        if unimportable:  # pytest's own start reports it, in its words, as in a cold run
            _announce("pytest")
            return pytest.main(_ARGS + list(tests), plugins=list(self.plugins))
        if direct and tests and self.direct is not None:
            code = self.direct.run(tests)
            if code is not None:
                return code
        _announce("pytest")
        if self.session is None:
            status: int | pytest.ExitCode = config.hook.pytest_cmdline_main(config=config)
            return status
        return _run_session(config, self.session)


def _run_session(config: pytest.Config, session: Session) -> int | pytest.ExitCode:
    """pytest's `wrap_session` after `pytest_sessionstart` (done in the parent) and without unconfiguring (the
    fork exits): collect, run, `pytest_sessionfinish`. Only the exit status is set here; every test outcome
    reaches the report through the plugin's hooks as in a cold run."""
    from _pytest.main import _main
    from _pytest.outcomes import Exit, Failed
    from pytest import ExitCode

    try:
        session.exitstatus = _main(config, session) or 0
    except Failed:
        session.exitstatus = ExitCode.TESTS_FAILED
    except (KeyboardInterrupt, Exit) as stop:
        code = getattr(stop, "returncode", None)
        session.exitstatus = ExitCode.INTERRUPTED if code is None else code
    except BaseException:
        session.exitstatus = ExitCode.INTERNAL_ERROR
    try:
        config.hook.pytest_sessionfinish(session=session, exitstatus=session.exitstatus)
    except Exit as stop:
        if stop.returncode is not None:
            session.exitstatus = stop.returncode
    return session.exitstatus


def _project_files(root: str) -> list[pathlib.Path]:
    """The project's Python files, skipping hidden folders, caches and virtualenvs."""
    files: list[pathlib.Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in ("__pycache__", "node_modules")
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        ]
        files += [pathlib.Path(folder, name) for name in names if name.endswith(".py")]
    return files


def _compile_project(config: pytest.Config, files: list[pathlib.Path], finder: _CodeFinder) -> None:
    """Compile the project's files once, in the parent (compiling runs no project code): the test files and
    conftest files with pytest's assertion rewriting, served to each child through pytest's own import hook; the
    others plain, served by `finder`. A file whose size or time changed is compiled by the child as usual."""
    from _pytest.assertion import rewrite

    original = rewrite._rewrite_test
    rewritten: dict[tuple[str, int, int], tuple[os.stat_result, CodeType]] = {}

    def cached(fn: pathlib.Path, config: pytest.Config) -> tuple[os.stat_result, CodeType]:
        stat = os.stat(fn)
        key = (os.path.realpath(fn), stat.st_size, stat.st_mtime_ns)
        if key not in rewritten:
            rewritten[key] = original(fn, config)
        return rewritten[key]

    rewrite._rewrite_test = cached
    patterns = config.getini("python_files")
    for path in files[:_MAX_FILES]:
        try:
            if path.name == "conftest.py" or any(fnmatch.fnmatch(path.name, p) for p in patterns):
                cached(path, config)
            else:
                stat = path.stat()
                code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
                finder.codes[os.path.realpath(path)] = (stat.st_size, stat.st_mtime_ns, code)
        except (OSError, SyntaxError, ValueError):  # the child compiles it and reports the error
            pass


def _prepare(plugins: list[object], finder: _CodeFinder) -> _Prepared | None:
    """The prepared configuration (its session started when the project has no conftest file), or None when it
    cannot be built without the conftest files."""
    try:
        prepared = _Prepared(plugins)
    except Exception:
        return None
    files = _project_files(str(prepared.config.rootpath))
    if not any(path.name == "conftest.py" for path in files):
        try:
            prepared.start_session()
        except Exception:
            return None
    _compile_project(prepared.config, files, finder)
    return prepared


def _check_imports_once() -> None:
    """Run the plugin's foreign-import check on what the parent imported, so that each fork checks only the
    modules it imports itself (the plugin remembers the modules it found clean); a foreign one is left for each fork
    to report."""
    from _pytest.outcomes import Exit

    try:
        sys.modules[_PLUGIN].check_foreign_imports(None)
    except Exit:
        pass


_HUGE_PAGE = 2 << 20
_MADV_COLLAPSE = 25


def _collapse_heap() -> None:
    """Back the heap with huge pages where the system allows (Linux 6.1+), so that each fork copies a few page
    directory entries instead of thousands of page table entries, and its exit has as few to tear down; a fork's
    first write into a huge page splits it and copies one small page, as before."""
    try:
        import ctypes

        madvise = ctypes.CDLL(None, use_errno=True).madvise
        madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        with open("/proc/self/maps") as maps:
            regions = [line.split() for line in maps]
    except (OSError, AttributeError):
        return
    for fields in regions:
        if fields[1].startswith("rw") and (len(fields) == 5 or fields[5] == "[heap]"):
            low, high = (int(x, 16) for x in fields[0].split("-"))
            start, end = -(-low // _HUGE_PAGE) * _HUGE_PAGE, high // _HUGE_PAGE * _HUGE_PAGE
            if end > start:
                madvise(start, end - start, _MADV_COLLAPSE)


def _child(
    pytest: ModuleType,
    plugins: list[object],
    prepared: _Prepared | None,
    finder: _CodeFinder,
    request: dict[str, Any],
) -> NoReturn:
    os.setpgid(0, 0)
    gc.disable()  # the child lives for one candidate; the parent's heap is frozen anyway
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    output = os.open(request["report"] + ".out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd in (1, 2):  # pytest's own output: read back only when the request has no verdict
        os.dup2(output, fd)
    if request.get("file"):
        finder.mutant, finder.source = os.path.realpath(request["file"]), request["source"]
    os.environ["UNTILGREEN_REPORT"] = request["report"]  # read by the plugin when it writes
    os.environ["UNTILGREEN_TEST_TIMEOUT"] = str(request["test_timeout"])
    try:
        if prepared is None:
            _announce("pytest")
            code = int(pytest.main(_ARGS + list(request["tests"]), plugins=list(plugins)))
        else:
            code = int(prepared.run(request["tests"], request.get("direct", True)))
    except BaseException as error:  # in the output, where the parent looks for why there is no verdict
        os.write(2, "{}: {}\n".format(type(error).__name__, error).encode("utf-8", "replace"))
        code = 3
    os._exit(code)


def _announce(path: str) -> None:
    """The report's first event: which path runs the request (see the direct runner for the other one)."""
    sys.modules[_PLUGIN].emit({"event": "runner", "path": path})


def _exit_status(pid: int, timeout: float) -> tuple[int, float] | None:
    """(wait status, CPU seconds) once the child exits within `timeout`, else None: woken by a pidfd where the
    system has one, else polling with a short back-off."""
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        try:
            if not select.select([handle], [], [], max(0.0, timeout))[0]:
                return None
        finally:
            os.close(handle)
        return _reap(pid, 0)
    deadline = time.monotonic() + timeout
    delay = 0.0005
    while time.monotonic() < deadline:
        done = _reap(pid, os.WNOHANG)
        if done:
            return done
        time.sleep(delay)
        delay = min(delay * 2, 0.005)
    return None


def _reap(pid: int, options: int) -> tuple[int, float] | None:
    """(wait status, user + system CPU seconds) of an exited child, or None (WNOHANG, still running)."""
    done, status, usage = os.wait4(pid, options)
    return (status, usage.ru_utime + usage.ru_stime) if done else None


def _wait(pid: int, timeout: float) -> tuple[str, int | None, float]:
    """(status, exit code, CPU seconds): the child's exit, or its process group killed at the timeout."""
    exited = _exit_status(pid, timeout)
    if exited is None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        reaped = _reap(pid, 0)
        assert reaped is not None  # waited for without WNOHANG: the killed child has exited
        return "timeout", None, reaped[1]
    status, cpu = exited
    return "done", os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status, cpu


def _imported_files() -> dict[str, str]:
    """real path of each imported module's source file -> the module's name."""
    found: dict[str, str] = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
        if isinstance(origin, str) and origin.endswith(".py"):
            found[os.path.realpath(origin)] = name
    return found


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints must not reach the protocol stream
    os.environ["UNTILGREEN_REPORT"] = ""  # only the children write reports
    pytest, plugins = _preload()
    finder = _CodeFinder({})
    sys.meta_path.insert(0, finder)
    prepared = _prepare(plugins, finder)
    _check_imports_once()
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()
    _collapse_heap()
    ahead = "none" if prepared is None else "configuration" if prepared.session is None else "session"
    protocol.write(json.dumps({"ready": True, "pytest": pytest.__version__, "prepared": ahead}) + "\n")
    protocol.flush()
    imported = _imported_files()
    own = time.process_time()
    for line in sys.stdin:
        request = json.loads(line)
        module = imported.get(os.path.realpath(request["file"])) if request.get("file") else None
        if module is not None:
            protocol.write(json.dumps({"id": request["id"], "status": "preloaded", "module": module}) + "\n")
            protocol.flush()
            continue
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(pytest, plugins, prepared, finder, request)
        status, code, cpu = _wait(pid, float(request["timeout"]))
        mark, own = own, time.process_time()
        reply = {
            "id": request["id"],
            "status": status,
            "exit": code,
            "seconds": time.monotonic() - started,
            "cpu": cpu + own - mark,
        }
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
