"""Set up one sandboxed process from the inside, then become the command.

Run as a standalone script: `python -S -I launcher.py SPEC_JSON ERROR_FD -- COMMAND...`. Doing this in a fresh
interpreter instead of `preexec_fn` keeps it safe for a threaded caller. In order it joins the run's cgroups,
sets the rlimits, applies Landlock and the seccomp filter when asked, and `execvp`s the command (bwrap or the
target). If a step fails before exec, the reason goes to ERROR_FD (close-on-exec, so a successful exec just
closes it) and the launcher exits 127.

SPEC_JSON keys: `cgroup_procs` (list of cgroup.procs files), `rlimits` ({"CPU": [soft, hard], ...}),
`landlock` (null or {"writable": [...], "readable": [...]}), `seccomp` (bool).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import TYPE_CHECKING, Any


def _apply(spec: dict[str, Any]) -> None:
    for procs in spec["cgroup_procs"]:
        with open(procs, "w") as f:
            f.write(str(os.getpid()))
    for name, (soft, hard) in spec["rlimits"].items():
        resource.setrlimit(getattr(resource, f"RLIMIT_{name}"), (soft, hard))
    if spec["landlock"] or spec["seccomp"]:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        if TYPE_CHECKING:  # the same files as the type checker finds them
            from untilgreen.sandbox import landlock, seccomp
        else:  # the launcher runs as a script (-S -I): its neighbours, by their own names
            import landlock
            import seccomp

        if spec["landlock"]:
            # The launcher's own /proc entry is the command's after exec: it may read its own, no other process's.
            landlock.restrict(
                spec["landlock"]["writable"], [*spec["landlock"]["readable"], f"/proc/{os.getpid()}"]
            )
        if spec["seccomp"]:
            landlock.set_no_new_privs()
            seccomp.refuse_network_sockets()


def main(argv: list[str]) -> None:
    spec, error_fd, command = json.loads(argv[1]), int(argv[2]), argv[4:]
    os.set_inheritable(error_fd, False)
    try:
        _apply(spec)
        os.execvp(command[0], command)
    except OSError as exc:
        os.write(error_fd, str(exc).encode(errors="replace"))
        os._exit(127)


if __name__ == "__main__":
    main(sys.argv)
