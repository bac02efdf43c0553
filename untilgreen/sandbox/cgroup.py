"""Per-run cgroups: cap the number of processes (`pids.max`) and kill a whole run at once.

RLIMIT_NPROC is not enforced for root, and a process group misses `setsid` grandchildren; a cgroup catches both.
Works on cgroup v1 (`pids` controller), v2 (`cgroup.kill`, and `pids.max` when the controller is delegated),
and hybrid machines (both: the launcher joins every run cgroup). Usually needs root or a delegated cgroup;
without one, `RunCgroup.create` returns None and the caller falls back to other ways of killing the tree.
Names carry the creator's owner tag (`leftovers`), so `sweep_stale` can kill and remove those of a dead runner.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from untilgreen.sandbox import leftovers
from untilgreen.sandbox.reaper import kill_until_gone

_PREFIX = "untilgreen-"
_UNTAGGED_MAX_AGE_S = 3600.0  # an empty run cgroup of an older version (no owner tag) is removed after this


@functools.lru_cache(maxsize=1)
def _parents() -> tuple[Path, ...]:
    """This process's own cgroup directory in each writable hierarchy that helps (v2, or v1 with pids)."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return ()
    own_paths: dict[str, str] = {}  # "" for v2, else the controller list of a v1 hierarchy
    for line in own:
        _, controllers, own_path = line.split(":", 2)
        own_paths[controllers] = own_path
    parents = []
    for line in mounts:
        _, mountpoint, fstype, options, *_ = line.split()
        if fstype == "cgroup2":
            path = own_paths.get("")
        elif fstype == "cgroup" and "pids" in options.split(","):
            path = next((p for c, p in own_paths.items() if "pids" in c.split(",")), None)
        else:
            continue
        if path is not None:
            parent = Path(mountpoint) / path.lstrip("/")
            if os.access(parent, os.W_OK) and os.access(parent / "cgroup.procs", os.W_OK):
                parents.append(parent)
    return tuple(parents)


def describe() -> str:
    """One line for `untilgreen doctor`: what a run cgroup gives on this machine."""
    parents = _parents()
    if not parents:
        return "unavailable (no writable cgroup: run as root or delegate a cgroup); no pids cap as root"
    return "per-run cgroup under " + ", ".join(str(p) for p in parents)


@dataclass(frozen=True)
class RunCgroup:
    dirs: tuple[Path, ...]

    @classmethod
    def create(cls, max_pids: int) -> RunCgroup | None:
        name = f"{_PREFIX}{leftovers.owner_tag()}-{uuid.uuid4().hex[:12]}"
        made = []
        for parent in _parents():
            path = parent / name
            try:
                path.mkdir()
            except OSError:
                continue
            made.append(path)
            try:
                (path / "pids.max").write_text(str(max_pids))
            except OSError:  # no pids controller here: the run is still killed as a whole
                pass
        return cls(tuple(made)) if made else None

    @property
    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for procs in self.procs_files:
            try:
                found.update(int(pid) for pid in Path(procs).read_text().split())
            except OSError:
                pass
        return found

    def kill(self, within_s: float = 1.0) -> None:
        """SIGKILL every process of the run: `cgroup.kill` where it exists, and a kill loop until empty."""
        for d in self.dirs:
            if (d / "cgroup.kill").exists():
                try:
                    (d / "cgroup.kill").write_text("1")
                except FileNotFoundError:  # removed meanwhile (by a concurrent sweep)
                    pass
        kill_until_gone(self.pids, within_s)

    def remove(self, within_s: float = 1.0) -> None:
        deadline = time.monotonic() + within_s
        for d in self.dirs:
            while True:
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # EBUSY while the last killed processes exit
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.005)


def sweep_stale() -> int:
    """Kill the processes of the run cgroups whose creator is dead and remove them; returns how many went.

    Cgroups of a live creator (another untilgreen process) are never touched; untagged ones (older versions) are
    removed only when empty and older than an hour, in one attempt (a non-empty cgroup refuses rmdir).
    """
    by_name: dict[str, list[Path]] = {}
    for parent in _parents():
        try:
            entries = [e for e in os.scandir(parent) if e.name.startswith(_PREFIX)]
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False) and entry.stat().st_uid == os.geteuid():
                    by_name.setdefault(entry.name, []).append(Path(entry.path))
            except OSError:
                continue
    removed = 0
    for name, dirs in by_name.items():
        stale = leftovers.is_stale(name, _PREFIX)
        if stale:
            run = RunCgroup(tuple(dirs))
            run.kill()
            run.remove()
            removed += not any(d.exists() for d in dirs)
        elif stale is None:
            removed += sum(_remove_if_old_and_empty(d) for d in dirs)
    return removed


def _remove_if_old_and_empty(path: Path) -> bool:
    try:
        if (
            time.time() - path.stat().st_mtime < _UNTAGGED_MAX_AGE_S
            or (path / "cgroup.procs").read_text().strip()
        ):
            return False
        path.rmdir()
    except OSError:
        return False
    return True
