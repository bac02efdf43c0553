"""Unit tests of the sandboxed runner: limits, environment scrubbing, layer resolution, interpreter paths,
output head + tail, cancellation. Real processes throughout (the default layer of the machine)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from untilgreen.errors import UserError
from untilgreen.sandbox import isolation
from untilgreen.sandbox.process import Limits, run_sandboxed, scrub_environment


def _run(tmp_path: Path, code: str, limits: Limits = Limits(timeout_s=20), **kwargs):
    workdir = tmp_path / "shadow"
    workdir.mkdir(exist_ok=True)
    python = Path(sys.executable)
    return run_sandboxed(
        [str(python), "-c", code],
        workdir=workdir,
        limits=limits,
        env=scrub_environment(os.environ),
        readonly=isolation.interpreter_paths(python),
        **kwargs,
    )


def test_limits_defaults_and_validation() -> None:
    limits = Limits()
    assert (limits.timeout_s, limits.memory_mb, limits.network, limits.output_limit_bytes) == (
        300.0,
        4096,
        False,
        200_000,
    )
    assert Limits(memory_mb=None, cpu_s=None).memory_mb is None
    with pytest.raises(ValueError, match="timeout_s"):
        Limits(timeout_s=0)


def test_scrub_environment_keeps_the_allowlist_only() -> None:
    environ = {
        "PATH": "/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C",
        "TZ": "UTC",
        "TERM": "xterm",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONSTARTUP": "evil.py",
        "PYTHONPATH": "/x",
        "OPENAI_API_KEY": "sk",
        "GITHUB_TOKEN": "t",
        "AWS_SECRET_ACCESS_KEY": "s",
        "DB_PASSWORD": "p",
        "HOME": "/home/me",
        "USER": "me",
        "LC_API_KEY": "sneaky",
    }
    env = scrub_environment(environ)
    assert set(env) == {
        "PATH",
        "LANG",
        "LC_ALL",
        "TZ",
        "TERM",
        "PYTHONHASHSEED",
        "PYTHONIOENCODING",
        "PYTHONDONTWRITEBYTECODE",
        "HOME",
    }
    assert env["HOME"] != "/home/me"


def test_scrub_environment_passthrough_names_and_patterns() -> None:
    environ = {
        "OPENAI_API_KEY": "sk",
        "MYAPP_DEBUG": "1",
        "MYAPP_TOKEN": "t",
        "HOME": "/home/me",
        "OTHER": "x",
    }
    env = scrub_environment(environ, ["OPENAI_API_KEY", "MYAPP_*", "HOME"])
    assert env == {"OPENAI_API_KEY": "sk", "MYAPP_DEBUG": "1", "MYAPP_TOKEN": "t", "HOME": "/home/me"}


def test_resolve_auto_and_unknown_words() -> None:
    assert isolation.resolve("auto") in isolation.LAYERS
    assert isolation.resolve("limits") == "limits"
    with pytest.raises(UserError, match="Unknown sandbox.isolation 'docker'"):
        isolation.resolve("docker")


def test_resolve_refuses_an_unavailable_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no bwrap to be found
    isolation._bubblewrap_problem.cache_clear()
    try:
        with pytest.raises(
            UserError, match="bubblewrap sandbox is not available here: bwrap is not installed"
        ):
            isolation.resolve("bubblewrap")
        assert isolation.available_layers()["bubblewrap"] == "bwrap is not installed (package bubblewrap)"
        assert isolation.resolve("auto") != "bubblewrap"
    finally:
        isolation._bubblewrap_problem.cache_clear()


def test_available_layers_describes_every_layer() -> None:
    layers = isolation.available_layers()
    assert set(layers) == {*isolation.LAYERS, "auto", "seccomp", "cgroup"}
    assert layers["limits"] is True
    assert layers["auto"] in isolation.LAYERS


def test_interpreter_paths_cover_the_stdlib_and_are_minimal() -> None:
    paths = isolation.interpreter_paths(Path(sys.executable))
    assert paths and all(p.exists() for p in paths)
    assert not any(q != p and q in p.parents for p in paths for q in paths)
    assert any(p == Path(os.__file__).parent or p in Path(os.__file__).parents for p in paths)
    started = time.monotonic()
    assert isolation.interpreter_paths(Path(sys.executable)) == paths
    assert time.monotonic() - started < 0.05  # cached


def test_interpreter_paths_of_a_broken_interpreter(tmp_path: Path) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(UserError, match="Could not run the Python interpreter"):
        isolation.interpreter_paths(broken)


def test_exit_code_cwd_and_environment(tmp_path: Path) -> None:
    code = "import os, sys; print(os.getcwd()); print(sorted(os.environ)); sys.exit(3)"
    result = _run(tmp_path, code)
    assert result.exit_code == 3 and not result.timed_out and not result.cancelled
    assert result.isolation == isolation.resolve("auto")
    cwd, names = result.output.splitlines()[:2]
    assert cwd == str(tmp_path / "shadow")
    assert "OPENAI_API_KEY" not in names and "TMPDIR" in names


def test_output_keeps_head_and_tail(tmp_path: Path) -> None:
    code = "import sys; sys.stdout.write('HEAD' + 'x' * 100_000 + 'TAIL')"
    result = _run(tmp_path, code, Limits(timeout_s=20, output_limit_bytes=1000))
    assert result.output.startswith("HEAD") and result.output.endswith("TAIL")
    assert "[... 99008 bytes omitted ...]" in result.output


def test_missing_command_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="'no-such-test-runner' was not found on the sandbox PATH"):
        run_sandboxed(["no-such-test-runner"], workdir=tmp_path, limits=Limits(), env={"PATH": os.defpath})


@pytest.mark.parametrize(
    "layer",
    [name for name, ok in isolation.available_layers().items() if ok is True and name in isolation.LAYERS],
)
def test_cancel_stops_a_run_within_a_second(tmp_path: Path, layer: str) -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    result = _run(tmp_path, "import time; time.sleep(100)", cancel=cancel, isolation=layer)
    assert result.cancelled and not result.timed_out and result.exit_code is None
    assert result.duration_s < 1.5


@pytest.mark.skipif(isolation.available_layers()["bubblewrap"] is not True, reason="needs bubblewrap")
def test_bubblewrap_hides_the_project_but_keeps_workdir_and_readonly_paths(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "venv").mkdir(parents=True)
    (project / "venv" / "lib.txt").write_text("visible")
    (project / "secret.txt").write_text("hidden")
    code = (
        "import os\n"
        "print(open(os.environ['UG_LIB']).read())\n"
        "print(os.path.exists(os.environ['UG_SECRET']))\n"
        "open('out.txt', 'w').write('ok')\n"
    )
    workdir = project / "shadow"  # inside the hidden tree, as a shadow under the project would be
    workdir.mkdir()
    python = Path(sys.executable)
    env = {
        **scrub_environment(os.environ),
        "UG_LIB": str(project / "venv" / "lib.txt"),
        "UG_SECRET": str(project / "secret.txt"),
    }
    result = run_sandboxed(
        [str(python), "-c", code],
        workdir=workdir,
        limits=Limits(timeout_s=20),
        env=env,
        isolation="bubblewrap",
        hidden=[project],
        readonly=[*isolation.interpreter_paths(python), project / "venv"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["visible", "False"]
    assert (workdir / "out.txt").read_text() == "ok"


def test_a_command_that_cannot_start_is_a_user_error(tmp_path: Path) -> None:
    script = tmp_path / "run-tests"
    script.write_text("#!/no/such/interpreter\n")
    script.chmod(0o755)
    with pytest.raises(UserError, match="could not start .*No such file"):
        run_sandboxed(
            [str(script)],
            workdir=tmp_path,
            limits=Limits(timeout_s=20),
            env={"PATH": os.defpath},
            isolation="limits",
        )
