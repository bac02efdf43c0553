"""The warm worker: verdicts, in-memory mutants, timeouts, containment, and agreement with cold runs."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from untilgreen.context.sbfl import ochiai_lines
from untilgreen.models.builtin.mutate import mutants
from untilgreen.models.builtin.validate import FileVersion, Verdict, WarmWorker, cold_verdict
from untilgreen.sandbox.testrun import RunnerConfig, run_tests
from untilgreen.sandbox.workspace import Workspace

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
    assert _run(worker, None).passed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    verdict = _run(worker, "def double(x):\n    return x + 3\n")
    assert verdict.failed == {"tests/test_app.py::test_double", "tests/test_app.py::test_zero"}
    assert (worker.workspace.path / "app.py").read_text() == "def double(x):\n    return x * 2\n"  # never written


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


def test_verdicts_on_collection_errors_and_file_targets() -> None:
    failing = Verdict(frozenset(), frozenset({"tests/test_merge.py"}))
    assert not failing.satisfies(["tests/test_merge.py"])
    whole = Verdict(frozenset({"tests/test_merge.py::test_a"}), frozenset())
    assert whole.satisfies(["tests/test_merge.py"])


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_warm_and_cold_verdicts_agree_on_200_mutants() -> None:
    """All mutants of two corpus projects' suspicious lines, each judged by the warm worker and by `run_tests`
    on a workspace fork with the mutant written (the cold path). Takes minutes: 200+ cold pytest runs."""
    checked = 0
    for name in ("rate_limiter", "histogram_bins"):
        with Workspace.create(CORPUS / name) as workspace, workspace.fork() as shadow:
            report = run_tests(workspace, config=CONFIG, coverage=True)
            files = {f: workspace.read(f) for f in workspace.files() if f.endswith(".py") and "test" not in f}
            found = mutants(files, ochiai_lines(report))[:110]
            with WarmWorker(shadow, CONFIG, lifetime_s=3000) as warm:
                for mutant in found:
                    candidate = FileVersion(mutant.path, mutant.mutation.apply(files[mutant.path]))
                    hot = warm.run(candidate, [], timeout_s=30, test_timeout_s=CONFIG.test_timeout_s)
                    cold = cold_verdict(shadow, candidate, [], CONFIG)
                    assert (hot.passed, hot.failed) == (cold.passed, cold.failed), (mutant, hot, cold)
                    checked += 1
    assert checked >= 200
