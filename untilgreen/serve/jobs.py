"""The bounded queue: at most `workers` jobs (runs or evals) at a time and `length` waiting; beyond that a new
job is refused (HTTP 429) rather than lost. Every accepted job ends, finished or cancelled."""

from __future__ import annotations

import asyncio
import secrets
from abc import ABC, abstractmethod
from typing import Any


class QueueFull(Exception):
    """No room for another job; the message says why and what to do, in one sentence."""


class Job(ABC):
    """One queued unit of work; `state` moves queued -> running -> a final state, and `changed` wakes readers."""

    prefix = "job"

    def __init__(self) -> None:
        self.id = f"{self.prefix}-{secrets.token_hex(5)}"
        self.state = "queued"
        self.message = ""
        self.task: asyncio.Task[None] | None = None
        self.changed = asyncio.Condition()

    @property
    def done(self) -> bool:
        return self.state not in ("queued", "running")

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_done(self) -> None:
        async with self.changed:
            await self.changed.wait_for(lambda: self.done)

    @abstractmethod
    async def execute(self) -> None:
        """Do the work; sets the final state (or leaves cancellation to `run`)."""

    def finish(self, state: str, message: str) -> None:
        if not self.done:
            self.state, self.message = state, message

    @abstractmethod
    def to_json(self) -> dict[str, Any]: ...


class JobQueue:
    """The jobs by id, oldest first; beyond `keep` ended jobs the oldest ended ones are forgotten, so a server
    that runs for months holds a bounded history (runs are also in the run log, `untilgreen runs`)."""

    def __init__(self, workers: int, length: int, keep: int = 500) -> None:
        self.workers, self.length, self.keep = workers, length, keep
        self.slots = asyncio.Semaphore(workers)
        self.jobs: dict[str, Job] = {}

    def waiting(self) -> int:
        return sum(1 for job in self.jobs.values() if job.state == "queued")

    def submit(self, job: Job) -> Job:
        if self.waiting() >= self.length:
            raise QueueFull(
                f"the queue is full ({self.workers} running, {self.length} waiting); retry once a job has "
                "finished, or start the server with a larger --queue."
            )
        self.jobs[job.id] = job
        job.task = asyncio.create_task(self._run(job))
        self._forget_oldest_ended()
        return job

    def _forget_oldest_ended(self) -> None:
        ended = [job_id for job_id, job in self.jobs.items() if job.done]
        for job_id in ended[: max(0, len(ended) - self.keep)]:
            del self.jobs[job_id]

    async def _run(self, job: Job) -> None:
        try:
            async with self.slots:
                if job.done:
                    return
                job.state = "running"
                await job.notify()
                await job.execute()
        except asyncio.CancelledError:
            job.finish("cancelled", "cancelled")
        except Exception as exc:  # noqa: BLE001 - a job's bug ends that job, in one sentence, not the server
            job.finish("failed", f"internal error ({type(exc).__name__}: {exc}); report it.")
        finally:
            job.finish("failed", job.message or "the job stopped unexpectedly.")
            await job.notify()

    async def cancel(self, job: Job) -> None:
        """Cancel a queued or running job and wait until it has stopped (its worker process gone)."""
        if job.task is not None and not job.task.done():
            job.task.cancel()
            await asyncio.gather(job.task, return_exceptions=True)

    async def close(self) -> None:
        for job in list(self.jobs.values()):
            await self.cancel(job)
