"""The warm worker's direct runner: which tests it takes, and verdicts identical to pytest's on the same requests."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from untilgreen.models.builtin.validate import FileVersion, Verdict, WarmWorker
from untilgreen.sandbox.testrun import RunnerConfig
from untilgreen.sandbox.workspace import Workspace

CONFIG = RunnerConfig(python=sys.executable, test_timeout_s=5)
APP = "def double(x):\n    return x * 2\n"

SHAPES = """\
    import pytest
    from app import double

    calls = []


    @pytest.fixture
    def two():
        return 2


    @pytest.fixture(name="four")
    def make_four(two):
        calls.append("four")
        yield double(two)
        calls.append("four done")


    def test_plain():
        assert double(2) == 4


    def test_fixtures(two, four):
        assert double(two) == four


    def test_teardown_ran_in_order():
        assert calls in ([], ["four", "four done"])


    @pytest.mark.parametrize("x, y", [(1, 2), (3, 6), (0.5, 1.0), ("a", "aa")])
    def test_param(x, y):
        assert double(x) == y


    @pytest.mark.parametrize("x", [1, 2], ids=["one", "two"])
    @pytest.mark.parametrize("k", [1, -1])
    def test_stacked(x, k):
        assert double(x) * k == 2 * x * k


    class TestDouble:
        def test_method(self):
            assert double(5) == 10


    def test_raises():
        with pytest.raises(TypeError):
            double(None)


    def test_skips_itself():
        pytest.skip("not today")


    def test_xfails_itself():
        pytest.xfail("known")
    """

FALLBACKS = {
    "test_setup_function.py": """\
        from app import double

        def setup_function():
            pass

        def test_it():
            assert double(1) == 2
        """,
    "test_marked.py": """\
        import pytest
        from app import double

        @pytest.mark.skipif(False, reason="never")
        def test_it():
            assert double(1) == 2
        """,
    "test_autouse.py": """\
        import pytest
        from app import double

        @pytest.fixture(autouse=True)
        def everywhere():
            yield

        def test_it():
            assert double(1) == 2
        """,
    "test_unittest.py": """\
        import unittest
        from app import double

        class TestIt(unittest.TestCase):
            def setUp(self):
                self.value = 1

            def test_it(self):
                self.assertEqual(double(self.value), 2)
        """,
    "test_builtin_fixture.py": """\
        from app import double

        def test_it(tmp_path):
            assert double(1) == 2
        """,
}

SHAPE_IDS = [
    f"tests/test_shapes.py::{name}"
    for name in (
        "test_plain",
        "test_fixtures",
        "test_teardown_ran_in_order",
        "test_param[1-2]",
        "test_param[3-6]",
        "test_param[0.5-1.0]",
        "test_param[a-aa]",
        "test_stacked[1-one]",
        "test_stacked[-1-two]",
        "TestDouble::test_method",
        "test_raises",
        "test_skips_itself",
        "test_xfails_itself",
    )
]
MUTANTS = [
    None,
    "def double(x):\n    return x + x\n",
    "def double(x):\n    return x ** 2\n",
    "def double(x):\n    return x + 2\n",
    "def double(x):\n    raise ValueError(x)\n",
    "import sys\n\ndef double(x):\n    sys.exit(3)\n",
    "raise ImportError('broken')\n",
]


def _project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "app.py").write_text(APP)
    (root / "tests" / "test_shapes.py").write_text(textwrap.dedent(SHAPES))
    for name, text in FALLBACKS.items():
        (root / "tests" / name).write_text(textwrap.dedent(text))
    return root


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("direct") / "project")
    with (
        Workspace.create(root, cache_dir=root.parent / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=300) as direct,
        WarmWorker(workspace, CONFIG, lifetime_s=300, direct=False) as pytest_only,
    ):
        yield direct, pytest_only


def _run(worker: WarmWorker, text: str | None, tests, test_timeout_s: float = 5) -> Verdict:
    candidate = None if text is None else FileVersion("app.py", text)
    return worker.run(candidate, list(tests), timeout_s=20, test_timeout_s=test_timeout_s)


def _both(workers, text: str | None, tests, test_timeout_s: float = 5) -> Verdict:
    """The direct worker's verdict, checked against pytest's on the same request."""
    direct, pytest_only = workers
    verdict = _run(direct, text, tests, test_timeout_s)
    assert verdict == _run(pytest_only, text, tests, test_timeout_s), (text, tests)
    assert pytest_only.last_path == "pytest"
    return verdict


def test_plain_tests_run_directly_with_pytests_verdicts(workers) -> None:
    direct, _ = workers
    verdict = _both(workers, None, SHAPE_IDS)
    assert direct.last_path == "direct"
    # As in pytest, test_skips_itself is skipped and test_xfails_itself xfailed: neither fails the run
    skipped = {"tests/test_shapes.py::test_skips_itself"}
    assert verdict == Verdict(frozenset(set(SHAPE_IDS) - skipped), frozenset(), frozenset(skipped))


@pytest.mark.parametrize(
    "mutant", MUTANTS[1:], ids=["plus", "power", "off", "raises", "sys-exit", "import-error"]
)
def test_mutants_get_pytests_verdicts(workers, mutant: str) -> None:
    direct, _ = workers
    verdict = _both(workers, mutant, SHAPE_IDS)
    assert direct.last_path == "direct"
    if mutant.startswith("raise ImportError"):  # a test module that cannot import: its tests are not found
        assert verdict.failed == {"tests/test_shapes.py"} and not verdict.passed


def test_a_single_test_and_its_order(workers) -> None:
    direct, _ = workers
    tests = [
        "tests/test_shapes.py::test_teardown_ran_in_order",
        "tests/test_shapes.py::test_fixtures",
        "tests/test_shapes.py::test_teardown_ran_in_order",
    ]
    assert _both(workers, None, tests).passed == set(tests)
    assert direct.last_path == "direct"


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_what_it_cannot_prove_goes_to_pytest(workers, name: str) -> None:
    direct, _ = workers
    test_id = f"tests/{name}::TestIt::test_it" if name == "test_unittest.py" else f"tests/{name}::test_it"
    assert _both(workers, None, [test_id]).passed == {test_id}
    assert direct.last_path == "pytest"
    assert _both(workers, MUTANTS[3], [test_id]).failed == {test_id}


def test_unknown_ids_and_whole_files_go_to_pytest(workers) -> None:
    direct, _ = workers
    for tests in (
        ["tests/test_shapes.py"],
        ["tests/test_shapes.py::test_param"],
        ["tests/test_shapes.py::nope"],
    ):
        _both(workers, None, tests)
        assert direct.last_path == "pytest", tests


def test_a_test_past_its_timeout_fails_and_the_worker_goes_on(workers) -> None:
    direct, _ = workers
    loops = "def double(x):\n    while True:\n        pass\n"
    tests = ["tests/test_shapes.py::test_plain", "tests/test_shapes.py::test_skips_itself"]
    verdict = _both(workers, loops, tests, test_timeout_s=0.5)
    assert direct.last_path == "direct"
    assert verdict.failed == {"tests/test_shapes.py::test_plain"}  # and the next test still ran (skipped)
    assert _run(direct, None, tests).satisfies(tests)  # the worker still serves


def test_a_test_that_ends_the_process_fails(workers) -> None:
    direct, _ = workers
    ends = "import os\n\ndef double(x):\n    os._exit(0)\n"
    verdict = _both(workers, ends, ["tests/test_shapes.py::test_plain", "tests/test_shapes.py::test_raises"])
    assert direct.last_path == "direct"
    assert verdict == Verdict(frozenset(), frozenset({"tests/test_shapes.py::test_plain"}))


def test_a_conftest_fixture_goes_to_pytest(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    (root / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef one():\n    return 1\n")
    (root / "tests" / "test_conftest.py").write_text(
        "from app import double\n\n\ndef test_it(one):\n    assert double(one) == 2\n"
    )
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=120) as warm,
    ):
        assert _run(warm, None, ["tests/test_conftest.py::test_it"]).passed == {
            "tests/test_conftest.py::test_it"
        }
        assert warm.last_path == "pytest"
        assert _run(warm, None, ["tests/test_shapes.py::test_plain"]).passed == {
            "tests/test_shapes.py::test_plain"
        }
        assert warm.last_path == "pytest"  # a conftest file anywhere: pytest runs every fork


def test_warning_filters_apply_as_under_pytest(tmp_path: Path) -> None:
    """With `filterwarnings = error`, a warning the code under test emits fails the test on both paths."""
    root = _project(tmp_path / "project")
    (root / "pytest.ini").write_text("[pytest]\nfilterwarnings =\n    error\n")
    warns = (
        "import warnings\n\ndef double(x):\n    warnings.warn('old', DeprecationWarning)\n    return x * 2\n"
    )
    with (
        Workspace.create(root, cache_dir=tmp_path / "cache") as workspace,
        WarmWorker(workspace, CONFIG, lifetime_s=120) as direct,
        WarmWorker(workspace, CONFIG, lifetime_s=120, direct=False) as pytest_only,
    ):
        tests = ["tests/test_shapes.py::test_plain", "tests/test_shapes.py::test_fixtures"]
        assert _both((direct, pytest_only), None, tests).passed == set(tests)
        assert _both((direct, pytest_only), warns, tests).failed == set(tests)
        assert direct.last_path == "direct"
