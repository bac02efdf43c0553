"""run_tests end to end: the real plugin, in the real sandbox, on small projects written by each test."""

from __future__ import annotations

import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from untilgreen.errors import UserError
from untilgreen.sandbox import Limits, RunnerConfig, Workspace, run_tests


def dedent_all(files: dict[str, str]) -> dict[str, str]:
    return {path: textwrap.dedent(text) for path, text in files.items()}


def run(root: Path, cache_dir: Path, test_ids=None, **config) -> object:
    config.setdefault("test_timeout_s", 5.0)
    with Workspace.create(root, cache_dir=cache_dir) as workspace:
        return run_tests(workspace, test_ids, config=RunnerConfig(**config), coverage=True)


SHOP = dedent_all(
    {
        "shop/__init__.py": "",
        "shop/cart.py": """\
        def ratio(a, b):
            return a / b


        def total(prices):
            result = 0
            for price in prices:
                result += price
            return result - 1
    """,
        "shop/broken.py": "def oops(:\n    pass\n",
        "tests/test_cart.py": """\
        import pytest

        from shop.cart import ratio, total


        @pytest.fixture
        def exploding():
            raise RuntimeError("fixture failed")


        def test_total():
            assert total([1, 2]) == 3


        def test_ratio_by_zero():
            assert ratio(1, 0) == 0


        def test_ratio():
            assert ratio(4, 2) == 2


        def test_uses_fixture(exploding):
            pass


        def test_loops_forever():
            while True:
                pass


        @pytest.mark.skip(reason="not today")
        def test_skipped():
            pass
    """,
        "tests/test_broken.py": "from shop.broken import oops\n\n\ndef test_oops():\n    oops()\n",
        "tests/test_missing.py": "import shop.nowhere\n\n\ndef test_x():\n    pass\n",
    }
)


@pytest.fixture(scope="module")
def shop_report(tmp_path_factory):
    base = tmp_path_factory.mktemp("shop")
    root = base / "project"
    for rel, text in SHOP.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return run(root, base / "cache", test_timeout_s=1.0)


def test_each_outcome_has_its_kind(shop_report):
    kinds = {f.test_id: f.kind for f in shop_report.failures}
    assert kinds == {
        "tests/test_cart.py::test_total": "failed",
        "tests/test_cart.py::test_ratio_by_zero": "failed",
        "tests/test_cart.py::test_uses_fixture": "error",
        "tests/test_cart.py::test_loops_forever": "timeout",
        "tests/test_broken.py": "collection",
        "tests/test_missing.py": "collection",
    }
    assert shop_report.passed == ["tests/test_cart.py::test_ratio"]
    assert shop_report.skipped == ["tests/test_cart.py::test_skipped"]
    assert not shop_report.green and shop_report.isolation in ("bubblewrap", "landlock", "limits")


def test_failures_carry_exception_message_and_project_frames(shop_report):
    by_id = {f.test_id: f for f in shop_report.failures}
    zero = by_id["tests/test_cart.py::test_ratio_by_zero"]
    assert (zero.exc_type, zero.message) == ("ZeroDivisionError", "division by zero")
    assert [(f.file, f.function) for f in zero.project_frames] == [
        ("tests/test_cart.py", "test_ratio_by_zero"),
        ("shop/cart.py", "ratio"),
    ]
    assert zero.deepest_project_frame.line == 2
    total = by_id["tests/test_cart.py::test_total"]
    assert total.exc_type == "AssertionError" and "assert 2 == 3" in total.message
    assert total.deepest_project_frame.file == "tests/test_cart.py"


def test_collection_errors_point_at_the_broken_module(shop_report):
    by_id = {f.test_id: f for f in shop_report.failures}
    syntax = by_id["tests/test_broken.py"]
    assert syntax.exc_type == "SyntaxError"
    assert (syntax.deepest_project_frame.file, syntax.deepest_project_frame.line) == ("shop/broken.py", 1)
    missing = by_id["tests/test_missing.py"]
    assert missing.exc_type == "ModuleNotFoundError" and "shop.nowhere" in missing.message


def test_timeout_names_the_limit_and_frames_exclude_the_runner(shop_report):
    loop = next(f for f in shop_report.failures if f.kind == "timeout")
    assert "time limit" in loop.message
    assert all("untilgreen_pytest_plugin" not in f.file for f in loop.frames)


def test_per_test_coverage_of_project_lines(shop_report):
    coverage = shop_report.coverage
    assert coverage["tests/test_cart.py::test_total"]["shop/cart.py"] == [6, 7, 8, 9]
    assert coverage["tests/test_cart.py::test_ratio"]["shop/cart.py"] == [2]
    assert "shop/cart.py" not in coverage["tests/test_cart.py::test_skipped"]


def test_project_options_that_break_a_structured_run_are_neutralised(projects, cache_dir):
    root = projects.tree(
        "opts",
        dedent_all(
            {
                "pyproject.toml": """\
            [tool.pytest.ini_options]
            addopts = "-x -n 2 --dist loadfile --cov=calc --cov-fail-under=100 --maxfail=1 --randomly-seed=3 --lf --timeout 1"
            markers = []
        """,
                "calc.py": "def double(x):\n    return x * 3\n",
                "test_calc.py": """\
            import random
            import pytest
            from calc import double

            def test_a():
                assert double(1) == 2

            @pytest.mark.timeout(60)
            def test_b():
                assert double(2) == 4

            def test_c():
                assert double(0) == 0

            def test_d():
                assert double(5) == 10
        """,
            }
        ),
    )
    report = run(root, cache_dir)
    # -x/--maxfail would stop after the first failure; -n would run workers without our plugin; the others
    # would reorder, gate on coverage or fight our timeout signal.
    assert report.failed_ids == ["test_calc.py::test_a", "test_calc.py::test_b", "test_calc.py::test_d"]
    assert report.passed == ["test_calc.py::test_c"]


def test_wall_clock_timeout_keeps_finished_results(projects, cache_dir):
    root = projects.tree(
        "hang",
        dedent_all(
            {
                "test_hang.py": """\
            import signal, time

            def test_first():
                pass

            def test_hangs_with_alarm_blocked():
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
                time.sleep(600)
        """,
            }
        ),
    )
    with Workspace.create(root, cache_dir=cache_dir) as workspace:
        report = run_tests(workspace, config=RunnerConfig(test_timeout_s=1.0, limits=Limits(timeout_s=4)))
    assert report.timed_out
    assert report.passed == ["test_hang.py::test_first"]
    assert [(f.test_id, f.kind) for f in report.failures] == [
        ("test_hang.py::test_hangs_with_alarm_blocked", "timeout")
    ]
    assert report.duration_s < 7


def test_marks_of_the_blocked_plugins_stay_known(projects, cache_dir):
    """python-dateutil's conftest marks items `no_cover` under `filterwarnings = error`: with pytest-cov blocked,
    an unknown mark would be an error that plain pytest (with pytest-cov) never sees."""
    root = projects.tree(
        "marks",
        dedent_all(
            {
                "pytest.ini": "[pytest]\nfilterwarnings =\n    error\n",
                "conftest.py": """\
            import pytest

            def pytest_collection_modifyitems(items):
                for item in items:
                    item.add_marker(pytest.mark.no_cover)
                    item.add_marker(pytest.mark.random_order(disabled=True))
        """,
                "test_one.py": "def test_one():\n    pass\n",
            }
        ),
    )
    assert run(root, cache_dir).passed == ["test_one.py::test_one"]


def test_an_internal_error_of_pytest_is_a_user_error_not_a_green_run(projects, cache_dir):
    root = projects.tree(
        "internal",
        dedent_all(
            {
                "conftest.py": """\
            def pytest_collection_modifyitems(items):
                raise LookupError("the conftest hook broke")
        """,
                "test_one.py": "def test_one():\n    pass\n",
            }
        ),
    )
    with pytest.raises(
        UserError,
        match=r"pytest stopped with an internal error .*LookupError: the conftest hook broke; "
        r"the command was `.*-m pytest",
    ):
        run(root, cache_dir)


def test_no_tests_collected_is_a_user_error(projects, cache_dir):
    root = projects.tree("empty", {"pkg.py": "X = 1\n"})
    with pytest.raises(UserError, match="no tests were collected"):
        run(root, cache_dir)


def test_unknown_test_id_is_a_user_error_naming_it(projects, cache_dir):
    root = projects.tree("ids", {"test_a.py": "def test_a():\n    pass\n"})
    with pytest.raises(UserError, match="tests/test_nope.py"):
        run(root, cache_dir, ["tests/test_nope.py::test_x"])


def test_interpreter_without_pytest_is_a_user_error(projects, cache_dir, tmp_path):
    import venv

    venv.EnvBuilder(with_pip=False).create(tmp_path / "bare")
    root = projects.tree("nopytest", {"test_a.py": "def test_a():\n    pass\n"})
    with pytest.raises(UserError, match="pytest is not installed for"):
        run(root, cache_dir, python=str(tmp_path / "bare" / "bin" / "python"))


def test_the_project_virtualenv_runs_the_tests(projects, cache_dir):
    root = projects.tree(
        "withvenv", {"test_where.py": "import sys\n\ndef test_where():\n    assert False, sys.prefix\n"}
    )
    python = projects.editable_venv(root)
    _add_our_site_packages(python)
    (root / ".venv").symlink_to(python.parent.parent)
    report = run(root, cache_dir)
    assert report.failures[0].message.startswith(str(root / ".venv"))


def test_imports_resolve_to_the_shadow_for_an_editable_src_layout(projects, cache_dir):
    root = projects.tree(
        "srclayout",
        dedent_all(
            {
                "src/widgets/__init__.py": "NAME = 'original'\n",
                "tests/test_where.py": """\
            import widgets

            def test_where():
                assert False, widgets.__file__
        """,
            }
        ),
    )
    python = projects.editable_venv(root / "src")
    _add_our_site_packages(python)
    report = run(root, cache_dir, python=str(python))
    where = report.failures[0].message.split("\n")[0]
    assert where.endswith("src/widgets/__init__.py") and not where.startswith(str(root))


def test_import_from_the_original_tree_fails_loudly(projects, cache_dir):
    root = projects.tree(
        "foreign", {"gadgets.py": "X = 1\n", "test_g.py": "import gadgets\n\ndef test_g():\n    pass\n"}
    )
    (root / "conftest.py").write_text(f"import sys\nsys.path.insert(0, {str(root)!r})\nimport gadgets\n")
    with pytest.raises(UserError, match=r"module `gadgets` was imported from .*outside the shadow"):
        run(root, cache_dir, isolation="limits")


def test_api_keys_do_not_reach_the_tests(projects, cache_dir, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-planted-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://db")
    root = projects.tree(
        "env", {"test_env.py": "import os\n\ndef test_env():\n    assert False, sorted(os.environ)\n"}
    )
    message = run(root, cache_dir, env_passthrough=("DATABASE_URL",)).failures[0].message
    assert "OPENAI_API_KEY" not in message and "DATABASE_URL" in message


def test_conftest_import_error_is_a_collection_failure(projects, cache_dir):
    root = projects.tree(
        "conftest",
        {"conftest.py": "import helpers_that_do_not_exist\n", "test_a.py": "def test_a():\n    pass\n"},
    )
    report = run(root, cache_dir)
    assert [f.kind for f in report.failures] == ["collection"]
    assert "helpers_that_do_not_exist" in report.failures[0].message


def test_generic_command_reports_python_tracebacks(projects, cache_dir):
    root = projects.tree(
        "unit",
        dedent_all(
            {
                "money.py": "def cents(x):\n    return int(x * 10)\n",
                "test_money.py": """\
            import unittest
            from money import cents

            class MoneyTest(unittest.TestCase):
                def test_cents(self):
                    self.assertEqual(cents(1.5), 150)
        """,
            }
        ),
    )
    report = run(root, cache_dir, command=f"{sys.executable} -m unittest -q")
    assert [f.test_id for f in report.failures] == ["test_money.MoneyTest.test_cents"]
    assert report.failures[0].message == "15 != 150"


def test_a_command_naming_its_interpreter_by_path_runs_that_interpreter(projects, cache_dir, tmp_path):
    """The named interpreter (a venv in the temporary folder, which the bubblewrap layer replaces with a private
    one) is made visible in the sandbox, not the one untilgreen would have picked for pytest."""
    import venv

    venv.EnvBuilder(with_pip=False).create(tmp_path / "named")
    python = tmp_path / "named" / "bin" / "python"
    root = projects.tree(
        "named-interpreter",
        {
            "test_where.py": "import sys, unittest\n\nclass Where(unittest.TestCase):\n"
            "    def test_prefix(self):\n        self.assertTrue(sys.prefix.endswith('named'), sys.prefix)\n",
        },
    )
    report = run(root, cache_dir, command=f"{python} -m unittest -q")
    assert report.exit_code == 0 and report.failures == [], report.output


def _add_our_site_packages(python: Path) -> None:
    """Let a throwaway venv import pytest from the environment running these tests."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    target = next((python.parent.parent / "lib").glob("python*/site-packages"))
    (target / "zz_untilgreen_tests.pth").write_text(f"{purelib}\n")
