"""The warm worker: verdicts, in-memory mutants, timeouts, containment, and agreement with cold runs."""

from __future__ import annotations

import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from untilgreen.context.sbfl import ochiai_lines
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.validate import FileVersion, Verdict, WarmWorker, cold_verdict
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

from tests.models.shapes_project import FILES as SHAPES_FILES
from tests.models.shapes_project import write as write_shapes_project

CONFIG = RunnerConfig(python=sys.executable, test_timeout_s=5)
CORPUS = Path(__file__).parents[2] / "benchmarks" / "corpus"


def _project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "app.py").write_text("def double(x):\n    return x * 2\n")
    (root / "tests" / "test_app.py").write_text(textwrap.dedent("""\
        from app import double

        def test_double():
            assert double(2) == 4

        def test_zero():
            assert double(0) == 0
        """))
    return root


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("warm") / "project")
    with Workspace.create(root, cache_dir=root.parent / "cache") as workspace, \
            WarmWorker(workspace, CONFIG, lifetime_s=300) as warm:
        yield warm


def _run(worker: WarmWorker, text: str | None, tests=(), timeout_s: float = 20) -> Verdict:
    candidate = None if text is None else FileVersion("app.py", text)
    return worker.run(candidate, list(tests), timeout_s=timeout_s, test_timeout_s=5)


def test_baseline_and_mutant_verdicts(worker: WarmWorker) -> None:
    assert worker.prepared == "session"  # no conftest file: pytest is configured and the session started once
    assert _run(worker, None).passed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    verdict = _run(worker, "def double(x):\n    return x + 3\n")
    assert verdict.failed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    assert (worker.workspace.path / "app.py").read_text() == "def double(x):\n    return x * 2\n"  # never written


def test_a_mutant_that_breaks_the_import_fails_the_collection(worker: WarmWorker) -> None:
    verdict = _run(worker, "raise ImportError('broken')\n")
    assert not verdict.passed and verdict.failed == {"tests/test_app.py"}
    assert not verdict.satisfies(["tests/test_app.py::test_double"])
    assert len(_run(worker, None).passed) == 2


def test_only_the_asked_tests_run(worker: WarmWorker) -> None:
    verdict = _run(worker, "def double(x):\n    return x ** 2\n", ["tests/test_app.py::test_zero"])
    assert verdict.passed == {"tests/test_app.py::test_zero"} and not verdict.failed


def test_a_mutant_that_loops_forever_is_killed_at_its_timeout(worker: WarmWorker) -> None:
    verdict = _run(worker, "def double(x):\n    while True:\n        pass\n", timeout_s=1.5)
    assert "tests/test_app.py::test_double" in verdict.failed
    assert _run(worker, None).passed  # the worker survives


def test_a_mutant_cannot_reach_the_network(worker: WarmWorker) -> None:
    mutant = textwrap.dedent("""\
        import socket

        def double(x):
            try:
                socket.create_connection(("127.0.0.1", 9), timeout=1).close()
                socket.create_connection(("1.1.1.1", 53), timeout=1).close()
            except OSError:
                return x * 2
            return -1
        """)
    if worker.isolation == "limits":
        pytest.skip("the limits layer does not cut the network")
    assert _run(worker, mutant, ["tests/test_app.py::test_double"]).passed == {"tests/test_app.py::test_double"}


def test_a_mutant_cannot_write_outside_the_shadow(worker: WarmWorker, tmp_path: Path) -> None:
    if worker.isolation == "limits":
        pytest.skip("the limits layer does not confine writes")
    target = tmp_path / "escaped.txt"
    mutant = f"def double(x):\n    try:\n        open({str(target)!r}, 'w').write('x')\n    except OSError:\n" \
             "        pass\n    return x * 2\n"
    _run(worker, mutant)
    assert not target.exists()


@pytest.mark.parametrize(("addopts", "prepared"), [("", "configuration"), ("--offset=2", "none")],
                         ids=["prepared", "conftest-option-in-addopts"])
def test_conftest_files_load_in_each_fork(tmp_path: Path, addopts: str, prepared: str) -> None:
    """A conftest's fixture and option work whether the configuration is prepared once (conftest loading
    deferred to the fork) or, when `addopts` needs the conftest's option, parsed in each fork."""
    root = _project(tmp_path / "project")
    (root / "conftest.py").write_text(textwrap.dedent("""\
        import pytest

        def pytest_addoption(parser):
            parser.addoption("--offset", type=int, default=2)

        @pytest.fixture
        def offset(request):
            return request.config.getoption("offset")
        """))
    (root / "pytest.ini").write_text(f"[pytest]\naddopts = {addopts}\n")
    (root / "tests" / "test_offset.py").write_text("from app import double\n\n\ndef test_offset(offset):\n"
                                                   "    assert double(offset) == 4\n")
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace, \
            WarmWorker(workspace, CONFIG, lifetime_s=120) as warm:
        assert warm.prepared == prepared
        assert "tests/test_offset.py::test_offset" in _run(warm, None).passed
        assert "tests/test_offset.py::test_offset" in _run(warm, "def double(x):\n    return x + 3\n").failed


# pytest's documentation's `--runslow` example, and a QuixBugs-style option without a default read in
# `pytest_configure`: the option exists only once the conftest's `pytest_addoption` ran and the arguments were
# parsed again, as pytest does after loading the initial conftest files.
OPTION_CONFTESTS = {
    "runslow": SHAPES_FILES["conftest.py"],  # with an option without a default too
    "option-without-default": """\
        import pytest

        def pytest_addoption(parser):
            parser.addoption("--correct", action="store_true")

        def pytest_configure(config):
            pytest.use_correct = config.getoption("--correct")
            config.addinivalue_line("markers", "slow: mark test as slow to run")
        """,
}


@pytest.mark.parametrize("conftest", sorted(OPTION_CONFTESTS))
def test_conftest_options_read_in_pytest_configure(tmp_path: Path, conftest: str) -> None:
    root = _project(tmp_path / "project")
    (root / "conftest.py").write_text(textwrap.dedent(OPTION_CONFTESTS[conftest]))
    (root / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n")
    (root / "tests" / "test_slow.py").write_text(textwrap.dedent("""\
        import pytest
        from app import double

        @pytest.mark.slow
        def test_slow():
            assert double(3) == 6
        """))
    broken = FileVersion("app.py", "def double(x):\n    return x + 3\n")
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace, \
            WarmWorker(workspace, CONFIG, lifetime_s=120) as warm:
        for candidate in (None, broken):
            for tests in ([], ["tests/test_app.py::test_double"]):
                warm_verdict = warm.run(candidate, tests, timeout_s=20, test_timeout_s=5)
                assert warm_verdict.passed or warm_verdict.failed, (candidate, tests)
                assert warm_verdict == cold_verdict(workspace, candidate, tests, CONFIG), (candidate, tests)


def test_verdicts_on_collection_errors_and_file_targets() -> None:
    failing = Verdict(frozenset(), frozenset({"tests/test_merge.py"}))
    assert not failing.satisfies(["tests/test_merge.py"])
    whole = Verdict(frozenset({"tests/test_merge.py::test_a"}), frozenset())
    assert whole.satisfies(["tests/test_merge.py"])


def _cold_verdicts(workspace: Workspace, requests: list[tuple[FileVersion, list[str]]],
                   jobs: int = 2) -> list[Verdict]:
    """`cold_verdict` per (candidate, tests), `jobs` at a time, each thread on its own fork of the workspace."""
    local = threading.local()
    forks: list[Workspace] = []
    lock = threading.Lock()

    def judge(request: tuple[FileVersion, list[str]]) -> Verdict:
        if not hasattr(local, "fork"):
            local.fork = workspace.fork().__enter__()
            with lock:
                forks.append(local.fork)
        return cold_verdict(local.fork, request[0], request[1], CONFIG)

    try:
        with ThreadPoolExecutor(jobs) as pool:
            return list(pool.map(judge, requests))
    finally:
        for fork in forks:
            fork.__exit__(None, None, None)


def _agreement(workspace: Workspace, count: int) -> int:
    """The first `count` mutants of the project's suspicious lines, each judged on the whole suite and on the
    baseline's failing tests by the warm worker and by `run_tests` on a workspace fork with the mutant written
    (the cold path, two at a time); asserts the verdicts are identical, returns how many mutants were judged."""
    report = run_tests(workspace, config=CONFIG, coverage=True)
    files = {f: workspace.read(f) for f in workspace.files() if f.endswith(".py") and "test" not in f}
    found = [FileVersion(m.path, m.mutation.apply(files[m.path]))
             for m in mutants(files, ochiai_lines(report))[:count]]
    with workspace.fork() as shadow, WarmWorker(shadow, CONFIG, lifetime_s=600) as warm:
        hot = [warm.run(c, tests, timeout_s=30, test_timeout_s=CONFIG.test_timeout_s)
               for c in found for tests in ([], report.failed_ids)]
    cold = _cold_verdicts(workspace, [(c, tests) for c in found for tests in ([], report.failed_ids)])
    for index, (warm_verdict, cold_verdict_) in enumerate(zip(hot, cold)):
        assert warm_verdict.passed or warm_verdict.failed, found[index // 2]
        assert warm_verdict == cold_verdict_, (found[index // 2], warm_verdict, cold_verdict_)
    return len(found)


def test_warm_and_cold_verdicts_agree_on_real_project_shapes(tmp_path: Path) -> None:
    """Conftest options read in pytest_configure, an autouse fixture, runtime skips, xfail, parametrize ids,
    unittest, a sibling helper module and a data file (`shapes_project`): 6 mutants."""
    root = write_shapes_project(tmp_path / "shapes")
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace:
        assert _agreement(workspace, 6) == 6


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_warm_and_cold_verdicts_agree_on_200_mutants(tmp_path: Path) -> None:
    """The first 100 mutants of two corpus projects and of the shapes project, on the whole suite and on the
    targets. About ten minutes on two quiet cores: 600 cold pytest runs."""
    checked = 0
    with Workspace.create(write_shapes_project(tmp_path / "shapes"), cache_dir=tmp_path / "cache") as workspace:
        checked += _agreement(workspace, 100)
    for name in ("rate_limiter", "histogram_bins"):
        with Workspace.create(CORPUS / name) as workspace:
            checked += _agreement(workspace, 100)
    assert checked >= 250
