"""The ASGI app: routes, JSON errors (one sentence, never a traceback), the event stream and the queue's life."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from untilgreen.serve import openapi, page
from untilgreen.serve.auth import BearerAuth
from untilgreen.serve.evals import ServedEval
from untilgreen.serve.jobs import Job, JobQueue, QueueFull
from untilgreen.serve.projects import Projects
from untilgreen.serve.requests import BadRequest, eval_spec, run_spec
from untilgreen.serve.runs import ServedRun

MAX_BODY = 64 * 1024  # requests name a project, targets and a few settings


@dataclass
class Config:
    projects: Projects
    operator: dict[str, Any] = field(default_factory=dict)  # trusted overrides from `serve --set` and flags
    workers: int = 2
    queue: int = 8
    token: str = ""


def error(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers)


class Api:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.queue = JobQueue(config.workers, config.queue)
        self.reports = Path(tempfile.mkdtemp(prefix="serve-reports-"))  # removed when the server stops

    async def _body(self, request: Request) -> Any:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise BadRequest(
                    f"the body is over {MAX_BODY // 1024} KiB; a run or eval request is a small JSON object.",
                    413,
                )
        try:
            return json.loads(body)
        except ValueError:
            raise BadRequest("the body is not JSON; send a JSON object with Content-Type: application/json.")

    def _job(self, request: Request, kind: type[Job]) -> Any:
        job = self.queue.jobs.get(request.path_params["id"])
        if not isinstance(job, kind):
            what = "run" if kind is ServedRun else "eval"
            raise BadRequest(
                f"there is no {what} {request.path_params['id'][:80]!r}; GET /{what}s lists them.", 404
            )
        return job

    async def _accept(self, request: Request, job: Job, where: str) -> Response:
        self.queue.submit(job)
        if request.query_params.get("wait", "").lower() in ("1", "true", "yes"):
            await job.wait_done()
            return JSONResponse(job.to_json(), 200)
        return JSONResponse(job.to_json(), 202, headers={"Location": f"{where}/{job.id}"})

    async def create_run(self, request: Request) -> Response:
        body = await self._body(request)
        spec = await asyncio.to_thread(run_spec, body, self.config.projects, self.config.operator)
        return await self._accept(request, ServedRun(spec), "/runs")

    async def list_runs(self, request: Request) -> Response:
        runs = [job.to_json() for job in self.queue.jobs.values() if isinstance(job, ServedRun)]
        for run in runs:  # the attempts (a diff each) are in GET /runs/{id}
            run.pop("attempt_log")
        return JSONResponse({"runs": runs[::-1]})

    async def get_run(self, request: Request) -> Response:
        return JSONResponse(self._job(request, ServedRun).to_json())

    async def run_events(self, request: Request) -> Response:
        run: ServedRun = self._job(request, ServedRun)
        return StreamingResponse(
            _stream(run, _last_event_id(request)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store"},
        )

    async def cancel(self, request: Request) -> Response:
        job = self._job(request, ServedRun if request.url.path.startswith("/runs/") else ServedEval)
        await self.queue.cancel(job)
        return JSONResponse(job.to_json())

    async def create_eval(self, request: Request) -> Response:
        body = await self._body(request)
        spec = await asyncio.to_thread(eval_spec, body, self.config.projects, self.config.operator)
        return await self._accept(request, ServedEval(spec, self.reports), "/evals")

    async def list_evals(self, request: Request) -> Response:
        evals = [job.to_json() for job in self.queue.jobs.values() if isinstance(job, ServedEval)]
        for item in evals:
            item.pop("samples", None)
        return JSONResponse({"evals": evals[::-1]})

    async def get_eval(self, request: Request) -> Response:
        return JSONResponse(self._job(request, ServedEval).to_json())

    async def eval_report(self, request: Request) -> Response:
        job: ServedEval = self._job(request, ServedEval)
        html = job.html()
        if html is None:
            raise BadRequest(f"eval {job.id} has no report ({job.state}); wait until it has finished.", 409)
        return HTMLResponse(html)

    async def projects(self, request: Request) -> Response:
        return JSONResponse({"projects": list(self.config.projects.roots)})

    async def document(self, request: Request) -> Response:
        return JSONResponse(openapi.document(list(self.config.projects.roots)))

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.queue.close()
            shutil.rmtree(self.reports, ignore_errors=True)


def _last_event_id(request: Request) -> int:
    """The id of the last event a reconnecting client has (an EventSource sends it by itself), or 0."""
    value = request.headers.get("last-event-id", "")
    return int(value) if value.isdigit() else 0


async def _stream(run: ServedRun, sent: int = 0) -> AsyncIterator[str]:
    """Every event of the run after the first `sent`, then each as it comes, until the run has ended: `event:
    <kind>` and the event's JSON line exactly as `untilgreen worker` writes it, with its number as the id."""
    while True:
        async with run.changed:
            await run.changed.wait_for(lambda: len(run.events) > sent or run.done)
        while sent < len(run.events):
            event = run.events[sent]
            sent += 1
            yield f"id: {sent}\nevent: {event.kind}\ndata: {event.to_line()}\n\n"
        if run.done:
            yield f"event: end\ndata: {json.dumps({'status': run.state})}\n\n"
            return


async def _bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadRequest)
    return error(str(exc), exc.status)


async def _queue_full(request: Request, exc: Exception) -> Response:
    return error(str(exc), 429, {"Retry-After": "5"})


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error(f"{request.method} is not allowed on {request.url.path}; see GET /openapi.json.", 405)
    return error(
        f"there is nothing at {request.url.path[:200]}; see GET /openapi.json for the API.", exc.status_code
    )


async def _internal(request: Request, exc: Exception) -> Response:
    return error(f"internal error ({type(exc).__name__}); the server logged it, report it.", 500)


def create_app(config: Config) -> Any:
    api = Api(config)
    routes = [
        Route("/", page.index, methods=["GET"]),
        Route("/page/{name}", page.asset, methods=["GET"]),
        Route("/openapi.json", api.document, methods=["GET"]),
        Route("/projects", api.projects, methods=["GET"]),
        Route("/runs", api.create_run, methods=["POST"]),
        Route("/runs", api.list_runs, methods=["GET"]),
        Route("/runs/{id}", api.get_run, methods=["GET"]),
        Route("/runs/{id}/events", api.run_events, methods=["GET"]),
        Route("/runs/{id}/cancel", api.cancel, methods=["POST"]),
        Route("/evals", api.create_eval, methods=["POST"]),
        Route("/evals", api.list_evals, methods=["GET"]),
        Route("/evals/{id}", api.get_eval, methods=["GET"]),
        Route("/evals/{id}/report", api.eval_report, methods=["GET"]),
        Route("/evals/{id}/cancel", api.cancel, methods=["POST"]),
    ]
    handlers = {BadRequest: _bad_request, QueueFull: _queue_full, HTTPException: _http, Exception: _internal}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=api.lifespan)
    return BearerAuth(app, config.token)
