"""Run a fork's target tests without pytest's collection: the warm worker's fast path for the quick run.

A fork that runs three target tests through pytest spends most of its time building collection nodes, calling
hooks and building reports, and touching the parent's heap costs it page copies. This runner imports each test
module as pytest does (`import_path`, through the same assertion rewriting), finds each test by its node id, sets
up the module's own fixtures, calls the test and writes the events the untilgreen plugin would write (`begin`,
`result`, collection errors), under what pytest sets around a test: the global output capture, the warnings
filters, the logging handlers, `PYTEST_CURRENT_TEST` and the plugin's per-test timeout.

It takes only what it runs as pytest would, with pytest 8.4 (the internals it reuses), the default import mode
and no plugin that acts on collecting or running tests (but a few read and known to leave plain tests alone).
`run` returns None, before any test has run, for anything else, and the fork runs pytest: a test module or
package with setup/teardown functions, `pytest_plugins`, hooks or autouse fixtures; marks other than
`parametrize` (whose ids pytest's own `IdMaker` makes); fixtures that are not plain function-scoped ones of the
test's own module (so no conftest or built-in fixture); classes with fixtures, setup methods, a constructor or a
metaclass; unittest cases; decorated, generator or async tests. A module imported before falling back stays
imported, as pytest would have imported it.
"""

from __future__ import annotations

import fnmatch
import inspect
import json
import os
import signal
import sys
import time
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NamedTuple, Sequence, TextIO, cast

import pytest
from _pytest import threadexception, unraisableexception
from _pytest.compat import getfuncargnames
from _pytest.fixtures import FixtureFunctionDefinition, call_fixture_func
from _pytest.logging import catching_logs
from _pytest.mark.structures import ParameterSet, get_unpacked_marks
from _pytest.outcomes import Exit, Skipped, XFailed
from _pytest.pathlib import fnmatch_ex, import_path, resolve_pkg_root_and_module_name
from _pytest.python import IdMaker, pytest_pyfunc_call
from _pytest.warnings import catch_warnings_for_item

if TYPE_CHECKING:  # the same file, which the project's interpreter finds on sys.path by its own name
    from _pytest.capture import CaptureManager
    from _pytest.fixtures import FixtureFunctionMarker, FixtureManager, FixtureRequest
    from _pytest.logging import LoggingPlugin
    from _pytest.mark.structures import Mark
    from _pytest.python import Function

    from untilgreen.sandbox.plugin import untilgreen_pytest_plugin as plugin

    # {fixture name: (function, its argument names)}
    _Plan = dict[str, tuple[Callable[..., object], tuple[str, ...]]]
    _Finalizers = list[Callable[[], object]]
else:
    import untilgreen_pytest_plugin as plugin

_SETUP_NAMES = (
    "setup_module",
    "setUpModule",
    "teardown_module",
    "tearDownModule",
    "setup_function",
    "teardown_function",
    "setup_class",
    "teardown_class",
    "setup_method",
    "teardown_method",
    "setup",
    "teardown",
    "pytest_plugins",
    "pytest_generate_tests",
    "pytestmark",
    "__test__",
)
# Hooks any plugin may implement: none of them acts on collecting or running a test.
_HARMLESS_HOOKS = {
    "pytest_addoption",
    "pytest_addhooks",
    "pytest_configure",
    "pytest_unconfigure",
    "pytest_cmdline_parse",
    "pytest_cmdline_main",
    "pytest_load_initial_conftests",
    "pytest_plugin_registered",
    "pytest_report_header",
    "pytest_report_collectionfinish",
    "pytest_report_teststatus",
    "pytest_terminal_summary",
    "pytest_sessionstart",
    "pytest_sessionfinish",
    "pytest_warning_recorded",
    "pytest_assertrepr_compare",
    "pytest_make_parametrize_id",
    "pytest_xdist_auto_num_workers",
}
# Third-party plugins read and found to act only on coroutine tests, on tests with their marks, or on tests that
# take their own fixtures, none of which this runner accepts.
_KNOWN_PLUGINS = {
    "anyio.pytest_plugin": {
        "pytest_fixture_setup",
        "pytest_pycollect_makeitem",
        "pytest_pyfunc_call",
        "pytest_collection_finish",
    },
    "pytest_asyncio.plugin": {"pytest_fixture_setup", "pytest_pycollect_makeitem", "pytest_pyfunc_call"},
    "pytest_lsp": {"pytest_runtest_call", "pytest_runtest_makereport"},
}
_RESERVED_FIXTURES = {
    "request",
    "anyio_backend",
    "event_loop",
}  # names plugins look for among a test's arguments
# Session-scoped autouse fixtures of known plugins that take no argument and need no teardown: every test under
# pytest has them set up once before its own fixtures, so the direct runner does the same.
_KNOWN_AUTOUSE = {("pytest_asyncio.plugin", "event_loop_policy")}
_INTERRUPTED = 2
_USAGE_ERROR = 4  # pytest's exit status when a requested test is not found (its module failed to import)


class _Excinfo(NamedTuple):
    """What the plugin's `failure` reads of pytest's ExceptionInfo."""

    value: BaseException
    tb: types.TracebackType | None


class _Test(NamedTuple):
    nodeid: str
    function: Callable[..., object]
    argnames: tuple[str, ...]
    params: dict[str, object]
    fixtures: _Plan


class _Fallback(Exception):
    """This request needs pytest's own collection."""


class _ImportLog:
    """First on `sys.meta_path` while a fork imports the test modules: the names of the modules it imports, which
    are the ones the foreign-import check needs (the plugin's check walks all of `sys.modules`, which costs a fork
    hundreds of copied pages)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> None:
        self.names.append(fullname)
        return None


def _foreign_imports(names: Iterable[str], report: _Report) -> bool:
    """The plugin's foreign-import check (`check_foreign_imports`) on the modules named: their events, and True
    when one was imported from outside the shadow."""
    found = False
    for name in dict.fromkeys(names):
        filename = getattr(sys.modules.get(name), "__file__", None)
        real = plugin.foreign_file(filename) if filename and plugin.FOREIGN_ROOTS else None
        if real is not None:
            report.emit({"module": name, "file": real, "event": "foreign_import"})
            found = True
    return found


class _Report:
    """The request's report, opened once per fork and announcing the direct path; each event is one line written
    at once, as the plugin's `emit` writes them (which opens the file for each event)."""

    def __init__(self) -> None:
        path = os.environ.get("UNTILGREEN_REPORT")
        self.file: TextIO | None = open(path, "a", encoding="utf-8") if path else None
        self.emit({"event": "runner", "path": "direct"})

    def emit(self, record: dict[str, Any]) -> None:
        if self.file is not None:
            self.file.write(json.dumps(record, default=str) + "\n")
            self.file.flush()


class _Unmarked:
    """Stands for a pytest item in the plugin's timeout arming: a direct test has no `timeout` mark."""

    @staticmethod
    def get_closest_marker(name: str) -> None:
        return None


def direct_runner(config: pytest.Config, capture: CaptureManager) -> DirectRunner | None:
    """A DirectRunner for this prepared configuration, or None when no request could be run directly."""
    version = tuple(int(part) for part in pytest.__version__.split(".")[:2] if part.isdigit())
    option = config.option
    if version != (8, 4) or str(config.getoption("importmode")) != "prepend":
        return None
    if (
        option.usepdb
        or option.trace
        or option.runxfail
        or option.setuponly
        or option.setupplan
        or option.setupshow
        or option.keyword
        or option.markexpr
        or option.deselect
        or option.maxfail
        or option.doctestmodules
        or option.collectonly
        or getattr(option, "stepwise", False)
    ):
        return None
    if not config.getini("collect_imported_tests"):
        return None
    manager = config.pluginmanager
    for hook in manager.hook.__dict__.values():
        for impl in getattr(hook, "get_hookimpls", lambda: [])():
            if not _harmless(impl.plugin, hook.name):
                return None
    autouse = _session_autouse(manager.getplugin("funcmanage"))
    if autouse is None:
        return None
    return DirectRunner(config, capture, manager.getplugin("logging-plugin"), autouse)


def _session_autouse(manager: FixtureManager) -> list[tuple[str, Callable[[], object]]] | None:
    """[(name, function)] of the fixtures every test uses (autouse, or `usefixtures` in the ini file, which pytest
    keeps in the same list), when all are known ones; else None."""
    names = getattr(manager, "_nodeid_autousenames", None)
    if names is None or any(names[nodeid] for nodeid in names if nodeid):
        return None
    autouse: list[tuple[str, Callable[[], object]]] = []
    for name in names.get("", []):
        definitions = manager._arg2fixturedefs.get(name)
        definition = definitions[-1] if definitions else None
        if definition is None or definition.baseid or definition.scope != "session" or definition.argnames:
            return None
        if (definition.func.__module__, name) not in _KNOWN_AUTOUSE or inspect.isgeneratorfunction(
            definition.func
        ):
            return None
        autouse.append((name, definition.func))
    return autouse


def _harmless(implementer: object, hook: str) -> bool:
    module = getattr(implementer, "__name__", None) or type(implementer).__module__
    if module.startswith("_pytest.") or module == plugin.__name__ or hook in _HARMLESS_HOOKS:
        return True
    return hook in _KNOWN_PLUGINS.get(module, ())


class DirectRunner:
    """Created in the warm worker's parent; `run` in a fork."""

    def __init__(
        self,
        config: pytest.Config,
        capture: CaptureManager,
        logging_plugin: LoggingPlugin,
        autouse: list[tuple[str, Callable[[], object]]],
    ) -> None:
        self.config, self.capture, self.logs = config, capture, logging_plugin
        self.autouse = autouse
        self.session_values: dict[
            str, tuple[object, Exception | None]
        ] = {}  # name -> (value, error) once set up
        self.root = str(config.rootpath)
        self.functions = config.getini("python_functions")
        self.classes = config.getini("python_classes")
        self.files = config.getini("python_files")

    def run(self, test_ids: Iterable[str]) -> int | None:
        """pytest's exit status once the tests ran, or None (nothing ran, nothing written): run pytest instead."""
        try:
            wanted = [self._parse(test_id) for test_id in dict.fromkeys(test_ids)]
        except _Fallback:
            return None
        imports = _ImportLog()
        sys.meta_path.insert(0, imports)
        self.capture.resume_global_capture()
        try:
            with catching_logs(self.logs.log_cli_handler, level=self.logs.log_cli_level), catching_logs(
                self.logs.log_file_handler, level=self.logs.log_file_level
            ):
                return self._run(wanted, imports)
        finally:
            self.capture.suspend_global_capture()
            sys.meta_path.remove(imports)

    def _run(self, wanted: list[tuple[str, tuple[str, ...]]], imports: _ImportLog) -> int | None:
        try:
            with catch_warnings_for_item(self.config, ihook=self.config.hook, when="collect", item=None):
                modules, errors = self._import(dict.fromkeys(path for path, _ in wanted))
            found = not errors and all(path in modules for path, _ in wanted)
            tests = [self._resolve(modules[path], path, names) for path, names in wanted] if found else []
        except (Exit, KeyboardInterrupt) as stop:
            return _finish(_Report(), _stopped(stop))
        except Exception:  # _Fallback, or a module pytest would find stranger than this runner does
            return None
        report = _Report()
        for error in errors:
            report.emit(error)
        if _foreign_imports(imports.names, report):
            return _finish(report, _USAGE_ERROR)
        report.emit({"event": "collected", "count": len(tests)})
        if (
            not found
        ):  # pytest reports the tests of a module that failed to import as not found, and runs none
            return _finish(report, _USAGE_ERROR)
        failed = False
        for test in tests:
            try:
                failed = self._protocol(test, report) or failed
            except (Exit, KeyboardInterrupt) as stop:
                return _finish(report, _stopped(stop))
        return _finish(report, 1 if failed else 0)

    def _parse(self, test_id: str) -> tuple[str, tuple[str, ...]]:
        """(file, names) of a node id that names a test in a test file, or _Fallback."""
        base, bracket, param = test_id.partition("[")
        path, *names = base.split("::")
        if bracket and not param.endswith("]") or not 1 <= len(names) <= 2 or not path.endswith(".py"):
            raise _Fallback(test_id)
        if (
            os.path.normpath(path).replace(os.sep, "/") != path
            or path.startswith("../")
            or os.path.isabs(path)
        ):
            raise _Fallback(test_id)
        filename = os.path.basename(path)
        if filename == "__init__.py" or not any(fnmatch_ex(pattern, path) for pattern in self.files):
            raise _Fallback(test_id)  # pytest would not rewrite its asserts the same way outside a session
        if not os.path.isfile(os.path.join(self.root, path)):
            raise _Fallback(test_id)
        return path, tuple(names[:-1]) + (names[-1] + bracket + param,)

    def _import(self, paths: Iterable[str]) -> tuple[dict[str, types.ModuleType], list[dict[str, Any]]]:
        """The test modules by path, and the collection errors pytest would report; a skipped module is missing."""
        modules: dict[str, types.ModuleType] = {}
        errors: list[dict[str, Any]] = []
        for path in paths:
            try:
                modules[path] = import_path(
                    os.path.join(self.root, path),
                    mode="prepend",
                    root=self.config.rootpath,
                    consider_namespace_packages=self._namespaces(),
                )
            except Skipped as skip:
                if not skip.allow_module_level:
                    errors.append(_collection_error(path, skip))
            except (Exit, KeyboardInterrupt):
                raise
            except BaseException as error:
                errors.append(_collection_error(path, error))
        return modules, errors

    def _namespaces(self) -> bool:
        return bool(self.config.getini("consider_namespace_packages"))

    def _resolve(self, module: types.ModuleType, path: str, names: tuple[str, ...]) -> _Test:
        """The test a node id names, with its fixtures, when it can run directly; else _Fallback."""
        self._check_packages(path)
        _check_plain(module, module.__dict__)
        owner: object = module
        cls: type | None = None
        if len(names) == 2:
            cls = _test_class(module, names[0], self.classes)
            owner = cls()
        name, _, param = names[-1].partition("[")
        raw = inspect.getattr_static(owner, name, None)
        if (
            not isinstance(raw, types.FunctionType)
            or not _matches(name, self.functions)
            or raw.__dict__.keys() - {"pytestmark"}
            or inspect.isgeneratorfunction(raw)
            or inspect.iscoroutinefunction(raw)
            or inspect.isasyncgenfunction(raw)
        ):
            raise _Fallback(name)
        argnames = getfuncargnames(raw, name=name, cls=cls)
        nodeid = path + "::" + "::".join(names)
        params = self._params(raw, argnames, nodeid, param)
        fixtures = _module_fixtures(module)
        if any(fixture in fixtures or fixture in params for fixture, _ in self.autouse):
            raise _Fallback(nodeid)  # the module overrides a plugin's autouse fixture
        return _Test(
            nodeid, getattr(owner, name), argnames, params, _fixture_plan(fixtures, argnames, params)
        )

    def _check_packages(self, path: str) -> None:
        """The packages holding the test file (set up by pytest before its tests) are imported and plain."""
        folder = os.path.dirname(path)
        while folder:
            init = os.path.join(self.root, folder, "__init__.py")
            if os.path.isfile(init):
                _, name = resolve_pkg_root_and_module_name(
                    Path(init), consider_namespace_packages=self._namespaces()
                )
                package = sys.modules.get(name)
                if package is None or os.path.realpath(
                    getattr(package, "__file__", "") or ""
                ) != os.path.realpath(init):
                    raise _Fallback(init)
                _check_plain(package, package.__dict__)
            folder = os.path.dirname(folder)
        if os.path.isfile(os.path.join(self.root, "__init__.py")):
            raise _Fallback("the root folder is a package")

    def _params(
        self, function: types.FunctionType, argnames: tuple[str, ...], nodeid: str, wanted: str
    ) -> dict[str, object]:
        """The parameter values the node id's `[...]` part selects, by pytest's own ids; {} when not parametrized."""
        marks = get_unpacked_marks(function)
        if any(mark.name != "parametrize" for mark in marks) or bool(marks) != bool(wanted):
            raise _Fallback(nodeid)
        calls: list[tuple[dict[str, object], list[str]]] = [({}, [])]
        for mark in marks:
            calls = [
                (dict(values, **new), ids + [id_])
                for values, ids in calls
                for new, id_ in self._parametrize(mark, function, argnames, nodeid)
            ]
        found = [values for values, ids in calls if "-".join(ids) == wanted[:-1]]
        if marks and len(found) != 1:
            raise _Fallback(nodeid)
        return found[0] if marks else {}

    def _parametrize(
        self, mark: Mark, function: types.FunctionType, argnames: tuple[str, ...], nodeid: str
    ) -> list[tuple[dict[str, object], str]]:
        arguments = dict(zip(("argnames", "argvalues", "indirect", "ids", "scope"), mark.args), **mark.kwargs)
        ids = arguments.get("ids")
        if (
            set(arguments) - {"argnames", "argvalues", "ids"}
            or not isinstance(arguments.get("argvalues"), (list, tuple))
            or not (ids is None or callable(ids) or isinstance(ids, (list, tuple)))
        ):
            raise _Fallback(nodeid)  # indirect, scope, iterators pytest would find consumed, or a misuse
        try:
            names, sets = ParameterSet._for_parametrize(
                arguments["argnames"], arguments["argvalues"], function, self.config, nodeid
            )
        except BaseException:
            raise _Fallback(nodeid) from None
        if isinstance(ids, (list, tuple)) and len(ids) not in (0, len(sets)):
            raise _Fallback(nodeid)
        if (
            any(s.marks for s in sets)
            or any(n not in argnames for n in names)
            or len(set(names)) != len(names)
        ):
            raise _Fallback(nodeid)  # marked sets, or names pytest would look up among fixtures
        maker = IdMaker(
            names,
            sets,
            ids if callable(ids) else None,
            None if callable(ids) else ids and list(ids),
            self.config,
            nodeid=nodeid,
            func_name=function.__name__,
        )
        made: list[str] = []
        for id_ in maker.make_unique_parameterset_ids():
            if not isinstance(id_, str):
                raise _Fallback(nodeid)
            made.append(id_)
        return [(dict(zip(names, s.values)), id_) for s, id_ in zip(sets, made)]

    def _protocol(self, test: _Test, report: _Report) -> bool:
        """Setup, call and teardown of one test as pytest's runner does them; True when it did not pass."""
        report.emit({"event": "begin", "test_id": test.nodeid})
        started = time.perf_counter()
        armed = plugin.arm_timeout(_Unmarked)
        outcome = _Outcome(test.nodeid)
        finalizers: _Finalizers = []
        values = dict(test.params)
        try:
            with catch_warnings_for_item(
                self.config, ihook=self.config.hook, when="runtest", item=None
            ), catching_logs(self.logs.caplog_handler, level=self.logs.log_level), catching_logs(
                self.logs.report_handler, level=self.logs.log_level
            ):
                self._phase(outcome, test, "setup", lambda: self._set_up(test, values, finalizers))
                if outcome.state == "passed":
                    self._phase(outcome, test, "call", lambda: _call(test, values))
                self._phase(outcome, test, "teardown", lambda: _tear_down(finalizers))
        except (Exit, KeyboardInterrupt):
            _tear_down(finalizers, quiet=True)  # as pytest's session finish does; the test has no result
            raise
        finally:
            if armed:
                signal.setitimer(signal.ITIMER_REAL, 0)
            os.environ.pop("PYTEST_CURRENT_TEST", None)
        report.emit(outcome.event(time.perf_counter() - started))
        return outcome.state not in ("passed", "skipped", "xfailed")

    def _set_up(self, test: _Test, values: dict[str, object], finalizers: _Finalizers) -> None:
        for name, function in self.autouse:
            if name not in self.session_values:
                try:
                    self.session_values[name] = function(), None
                except Exception as error:  # pytest caches a session fixture's error for the later tests too
                    self.session_values[name] = None, error
            cached_error = self.session_values[name][1]
            if cached_error is not None:
                raise cached_error
        for name in test.fixtures:
            _fixture_value(name, test.fixtures, values, finalizers)

    def _phase(self, outcome: _Outcome, test: _Test, when: str, body: Callable[[], object]) -> None:
        os.environ["PYTEST_CURRENT_TEST"] = "%s (%s)" % (test.nodeid, when)
        try:
            body()
            unraisableexception.collect_unraisable(self.config)
            threadexception.collect_thread_exception(self.config)
        except (Exit, KeyboardInterrupt):
            raise
        except BaseException as error:
            outcome.add(when, error)


class _Outcome:
    """The plugin's per-test bookkeeping (`pytest_runtest_logreport`, `pytest_exception_interact`) for one test."""

    def __init__(self, nodeid: str) -> None:
        self.nodeid, self.state = nodeid, "passed"
        self.failure: dict[str, Any] | None = None

    def add(self, when: str, error: BaseException) -> None:
        if isinstance(
            error, (Skipped, XFailed)
        ):  # pytest reports pytest.xfail() as xfailed, a skip as skipped
            if self.state == "passed":
                self.state = "xfailed" if isinstance(error, XFailed) else "skipped"
            return
        self.state = "failed" if when == "call" else "error"
        if self.failure is None:
            kind = "failed" if when == "call" else "error"
            self.failure = plugin.failure(self.nodeid, kind, _Excinfo(error, error.__traceback__), "")

    def event(self, duration: float) -> dict[str, Any]:
        outcome = "timeout" if self.failure is not None and self.failure["kind"] == "timeout" else self.state
        return {
            "event": "result",
            "test_id": self.nodeid,
            "outcome": outcome,
            "duration": round(duration, 6),
            "failure": self.failure,
            "coverage": None,
        }


def _fixture_value(name: str, fixtures: _Plan, values: dict[str, object], finalizers: _Finalizers) -> object:
    if name not in values:
        function, argnames = fixtures[name]
        arguments = {arg: _fixture_value(arg, fixtures, values, finalizers) for arg in argnames}
        values[name] = call_fixture_func(
            function, cast("FixtureRequest", _Request(name, finalizers)), arguments
        )
    return values[name]


def _call(test: _Test, values: dict[str, object]) -> None:
    """pytest's `pytest_pyfunc_call` (warning on a returned value, failing on an awaitable) on the test."""
    function = types.SimpleNamespace(
        obj=test.function,
        funcargs=values,
        nodeid=test.nodeid,
        _fixtureinfo=types.SimpleNamespace(argnames=test.argnames),
    )
    pytest_pyfunc_call(cast("Function", function))  # what the hook reads of a test item


def _tear_down(finalizers: _Finalizers, quiet: bool = False) -> None:
    """Run the finalizers last in, first out, each even when one fails; raise the first failure."""
    first: BaseException | None = None
    while finalizers:
        try:
            finalizers.pop()()
        except BaseException as error:
            first = first or error
    if first is not None and not quiet:
        raise first


class _Request:
    """What `call_fixture_func` uses of pytest's fixture request."""

    def __init__(self, fixturename: str, finalizers: _Finalizers) -> None:
        self.fixturename, self.addfinalizer = fixturename, finalizers.append


def _fixture_plan(
    fixtures: dict[str, tuple[FixtureFunctionMarker, Callable[..., object]]],
    argnames: tuple[str, ...],
    params: dict[str, object],
) -> _Plan:
    """{fixture name: (function, its argument names)} for the test's fixture closure, in pytest's setup order:
    the test's arguments, then their fixtures' arguments breadth first; _Fallback for a name that is not a plain
    function-scoped fixture of the module."""
    plan: _Plan = {}
    closure = [name for name in argnames if name not in params]
    for name in closure:
        if name not in fixtures or name in _RESERVED_FIXTURES:
            raise _Fallback(name)
        marker, function = fixtures[name]
        if (
            marker.params is not None
            or marker.scope != "function"
            or not isinstance(function, types.FunctionType)
            or function.__dict__
            or inspect.iscoroutinefunction(function)
            or inspect.isasyncgenfunction(function)
        ):
            raise _Fallback(name)
        plan[name] = function, getfuncargnames(function, name=name)
        closure += [arg for arg in plan[name][1] if arg not in params and arg not in closure]
    _check_acyclic(plan)
    return plan


def _module_fixtures(
    module: types.ModuleType,
) -> dict[str, tuple[FixtureFunctionMarker, Callable[..., object]]]:
    """{name: (marker, function)} of the module's fixtures as pytest's `parsefactories` registers them (the last
    of a name wins); _Fallback when one is autouse."""
    fixtures: dict[str, tuple[FixtureFunctionMarker, Callable[..., object]]] = {}
    for attribute in dir(module):
        value = getattr(module, attribute, None)
        if type(value) is FixtureFunctionDefinition:
            marker = value._fixture_function_marker
            if marker.autouse:
                raise _Fallback(attribute)
            fixtures[marker.name or attribute] = marker, value._get_wrapped_function()
    return fixtures


def _check_acyclic(plan: _Plan) -> None:
    done: set[str] = set()

    def visit(name: str, path: frozenset[str]) -> None:
        if name in path:
            raise _Fallback(name)  # a fixture asking for itself, or for one that asks for it
        if name in plan and name not in done:
            for arg in plan[name][1]:
                visit(arg, path | {name})
            done.add(name)

    for name in plan:
        visit(name, frozenset())


def _check_plain(owner: object, namespace: Mapping[str, object]) -> None:
    """No setup or teardown function, hook, module mark or `__test__` flag pytest would act on."""
    if any(name in namespace for name in _SETUP_NAMES) or any(
        name.startswith("pytest_") for name in namespace if callable(namespace[name])
    ):
        raise _Fallback(getattr(owner, "__name__", owner))


def _test_class(module: types.ModuleType, name: str, patterns: list[str]) -> type:
    cls = module.__dict__.get(name)
    if (
        type(cls) is not type
        or not _matches(name, patterns)
        or inspect.isabstract(cls)
        or getattr(cls, "__init__") is not object.__init__
        or getattr(cls, "__new__") is not object.__new__
        or cls.__module__ != module.__name__
    ):
        raise _Fallback(name)
    unittest = sys.modules.get("unittest")
    if unittest is not None and issubclass(cls, unittest.TestCase):
        raise _Fallback(name)
    for klass in cls.__mro__[:-1]:
        _check_plain(klass, vars(klass))
        if any(type(value) is FixtureFunctionDefinition for value in vars(klass).values()):
            raise _Fallback(name)
    return cls


def _matches(name: str, patterns: Iterable[str]) -> bool:
    """pytest's `_matches_prefix_or_glob_option` for `python_functions` / `python_classes`."""
    return any(
        name.startswith(p) or any(c in p for c in "*?[") and fnmatch.fnmatch(name, p) for p in patterns
    )


def _collection_error(path: str, error: BaseException) -> dict[str, Any]:
    return {
        "event": "collection_error",
        "failure": plugin.failure(path, "collection", _Excinfo(error, error.__traceback__), ""),
    }


def _finish(report: _Report, status: int) -> int:
    report.emit({"event": "finish", "exitstatus": status})
    return status


def _stopped(stop: BaseException) -> int:
    code = getattr(stop, "returncode", None)
    return _INTERRUPTED if code is None else code
