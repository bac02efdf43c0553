"""Ray as the eval's and fix-all's engine: the guards without a cluster, then a real two-node cluster on this
machine (a head and a worker started by `ray start` as separate processes, one CPU each) running an eval whose
verdicts and --json keys match a local eval's, also when the worker node dies mid-eval.

The cluster tests run in file order (pytest-randomly is off): the last one kills the worker node."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.agent.conftest import SHOP, SHOP_BUG, write_tree
from tests.agent.test_eval_report import SETTINGS
from tests.support.otlp import OtlpReceiver
from tests.support.ray_nodes import Cluster, Node, free_port

TASK = "_on_copy"  # the Ray task of untilgreen.agent.on_ray, as its worker process is titled


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two projects: one the built-in repairer takes to green, one stopped at its baseline by the environment."""
    root = tmp_path_factory.mktemp("corpus")
    write_tree(root / "shop", {**SHOP, "bug.toml": SHOP_BUG})
    write_tree(root / "settings", SETTINGS)
    return root


def untilgreen(
    *argv: str, env: dict[str, str] | None = None, code: str = ""
) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process (after `code`, run first in it), as a user runs it."""
    script = f"import sys\n{code}\nfrom untilgreen.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env, timeout=240
    )


def one_sentence(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("command", [["eval", "{corpus}"], ["fix-all", "{corpus}/shop"]])
def test_without_ray_installed_ray_is_one_sentence(corpus: Path, command: list[str]) -> None:
    argv = [arg.format(corpus=corpus) for arg in command]
    done = untilgreen(*argv, "--ray", code="sys.modules['ray'] = None  # ray cannot be imported")
    assert done.returncode == 2
    assert one_sentence(done.stderr) == (
        "untilgreen: --ray needs Ray, which is not installed; run `pip install 'untilgreen[ray]'`."
    )


def test_an_address_without_a_cluster_is_one_sentence(corpus: Path) -> None:
    port = free_port()
    done = untilgreen("eval", str(corpus), "--ray", f"127.0.0.1:{port}", "--json")
    assert done.returncode == 2 and json.loads(done.stdout)["error"]
    assert one_sentence(done.stderr).startswith(f"untilgreen: no Ray cluster answers at 127.0.0.1:{port} (")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    done = untilgreen("fix-all", str(corpus / "shop"), "--ray", "auto", env=env)
    assert (done.returncode, one_sentence(done.stderr)) == (
        2,
        "untilgreen: --ray auto joins the cluster RAY_ADDRESS names, and it is not set; set it or pass HOST:PORT.",
    )


def test_nothing_imports_ray_unless_asked() -> None:
    """Every module of untilgreen but the Ray engine itself (and those run in a project's interpreter), and the
    command's parser, import without Ray."""
    code = (
        "import importlib, pkgutil, sys, untilgreen\n"
        "from untilgreen.cli import build_parser\n"
        "for m in pkgutil.walk_packages(untilgreen.__path__, 'untilgreen.'):\n"
        "    if m.name != 'untilgreen.agent.on_ray' and not m.name.rpartition('.')[2].startswith(('untilgreen_', '__main__')):\n"
        "        importlib.import_module(m.name)\n"
        "build_parser()\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    nodes = Cluster(tmp_path_factory.mktemp("ray"))
    try:
        nodes.start_head(cpus=1)
        nodes.start_worker(cpus=1)
        yield nodes
    finally:
        assert nodes.stop() == [], "processes of the test cluster are still running"


@pytest.fixture(scope="module")
def local_eval(corpus: Path) -> dict[str, Any]:
    done = untilgreen("eval", str(corpus), "--model", "builtin", "--json", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def eval_on(
    cluster: Cluster, corpus: Path, watch: Node, kill: bool, **env: str
) -> tuple[dict[str, Any], bool]:
    """The eval on the cluster, and whether `watch` ran one of its runs (and was killed then, with `kill`)."""
    seen = threading.Event()
    stop = threading.Event()

    def watcher() -> None:
        while not stop.wait(0.05):
            if watch.running(TASK):
                seen.set()
                if kill:
                    watch.kill()
                return

    thread = threading.Thread(target=watcher)
    thread.start()
    try:
        done = untilgreen(
            "eval",
            str(corpus),
            "--model",
            "builtin",
            "--json",
            "--ray",
            cluster.address,
            env={**cluster.environment(), **env},
        )
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), seen.is_set()


def same_eval(local: dict[str, Any], remote: dict[str, Any]) -> None:
    assert remote.keys() == local.keys() and remote["summary"].keys() == local["summary"].keys()
    assert [s.keys() for s in remote["samples"]] == [s.keys() for s in local["samples"]]

    def verdicts(data: dict[str, Any]) -> list[tuple[str, int, bool, str]]:
        return [(s["project"], s["run"], s["green"], s["stop_reason"]) for s in data["samples"]]

    assert (
        verdicts(remote)
        == verdicts(local)
        == [("settings", 1, False, "environment"), ("shop", 1, True, "green")]
    )
    assert [s["diff"] for s in remote["samples"]] == [s["diff"] for s in local["samples"]]


@pytest.mark.slow
def test_fix_all_on_the_cluster_matches_fix_all_here(cluster: Cluster, corpus: Path) -> None:
    """One patch per project, in the `fix --json` shape with the project's path; the corpus is never written."""
    paths = [str(corpus / "shop"), str(corpus / "settings")]
    here = untilgreen("fix-all", *paths, "--model", "builtin", "--json")
    there = untilgreen(
        "fix-all", *paths, "--model", "builtin", "--json", "--ray", cluster.address, env=cluster.environment()
    )
    assert (here.returncode, there.returncode) == (1, 1), there.stderr  # the settings project cannot go green
    local, remote = json.loads(here.stdout)["projects"], json.loads(there.stdout)["projects"]
    assert [p.keys() for p in remote] == [p.keys() for p in local]
    assert [(p["path"], p["green"], p["stop_reason"], p["diff"]) for p in remote] == [
        (p["path"], p["green"], p["stop_reason"], p["diff"]) for p in local
    ]
    assert [p["stop_reason"] for p in remote] == ["green", "environment"]
    assert "+    if total >= 100:" in remote[0]["diff"]
    assert "if total > 100" in (corpus / "shop/shop/pricing.py").read_text()


@pytest.mark.slow
def test_ctrl_c_cancels_the_runs_on_the_cluster(cluster: Cluster, corpus: Path) -> None:
    argv = ["eval", str(corpus), "--model", "builtin", "--ray", cluster.address]
    script = "import sys\nfrom untilgreen.cli import main\nsys.exit(main(sys.argv[1:]))"
    driver = subprocess.Popen(
        [sys.executable, "-c", script, *argv], stderr=subprocess.PIPE, text=True, env=cluster.environment()
    )
    deadline = time.monotonic() + 120
    while not all(node.running(TASK) for node in cluster.nodes) and time.monotonic() < deadline:
        time.sleep(0.05)
    driver.send_signal(signal.SIGINT)
    _, stderr = driver.communicate(timeout=60)
    assert (driver.returncode, stderr.strip().splitlines()[-1]) == (130, "untilgreen: cancelled."), stderr
    deadline = time.monotonic() + 30
    while any(node.running(TASK) for node in cluster.nodes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(node.running(TASK) for node in cluster.nodes), "a cancelled run still runs on the cluster"


@pytest.mark.slow
def test_an_eval_on_the_cluster_is_one_trace(cluster: Cluster, corpus: Path) -> None:
    """The endpoint is known to the driver only; the runs on both nodes send their spans into the eval's trace."""
    with OtlpReceiver() as receiver:
        remote, _ = eval_on(
            cluster, corpus, cluster.nodes[1], kill=False, OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url
        )
    evaluation = receiver.one("untilgreen.eval")
    assert evaluation.parent_id == "" and {s.trace_id for s in receiver.spans} == {evaluation.trace_id}
    runs = receiver.children(evaluation, "untilgreen.run")
    assert sorted(s.attributes["untilgreen.run.outcome"] for s in runs) == sorted(
        s["stop_reason"] for s in remote["samples"]
    )
    assert evaluation.resource["process.pid"] not in {s.resource["process.pid"] for s in runs}  # Ray workers'


@pytest.mark.slow
@pytest.mark.parametrize("kill", [False, True], ids=["two-nodes", "worker-killed"])  # the kill last
def test_an_eval_on_the_cluster_matches_a_local_eval(
    cluster: Cluster, corpus: Path, local_eval: dict[str, Any], kill: bool
) -> None:
    """Both nodes run a run; killed mid-run, the worker's run is retried on the head."""
    remote, on_worker = eval_on(cluster, corpus, cluster.nodes[1], kill=kill)
    assert on_worker, "no run went to the worker node"
    same_eval(local_eval, remote)
