"""The page of `untilgreen serve` in headless Chromium (playwright-core from client-vscode/e2e, as the eval report's
test): the runs list, a run's live progress from its event stream and then its attempts side by side, an eval's
report embedded; no console errors, nothing fetched from elsewhere. Screenshots under test-output/serve/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.agent.conftest import SHOP, write_tree
from tests.agent.test_eval_report import SETTINGS
from tests.serve.conftest import serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "serve"
PLAYWRIGHT = ROOT / "client-vscode" / "e2e" / "node_modules" / "playwright-core"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.mark.skipif(
    not (PLAYWRIGHT.is_dir() and shutil.which("node") and Path(CHROMIUM).exists()),
    reason="needs node, Chromium and playwright-core (scripts/install-vscode-deps.sh)",
)
def test_the_page_shows_runs_live_progress_attempts_side_by_side_and_eval_reports(tmp_path: Path) -> None:
    shop = write_tree(tmp_path / "shop", SHOP)
    corpus = write_tree(tmp_path / "corpus" / "settings", SETTINGS).parent
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with (
        serve(tmp_path, "--project", str(shop), "--project", str(corpus)) as served,
        served.client() as client,
    ):
        assert client.post("/evals", json={"project": "corpus"}).status_code == 202
        run_id = client.post("/runs", json={"project": "shop"}).json()["id"]
        shown = subprocess.run(
            ["node", str(Path(__file__).with_name("serve_page.mjs")), served.url, run_id, str(SCREENSHOTS)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "CHROMIUM": CHROMIUM},
        )
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout.strip().splitlines()[-1])
    assert seen["consoleErrors"] == [] and seen["pageErrors"] == [] and seen["elsewhere"] == []
    assert seen["runRows"] == 1 and seen["statuses"][0] in ("queued", "running")
    assert len(seen["progress"]) >= 2, seen["progress"]  # the progress line moved with the event stream
    assert seen["facts"].startswith("green (green) · 1 attempt(s)")
    assert seen["attempts"] == 1
    assert (seen["deleted"], seen["added"]) == ("    if total > 100:", "    if total >= 100:")
    assert seen["report"].startswith("untilgreen eval")
    for name in ("runs", "live", "run", "evals", "eval"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 0
