"""The corpus of buggy projects: bug.toml of every project, and the full sandboxed check of a few.

Running every project is `benchmarks/corpus/check.py`'s job (run it after changing the corpus; about two
minutes); here the schema is checked for all projects and the buggy/fixed runs for two (one loops forever on
the buggy code, one fails to import).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from untilgreen.sandbox import Failure, Frame, TestReport

CHECK_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus" / "check.py"


def _load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_check", CHECK_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


check = _load_check()
PROJECTS = check.project_dirs()


def test_corpus_covers_every_class_and_tag() -> None:
    specs = [check.load_spec(p) for p in PROJECTS]
    assert len(specs) >= 40
    classes = Counter(s.bug_class for s in specs)
    assert {c: classes[c] for c in check.CLASSES[:12] if classes[c] < 3} == {}
    tags = Counter(t for s in specs for t in s.tags)
    assert {t: tags[t] for t in check.TAGS if tags[t] < 2} == {}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_bug_toml_is_valid(project: Path) -> None:
    spec = check.load_spec(project)
    assert check.validate_spec(spec) == []
    assert 60 <= check.package_loc(project) <= 300


def test_covers_matches_files_and_node_ids() -> None:
    assert check.covers("tests/test_a.py::test_x", "tests/test_a.py::test_x")
    assert check.covers("tests/test_a.py", "tests/test_a.py::test_x")  # a collection error covers its tests
    assert check.covers("tests/test_a.py::test_x", "tests/test_a.py")
    assert not check.covers("tests/test_a.py::test_x", "tests/test_a.py::test_xy")


def test_deepest_frame_verdict(tmp_path: Path) -> None:
    spec = check.BugSpec(
        name="p",
        path=tmp_path,
        bug_class="off-by-one",
        file="pkg/mod.py",
        symbol="Thing.method",
        summary="",
        failing=("tests/test_m.py::test_a",),
        tags=(),
        fix="",
    )

    def report(*frames: Frame) -> TestReport:
        return TestReport(failures=[Failure("tests/test_m.py::test_a", "failed", "E", "", list(frames))])

    test_frame = Frame("tests/test_m.py", 3, "test_a")
    assert check.deepest_frame_verdict(spec, report(test_frame))[0] is False
    assert check.deepest_frame_verdict(spec, report(test_frame, Frame("pkg/mod.py", 9, "method")))[0] is True
    assert check.deepest_frame_verdict(spec, report(Frame("pkg/other.py", 9, "method")))[0] is False
    assert check.deepest_frame_verdict(spec, report())[0] is None


@pytest.mark.parametrize("name", ["business_days", "unit_convert"])
def test_project_is_valid_in_the_sandbox(name: str) -> None:
    """An infinite loop (caught by the per-test timeout) and a collection error (other tests still run)."""
    result = check.check_project(check.CORPUS / name, timeout_s=3.0)
    assert result.problems == []
    assert (result.buggy, result.fixed) == ("ok", "ok")
