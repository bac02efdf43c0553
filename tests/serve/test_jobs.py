"""The server's bounded queue on its own: ended jobs beyond `keep` are forgotten oldest first, running and
queued ones never."""

from __future__ import annotations

import asyncio
from typing import Any

from untilgreen.serve.jobs import Job, JobQueue


class Quick(Job):
    """A job that ends as soon as it is released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def execute(self) -> None:
        await self.release.wait()
        self.finish("finished", "")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.state}


async def test_the_oldest_ended_jobs_are_forgotten_beyond_keep_and_running_ones_never() -> None:
    queue = JobQueue(workers=1, length=10, keep=2)
    jobs = [queue.submit(Quick()) for _ in range(4)]
    for job in jobs[:3]:
        job.release.set()
        await job.wait_done()
    running = jobs[3]
    queue.submit(Quick())  # a submit is when the history is trimmed
    assert list(queue.jobs)[:3] == [jobs[1].id, jobs[2].id, running.id]  # the first ended job is gone
    assert running.state == "running" and len(queue.jobs) == 4
    await queue.close()
