"""The isolation layers this machine offers, and how the bubblewrap layer wraps a command.

Layer words (reported in `ProcessResult.isolation` and `TestReport.isolation`), strongest first:

Under every layer the process gets a fresh, empty home with its XDG directories in its private tmp
(`private_home`).

- `bubblewrap`: namespaces via bwrap: no network (unless allowed), read-only `/`, private size-limited `/tmp`,
  home directories and `/run` hidden under empty read-only tmpfs, PID namespace (its teardown kills every
  descendant), all capabilities dropped (as root also a user namespace, so `/` cannot be remounted), plus the
  rlimits and, where available, the run cgroup.
- `landlock`: Landlock confines writes to the workdir, the private tmp dir and /dev/null, and reads to those and
  to what bubblewrap would show: everything except home directories, `/run`, the hidden paths, the shared `/tmp`,
  `/proc` (bar the process's own entry) and `/dev` (bar the usual character devices) — the interpreter's paths
  stay readable wherever they are; a seccomp filter refuses network sockets when the network is off (x86_64);
  plus the rlimits and the run cgroup.
- `limits`: rlimits, an own session/process group and killing the whole tree (run cgroup where available,
  else every process carrying the run's marker) only.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from untilgreen.errors import UserError
from untilgreen.sandbox import cgroup, landlock, seccomp

LAYERS = ("bubblewrap", "landlock", "limits")
_CHOICES = ("auto", *LAYERS)
_SHARED_SECRETS = ("/root", "/home", "/run")  # hidden under bubblewrap besides the user's home and `hidden`
# Private under bubblewrap (fresh tmpfs, /proc and a minimal /dev), so the landlock layer grants them no wider.
_SHARED_WITH_OTHERS = ("/tmp", "/dev", "/proc")
HOME_IN_TMP = "home"  # the sandboxed process's fresh home, inside its private tmp (see `private_home`)
_DEVICES = (
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
    "/dev/pts",
    "/dev/ptmx",
)


def bubblewrap_argv(
    command: Sequence[str],
    *,
    workdir: Path,
    tmp_size_mb: int,
    network: bool,
    readonly: Sequence[Path] = (),
    hidden: Sequence[Path] = (),
) -> list[str]:
    """The bwrap command line that runs `command` in `workdir` (the only writable place besides /tmp)."""
    tmp_bytes = str(tmp_size_mb * 1024 * 1024)
    covered = _covered(workdir, hidden)
    args = [_bwrap_path(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
    args += [
        "--size",
        tmp_bytes,
        "--tmpfs",
        "/dev/shm",
        "--size",
        tmp_bytes,
        "--tmpfs",
        "/tmp",
        "--dir",
        f"/tmp/{HOME_IN_TMP}",
    ]
    for path in covered:
        args += ["--size", "65536", "--tmpfs", path]
    for path in _existing(readonly):
        args += ["--ro-bind", path, path]
    args += ["--bind", str(workdir), str(workdir), "--chdir", str(workdir)]
    for path in ["/dev", *covered]:  # nothing may be created there (tmpfs is RAM outside RLIMIT_AS)
        args += ["--remount-ro", path]
    args.append("--unshare-all")
    if network:
        args.append("--share-net")
    if os.geteuid() == 0:  # without a user namespace, root inside could remount / read-write
        args += ["--unshare-user", "--uid", "0", "--gid", "0"]
    return [*args, "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--", *command]


def private_home(tmp: str) -> dict[str, str]:
    """HOME and the XDG base directories of a new user account, all inside the private `tmp` dir.

    Tests that write `~/.config/<app>` or read `os.path.expanduser("~")` then behave as for a new user, while the
    real home stays hidden (bubblewrap, landlock) and unwritten.
    """
    home = f"{tmp}/{HOME_IN_TMP}"
    return {
        "HOME": home,
        "XDG_CONFIG_HOME": f"{home}/.config",
        "XDG_CACHE_HOME": f"{home}/.cache",
        "XDG_DATA_HOME": f"{home}/.local/share",
        "XDG_STATE_HOME": f"{home}/.local/state",
    }


def landlock_readable(
    *, workdir: Path, readonly: Sequence[Path] = (), hidden: Sequence[Path] = ()
) -> list[str]:
    """The paths the landlock layer lets a process read besides its writable ones: what bubblewrap would show.

    Landlock only grants, so the hidden paths are left out by granting their siblings on the way down from `/`
    (symlinks are skipped: their targets are granted or not on their own), then the `readonly` paths.
    """
    hidden_here = [os.path.realpath(p) for p in _covered(workdir, [*hidden, *_SHARED_WITH_OTHERS])]
    return [*_siblings_of("/", hidden_here), *_existing([*_DEVICES, *readonly])]


def _covered(workdir: Path, hidden: Sequence[Path | str]) -> list[str]:
    """Home directories, `/run` and `hidden`, except `/` and the workdir (or paths inside it)."""
    return [
        path
        for path in _existing([*_SHARED_SECRETS, Path.home(), *hidden])
        if path != "/" and not Path(path).is_relative_to(workdir)
    ]


def _siblings_of(directory: str, hidden: Sequence[str]) -> list[str]:
    """Everything beneath `directory` except `hidden`, as the fewest paths."""
    granted = []
    try:
        entries = list(os.scandir(directory))
    except OSError:  # cannot list it: grant nothing here
        return []
    for entry in entries:
        path = entry.path
        if path in hidden or entry.is_symlink():
            continue
        if any(h.startswith(path + "/") for h in hidden):
            granted += _siblings_of(path, hidden)
        else:
            granted.append(path)
    return granted


def _bwrap_path() -> str:
    return shutil.which("bwrap") or "bwrap"


def _existing(paths: Sequence[Path | str]) -> list[str]:
    seen: dict[str, None] = {}
    for path in paths:
        absolute = os.path.abspath(path)
        if os.path.exists(absolute):
            seen[absolute] = None
    return list(seen)


@functools.lru_cache(maxsize=1)
def _bubblewrap_problem() -> str | None:
    if shutil.which("bwrap") is None:
        return "bwrap is not installed (package bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="untilgreen-probe-") as workdir:
        argv = bubblewrap_argv(["true"], workdir=Path(workdir), tmp_size_mb=1, network=False)
        try:
            probe = subprocess.run(argv, capture_output=True, text=True, timeout=30, env={"PATH": os.defpath})
        except (OSError, subprocess.SubprocessError) as exc:
            return f"bwrap could not start ({exc})"
    if probe.returncode != 0:
        return f"bwrap cannot create namespaces here ({probe.stderr.strip() or probe.returncode})"
    return None


def _landlock_problem() -> str | None:
    if landlock.abi_version() < 1:
        return "the kernel has no Landlock (Linux 5.13+ with landlock in the lsm= boot list)"
    return None


def _seccomp_problem() -> str | None:
    return None if seccomp.supported() else "the seccomp network filter is x86_64 only: network stays open"


def _problem(layer: str) -> str | None:
    if layer == "bubblewrap":
        return _bubblewrap_problem()
    if layer == "landlock":
        return _landlock_problem()
    return None


def available_layers() -> dict[str, bool | str]:
    """For `untilgreen doctor`: each layer maps to True or the reason it is unavailable.

    Extra keys: `auto` (the layer auto picks), `seccomp` (True or why the landlock layer cannot refuse network
    sockets) and `cgroup` (what the per-run cgroup gives here).
    """
    layers: dict[str, bool | str] = {layer: _problem(layer) or True for layer in LAYERS}
    layers["auto"] = resolve("auto")
    layers["seccomp"] = _seccomp_problem() or True
    layers["cgroup"] = cgroup.describe()
    return layers


def resolve(requested: str) -> str:
    """The layer to use for `requested` ("auto" = the strongest available); UserError if it is unavailable."""
    if requested not in _CHOICES:
        raise UserError(f"Unknown sandbox.isolation {requested!r}; use one of {', '.join(_CHOICES)}.")
    if requested == "auto":
        return next(layer for layer in LAYERS if _problem(layer) is None)
    problem = _problem(requested)
    if problem:
        raise UserError(
            f'The {requested} sandbox is not available here: {problem}; set sandbox.isolation to "auto".'
        )
    return requested


_PROBE = (
    "import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix,"
    " sys.base_exec_prefix, *sys.path]))"
)


def interpreter_paths(python: Path) -> list[Path]:
    """The minimal set of existing paths to bind read-only so `python` (and its venv) works in the sandbox.

    Home directories are hidden there, and a pyenv or venv interpreter often lives in one.
    """
    return list(_interpreter_paths(os.path.abspath(python)))


@functools.lru_cache(maxsize=32)
def _interpreter_paths(python: str) -> tuple[Path, ...]:
    try:
        probe = subprocess.run([python, "-I", "-c", _PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise _bad_interpreter(python, str(exc)) from None
    try:
        reported = json.loads(probe.stdout) if probe.returncode == 0 else None
    except ValueError:
        reported = None
    if not isinstance(reported, list):
        raise _bad_interpreter(python, probe.stderr.strip()[-200:] or f"exit code {probe.returncode}")
    candidates = [os.path.dirname(python), os.path.realpath(python), *(p for p in reported if p)]
    paths = sorted({Path(p) for c in candidates for p in (os.path.abspath(c), os.path.realpath(c))})
    existing = [p for p in paths if p.exists()]
    return tuple(p for p in existing if not any(q != p and q in p.parents for q in existing))


def _bad_interpreter(python: str, detail: str) -> UserError:
    return UserError(
        f"Could not run the Python interpreter {python} ({detail}); point the settings at a working one."
    )
