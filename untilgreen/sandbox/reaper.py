"""Find and kill the processes of a run, including ones that left its session or process group."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable

RUN_MARKER = "UNTILGREEN_RUN"  # in every sandboxed environment: finds strays when no cgroup holds the run


def kill_until_gone(find_pids: Callable[[], Iterable[int]], within_s: float = 1.0) -> None:
    """SIGKILL whatever `find_pids` reports, again and again (children forked meanwhile), until it reports none."""
    deadline = time.monotonic() + within_s
    while (pids := set(find_pids())) and time.monotonic() < deadline:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.005)


def marked_pids(run_id: str) -> list[int]:
    """Processes whose (initial) environment carries this run's marker; empty where /proc is missing."""
    needle = f"{RUN_MARKER}={run_id}".encode()
    found = []
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return []
    for name in entries:
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(name))
        except OSError:
            pass
    return found
