"""A Ray cluster of separate processes on this machine: a head and worker nodes, each started by `ray start` in
its own session with its own temp dir, CPUs and ports (127.0.0.1 only), and stopped by killing exactly the
processes of those sessions (never `ray stop`, which stops every Ray on the machine)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

RAY = str(Path(sys.executable).parent / "ray")
HOST = "127.0.0.1"
# A dead node is noticed within about a second instead of the default half minute.
FAST_HEALTH_CHECKS = {"health_check_period_ms": 300, "health_check_failure_threshold": 3}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    temp_dir: Path
    session: int  # the session id of `ray start` and of every process the node starts

    def pids(self) -> list[int]:
        return session_pids(self.session)

    def running(self, task: str) -> bool:
        """Whether a worker process of this node runs `task` now (it is then titled `ray::TASK`)."""
        return any(_cmdline(pid).split(" ", 1)[0] == f"ray::{task}" for pid in self.pids())

    def kill(self) -> None:
        """SIGKILL every process of the node, as when its machine dies."""
        for pid in self.pids():
            _signal(pid, signal.SIGKILL)


@dataclass
class Cluster:
    root: Path
    nodes: list[Node] = field(default_factory=list)
    address: str = ""
    token: str = field(default_factory=lambda: secrets.token_hex(32))  # the cluster's own, not ~/.ray's

    def environment(self) -> dict[str, str]:
        """For every process of the cluster and its drivers."""
        return {
            **os.environ,
            "RAY_USAGE_STATS_ENABLED": "0",
            "RAY_AUTH_MODE": "token",
            "RAY_AUTH_TOKEN": self.token,
        }

    def start_head(self, cpus: int = 1) -> Node:
        self.address = f"{HOST}:{free_port()}"
        return self._start(
            "head",
            cpus,
            "--head",
            f"--port={self.address.rpartition(':')[2]}",
            "--include-dashboard=false",
            f"--system-config={json.dumps(FAST_HEALTH_CHECKS)}",
        )

    def start_worker(self, cpus: int = 1) -> Node:
        return self._start(f"worker{len(self.nodes)}", cpus, f"--address={self.address}")

    def _start(self, name: str, cpus: int, *extra: str) -> Node:
        temp_dir = self.root / name
        temp_dir.mkdir(parents=True)
        argv = [
            RAY, "start", *extra, f"--num-cpus={cpus}", "--disable-usage-stats", f"--node-ip-address={HOST}",
            f"--temp-dir={temp_dir}", "--min-worker-port=0", "--max-worker-port=0",
            f"--node-manager-port={free_port()}", f"--object-manager-port={free_port()}",
            f"--dashboard-agent-listen-port={free_port()}", f"--dashboard-agent-grpc-port={free_port()}",
            f"--metrics-export-port={free_port()}", f"--runtime-env-agent-port={free_port()}",
            "--object-store-memory=100000000",
        ]  # fmt: skip
        log = (self.root / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env=self.environment(), start_new_session=True
        )
        node = Node(temp_dir, proc.pid)  # its own session: `start_new_session` makes the session id its pid
        self.nodes.append(node)
        if proc.wait(timeout=90) != 0:
            raise RuntimeError(f"ray start failed:\n{(self.root / f'{name}.log').read_text()}")
        return node

    def stop(self, timeout: float = 5) -> list[int]:
        """SIGTERM, then SIGKILL, every process of the nodes' sessions; returns the pids still alive after."""
        for node in self.nodes:
            for pid in node.pids():
                _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(node.pids() for node in self.nodes):
            time.sleep(0.2)
        for node in self.nodes:
            node.kill()
        time.sleep(0.5)
        return [pid for node in self.nodes for pid in node.pids()]


def session_pids(session: int) -> list[int]:
    """Live processes in `session` (zombies excepted)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z" and int(fields[3]) == session:  # state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (
            (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
