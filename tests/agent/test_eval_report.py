"""The eval report: `eval --html` and `eval compare` on the results of a real eval (the built-in repairer on a
two-project corpus: one green run with its patch, one stopped by the environment), and the page in Chromium."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.agent.conftest import SHOP, SHOP_BUG, write_tree
from untilgreen.agent.eval_files import read_report
from untilgreen.agent.eval_html import render
from untilgreen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "eval-report"
PLAYWRIGHT = ROOT / "client-vscode" / "e2e" / "node_modules" / "playwright-core"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# A project whose one failing test needs an environment variable: the run stops at its baseline, not green.
SETTINGS = {
    "settings/__init__.py": "",
    "settings/keys.py": 'import os\n\n\ndef api_key():\n    return os.environ["SHOP_RATES_KEY"]\n',
    "tests/test_keys.py": "from settings.keys import api_key\n\n\ndef test_api_key():\n    assert api_key()\n",
    "pyproject.toml": '[project]\nname = "settings"\nversion = "0"\n',
    "bug.toml": 'class = "environment"\nfailing = ["tests/test_keys.py::test_api_key"]\n',
}


@dataclass(frozen=True)
class Evaluated:
    json: Path  # the eval's --json output
    html: Path  # its --html report
    data: dict[str, Any]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Evaluated:
    root = tmp_path_factory.mktemp("eval")
    write_tree(root / "corpus" / "shop", {**SHOP, "bug.toml": SHOP_BUG})
    write_tree(root / "corpus" / "settings", SETTINGS)
    out = io.StringIO()
    argv = ["eval", str(root / "corpus"), "--model", "builtin", "--json", "--html", str(root / "report.html")]
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    (root / "builtin.json").write_text(out.getvalue(), encoding="utf-8")
    return Evaluated(root / "builtin.json", root / "report.html", json.loads(out.getvalue()))


def compare(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["eval", "compare", *argv])
    return code, out.getvalue()


def project_rows(page: str) -> list[str]:
    table = re.search(r'<table id="project-table">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table is not None
    return re.findall(r"<tr>.*?</tr>", table[1], re.S)


def test_eval_json_keeps_its_shape_and_adds_the_patch(evaluated: Evaluated) -> None:
    data = evaluated.data
    assert (data["summary"]["pass@1"], data["summary"]["greens"]) == (0.5, 1)
    settings, shop = data["samples"]  # sorted by project
    assert shop["green"] and "+    if total >= 100:" in shop["diff"]
    assert (settings["green"], settings["stop_reason"], settings["diff"]) == (False, "environment", "")
    assert data["summary"]["time_to_green_s"]["p90"] == shop["duration_s"]


def test_eval_html_is_one_self_contained_page(evaluated: Evaluated) -> None:
    page = evaluated.html.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|src=|https?://(?!www\.w3\.org/2000/svg)", page)
    for section in ("summary", "classes", "time", "cost", "attempts", "projects", "patches"):
        assert f'<section id="{section}">' in page
    assert page.count('<svg class="plot"') == 5
    rows = project_rows(page)
    assert [re.search(r'<td class="name">(.*?)</td>', row)[1] for row in rows] == ["settings", "shop"]
    # the green run links to its patch, which the page holds (escaped); the other run says why it stopped
    anchor = re.search(r'href="#(patch-[\d-]+)"', rows[1])
    assert anchor is not None and f'<pre id="{anchor[1]}">' in page
    assert "+    if total &gt;= 100:" in page
    assert 'title="environment"' in rows[0]


def test_render_escapes_what_the_results_name(evaluated: Evaluated) -> None:
    report = read_report(evaluated.json)
    report.model = "<b>model</b>"
    for sample in report.samples:
        sample.project, sample.bug_class = f"<i>{sample.project}</i>", '"class" & <u>'
    page = render([("<script>x</script>", report)])
    assert "<script>" not in page and "<b>model" not in page and "<i>" not in page and "<u>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&lt;i&gt;shop&lt;/i&gt;" in page


def test_compare_prints_a_table_and_writes_the_side_by_side_report(
    evaluated: Evaluated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the table's cells whole
    other = shutil.copy(evaluated.json, tmp_path / "again.json")
    code, out = compare(str(evaluated.json), str(other), "--html", str(tmp_path / "both.html"))
    assert code == 0 and "builtin" in out and "again" in out
    page = (tmp_path / "both.html").read_text(encoding="utf-8")
    assert "untilgreen eval: builtin vs again" in page and len(project_rows(page)) == 2
    assert page.count("+    if total &gt;= 100:") == 2  # each configuration's patch
    code, out = compare(str(evaluated.json), str(other), "--json")
    configurations = json.loads(out)["configurations"]
    assert [c["label"] for c in configurations] == ["builtin", "again"]
    assert configurations[0]["summary"] == evaluated.data["summary"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot be read"),
        ("{not json", "is not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"error": "no project was found"}', "holds an eval that failed (no project was found)"),
        ('{"model": "m", "runs": 1, "samples": [{"project": "p"}]}', "a sample has no `bug_class`"),
        ('{"model": "m", "runs": "2", "samples": []}', "no `runs` count"),
    ],
)
def test_compare_names_a_bad_file_in_one_sentence(
    evaluated: Evaluated, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, reason: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    code, _ = compare(str(evaluated.json), str(bad))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "Traceback" not in err
    assert err.startswith(f"untilgreen: {bad} ") and reason in err
    assert err.endswith("pass files written by `untilgreen eval CORPUS --json`.")


def test_compare_is_only_a_subcommand_when_files_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "compare").mkdir()  # a corpus folder named compare, without projects yet
    monkeypatch.chdir(tmp_path)
    assert main(["eval", "compare"]) == 2
    assert f"no project with a bug.toml was found in {tmp_path / 'compare'}" in capsys.readouterr().err
    assert main(["eval", "compare", "a.json", "--runs", "3"]) == 2
    assert "--runs" in capsys.readouterr().err
    assert main(["eval", "corpus", "a.json"]) == 2
    assert "untilgreen eval compare A.json B.json" in capsys.readouterr().err


def test_the_report_renders_in_chromium(evaluated: Evaluated, tmp_path: Path) -> None:
    # Like the VS Code end-to-end test: a missing prerequisite fails the test with what to run, never a skip.
    for missing, fix in (
        (shutil.which("node") is None, "node is not installed: run scripts/install-system-deps.sh"),
        (not Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/install-system-deps.sh"),
        (not PLAYWRIGHT.is_dir(), "playwright-core is missing: run scripts/install-vscode-deps.sh"),
    ):
        assert not missing, fix
    other = shutil.copy(evaluated.json, tmp_path / "again.json")
    page = tmp_path / "report.html"
    assert compare(str(evaluated.json), str(other), "--html", str(page))[0] == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "report.png"
    # Chromium's socket path must stay short: the system's temp folder, not this test's private one.
    env = {name: value for name, value in os.environ.items() if name != "TMPDIR"}
    done = subprocess.run(
        ["node", str(Path(__file__).with_name("report_page.mjs")), str(page), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the browser run failed:\n{done.stdout}{done.stderr}"
    seen = json.loads(done.stdout)
    assert (seen["consoleErrors"], seen["pageErrors"], seen["requests"]) == ([], [], [])
    assert seen["plots"] == 5 and seen["marks"] > 5 and seen["rows"] == 2 and seen["patchShown"]
    assert shot.stat().st_size > 10_000


def test_the_eval_tables_read_at_80_columns(
    evaluated: Evaluated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every column shown, no header or figure cut short ("…"), nothing wider than the terminal."""
    from untilgreen.agent.eval_files import read_report
    from untilgreen.cli.eval import _print

    monkeypatch.setenv("COLUMNS", "80")
    _print(read_report(evaluated.json))
    by_class = capsys.readouterr().out
    other = shutil.copy(evaluated.json, tmp_path / "again.json")
    _, side_by_side = compare(str(evaluated.json), str(other))
    for out, words in [
        (by_class, "class projects pass@1 median s to green attempts tokens cost $ per green repeated"),
        (
            side_by_side,
            "configuration builtin again model projects greens pass@1 pass@k median p90 s to green tokens cost",
        ),
    ]:
        assert "…" not in out and max(map(len, out.splitlines())) <= 80, out
        assert set(words.split()) <= set(out.split()), out
