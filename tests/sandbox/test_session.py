"""The long-lived sandboxed session: line protocol, timeouts, lifetime limit, isolation, and a kill of the tree."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from untilgreen.sandbox import isolation
from untilgreen.sandbox.process import Limits, scrub_environment
from untilgreen.sandbox.session import SessionClosed, start_sandboxed

_ECHO = "import sys\nfor line in sys.stdin:\n    print(line.strip().upper(), flush=True)\n"


def _start(tmp_path: Path, code: str, limits: Limits = Limits(timeout_s=30)):
    workdir = tmp_path / "shadow"
    workdir.mkdir(exist_ok=True)
    python = Path(sys.executable)
    return start_sandboxed(
        [str(python), "-c", code],
        workdir=workdir,
        limits=limits,
        env=scrub_environment(os.environ),
        readonly=isolation.interpreter_paths(python),
    )


def test_lines_go_both_ways(tmp_path: Path) -> None:
    with _start(tmp_path, _ECHO) as session:
        assert session.isolation in isolation.LAYERS
        session.send("hello")
        session.send("again")
        assert session.receive(10) == "HELLO"
        assert session.receive(10) == "AGAIN"


def test_receive_times_out_without_waiting_for_eof(tmp_path: Path) -> None:
    # A grandchild keeps stdout open: the reader must still come back at its timeout.
    code = "import os, time\nif os.fork() == 0:\n    os.setsid(); time.sleep(60)\ntime.sleep(60)\n"
    with _start(tmp_path, code) as session:
        started = time.monotonic()
        assert session.receive(0.3) is None
        assert time.monotonic() - started < 2


def test_exit_is_reported_with_stderr(tmp_path: Path) -> None:
    with _start(tmp_path, "import sys; sys.stderr.write('boom'); sys.exit(3)") as session:
        with pytest.raises(SessionClosed, match="boom"):
            session.receive(10)


def test_lifetime_limit_closes_the_session(tmp_path: Path) -> None:
    with _start(tmp_path, "import time; time.sleep(60)", Limits(timeout_s=0.5)) as session:
        with pytest.raises(SessionClosed, match="limit"):
            session.receive(10)
        with pytest.raises(SessionClosed):
            session.send("x")


def test_close_kills_the_whole_tree(tmp_path: Path) -> None:
    pidfile = tmp_path / "shadow" / "pid"
    code = (
        "import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    open('pid', 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\nprint('ready', flush=True)\ntime.sleep(60)\n"
    )
    session = _start(tmp_path, code)
    assert session.receive(10) == "ready"
    deadline = time.monotonic() + 5
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    session.close()
    session.close()  # idempotent
    if session.isolation != "bubblewrap":  # in bubblewrap the pid is the namespace's; its teardown killed it
        assert not Path(f"/proc/{pidfile.read_text()}").exists()


def test_writes_outside_the_workdir_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    code = (
        f"import sys\ntry:\n    open({str(outside)!r}, 'w').write('x'); print('wrote', flush=True)\n"
        "except OSError:\n    print('refused', flush=True)\n"
    )
    with _start(tmp_path, code) as session:
        if session.isolation == "limits":
            pytest.skip("the limits layer does not confine writes")
        # bubblewrap lets it write into the private /tmp it shows in place of the real one
        assert session.receive(10) in ("refused", "wrote")
    assert not outside.exists()
