"""The warm worker: runs inside the sandbox, in the project's interpreter, and imports nothing from untilgreen.

It imports pytest, its built-in plugins and the installed third-party plugins once (no project code), freezes
the heap (so the garbage collector of each fork skips it), then reads one JSON request per line on stdin and
forks per request. The child loads the mutant source of one file through a meta-path finder (no file is
written), runs `pytest.main` with the same arguments as a cold run, and exits; the results go to the request's
report file through the untilgreen pytest plugin. The parent kills the child's process group at the request's
timeout and answers one JSON line on the protocol stream.

Request: {"id", "file" (absolute path or null), "source", "tests" (ids; empty: all), "timeout", "report",
"test_timeout"}. Reply: {"id", "status": "done" | "timeout", "exit", "seconds"}.
"""

import gc
import importlib
import importlib.machinery
import json
import os
import shutil
import signal
import sys
import tempfile
import time

_BLOCKED = set(json.loads(sys.argv[1]))  # plugin names a structured run blocks
_ARGS = json.loads(sys.argv[2])  # pytest arguments before the test ids


class _MutantLoader(importlib.machinery.SourceFileLoader):
    """Compiles the mutant text held in memory: no bytecode cache is read or written for it."""

    def __init__(self, fullname, path, source):
        super().__init__(fullname, path)
        self.source = source

    def get_source(self, fullname):
        return self.source

    def get_code(self, fullname):
        return compile(self.source, self.path, "exec", dont_inherit=True)


class _MutantFinder:
    def __init__(self, path, source):
        self.path = os.path.realpath(path)
        self.source = source

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or os.path.realpath(spec.origin) != self.path:
            return None
        spec.loader = _MutantLoader(fullname, spec.origin, self.source)
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


def _child(pytest, plugins, request):
    os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if request.get("file"):
        sys.meta_path.insert(0, _MutantFinder(request["file"], request["source"]))
    os.environ["UNTILGREEN_REPORT"] = request["report"]
    os.environ["UNTILGREEN_TEST_TIMEOUT"] = str(request["test_timeout"])
    os.environ["UNTILGREEN_COVERAGE"] = "0"
    try:
        code = int(pytest.main(_ARGS + list(request["tests"]), plugins=list(plugins)))
    except BaseException:
        code = 3
    os._exit(code)


def _wait(pid, timeout):
    """(status, exit code): the child's exit, or its process group killed at the timeout."""
    deadline = time.monotonic() + timeout
    delay = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "done", os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
        if time.monotonic() >= deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            return "timeout", None
        time.sleep(delay)
        delay = min(delay * 2, 0.005)


def main():
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints must not reach the protocol stream
    pytest, plugins = _preload()
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()
    protocol.write(json.dumps({"ready": True, "pytest": pytest.__version__}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(pytest, plugins, request)
        status, code = _wait(pid, float(request["timeout"]))
        reply = {"id": request["id"], "status": status, "exit": code, "seconds": time.monotonic() - started}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
