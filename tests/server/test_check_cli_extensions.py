"""`untilgreen check --overlays - --coverage`, which the server's diagnostic checks use."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.editor import BUGGY, TARGET, write_project


def test_overlays_replace_files_and_coverage_lists_what_each_test_ran(tmp_path):
    root = write_project(tmp_path)
    fixed = BUGGY["calc/grading.py"].replace("score > threshold", "score >= threshold")
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "check", str(root), "--json", "--coverage", "--overlays", "-"],
        input=json.dumps({"calc/grading.py": fixed}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["passed"], data["failed"]) == (3, 0)
    assert set(data) == {
        "passed",
        "failed",
        "failures",
        "isolation",
        "duration_s",
        "skipped",
        "xfailed",
        "xpassed",
        "outcomes",
        "environmental",
        "coverage",
    }
    assert "calc/grading.py" in data["coverage"][TARGET]
    assert (root / "calc/grading.py").read_text() == BUGGY["calc/grading.py"]  # the file itself is untouched


def test_bad_overlays_are_one_sentence(tmp_path):
    root = write_project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "untilgreen", "check", str(root), "--overlays", "-"],
        input="[1]",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "must be a JSON object" in done.stderr and "Traceback" not in done.stderr
