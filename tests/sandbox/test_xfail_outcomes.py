"""xfail outcomes count as plain pytest counts them: an xpass is a failure only when the xfail is strict."""

from __future__ import annotations

import textwrap

from untilgreen.sandbox import RunnerConfig, Workspace, run_tests

TESTS = textwrap.dedent("""\
    import pytest


    @pytest.mark.xfail(reason="known bug")
    def test_xfail_that_fails():
        assert 1 == 2


    @pytest.mark.xfail(reason="fixed upstream")
    def test_xfail_that_passes():
        pass


    @pytest.mark.xfail(reason="must fail", strict=True)
    def test_strict_xfail_that_passes():
        pass


    def test_imperative_xfail():
        pytest.xfail("not supported here")
""")


def test_xfail_outcomes_match_plain_pytest(projects, cache_dir):
    root = projects.tree("xfails", {"tests/test_xfails.py": TESTS})
    with Workspace.create(root, cache_dir=cache_dir) as workspace:
        report = run_tests(workspace, config=RunnerConfig(test_timeout_s=10.0))

    assert report.outcomes == {
        "tests/test_xfails.py::test_xfail_that_fails": "xfailed",
        "tests/test_xfails.py::test_xfail_that_passes": "xpassed",
        "tests/test_xfails.py::test_strict_xfail_that_passes": "failed",
        "tests/test_xfails.py::test_imperative_xfail": "xfailed",
    }
    assert report.failed_ids == ["tests/test_xfails.py::test_strict_xfail_that_passes"]
    assert "XPASS(strict)" in report.failures[0].message
