"""Run one command in the sandbox: limits, an isolation layer, output to a file, and a kill of the whole tree.

Output goes to an anonymous file, never a pipe: a `setsid` grandchild that keeps stdout open would make a
reader wait for EOF forever. The runner waits for the direct child only, then kills everything of the run.
The first run of a process first sweeps what SIGKILLed runners left behind (`sweep_leftovers`).
"""

from __future__ import annotations

import fnmatch
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from untilgreen.errors import UserError
from untilgreen.sandbox import cgroup, leftovers, seccomp
from untilgreen.sandbox import isolation as layers
from untilgreen.sandbox.cgroup import RunCgroup
from untilgreen.sandbox.reaper import RUN_MARKER, kill_until_gone, marked_pids

_LAUNCHER = Path(__file__).with_name("launcher.py")
_MB = 1024 * 1024
_SAFE_NAMES = frozenset(
    {"PATH", "LANG", "TZ", "TERM", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE"}
)
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD")
Outcome = Literal["exited", "timeout", "cancelled"]
_swept_in: int | None = None  # the pid that swept the leftovers of dead runners (a forked child sweeps again)
_sweep_lock = threading.Lock()


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 300.0  # wall clock for the whole process tree
    cpu_s: int | None = 600  # RLIMIT_CPU
    memory_mb: int | None = 4096  # RLIMIT_AS; None = off (for runtimes that reserve a lot of address space)
    file_size_mb: int | None = 512  # RLIMIT_FSIZE
    open_files: int = 4096  # RLIMIT_NOFILE
    processes: int = 512  # RLIMIT_NPROC when not root; pids.max of the run cgroup where there is one
    tmp_size_mb: int = 512  # private /tmp size (bubblewrap)
    network: bool = False  # allow network (settings key sandbox.network)
    output_limit_bytes: int = 200_000  # head + tail of output kept

    def __post_init__(self) -> None:
        positive = {
            "timeout_s": self.timeout_s,
            "open_files": self.open_files,
            "processes": self.processes,
            "tmp_size_mb": self.tmp_size_mb,
            "output_limit_bytes": self.output_limit_bytes,
            "cpu_s": self.cpu_s or 1,
            "memory_mb": self.memory_mb or 1,
            "file_size_mb": self.file_size_mb or 1,
        }
        bad = [name for name, value in positive.items() if value <= 0]
        if bad:
            raise ValueError(f"sandbox limits must be positive: {', '.join(bad)}")


@dataclass
class ProcessResult:
    exit_code: int | None  # None when killed (timeout/cancel); a signal death is 128 + N, as in a shell
    timed_out: bool
    cancelled: bool
    output: str  # head+tail of combined stdout+stderr, with a "[... N bytes omitted ...]" marker
    duration_s: float
    isolation: str  # the active layer word, see `untilgreen.sandbox.isolation`


def scrub_environment(environ: Mapping[str, str], passthrough: Sequence[str] = ()) -> dict[str, str]:
    """The allowlisted environment for a sandboxed run.

    Keeps PATH, LANG, LC_*, TZ, TERM and the harmless PYTHON* switches, sets HOME to the temp dir, and adds the
    names (or fnmatch patterns) in `passthrough`. Names containing KEY, TOKEN, SECRET or PASSWORD are dropped
    unless passed through explicitly.
    """

    def passed(name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in passthrough)

    def safe(name: str) -> bool:
        allowed = name in _SAFE_NAMES or name.startswith("LC_")
        return allowed and not any(word in name.upper() for word in _SECRET_WORDS)

    env = {name: value for name, value in environ.items() if passed(name) or safe(name)}
    if not passed("HOME"):
        env["HOME"] = tempfile.gettempdir()
    return env


def run_sandboxed(
    argv: list[str],
    *,
    workdir: Path,
    limits: Limits,
    env: Mapping[str, str],
    isolation: str = "auto",
    readonly: Sequence[Path] = (),
    hidden: Sequence[Path] = (),
    cancel: threading.Event | None = None,
) -> ProcessResult:
    """Run `argv` in `workdir` (its cwd and only writable place besides a private tmp) and kill the whole tree.

    `env` is the complete environment, plus TMPDIR (the private tmp), a fresh HOME and XDG directories inside it
    (`isolation.private_home`) and the run marker.
    `readonly` and `hidden` shape what the process can read under bubblewrap and landlock (`limits` reads everything).
    Returns within `limits.timeout_s` + about 2 s; no process of the run survives the return.
    """
    launch = Launch.prepare(
        argv, workdir=workdir, limits=limits, env=env, isolation=isolation, readonly=readonly, hidden=hidden
    )
    try:
        with tempfile.TemporaryFile(prefix="untilgreen-out-") as out:
            outcome, returncode, launch_error = _launch_and_wait(
                launch, out, deadline=launch.started + limits.timeout_s, cancel=cancel
            )
            output = head_tail(out, limits.output_limit_bytes)
    finally:
        launch.cleanup()
    if launch_error:
        raise launch.error(launch_error)
    exit_code = None if outcome != "exited" else (128 - returncode if returncode < 0 else returncode)
    return ProcessResult(
        exit_code=exit_code,
        timed_out=outcome == "timeout",
        cancelled=outcome == "cancelled",
        output=output,
        duration_s=time.monotonic() - launch.started,
        isolation=launch.layer,
    )


def sweep_leftovers() -> int:
    """Remove what runners that died without cleaning up left behind: their run cgroups (killing the processes
    still in them) and private tmp dirs. Never touches those of a live untilgreen process; returns how many went.
    """
    return cgroup.sweep_stale() + leftovers.sweep_private_tmps()


def _sweep_leftovers_once() -> None:
    global _swept_in
    with _sweep_lock:
        if _swept_in == os.getpid():
            return
        _swept_in = os.getpid()
    try:
        sweep_leftovers()
    except OSError:  # never fails a run: what is left stays for a later sweep
        pass


@dataclass
class Launch:
    """Everything set up for one sandboxed process before it starts; `cleanup` removes the cgroup and tmp."""

    argv: list[str]
    command: list[str]  # argv, wrapped in bwrap for the bubblewrap layer
    workdir: Path
    layer: str
    spec: dict[str, Any]
    env: dict[str, str]
    run_cgroup: RunCgroup | None
    private_tmp: str | None
    run_id: str
    started: float

    @classmethod
    def prepare(
        cls,
        argv: list[str],
        *,
        workdir: Path,
        limits: Limits,
        env: Mapping[str, str],
        isolation: str,
        readonly: Sequence[Path],
        hidden: Sequence[Path],
    ) -> Launch:
        layer = layers.resolve(isolation)
        workdir = Path(workdir).absolute()
        _require_command(argv, env, workdir)
        _sweep_leftovers_once()
        started = time.monotonic()
        run_id = uuid.uuid4().hex
        run_cgroup = RunCgroup.create(limits.processes)
        private_tmp = None if layer == "bubblewrap" else leftovers.make_private_tmp()
        if private_tmp:  # bwrap makes its own, in its tmpfs
            os.mkdir(os.path.join(private_tmp, layers.HOME_IN_TMP))
        tmp = private_tmp or "/tmp"
        command = list(argv)
        if layer == "bubblewrap":
            command = layers.bubblewrap_argv(
                command,
                workdir=workdir,
                tmp_size_mb=limits.tmp_size_mb,
                network=limits.network,
                readonly=readonly,
                hidden=hidden,
            )
        spec = {
            "cgroup_procs": run_cgroup.procs_files if run_cgroup else [],
            "rlimits": _rlimits(limits),
            "landlock": {
                "writable": [str(workdir), tmp, os.devnull],
                "readable": layers.landlock_readable(workdir=workdir, readonly=readonly, hidden=hidden),
            }
            if layer == "landlock"
            else None,
            "seccomp": layer == "landlock" and not limits.network and seccomp.supported(),
        }
        child_env = {**env, "TMPDIR": tmp, **layers.private_home(tmp), RUN_MARKER: run_id}
        return cls(
            list(argv), command, workdir, layer, spec, child_env, run_cgroup, private_tmp, run_id, started
        )

    def spawn(
        self, stdin: int | IO[bytes], stdout: int | IO[bytes], stderr: int | IO[bytes]
    ) -> tuple[subprocess.Popen[bytes], int]:
        """Start the launcher; returns the process and the read end of its launch-error pipe."""
        error_read, error_write = os.pipe()
        # -S -I: no site-packages, no PYTHON* variables, no cwd on sys.path (the workdir holds untrusted code).
        launcher = [sys.executable, "-S", "-I", str(_LAUNCHER), json.dumps(self.spec), str(error_write), "--"]
        try:
            proc = subprocess.Popen(
                [*launcher, *self.command],
                cwd=self.workdir,
                env=self.env,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
                pass_fds=(error_write,),
            )
        except BaseException:
            os.close(error_read)
            raise
        finally:
            os.close(error_write)
        return proc, error_read

    def kill_tree(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process group (bwrap's death tears down its PID namespace), then the cgroup or marked strays."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.run_cgroup:
            self.run_cgroup.kill()
        else:
            kill_until_gone(lambda: marked_pids(self.run_id))

    def cleanup(self) -> None:
        if self.run_cgroup:
            self.run_cgroup.remove()
        if self.private_tmp:
            shutil.rmtree(self.private_tmp, ignore_errors=True)

    def error(self, launch_error: str) -> UserError:
        return UserError(
            f"The {self.layer} sandbox could not start {self.argv[0]!r} ({launch_error}); "
            "set sandbox.isolation to a weaker layer or fix the cause."
        )


def _require_command(argv: Sequence[str], env: Mapping[str, str], workdir: Path) -> None:
    if not argv:
        raise ValueError("run_sandboxed needs a command")
    program = argv[0]
    if os.sep in program:
        found = os.access(workdir / program, os.X_OK)
    else:
        found = shutil.which(program, path=env.get("PATH", os.defpath)) is not None
    if not found:
        raise UserError(
            f"The command {program!r} was not found on the sandbox PATH; install it or fix the test command."
        )


def _rlimits(limits: Limits) -> dict[str, tuple[int, int]]:
    wanted = {"CORE": (0, 0), "NOFILE": (limits.open_files,) * 2}
    if limits.cpu_s:
        wanted["CPU"] = (limits.cpu_s, limits.cpu_s + 1)  # SIGXCPU first, SIGKILL a second later
    if limits.memory_mb:
        wanted["AS"] = (limits.memory_mb * _MB,) * 2
    if limits.file_size_mb:
        wanted["FSIZE"] = (limits.file_size_mb * _MB,) * 2
    if os.geteuid() != 0:  # root ignores RLIMIT_NPROC: the cgroup or PID namespace contains root instead
        wanted["NPROC"] = (limits.processes,) * 2
    clamped = {}
    for name, (soft, hard) in wanted.items():
        current = resource.getrlimit(getattr(resource, f"RLIMIT_{name}"))[1]
        ceiling = hard if current == resource.RLIM_INFINITY else min(hard, current)
        clamped[name] = (min(soft, ceiling), ceiling)
    return clamped


def _launch_and_wait(
    launch: Launch,
    out: IO[bytes],
    *,
    deadline: float,
    cancel: threading.Event | None,
) -> tuple[Outcome, int, str]:
    """Start the launcher, wait for it (or the deadline, or `cancel`), then kill the tree; returns (outcome, rc, error)."""
    proc, error_read = launch.spawn(subprocess.DEVNULL, out, subprocess.STDOUT)
    try:
        outcome = _wait(proc, deadline, cancel)
    finally:
        launch.kill_tree(proc)
        returncode = proc.wait()
        with os.fdopen(error_read, "rb") as errors:  # EOF at once: close-on-exec, and the tree is dead
            launch_error = errors.read().decode(errors="replace")
    return outcome, returncode, launch_error


def _wait(proc: subprocess.Popen[bytes], deadline: float, cancel: threading.Event | None) -> Outcome:
    """Wait for the direct child, waking at once when it exits (pidfd) and at least every 50 ms for `cancel`."""
    try:
        pidfd: int | None = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # not Linux 5.3+: poll instead
        pidfd = None
    try:
        while proc.poll() is None:
            if cancel is not None and cancel.is_set():
                return "cancelled"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            if pidfd is None:
                time.sleep(min(remaining, 0.01))
            else:
                select.select([pidfd], [], [], min(remaining, 0.05))
        return "exited"
    finally:
        if pidfd is not None:
            os.close(pidfd)


def head_tail(out: IO[bytes], limit: int) -> str:
    """What `out` holds, from its start; past `limit` bytes, its head and tail around a note of what was left out."""
    size = out.seek(0, os.SEEK_END)
    out.seek(0)
    if size <= limit:
        return out.read().decode(errors="replace")
    head = out.read(limit // 2)
    out.seek(size - (limit - len(head)))
    tail = out.read()
    omitted = size - len(head) - len(tail)
    return (
        f"{head.decode(errors='replace')}\n[... {omitted} bytes omitted ...]\n{tail.decode(errors='replace')}"
    )
