"""Escape attempts run for real through `run_sandboxed`, on every isolation layer this machine offers.

Each case asserts containment where the active layer promises it, and the escape where it does not (so the
containment assertion is known to be meaningful). Every run must return within timeout + 2 s and leave no
process behind: each case carries a unique marker in its argv and environment, and /proc is scanned for it.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from untilgreen.sandbox import seccomp
from untilgreen.sandbox.cgroup import RunCgroup
from untilgreen.sandbox.isolation import LAYERS, available_layers, interpreter_paths
from untilgreen.sandbox.process import Limits, ProcessResult, run_sandboxed, scrub_environment

pytestmark = pytest.mark.adversarial

AVAILABLE = [layer for layer in LAYERS if available_layers()[layer] is True]
QUICK = Limits(timeout_s=10, cpu_s=5, memory_mb=512, file_size_mb=16, processes=64, tmp_size_mb=16)


@functools.lru_cache(maxsize=1)
def _pythons() -> dict[str, str]:
    """The venv's python and the real binary behind `python3` on PATH (a pyenv shim is a script)."""
    found = {"venv": sys.executable}
    machine = shutil.which("python3")
    if machine:
        probe = subprocess.run(
            [machine, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True
        )
        if probe.returncode == 0 and probe.stdout.strip() != sys.executable:
            found["machine"] = probe.stdout.strip()
    return found


@pytest.fixture(params=AVAILABLE)
def layer(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=sorted(_pythons()))
def python(request: pytest.FixtureRequest) -> str:
    return _pythons()[request.param]


@dataclass
class Case:
    result: ProcessResult
    workdir: Path
    elapsed_s: float

    def said(self, word: str) -> bool:
        return word in self.result.output.split()


def run_case(
    script: str,
    *,
    tmp_path: Path,
    layer: str,
    python: str,
    limits: Limits = QUICK,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    readonly: Sequence[Path] = (),
    hidden: Sequence[Path] = (),
) -> Case:
    """Run `script` as case.py in a fresh shadow dir; check the time bound and that nothing of it survives."""
    marker = f"ugcase-{uuid.uuid4().hex}"
    workdir = tmp_path / "shadow"
    workdir.mkdir(exist_ok=True)
    (workdir / "case.py").write_text(script)
    full_env = {**(scrub_environment(os.environ) if env is None else env), "UG_CASE": marker}
    started = time.monotonic()
    result = run_sandboxed(
        [python, "case.py", marker, *args],
        workdir=workdir,
        limits=limits,
        env=full_env,
        isolation=layer,
        readonly=[*interpreter_paths(Path(python)), *readonly],
        hidden=hidden,
    )
    elapsed = time.monotonic() - started
    assert result.isolation == layer
    assert elapsed <= limits.timeout_s + 2, f"returned after {elapsed:.1f} s"
    assert _survivors(marker) == [], f"processes of the run survived; output: {result.output[-2000:]}"
    return Case(result, workdir, elapsed)


def _survivors(marker: str) -> list[int]:
    """Live (non-zombie) processes whose command line or environment mentions `marker`."""
    found = []
    for name in (e.name for e in os.scandir("/proc") if e.name.isdigit()):
        try:
            state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
            text = Path(f"/proc/{name}/cmdline").read_bytes() + Path(f"/proc/{name}/environ").read_bytes()
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X") and marker.encode() in text:
            found.append(int(name))
    return found


def _pid_cap() -> bool:
    """Whether a run's process count is capped: RLIMIT_NPROC for non-root, a pids cgroup for root."""
    if os.geteuid() != 0:
        return True
    probe = RunCgroup.create(8)
    if probe is None:
        return False
    probe.remove()
    return any((d / "pids.max").exists() for d in probe.dirs)


FORK_BOMB = """
import os, time
forked = 0
for _ in range(1500):  # bounded, so a containment failure cannot take the machine down
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    forked += 1
print("forked", forked, flush=True)
"""


def test_fork_bomb(tmp_path: Path, layer: str, python: str) -> None:
    case = run_case(FORK_BOMB, tmp_path=tmp_path, layer=layer, python=python)
    forked = int(case.result.output.split()[-1])
    if _pid_cap():
        assert forked < QUICK.processes
    assert case.elapsed_s < 5


def test_memory_bomb(tmp_path: Path, layer: str, python: str) -> None:
    script = "try:\n    b = bytearray(2 * 1024**3)\n    print('allocated')\nexcept MemoryError:\n    print('refused')\n"
    case = run_case(script, tmp_path=tmp_path, layer=layer, python=python)
    assert case.said("refused") and not case.said("allocated")


def test_cpu_loop_is_stopped_by_rlimit_cpu(tmp_path: Path, layer: str, python: str) -> None:
    limits = Limits(timeout_s=10, cpu_s=1)
    case = run_case("while True:\n    pass\n", tmp_path=tmp_path, layer=layer, python=python, limits=limits)
    assert not case.result.timed_out
    assert case.result.exit_code in (
        128 + signal.SIGXCPU,
        128 + signal.SIGKILL,
    )  # the CPU limit, not the clock


def test_sleep_forever_times_out(tmp_path: Path, layer: str, python: str) -> None:
    limits = Limits(timeout_s=1)
    case = run_case(
        "import time\ntime.sleep(1000)\n", tmp_path=tmp_path, layer=layer, python=python, limits=limits
    )
    assert case.result.timed_out and case.result.exit_code is None


def test_setsid_grandchild_holding_stdout_does_not_hang_the_runner(
    tmp_path: Path, layer: str, python: str
) -> None:
    script = (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import os, time; os.setsid(); time.sleep(1000)', sys.argv[1]])\n"
        "print('parent done', flush=True)\n"
    )
    case = run_case(script, tmp_path=tmp_path, layer=layer, python=python)
    assert case.result.exit_code == 0 and not case.result.timed_out
    assert case.elapsed_s < 5


def test_child_ignoring_sigterm_is_killed(tmp_path: Path, layer: str, python: str) -> None:
    script = (
        "import subprocess, sys\n"
        "code = 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1000)'\n"
        "subprocess.Popen([sys.executable, '-c', code, sys.argv[1]]).wait()\n"
    )
    case = run_case(script, tmp_path=tmp_path, layer=layer, python=python, limits=Limits(timeout_s=1))
    assert case.result.timed_out


def test_huge_file_is_cut_at_rlimit_fsize(tmp_path: Path, layer: str, python: str) -> None:
    script = (
        "chunk = b'x' * 1024 * 1024\n"
        "try:\n    with open('big', 'wb') as f:\n        for _ in range(64):\n            f.write(chunk)\n"
        "    print('wrote')\nexcept OSError:\n    print('refused')\n"
    )
    case = run_case(script, tmp_path=tmp_path, layer=layer, python=python)
    assert case.said("refused")
    assert (case.workdir / "big").stat().st_size <= QUICK.file_size_mb * 1024 * 1024


WRITE_OUTSIDE = """
import ctypes, sys
target = sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
libc.mount(b"none", target.encode(), None, 32 | 4096, None)  # MS_REMOUNT | MS_BIND: try to make it writable
try:
    with open(target + "/escaped.txt", "w") as f:
        f.write("escaped")
    print("wrote")
except OSError:
    print("refused")
"""


def test_write_outside_the_shadow(tmp_path: Path, layer: str, python: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    case = run_case(
        WRITE_OUTSIDE, tmp_path=tmp_path, layer=layer, python=python, args=[str(outside)], readonly=[outside]
    )  # visible read-only under bubblewrap: the remount attempt is meaningful
    escaped = (outside / "escaped.txt").exists()
    assert escaped == (layer == "limits"), case.result.output


TCP_CONNECT = """
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2) as s:
        s.sendall(b"escaped")
    print("connected")
except OSError:
    print("refused")
"""


def _network_contained(layer: str, network: bool) -> bool:
    return not network and (layer == "bubblewrap" or (layer == "landlock" and seccomp.supported()))


@pytest.mark.parametrize("network", [False, True], ids=["network-off", "network-on"])
def test_tcp_connect_to_loopback(tmp_path: Path, layer: str, python: str, network: bool) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        limits = Limits(timeout_s=10, network=network)
        port = str(listener.getsockname()[1])
        case = run_case(
            TCP_CONNECT, tmp_path=tmp_path, layer=layer, python=python, args=[port], limits=limits
        )
        try:
            listener.accept()[0].close()
            accepted = True
        except TimeoutError:
            accepted = False
    contained = _network_contained(layer, network)
    assert accepted != contained and case.said("refused") == contained, case.result.output


SECRETS = """
import os, sys
fake = sys.argv[2]
print("env:", "leaked" if fake in repr(dict(os.environ)) else "clean")
seen = "clean"
try:
    pids = [name for name in os.listdir("/proc") if name.isdigit()]
except OSError:  # not even listed
    pids = []
for pid in pids:
    try:
        if fake.encode() in open(f"/proc/{pid}/environ", "rb").read():
            seen = "leaked"
    except OSError:
        pass
print("procs:", seen)
try:
    print("file:", open(sys.argv[3]).read())
except OSError:
    print("file: hidden")
"""


def test_api_keys_do_not_reach_the_sandbox(
    tmp_path: Path, layer: str, python: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = f"sk-fake-{uuid.uuid4().hex}"
    monkeypatch.setenv("OPENAI_API_KEY", fake)
    project = tmp_path / "project"  # the user's tree, hidden under bubblewrap
    project.mkdir()
    (project / ".env").write_text(f"OPENAI_API_KEY={fake}\n")
    # Another process holding the key in its environment, like the editor that started untilgreen.
    holder = subprocess.Popen(["sleep", "30"], env={**os.environ})
    try:
        case = run_case(
            SECRETS,
            tmp_path=tmp_path,
            layer=layer,
            python=python,
            env=scrub_environment(os.environ, []),
            args=[fake, str(project / ".env")],
            hidden=[project],
        )
    finally:
        holder.kill()
        holder.wait()
    assert "env: clean" in case.result.output
    # Namespaces hide other processes and the user's files; Landlock denies reading them; bare limits do not.
    hides = layer in ("bubblewrap", "landlock")
    assert ("procs: clean" in case.result.output) == hides, case.result.output
    assert ("file: hidden" in case.result.output) == hides, case.result.output


READ_AROUND = """
import os, sys
for path in sys.argv[2:]:
    try:
        with open(path, "rb") as f:
            f.read(16)
        print(path, "read")
    except OSError:
        print(path, "denied")
print("devnull", "read" if open(os.devnull, "rb").read() == b"" else "?")
print("own-proc", "read" if open("/proc/self/status", "rb").read() else "?")
"""


def test_reads_stay_inside_what_the_layer_shows(tmp_path: Path, layer: str, python: str) -> None:
    # A secret next to the shadow (in the shared /tmp), a raw block device, and another process's /proc entry.
    secret = tmp_path / "secret.txt"
    secret.write_text("token")
    block = next((str(p) for p in sorted(Path("/dev").iterdir()) if p.is_block_device()), None)
    probes = [str(secret), f"/proc/{os.getppid()}/environ", *([block] if block else [])]
    case = run_case(READ_AROUND, tmp_path=tmp_path, layer=layer, python=python, args=probes)
    output = case.result.output
    assert "devnull read" in output and "own-proc read" in output, (
        output
    )  # its own /proc entry stays readable
    if layer in ("bubblewrap", "landlock"):  # the limits layer confines no reads
        assert [probe for probe in probes if f"{probe} denied" not in output] == [], output
