"""A long-lived sandboxed process spoken to in lines: requests on its stdin, replies on its stdout.

Same isolation as `run_sandboxed` (the same launcher, layer, rlimits, cgroup, scrubbed environment); the
process's stderr goes to an anonymous file (head + tail kept). Reading never waits for EOF, so a grandchild
holding stdout open cannot hang the reader; `close` kills the whole tree, as `run_sandboxed` does at its end.
"""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from untilgreen.sandbox.process import Launch, Limits, head_tail

_LAUNCH_WAIT_S = 30.0


class SessionClosed(EOFError):
    """The sandboxed process exited, was killed, or outlived `limits.timeout_s`."""


class SandboxSession:
    """Use `start_sandboxed`; a context manager that always kills the tree on exit."""

    def __init__(self, launch: Launch, limits: Limits) -> None:
        self._launch = launch
        self._limits = limits
        self._stderr = tempfile.TemporaryFile(prefix="untilgreen-err-")
        self._buffer = b""
        self._closed = False
        self._proc, error_read = launch.spawn(subprocess.PIPE, subprocess.PIPE, self._stderr)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._out = self._proc.stdout.fileno()
        os.set_blocking(self._out, False)
        launch_error = _read_launch_error(error_read)
        if launch_error:
            self.close()
            raise launch.error(launch_error)

    @property
    def isolation(self) -> str:
        return self._launch.layer

    @property
    def deadline(self) -> float:
        return self._launch.started + self._limits.timeout_s

    def send(self, line: str) -> None:
        """Write one line (a newline is added); SessionClosed when the process is gone."""
        if self._closed:
            raise SessionClosed("the sandboxed process was closed")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(line.encode() + b"\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise SessionClosed(f"the sandboxed process stopped reading ({exc})") from None

    def receive(self, timeout_s: float) -> str | None:
        """The next line without its newline, or None after `timeout_s`; SessionClosed when the process is gone."""
        end = min(time.monotonic() + timeout_s, self.deadline)
        while b"\n" not in self._buffer:
            if self._closed:
                raise SessionClosed("the sandboxed process was closed")
            remaining = end - time.monotonic()
            if remaining <= 0:
                if time.monotonic() >= self.deadline:
                    self.close()
                    raise SessionClosed(
                        f"the sandboxed process outlived its {self._limits.timeout_s:.0f} s limit"
                    )
                return None
            ready, _, _ = select.select([self._out], [], [], remaining)
            if ready:
                chunk = os.read(self._out, 65536)
                if not chunk:
                    raise SessionClosed(f"the sandboxed process exited: {self.output()[-500:]}")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode(errors="replace")

    def output(self) -> str:
        """Head + tail of what the process wrote to stderr so far."""
        position = self._stderr.tell()
        try:
            return head_tail(self._stderr, self._limits.output_limit_bytes)
        finally:
            self._stderr.seek(position)

    def close(self) -> None:
        """Kill the whole tree and remove the run's cgroup and tmp; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._launch.kill_tree(self._proc)
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._stderr.close()
        self._launch.cleanup()

    def __enter__(self) -> SandboxSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def start_sandboxed(
    argv: list[str],
    *,
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str],
    isolation: str = "auto",
    readonly: Sequence[Path] = (),
    hidden: Sequence[Path] = (),
) -> SandboxSession:
    """Start `argv` like `run_sandboxed` would, but return at once with a session to talk to it."""
    launch = Launch.prepare(
        argv, workdir=workdir, limits=limits, env=env, isolation=isolation, readonly=readonly, hidden=hidden
    )
    try:
        return SandboxSession(launch, limits)
    except BaseException:
        launch.cleanup()
        raise


def _read_launch_error(error_read: int) -> str:
    """The launcher writes why it failed, or the pipe closes at its exec (close-on-exec): EOF either way."""
    with os.fdopen(error_read, "rb") as errors:
        ready, _, _ = select.select([errors], [], [], _LAUNCH_WAIT_S)
        return errors.read().decode(errors="replace") if ready else "the launcher did not start in time"
