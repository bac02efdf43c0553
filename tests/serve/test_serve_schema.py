"""Property-based requests from the app's own OpenAPI document: schemathesis (bounded, deterministic) run as a
command against a served app. Every answer is a status the document declares with the content type it declares,
never a 5xx, and every refusal is JSON with one sentence saying why (`schema_checks.py`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.agent.conftest import write_tree
from tests.serve.conftest import GREEN, serve
from tests.support.schemathesis_env import st_command

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,refusals_are_one_sentence"


def test_bad_inputs_get_a_4xx_with_one_sentence_never_a_5xx(tmp_path: Path) -> None:
    st = st_command()
    if st is None:
        pytest.fail(
            "schemathesis is not installed: run `python -m tests.support.schemathesis_env` (scripts/test.sh does)"
        )
    calc = write_tree(tmp_path / "calc", GREEN)
    # One small queue: the valid requests the generator happens on are accepted or get 429.
    with serve(tmp_path, "--project", str(calc), "--workers", "1", "--queue", "1") as served:
        done = subprocess.run(
            [str(st), "run", f"{served.url}/openapi.json", "--checks", CHECKS, "--max-examples", "10"]
            + ["--generation-deterministic", "--phases", "coverage,fuzzing", "--no-color"]
            + ["--request-timeout", "30", "--report", "junit", "--report-dir", str(tmp_path / "report")],
            capture_output=True,
            text=True,
            timeout=240,
            cwd=tmp_path,
            env={
                **os.environ,
                "SCHEMATHESIS_HOOKS": "schema_checks",
                "PYTHONPATH": str(Path(__file__).parent),
            },
        )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    tested = done.stdout.split("Test cases:", 1)[-1]
    assert " generated, " in tested and " passed" in tested, done.stdout[-3000:]
