"""The warm worker: runs inside the sandbox, in the project's interpreter, and imports nothing from untilgreen.

It imports pytest, its built-in plugins and the installed third-party plugins once (no project code), parses
pytest's configuration once with the loading of conftest files deferred (they are project code), rewrites the
asserts of the test files once, freezes the heap (so the garbage collector of each fork skips it), then reads
one JSON request per line on stdin and forks per request. The child loads the mutant source of one file
through a meta-path finder (no file is written), loads the conftest files, runs the session on the prepared
configuration and exits; the results go to the request's report file through the untilgreen pytest plugin. The
parent kills the child's process group at the request's timeout and answers one JSON line on the protocol
stream. When the configuration cannot be prepared without the conftest files (their options in `addopts`,
say), each child runs `pytest.main` from the start, as a cold run does.

Request: {"id", "file" (absolute path or null), "source", "tests" (ids; empty: all), "timeout", "report",
"test_timeout"}. Reply: {"id", "status": "done" | "timeout", "exit", "seconds"}.
"""

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

_BLOCKED = set(json.loads(sys.argv[1]))  # plugin names a structured run blocks
_ARGS = json.loads(sys.argv[2])  # pytest arguments before the test ids
_PLUGIN = _ARGS[_ARGS.index("-p") + 1]  # the untilgreen plugin comes first


_MAX_FILES = 2000  # project files compiled ahead in the parent


class _CodeLoader(importlib.machinery.SourceFileLoader):
    """Executes a code object compiled ahead (or the mutant text held in memory): no bytecode file is read or
    written, so each fork skips compiling the project from source (bytecode writing is often off in the sandbox)."""

    def __init__(self, fullname, path, code=None, source=None):
        super().__init__(fullname, path)
        self.code, self.source = code, source

    def get_source(self, fullname):
        return self.source if self.source is not None else super().get_source(fullname)

    def get_code(self, fullname):
        if self.source is not None:
            return compile(self.source, self.path, "exec", dont_inherit=True)
        return self.code


class _CodeFinder:
    """First on `sys.meta_path`: serves the mutant's file from its source and the project's other non-test files
    from the code objects compiled in the parent, while unchanged (test files go through pytest's rewriting)."""

    def __init__(self, codes):
        self.codes = codes  # real path -> (size, mtime_ns, code)
        self.mutant, self.source = None, None

    def find_spec(self, fullname, path=None, target=None):
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

    def invalidate_caches(self):
        pass


def _preload():
    """Import what every candidate would import again: pytest, its plugins, installed pytest11 plugins."""
    import pytest
    from _pytest.config import default_plugins
    from importlib import metadata

    for name in default_plugins:
        try:
            importlib.import_module("_pytest." + name)
        except ImportError:
            pass
    plugins = []
    found = metadata.entry_points()
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


_WARM_UP_TESTS = "def test_passes():\n    assert 1 == 1\n\n\ndef test_fails():\n    assert [1] == [2]\n"


def _warm_up(pytest, plugins):
    """One throwaway session on two tests of our own: imports what pytest loads lazily (reports, assertion
    rewriting, failure formatting), so each candidate's fork does not import it again."""
    folder = tempfile.mkdtemp(prefix="untilgreen-warm-up-")
    try:
        with open(os.path.join(folder, "test_untilgreen_warm_up.py"), "w") as handle:
            handle.write(_WARM_UP_TESTS)
        blocked = [arg for name in sorted(_BLOCKED) for arg in ("-p", "no:" + name)]
        pytest.main(blocked + ["-q", "--rootdir", folder, "--tb=short", folder], plugins=list(plugins))
    finally:
        sys.modules.pop("test_untilgreen_warm_up", None)
        shutil.rmtree(folder, ignore_errors=True)


class _Prepared:
    """pytest's configuration parsed in the parent with the initial conftest files left for each child.

    `Config._preparse` would import the conftest files of the test paths (project code); the plugin manager's
    `_set_initial_conftests` is replaced by a recorder for the parse, and each child calls the real one with the
    recorded arguments (its own test ids as the paths). The global output capture pytest starts around conftest
    loading is stopped in the parent and started again in the child, so no capture file is shared between forks.
    """

    def __init__(self, plugins):
        from _pytest.config import get_config

        self.conftest_args = {}
        config = get_config(list(_ARGS), list(plugins))
        config.pluginmanager._set_initial_conftests = self._record
        try:
            for plugin in plugins:
                config.pluginmanager.register(plugin)
            config = config.pluginmanager.hook.pytest_cmdline_parse(pluginmanager=config.pluginmanager,
                                                                    args=list(_ARGS))
        except BaseException:
            config._ensure_unconfigure()
            raise
        del config.pluginmanager._set_initial_conftests
        self.config = config
        self.capture = config.pluginmanager.getplugin("capturemanager")
        self.capture.stop_global_capturing()

    def _record(self, **arguments):
        self.conftest_args = arguments

    def run(self, tests):
        config = self.config
        if tests:
            config.args, config.args_source = list(tests), config.ArgsSource.ARGS
        self.capture.start_global_capturing()
        try:
            config.pluginmanager._set_initial_conftests(**dict(self.conftest_args, args=config.args))
        finally:
            self.capture.suspend_global_capture()
        return config.hook.pytest_cmdline_main(config=config)


def _compile_project(config, finder):
    """Compile the project's files once, in the parent (compiling runs no project code): the test files and
    conftest files with pytest's assertion rewriting, served to each child through pytest's own import hook; the
    others plain, served by `finder`. A file whose size or time changed is compiled by the child as usual."""
    from _pytest.assertion import rewrite

    original = rewrite._rewrite_test
    rewritten = {}

    def cached(fn, config):
        stat = os.stat(fn)
        key = (os.path.realpath(fn), stat.st_size, stat.st_mtime_ns)
        if key not in rewritten:
            rewritten[key] = original(fn, config)
        return rewritten[key]

    rewrite._rewrite_test = cached
    patterns = config.getini("python_files")
    cached(pathlib.Path(sys.modules[_PLUGIN].__file__), config)  # reloaded in each child
    files = []
    for folder, dirs, names in os.walk(str(config.rootpath)):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules")
                   and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))]
        files += [pathlib.Path(folder, name) for name in names if name.endswith(".py")]
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


def _prepare(plugins, finder):
    """The prepared configuration, or None when it cannot be built without the conftest files."""
    try:
        prepared = _Prepared(plugins)
    except Exception:
        return None
    _compile_project(prepared.config, finder)
    return prepared


def _child(pytest, plugins, prepared, finder, request):
    os.setpgid(0, 0)
    gc.disable()  # the child lives for one candidate; the parent's heap is frozen anyway
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if request.get("file"):
        finder.mutant, finder.source = os.path.realpath(request["file"]), request["source"]
    os.environ["UNTILGREEN_REPORT"] = request["report"]
    os.environ["UNTILGREEN_TEST_TIMEOUT"] = str(request["test_timeout"])
    os.environ["UNTILGREEN_COVERAGE"] = "0"
    if _PLUGIN in sys.modules:  # imported by the parent's parse: it reads the variables above at import time, and
        importlib.reload(sys.modules[_PLUGIN])  # its hook functions look them up in the same module namespace
    try:
        if prepared is None:
            code = int(pytest.main(_ARGS + list(request["tests"]), plugins=list(plugins)))
        else:
            code = int(prepared.run(request["tests"]))
    except BaseException:
        code = 3
    os._exit(code)


def _exit_status(pid, timeout):
    """The child's wait status once it exits within `timeout`, else None: woken by a pidfd where the system has
    one, else polling with a short back-off."""
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
        return os.waitpid(pid, 0)[1]
    deadline = time.monotonic() + timeout
    delay = 0.0005
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(delay)
        delay = min(delay * 2, 0.005)
    return None


def _wait(pid, timeout):
    """(status, exit code): the child's exit, or its process group killed at the timeout."""
    status = _exit_status(pid, timeout)
    if status is None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
        return "timeout", None
    return "done", os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status


def main():
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints must not reach the protocol stream
    pytest, plugins = _preload()
    finder = _CodeFinder({})
    sys.meta_path.insert(0, finder)
    prepared = _prepare(plugins, finder)
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()
    protocol.write(json.dumps({"ready": True, "pytest": pytest.__version__, "prepared": prepared is not None}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(pytest, plugins, prepared, finder, request)
        status, code = _wait(pid, float(request["timeout"]))
        reply = {"id": request["id"], "status": status, "exit": code, "seconds": time.monotonic() - started}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
