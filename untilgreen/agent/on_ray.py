"""Ray as the distributed engine of `eval --ray` and `fix-all --ray`: every run is one Ray task.

A task gets its project as a tar through Ray's object store (put once per project, shared by its runs), so the
nodes need no shared file system, only untilgreen installed. It unpacks the tar into a temp folder and calls the
same unit of work as a local run (`run_sample`, `fix_project`) with the same settings. Ray is imported inside
these functions only: nothing imports it unless `--ray` is given.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import socket
import sys
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from untilgreen.agent.evaluate import Engine, Project, Sample, failed_sample, run_sample
from untilgreen.agent.fix_all import ProjectFix, fix_project
from untilgreen.errors import UserError
from untilgreen.settings import Settings
from untilgreen.telemetry import attach, current_traceparent
from untilgreen.telemetry.tracing import flush, resolved

INSTALL = "pip install 'untilgreen[ray]'"
CPUS_PER_TASK = 1  # a run's test processes; parallel candidates share it, so a node runs one run per CPU
RETRIES = 2  # re-runs of a task whose worker or node died
CANCEL_GRACE_S = 5.0  # a cancelled run kills its sandboxed tests itself; after this its worker is killed
POLL_S = 0.2  # how often a cancel is noticed while waiting for results
SKIPPED = {"__pycache__", ".pytest_cache"}
# Worker output must not reach our stdout (`--json`) and Ray's start-up lines are noise on stderr.
QUIET: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}

T = TypeVar("T")


def require_ray() -> ModuleType:
    try:
        import ray
    except ImportError:
        raise UserError(f"--ray needs Ray, which is not installed; run `{INSTALL}`.") from None
    return ray


@contextmanager
def cluster(address: str | None) -> Iterator[None]:
    """Connected to the cluster at `address` (`auto`: the one RAY_ADDRESS names), or to a local Ray started
    with this machine's CPUs when None; disconnected (and the local Ray stopped) on leaving. Meanwhile stdout is
    stderr: Ray prints its own news there (a task retried, a node lost), and stdout is for `--json`."""
    ray = require_ray()
    with redirect_stdout(sys.stderr):
        _connect(ray, address)
        try:
            if ray.cluster_resources().get("CPU", 0) < CPUS_PER_TASK:
                raise UserError(
                    "the Ray cluster has no CPU for a run; start its nodes with --num-cpus 1 or more."
                )
            yield
        finally:
            ray.shutdown()


def _connect(ray: ModuleType, address: str | None) -> None:
    if address is None:
        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, **QUIET)
        return
    target = _reachable(address)
    try:
        ray.init(address=target, **QUIET)
    except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as err:
        reason = (str(err).strip() or type(err).__name__).splitlines()[0]
        raise UserError(f"the Ray cluster at {target} could not be joined ({reason}).") from None


def _reachable(address: str) -> str:
    """The head's HOST:PORT, checked to answer: `ray.init` waits forever for an address nobody listens on."""
    target = os.environ.get("RAY_ADDRESS", "") if address == "auto" else address
    if not target:
        raise UserError(
            "--ray auto joins the cluster RAY_ADDRESS names, and it is not set; set it or pass HOST:PORT."
        )
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--ray {target} is not HOST:PORT; pass the address `ray start --head` printed.")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise UserError(
            f"no Ray cluster answers at {target} ({err.strerror or err}); start one with `ray start --head`."
        ) from None
    return target


def eval_engine(settings: Settings) -> Engine:
    """`evaluate`'s engine: each (project, run) pair as a Ray task."""

    def engine(work: Sequence[tuple[Project, int]], cancel: threading.Event) -> Iterator[Sample]:
        calls = [(p.root, partial(_sample_on_copy, p, n, resolved(settings))) for p, n in work]
        return run_tasks(calls, cancel, lambda i, reason: failed_sample(work[i][0], work[i][1], reason))

    return engine


def fix_on_ray(
    roots: Sequence[Path], settings: dict[Path, Settings], cancel: threading.Event
) -> Iterator[ProjectFix]:
    """`fix-all`'s runs as Ray tasks, as they finish. Each starts from an empty memory and records nothing in
    yours: a worker may be another machine, and a run on a copy would record fixes under the copy's path."""
    calls = [(root, partial(_fix_on_copy, root, resolved(settings[root]))) for root in roots]
    return run_tasks(calls, cancel, lambda i, reason: ProjectFix(roots[i], None, reason))


def run_tasks(
    calls: Sequence[tuple[Path, Callable[[Path], T]]],
    cancel: threading.Event,
    lost: Callable[[int, str], T],
) -> Iterator[T]:
    """Each `call` as a Ray task on a copy of its project folder; the results as they finish. A task that never
    completed (its node died every time, `RETRIES` retries) yields `lost(index, reason)`. On cancel, or when the
    caller stops reading, the tasks still pending are cancelled."""
    ray = require_ray()
    from ray.exceptions import RayError, RayTaskError

    task = ray.remote(num_cpus=CPUS_PER_TASK, max_retries=RETRIES)(_on_copy)
    packed = {root: ray.put(_pack(root)) for root in dict.fromkeys(root for root, _ in calls)}
    trace = current_traceparent()  # each task's run joins the command's trace
    pending = {task.remote(packed[root], root.name, call, trace): i for i, (root, call) in enumerate(calls)}
    try:
        while pending and not cancel.is_set():
            done, _ = ray.wait(list(pending), num_returns=1, timeout=POLL_S)
            for ref in done:
                index = pending.pop(ref)
                try:
                    result = ray.get(ref)
                except RayTaskError:  # a bug in the run itself: raised, as it would be locally
                    raise
                except RayError as err:
                    result = lost(
                        index, f"its Ray task never completed ({type(err).__name__}, {RETRIES} retries)"
                    )
                yield result
    finally:
        _cancel(ray, list(pending))


def _cancel(ray: ModuleType, refs: list[Any]) -> None:
    """A KeyboardInterrupt in each task first (its run then kills its sandboxed tests), then the worker."""
    if not refs:
        return
    for ref in refs:
        ray.cancel(ref)
    _, left = ray.wait(refs, num_returns=len(refs), timeout=CANCEL_GRACE_S)
    for ref in left:
        ray.cancel(ref, force=True)


def _pack(root: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(
            root, arcname=root.name, filter=lambda info: None if Path(info.name).name in SKIPPED else info
        )
    return buffer.getvalue()


def _on_copy(packed: bytes, name: str, call: Callable[[Path], T], traceparent: str) -> T:
    """The task: unpack the project into a temp folder and call `call` on it there, in `traceparent`'s trace."""
    with tempfile.TemporaryDirectory(prefix="untilgreen-ray-") as temp, attach(traceparent):
        with tarfile.open(fileobj=io.BytesIO(packed)) as tar:
            tar.extractall(temp, filter="tar")  # our own tar: links in a project's virtualenv are kept
        try:
            return call(Path(temp) / name)
        finally:
            flush()


def _sample_on_copy(project: Project, number: int, settings: Settings, copy: Path) -> Sample:
    return run_sample(dataclasses.replace(project, root=copy), number, settings, None, threading.Event())


def _fix_on_copy(root: Path, settings: Settings, copy: Path) -> ProjectFix:
    memory = dataclasses.replace(settings.memory, path=str(copy.parent / "memory.sqlite3"))
    fix = fix_project(copy, dataclasses.replace(settings, memory=memory), threading.Event())
    return dataclasses.replace(fix, root=root)
