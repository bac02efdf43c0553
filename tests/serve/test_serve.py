"""`untilgreen serve` over real HTTP: runs with the built-in repairer in worker subprocesses, their event stream,
the `fix --json` shape, cancel, the bounded queue, and the safety rules (roots, trusted settings, tokens)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from tests.agent.conftest import TARGET, leftovers, write_tree
from tests.agent.test_eval_report import SETTINGS
from tests.serve.conftest import GREEN, Served, private_env, serve
from untilgreen.agent.result import RunResult
from untilgreen.protocol import NO_MODEL, Event, RunFinished, RunStarted


def events(client: httpx.Client, run_id: str, after: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """The run's server-sent events (after the first `after`, as a reconnecting client asks), read to the end."""
    found = []
    headers = {"Last-Event-ID": str(after)} if after else {}
    with client.stream("GET", f"/runs/{run_id}/events", headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in answer.iter_lines():
            if line.startswith("event: "):
                kind = line[len("event: ") :]
            elif line.startswith("data: "):
                found.append((kind, json.loads(line[len("data: ") :])))
    return found


def wait_done(client: httpx.Client, run_id: str, path: str = "/runs") -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"{path}/{run_id}").json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{run_id} did not finish")


def test_a_run_streams_its_typed_events_to_the_end_and_answers_in_the_fix_json_shape(server: Served) -> None:
    with server.client() as client:
        started = client.post("/runs", json={"project": "shop", "targets": [TARGET]})
        assert started.status_code == 202, started.text
        run_id = started.json()["id"]
        assert started.headers["location"] == f"/runs/{run_id}"
        stream = events(client, run_id)
        resumed = events(client, run_id, after=len(stream) - 3)
        run = client.get(f"/runs/{run_id}").json()
        listed = client.get("/runs").json()["runs"]
    assert resumed == stream[-3:]  # a reconnect gets only what it missed, then the end
    typed = [Event.from_json(data) for kind, data in stream if kind != "end"]
    assert all(kind == event.kind for (kind, _), event in zip(stream, typed))
    assert isinstance(typed[0], RunStarted) and isinstance(typed[-1], RunFinished)
    assert stream[-1] == ("end", {"status": "green"})
    finished = typed[-1]
    assert finished.green and finished.summary["diff"] == finished.diff
    assert set(finished.summary) == set(
        RunResult("", False, "green").summary_json()
    )  # what `fix --json` prints
    assert {k: run[k] for k in finished.summary} == finished.summary
    assert run["status"] == "green" and "if total >= 100:" in run["diff"]
    assert [a["outcome"] for a in run["attempt_log"]] == ["green"]
    assert run_id in [r["id"] for r in listed]


def test_the_project_is_never_changed_and_waiting_answers_once_the_run_has_ended(
    server: Served, projects: dict[str, Path]
) -> None:
    with server.client() as client:
        answer = client.post("/runs?wait=true", json={"project": str(projects["calc"])})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] in ("green", "failed") and body["stop_reason"], body
    assert "if total > 100:" in (projects["shop"] / "shop/pricing.py").read_text()  # no patch applied


def test_goal_mode_needs_its_goal_and_goes_to_the_worker_which_refuses_it_without_a_model(
    server: Served,
) -> None:
    with server.client() as client:
        no_goal = client.post("/runs", json={"project": "calc", "mode": "goal"})
        assert no_goal.status_code == 400 and "goal mode needs `goal`" in no_goal.json()["error"]
        answer = client.post("/runs?wait=true", json={"project": "calc", "mode": "goal", "goal": "add sub()"})
    run = answer.json()
    assert (run["status"], run["mode"], run["message"]) == (
        "failed",
        "goal",
        NO_MODEL,
    )  # the server runs builtin


def test_a_path_outside_the_served_roots_is_refused(server: Served, tmp_path: Path) -> None:
    with server.client() as client:
        for project in (str(tmp_path), "/", "../shop", "nope"):
            answer = client.post("/runs", json={"project": project})
            assert answer.status_code == 403, answer.text
            assert "is not one this server runs in" in answer.json()["error"]
        assert client.post("/runs", json={"targets": []}).status_code == 400


def test_a_trusted_setting_in_a_request_is_refused_and_an_untrusted_one_is_checked(server: Served) -> None:
    with server.client() as client:
        for settings in ({"model": "openai/gpt-4o"}, {"api_base": "http://evil"}, {"sandbox": {"network": True}},
                         {"memory.url": "postgresql://x"}):  # fmt: skip
            answer = client.post("/runs", json={"project": "shop", "settings": settings})
            assert answer.status_code == 403, answer.text
            assert "is a trusted setting" in answer.json()["error"]
        bad = client.post("/runs", json={"project": "shop", "settings": {"attempts": "many"}})
        assert bad.status_code == 400 and "must be a whole number" in bad.json()["error"]
        unknown = client.post("/runs", json={"project": "shop", "settings": {"colour": 1}})
        assert unknown.status_code == 400 and "unknown setting" in unknown.json()["error"]
        huge = client.post("/runs", json={"project": "shop", "goal": "x" * 100_000})
        assert huge.status_code == 413 and "the body is over 64 KiB" in huge.json()["error"]


def test_cancel_mid_run_leaves_no_process_and_no_shadow(server: Served) -> None:
    with server.client() as client:
        run_id = client.post("/runs", json={"project": "shop"}).json()["id"]
        with client.stream("GET", f"/runs/{run_id}/events") as answer:
            for line in answer.iter_lines():
                if line == "event: tests_ran":  # the baseline ran in the shadow: the run is well under way
                    break
        cancelled = client.post(f"/runs/{run_id}/cancel")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert client.get(f"/runs/{run_id}").json()["status"] == "cancelled"
    assert server.children() == []
    assert leftovers(server.tmp / "tmp") == []


def test_twenty_concurrent_runs_are_queued_and_finished_and_those_past_the_queue_get_429(
    tmp_path: Path,
) -> None:
    """30 requests at once to 2 workers and a queue of 20: the first 20 or so are queued and all finish, the rest
    are refused with 429 and a sentence; every request gets one of the two answers."""
    calc = write_tree(tmp_path / "calc", GREEN)
    with serve(tmp_path, "--project", str(calc), "--workers", "2", "--queue", "20") as served:
        with served.client() as client, ThreadPoolExecutor(30) as pool:
            answers = list(pool.map(lambda _: client.post("/runs", json={"project": "calc"}), range(30)))
            accepted = [a.json()["id"] for a in answers if a.status_code == 202]
            refused = [a for a in answers if a.status_code == 429]
            assert len(accepted) + len(refused) == 30, [a.text for a in answers]
            assert 20 <= len(accepted) <= 22 and refused
            assert all("the queue is full" in a.json()["error"] for a in refused)
            assert all(a.headers["retry-after"] for a in refused)
            finished = [wait_done(client, run_id) for run_id in accepted]
            assert all(run["status"] == "green" and run["stop_reason"] for run in finished), finished
            assert {r["id"] for r in client.get("/runs").json()["runs"]} == set(accepted)


def test_port_0_is_told_as_the_port_chosen_and_a_port_in_use_is_one_sentence(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "untilgreen", "serve", "--port", "0", "--project", str(tmp_path)]
    first = subprocess.Popen(argv, env=private_env(tmp_path), stderr=subprocess.PIPE, text=True)
    try:
        assert first.stderr is not None
        told = first.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", told).group(1))  # type: ignore[union-attr]
        assert port != 0 and httpx.get(f"http://127.0.0.1:{port}/projects").status_code == 200
        argv[argv.index("0")] = str(port)
        second = subprocess.run(argv, env=private_env(tmp_path), capture_output=True, text=True, timeout=30)
        assert second.returncode == 2 and "Traceback" not in second.stderr
        assert (
            f"cannot listen on 127.0.0.1:{port}" in second.stderr and "choose another --port" in second.stderr
        )
    finally:
        first.terminate()
        first.wait(20)


def test_off_loopback_the_server_needs_a_token(tmp_path: Path) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "untilgreen", "serve", "--host", "0.0.0.0", "--project", str(tmp_path)],
        capture_output=True,
        text=True,
        env=private_env(tmp_path),
        timeout=30,
    )
    assert refused.returncode == 2
    assert "a token is required" in refused.stderr and "--token-env" in refused.stderr
    env = private_env(tmp_path, SERVE_TOKEN="s3cret-token")
    with serve(
        tmp_path, "--project", str(tmp_path), "--token-env", "SERVE_TOKEN", host="0.0.0.0", env=env
    ) as served:
        with served.client() as client:
            assert client.get("/runs").status_code == 401
            assert client.get("/openapi.json").status_code == 401  # it names the served projects
            assert client.get("/").status_code == 200  # the page holds no data
            wrong = client.get("/runs", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401 and "Bearer" in wrong.json()["error"]
            assert client.post("/runs", json={"project": "x"}).status_code == 401
            right = client.get("/runs", headers={"Authorization": "Bearer s3cret-token"})
            assert right.status_code == 200 and right.json() == {"runs": []}


def test_an_eval_of_a_served_corpus_answers_in_the_eval_json_shape_with_its_report(tmp_path: Path) -> None:
    corpus = write_tree(
        tmp_path / "corpus" / "settings", SETTINGS
    ).parent  # its run stops at the baseline: fast
    with serve(tmp_path, "--project", str(corpus)) as served, served.client() as client:
        started = client.post("/evals", json={"project": "corpus", "runs": 1})
        assert started.status_code == 202, started.text
        report = wait_done(client, started.json()["id"], "/evals")
        page = client.get(report["report"])
    assert report["status"] == "finished", report
    assert {"model", "runs", "summary", "by_class", "samples"} <= set(report)  # the `eval --json` object
    assert report["summary"]["greens"] == 0
    assert [(s["project"], s["stop_reason"]) for s in report["samples"]] == [("settings", "environment")]
    assert page.status_code == 200 and "untilgreen eval" in page.text
