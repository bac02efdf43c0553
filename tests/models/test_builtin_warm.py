"""The warm worker: verdicts, in-memory mutants, timeouts, containment, and agreement with cold runs."""

from __future__ import annotations

import os
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from benchmarks.ecosystem.fetch import FetchError
from untilgreen.context.sbfl import ochiai_lines
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.validate import FileVersion, Verdict, WarmWorker, cold_verdict
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

from tests.models import real_packages
from tests.models.shapes_project import FILES as SHAPES_FILES
from tests.models.shapes_project import write as write_shapes_project

CONFIG = RunnerConfig(python=sys.executable, test_timeout_s=5)
CORPUS = Path(__file__).parents[2] / "benchmarks" / "corpus"
# Mutants per real package in the slow agreement test. pytest imports pluggy before any test runs, so the warm
# worker must leave every pluggy mutant to a cold run.
REAL_MUTANTS = {"pluggy": 6, "cachetools": 24, "click": 8}
IMPORTED_BY_PYTEST = {"pluggy"}


def _project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "app.py").write_text("def double(x):\n    return x * 2\n")
    (root / "tests" / "test_app.py").write_text(
        textwrap.dedent("""\
        from app import double

        def test_double():
            assert double(2) == 4

        def test_zero():
            assert double(0) == 0
        """)
    )
    return root


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("warm") / "project")
    with (
        Workspace.create(root, cache_dir=root.parent / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=300) as warm,
    ):
        yield warm


def _run(worker: WarmWorker, text: str | None, tests=(), timeout_s: float = 20) -> Verdict:
    candidate = None if text is None else FileVersion("app.py", text)
    return worker.run(candidate, list(tests), timeout_s=timeout_s, test_timeout_s=5)


def test_baseline_and_mutant_verdicts(worker: WarmWorker) -> None:
    assert worker.prepared == "session"  # no conftest file: pytest is configured and the session started once
    assert _run(worker, None).passed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    verdict = _run(worker, "def double(x):\n    return x + 3\n")
    assert verdict.failed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    assert (
        worker.workspace.path / "app.py"
    ).read_text() == "def double(x):\n    return x * 2\n"  # never written


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
    assert _run(worker, mutant, ["tests/test_app.py::test_double"]).passed == {
        "tests/test_app.py::test_double"
    }


def test_a_mutant_cannot_write_outside_the_shadow(worker: WarmWorker, tmp_path: Path) -> None:
    if worker.isolation == "limits":
        pytest.skip("the limits layer does not confine writes")
    target = tmp_path / "escaped.txt"
    mutant = (
        f"def double(x):\n    try:\n        open({str(target)!r}, 'w').write('x')\n    except OSError:\n"
        "        pass\n    return x * 2\n"
    )
    _run(worker, mutant)
    assert not target.exists()


@pytest.mark.parametrize(
    ("addopts", "prepared"),
    [("", "configuration"), ("--offset=2", "none")],
    ids=["prepared", "conftest-option-in-addopts"],
)
def test_conftest_files_load_in_each_fork(tmp_path: Path, addopts: str, prepared: str) -> None:
    """A conftest's fixture and option work whether the configuration is prepared once (conftest loading
    deferred to the fork) or, when `addopts` needs the conftest's option, parsed in each fork."""
    root = _project(tmp_path / "project")
    (root / "conftest.py").write_text(
        textwrap.dedent("""\
        import pytest

        def pytest_addoption(parser):
            parser.addoption("--offset", type=int, default=2)

        @pytest.fixture
        def offset(request):
            return request.config.getoption("offset")
        """)
    )
    (root / "pytest.ini").write_text(f"[pytest]\naddopts = {addopts}\n")
    (root / "tests" / "test_offset.py").write_text(
        "from app import double\n\n\ndef test_offset(offset):\n    assert double(offset) == 4\n"
    )
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=120) as warm,
    ):
        assert warm.prepared == prepared
        assert "tests/test_offset.py::test_offset" in _run(warm, None).passed
        assert "tests/test_offset.py::test_offset" in _run(warm, "def double(x):\n    return x + 3\n").failed


def test_a_mutant_that_breaks_a_conftest_import_fails_as_in_plain_pytest(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (root / "tests" / "conftest.py").write_text(
        textwrap.dedent("""\
        import pytest

        from app import double


        @pytest.fixture
        def two():
            return double(1)
        """)
    )
    broken = FileVersion("app.py", "def double(x):\n    return x * 2\n\n\nundefined_name\n")
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=120) as warm,
    ):
        for tests in ([], ["tests/test_app.py::test_double"]):
            warm_verdict = warm.run(broken, tests, timeout_s=20, test_timeout_s=5)
            assert not warm_verdict.broken and warm_verdict.failed and not warm_verdict.passed, warm_verdict
            assert warm_verdict == cold_verdict(workspace, broken, tests, CONFIG)


def test_a_mutant_of_a_module_pytest_imported_itself_is_left_to_a_cold_run(tmp_path: Path) -> None:
    """pytest imports pluggy before any test: in the real pluggy's own suite, a fork would still run the
    original pluggy where a cold run imports the candidate."""
    try:
        package = real_packages.prepared("pluggy")
    except FetchError as err:
        pytest.fail(str(err))
    root = package.copy_to(tmp_path / "pluggy")
    path = "src/pluggy/_callers.py"
    mutant = FileVersion(path, (root / path).read_text().replace("raise RuntimeError", "raise ValueError", 1))
    config = replace(CONFIG, python=str(package.python))
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, config, lifetime_s=120) as warm,
    ):
        verdict = warm.run(mutant, [], timeout_s=60, test_timeout_s=5)
        assert warm.last_path == "preloaded" and not verdict.passed and not verdict.failed
        assert "module pluggy._callers" in verdict.broken
        assert cold_verdict(workspace, mutant, [], config).failed  # what the fork would have missed


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
    (root / "tests" / "test_slow.py").write_text(
        textwrap.dedent("""\
        import pytest
        from app import double

        @pytest.mark.slow
        def test_slow():
            assert double(3) == 6
        """)
    )
    broken = FileVersion("app.py", "def double(x):\n    return x + 3\n")
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=120) as warm,
    ):
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


def _cold_verdicts(
    workspace: Workspace, requests: list[tuple[FileVersion, list[str]]], config: RunnerConfig, jobs: int = 2
) -> list[Verdict]:
    """`cold_verdict` per (candidate, tests), `jobs` at a time, each thread on its own fork of the workspace."""
    local = threading.local()
    forks: list[Workspace] = []
    lock = threading.Lock()

    def judge(request: tuple[FileVersion, list[str]]) -> Verdict:
        if not hasattr(local, "fork"):
            local.fork = workspace.fork().__enter__()
            with lock:
                forks.append(local.fork)
        return cold_verdict(local.fork, request[0], request[1], config)

    try:
        with ThreadPoolExecutor(jobs) as pool:
            return list(pool.map(judge, requests))
    finally:
        for fork in forks:
            fork.__exit__(None, None, None)


@dataclass(frozen=True)
class Agreement:
    mutants: int
    identical: int  # requests (whole suite or targets) whose warm verdict equals the cold one
    preloaded: int  # requests the warm worker left to a cold run: the mutant's module was imported already


def _agree(
    workspace: Workspace, cases: list[tuple[FileVersion, list[str]]], config: RunnerConfig = CONFIG
) -> Agreement:
    """Each (mutant, targets) judged on the whole suite and on its targets by the warm worker and by
    `run_tests` on a workspace fork with the mutant written (the cold path, two at a time); asserts that every
    warm verdict is the cold one, or none at all because the mutant's module was imported before the fork
    (then the search asks a cold run: the verdict is the cold one by construction); none where pytest gives
    none."""
    requests = [(candidate, tests) for candidate, targets in cases for tests in ([], targets)]
    hot = []
    with workspace.fork() as shadow, WarmWorker(shadow, config, lifetime_s=900) as warm:
        for candidate, tests in requests:
            verdict = warm.run(candidate, tests, timeout_s=60, test_timeout_s=config.test_timeout_s)
            hot.append((verdict, warm.last_path))
    cold = _cold_verdicts(workspace, requests, config)
    identical = preloaded = 0
    for (candidate, tests), (warm_verdict, path), cold_verdict_ in zip(requests, hot, cold):
        if path == "preloaded":
            assert warm_verdict.broken and not warm_verdict.passed | warm_verdict.failed, warm_verdict
            preloaded += 1
            continue
        # no verdict only where plain pytest gives none either (the mutant breaks a conftest's import, say)
        where = (candidate.path, tests)
        assert bool(warm_verdict.broken) == bool(cold_verdict_.broken), (where, warm_verdict, cold_verdict_)
        assert warm_verdict == cold_verdict_, (where, _difference(warm_verdict, cold_verdict_))
        identical += 1
    return Agreement(len(cases), identical, preloaded)


def _difference(warm: Verdict, cold: Verdict) -> dict[str, list[str]]:
    """What the warm verdict says that the cold one does not, per outcome (an assertion's message)."""
    return {
        f"{kind} {side}": sorted(tests)[:10]
        for kind in ("passed", "failed", "skipped")
        for side, tests in (
            ("warm only", getattr(warm, kind) - getattr(cold, kind)),
            ("cold only", getattr(cold, kind) - getattr(warm, kind)),
        )
        if tests
    }


def _agreement(workspace: Workspace, count: int) -> int:
    """The first `count` mutants of the project's suspicious lines, with the baseline's failing tests as
    targets (`_agree`)."""
    report = run_tests(workspace, config=CONFIG, coverage=True)
    files = {f: workspace.read(f) for f in workspace.files() if f.endswith(".py") and "test" not in f}
    found = [
        FileVersion(m.path, m.mutation.apply(files[m.path]))
        for m in mutants(files, ochiai_lines(report))[:count]
    ]
    agreement = _agree(workspace, [(candidate, report.failed_ids) for candidate in found])
    assert not agreement.preloaded
    return agreement.mutants


def _package_agreement(name: str, count: int, tmp_path: Path) -> Agreement:
    """`count` mutants of a real package's own code, spread over the lines its suite runs, with the tests that
    run each mutated line as its targets, in the package's own venv (`_agree`)."""
    try:
        package = real_packages.prepared(name)
    except FetchError as err:
        pytest.fail(str(err))
    config = replace(CONFIG, python=str(package.python))
    root = package.copy_to(tmp_path / name)
    with Workspace.create(root, cache_dir=tmp_path / f"{name}-cache") as workspace:
        report = run_tests(workspace, config=config, coverage=True)
        assert report.passed and not report.failed_ids, (name, report.failed_ids[:5])
        files = real_packages.project_files(workspace)
        return _agree(workspace, real_packages.spread_mutants(files, report, count), config)


def test_warm_and_cold_verdicts_agree_on_real_project_shapes(tmp_path: Path) -> None:
    """Conftest options read in pytest_configure, an autouse fixture, runtime skips, xfail, parametrize ids,
    unittest, a sibling helper module and a data file (`shapes_project`): 6 mutants."""
    root = write_shapes_project(tmp_path / "shapes")
    with Workspace.create(root, cache_dir=tmp_path / "cache") as workspace:
        assert _agreement(workspace, 6) == 6


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_warm_and_cold_verdicts_agree_on_corpus_and_shapes_mutants(tmp_path: Path) -> None:
    """The first N mutants of two corpus projects and of the shapes project, on the whole suite and on the
    targets. N is 15 in the test suite (about a minute and a half on two quiet cores: our own projects are a
    development aid, the real packages below are the evidence); the measurement in docs/performance.md sets
    UNTILGREEN_AGREEMENT_MUTANTS=100 (600 cold pytest runs, about ten minutes)."""
    each = int(os.environ.get("UNTILGREEN_AGREEMENT_MUTANTS", "15"))
    checked = 0
    with Workspace.create(
        write_shapes_project(tmp_path / "shapes"), cache_dir=tmp_path / "cache"
    ) as workspace:
        checked += _agreement(workspace, each)
    for name in ("rate_limiter", "histogram_bins"):
        with Workspace.create(CORPUS / name) as workspace:
            checked += _agreement(workspace, each)
    assert checked >= 2.5 * each


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", sorted(REAL_MUTANTS))
def test_warm_and_cold_verdicts_agree_on_real_packages(tmp_path: Path, name: str) -> None:
    """Mutants of real packages' own code made by the built-in repairer's operators, run with each package's
    own suite in its own venv (`real_packages`: conftest fixtures importing the package, parametrized
    fixtures, xfail, skips, unittest mixins). pytest itself imports pluggy: no warm verdict on it."""
    agreement = _package_agreement(name, REAL_MUTANTS[name], tmp_path)
    print(f"{name}: {agreement}")
    expected = agreement.preloaded if name in IMPORTED_BY_PYTEST else agreement.identical
    assert agreement.mutants == REAL_MUTANTS[name] and expected == 2 * agreement.mutants, agreement
