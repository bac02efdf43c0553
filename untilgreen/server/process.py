"""Child processes of the server (test checks, run workers): own session, asyncio pipes, group kill.

Each child leads its own process group, so stopping it reaches everything it started in that group; it first
gets SIGINT (the command turns it into a cancellation and kills its sandboxed tests, which run in a session of
their own) and SIGKILL after a short grace.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

GRACE_S = 0.5


def untilgreen_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "untilgreen", *args]


def set_arguments(overrides: Mapping[str, Any]) -> list[str]:
    """Editor settings as `--set name=value` flags (lists comma-separated, booleans lower-case)."""
    argv: list[str] = []
    for name, value in overrides.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value)
        argv += ["--set", f"{name}={value}"]
    return argv


async def spawn(argv: list[str], cwd: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return await asyncio.create_subprocess_exec(
        *argv,
        cwd=str(cwd),
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        limit=64 * 1024 * 1024,
    )


def _signal_group(proc: asyncio.subprocess.Process, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


async def stop(proc: asyncio.subprocess.Process) -> None:
    """Stop the child's whole process group: SIGINT, then SIGKILL after GRACE_S; returns once it has exited."""
    if proc.returncode is None:
        _signal_group(proc, signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), GRACE_S)
        except asyncio.TimeoutError:
            pass
    _signal_group(proc, signal.SIGKILL)  # stragglers in the group, even when the leader has gone
    if proc.returncode is None:
        await proc.wait()


def last_sentence(stderr: bytes) -> str:
    """The `untilgreen: ...` line a failed command printed (its one-sentence error), else the last line."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    for line in reversed(lines):
        if line.startswith("untilgreen: "):
            return line[len("untilgreen: ") :]
    return lines[-1] if lines else ""
