"""The sweep of what a SIGKILLed runner leaves behind: its run cgroup (and the processes still in it) and its
private tmp dir go, while a run of a live untilgreen process keeps both. Real runners, really killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

import untilgreen
from untilgreen.sandbox import cgroup, isolation, leftovers
from untilgreen.sandbox.process import (
    Limits,
    ProcessResult,
    run_sandboxed,
    scrub_environment,
    sweep_leftovers,
)

PYTHON = Path(sys.executable)
CGROUPS = bool(cgroup._parents())  # noqa: SLF001 (the writable hierarchies a run cgroup is made in)
NO_CGROUP = "no writable cgroup here (run as root or delegate one): runs have no run cgroup to leave behind"
PRIVATE_TMP_LAYERS = ("landlock", "limits")  # bubblewrap's /tmp is a tmpfs that dies with it
AVAILABLE = [
    layer for layer, ok in isolation.available_layers().items() if ok is True and layer in isolation.LAYERS
]

RUNNER = """
import os, sys
from pathlib import Path
from untilgreen.sandbox import isolation
from untilgreen.sandbox.process import Limits, run_sandboxed, scrub_environment
python = Path(sys.executable)
run_sandboxed([str(python), "-c", sys.argv[3]], workdir=Path(sys.argv[1]), limits=Limits(timeout_s=120),
              env=scrub_environment(os.environ), isolation=sys.argv[2], readonly=isolation.interpreter_paths(python))
"""


def _sleeper(token: str) -> str:
    return f"import time; time.sleep(120)  # {token}"


def _cgroups_of(pid: int) -> list[Path]:
    return [
        d
        for parent in cgroup._parents()
        for d in parent.iterdir()  # noqa: SLF001
        if d.name.startswith(f"untilgreen-{pid}-")
    ]


def _tmps_of(pid: int) -> list[Path]:
    return [
        d for d in Path(tempfile.gettempdir()).iterdir() if d.name.startswith(f"{leftovers.TMP_PREFIX}{pid}-")
    ]


def _procs(dirs: list[Path]) -> set[int]:
    return cgroup.RunCgroup(tuple(dirs)).pids()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _wait_for(check, what: str, within_s: float = 60.0):
    deadline = time.monotonic() + within_s
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


def _expected(pid: int, layer: str) -> bool:
    """Whether the run of `pid` has made everything it makes in `layer` (and its command is running)."""
    if layer in PRIVATE_TMP_LAYERS and not _tmps_of(pid):
        return False
    if not CGROUPS:
        return True
    dirs = _cgroups_of(pid)
    return bool(dirs) and any(
        b"time.sleep" in Path(f"/proc/{p}/cmdline").read_bytes() for p in _procs(dirs) if _running(p)
    )


@pytest.fixture(scope="module", params=AVAILABLE)
def swept(request, tmp_path_factory) -> dict:
    """Kill a runner with SIGKILL while a live run of this process goes on, sweep, and record what was where."""
    layer = request.param
    if layer not in PRIVATE_TMP_LAYERS and not CGROUPS:
        pytest.skip(f"the {layer} layer leaves nothing on disk here: {NO_CGROUP}")
    workdir = tmp_path_factory.mktemp(f"sweep-{layer}")
    live_layer = "landlock" if "landlock" in AVAILABLE else "limits"
    cancel, live_result = threading.Event(), []
    live = threading.Thread(
        target=lambda: live_result.append(
            run_sandboxed(
                [str(PYTHON), "-c", _sleeper("live")],
                workdir=workdir,
                limits=Limits(timeout_s=120),
                env=scrub_environment(os.environ),
                isolation=live_layer,
                readonly=isolation.interpreter_paths(PYTHON),
                cancel=cancel,
            )
        )
    )
    env = {**os.environ, "PYTHONPATH": str(Path(untilgreen.__file__).parents[1])}
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(workdir), layer, _sleeper("killed")], env=env
    )
    seen: dict = {"layer": layer}
    try:
        live.start()
        _wait_for(lambda: _expected(os.getpid(), live_layer), "the live run")
        _wait_for(lambda: _expected(runner.pid, layer), "the runner's run")
        cgroups, tmps = _cgroups_of(runner.pid), _tmps_of(runner.pid)
        sleepers = {p for p in _procs(cgroups) if _running(p)}
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait()
        time.sleep(0.2)  # under bubblewrap, the tree dies with the runner (--die-with-parent)
        seen["before"] = {
            "cgroups": [d for d in cgroups if d.exists()],
            "tmps": [d for d in tmps if d.exists()],
            "sleepers": {p for p in sleepers if _running(p)},
        }
        started = time.perf_counter()
        seen["removed"] = sweep_leftovers()
        seen["sweep_s"] = time.perf_counter() - started
        seen["after"] = {
            "cgroups": [d for d in cgroups if d.exists()],
            "tmps": [d for d in tmps if d.exists()],
            "sleepers": {p for p in sleepers if _running(p)},
        }
        live_cgroups = _cgroups_of(os.getpid())
        seen["live"] = {
            "alive": live.is_alive(),
            "cgroups": live_cgroups,
            "tmps": _tmps_of(os.getpid()),
            "procs": {p for p in _procs(live_cgroups) if _running(p)},
        }
    finally:
        cancel.set()
        live.join(timeout=60)
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        for pid in _procs(_cgroups_of(runner.pid)):
            os.kill(pid, signal.SIGKILL)
    seen["live"]["result"] = live_result[0] if live_result else None
    seen["live"]["left"] = _cgroups_of(os.getpid()) + _tmps_of(os.getpid())
    return seen


def test_stale_tmp_dir_is_removed_and_the_live_runs_kept(swept: dict) -> None:
    if swept["layer"] not in PRIVATE_TMP_LAYERS:
        pytest.skip(f"the {swept['layer']} layer makes no private tmp dir on disk")
    assert swept["before"]["tmps"], "the killed runner left its private tmp dir"
    assert swept["after"]["tmps"] == []
    assert swept["live"]["alive"] and swept["live"]["tmps"], "the live run still has its tmp dir"


def test_stale_cgroup_and_its_processes_are_gone_and_the_live_runs_kept(swept: dict) -> None:
    if not CGROUPS:
        pytest.skip(NO_CGROUP)
    assert swept["before"]["cgroups"], "the killed runner left its run cgroup"
    if swept["layer"] != "bubblewrap":  # bubblewrap's PID namespace dies with the runner
        assert swept["before"]["sleepers"], "its command survived the runner"
    assert swept["after"] == {**swept["after"], "cgroups": [], "sleepers": set()}
    assert swept["live"]["alive"] and swept["live"]["cgroups"], "the live run still has its cgroup"
    assert swept["live"]["procs"], "and its command is still in it"


def test_the_live_run_ends_normally_after_the_sweep(swept: dict) -> None:
    result: ProcessResult | None = swept["live"]["result"]
    assert result is not None and result.cancelled
    assert swept["live"]["left"] == []


def test_owner_tags_judge_pid_reuse_other_proc_views_and_untagged_names() -> None:
    proc = os.stat("/proc").st_dev
    prefix = leftovers.TMP_PREFIX
    assert leftovers.is_stale(f"{prefix}{leftovers.owner_tag()}-abc", prefix) is False  # we are alive
    assert leftovers.is_stale(f"{prefix}{os.getpid()}-1-{proc}-abc", prefix) is True  # our pid, reused
    assert leftovers.is_stale(f"{prefix}999999999-1-{proc}-abc", prefix) is True  # no such process
    assert (
        leftovers.is_stale(f"{prefix}999999999-1-{proc + 1}-abc", prefix) is False
    )  # another /proc: not judged
    assert leftovers.is_stale(f"{prefix}abc123xy", prefix) is None  # an older version's name


def test_tmp_sweep_removes_only_real_stale_dirs_and_never_follows_symlinks(tmp_path: Path) -> None:
    proc = os.stat("/proc").st_dev
    dead = f"{leftovers.TMP_PREFIX}999999999-1-{proc}"
    target = tmp_path / "elsewhere"
    (target / "keep").mkdir(parents=True)
    for name in (
        f"{dead}-stale",
        f"{dead}-stale2",
        f"{leftovers.TMP_PREFIX}{leftovers.owner_tag()}-live",
        f"{leftovers.TMP_PREFIX}abc123xy",
    ):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "out.txt").write_text("test output")
    (tmp_path / f"{dead}-stale" / "sub" / "link").symlink_to(target)
    (tmp_path / f"{dead}-link").symlink_to(target)
    (tmp_path / f"{dead}-file").write_text("not a dir")
    sweeps = [threading.Thread(target=leftovers.sweep_private_tmps, args=(str(tmp_path),)) for _ in range(4)]
    for sweep in sweeps:  # concurrent sweeps do not trip over each other
        sweep.start()
    for sweep in sweeps:
        sweep.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            f"{dead}-file",
            f"{dead}-link",
            f"{leftovers.TMP_PREFIX}{leftovers.owner_tag()}-live",
            f"{leftovers.TMP_PREFIX}abc123xy",
            "elsewhere",
        ]
    )
    assert (target / "keep").is_dir()


@pytest.mark.skipif(not CGROUPS, reason=NO_CGROUP)
def test_untagged_cgroups_go_only_when_empty_and_an_hour_old() -> None:
    parent = cgroup._parents()[0]  # noqa: SLF001
    old, fresh = parent / f"untilgreen-{os.urandom(8).hex()}", parent / f"untilgreen-{os.urandom(8).hex()}"
    old.mkdir()
    fresh.mkdir()
    try:
        os.utime(old, (time.time() - 7200,) * 2)
        cgroup.sweep_stale()
        assert not old.exists() and fresh.exists()
    finally:
        for d in (old, fresh):
            if d.exists():
                d.rmdir()
