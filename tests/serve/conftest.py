"""A real `untilgreen serve` in a subprocess on 127.0.0.1, with private caches, memory and temp folders."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.agent.conftest import SHOP, write_tree

GREEN = {  # a project already green: its runs end after the baseline
    "calc/__init__.py": "def add(a, b):\n    return a + b\n",
    "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    "pyproject.toml": '[project]\nname = "calc"\nversion = "0"\n',
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def private_env(tmp: Path, **extra: str) -> dict[str, str]:
    (tmp / "tmp").mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "TMPDIR": str(tmp / "tmp"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "UNTILGREEN_MEMORY_PATH": str(tmp / "memory.sqlite3"),
        "UNTILGREEN_CONFIG": str(tmp / "no-config.toml"),
        **extra,
    }


class Served:
    def __init__(self, proc: subprocess.Popen[bytes], url: str, tmp: Path) -> None:
        self.proc, self.url, self.tmp = proc, url, tmp

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]

    def children(self) -> list[int]:
        """The server's child processes still running (its run workers)."""
        found = []
        for pid in os.listdir("/proc"):
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{pid}/stat").read_text()
                if int(stat.rpartition(")")[2].split()[1]) == self.proc.pid:
                    found.append(int(pid))
        return found


@contextlib.contextmanager
def serve(
    tmp: Path, *args: str, host: str = "127.0.0.1", env: dict[str, str] | None = None
) -> Iterator[Served]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "untilgreen",
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--model",
        "builtin",
    ]
    argv += ["--set", "sandbox.test_timeout=20", *args]
    proc = subprocess.Popen(argv, env=env or private_env(tmp), stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(url + "/openapi.json", timeout=2).status_code in (200, 401):
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {proc.communicate()[1].decode()}")
            time.sleep(0.1)
        yield Served(proc, url, tmp)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("projects")
    return {"shop": write_tree(base / "shop", SHOP), "calc": write_tree(base / "calc", GREEN)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, projects: dict[str, Path]) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("server")
    with serve(tmp, "--project", str(projects["shop"]), "--project", str(projects["calc"])) as served:
        yield served
