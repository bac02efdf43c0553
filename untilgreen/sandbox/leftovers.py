"""What a runner leaves behind when it dies without cleaning up (SIGKILL, the OOM killer): who owns it, and the sweep.

Run cgroups and private tmp dirs carry their creator's owner tag in their name: `<pid>-<start>-<proc>`, the pid
and start time (clock ticks after boot, field 22 of /proc/<pid>/stat, so a reused pid does not pass for the
owner) as the /proc with device number `<proc>` shows them. A leftover is stale when that /proc is ours and holds
no process with that pid and start time. A tag written under another /proc (another PID namespace or mount) is
never judged, and names without a tag (older versions) are never called stale: both stay.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile

TMP_PREFIX = "untilgreen-tmp-"
_TAG = r"(\d+)-(\d+)-(\d+)-[0-9a-z_]+"  # owner tag, then the random part of the name
_own: tuple[int, str] | None = None  # (os.getpid(), tag): recomputed in a forked child


def owner_tag() -> str:
    """This process's tag, to put in the name of what it creates: `<pid>-<start>-<proc>`."""
    global _own
    if _own is None or _own[0] != os.getpid():
        pid = int(os.readlink("/proc/self"))  # the pid as our /proc shows it, even in a child PID namespace
        _own = (os.getpid(), f"{pid}-{_start_time('self')}-{_proc_device()}")
    return _own[1]


def is_stale(name: str, prefix: str) -> bool | None:
    """None when `name` (starting with `prefix`) carries no owner tag; else whether its owner is surely dead."""
    match = re.fullmatch(re.escape(prefix) + _TAG, name)
    if match is None:
        return None
    pid, start, proc = match.groups()
    if int(proc) != _proc_device():
        return False
    try:
        return _start_time(pid) != start
    except FileNotFoundError:
        return True
    except (OSError, IndexError, ValueError):  # unreadable: do not guess
        return False


def make_private_tmp() -> str:
    """A fresh private tmp dir in the temp dir, named with this process's owner tag."""
    return tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{owner_tag()}-")


def sweep_private_tmps(directory: str | None = None) -> int:
    """Remove the private tmp dirs whose owner is dead (real dirs of our uid only); returns how many."""
    directory = directory or tempfile.gettempdir()
    removed = 0
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(TMP_PREFIX)]
    except OSError:
        return 0
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and is_stale(entry.name, TMP_PREFIX):
            shutil.rmtree(entry.path, ignore_errors=True)  # never follows symlinks inside
            removed += 1
    return removed


def _start_time(pid: str) -> str:
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()  # the command name in parentheses may hold spaces
    return fields[22 - 3].decode()  # fields[0] is field 3 (state)


def _proc_device() -> int:
    return os.stat("/proc").st_dev
