"""The OpenAPI 3.1 document of the API (written by hand: it is small, and it is what clients and the property
tests read)."""

from __future__ import annotations

from typing import Any

from untilgreen.serve.requests import ALLOWED

ERROR = {"$ref": "#/components/schemas/Error"}


def _answer(
    description: str, schema: dict[str, Any] | None = None, media: str = "application/json"
) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema or {"type": "object"}}}}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "a bad request",
        401: "no or a wrong token",
        403: "a project not served or a trusted setting",
        404: "no such job",
        409: "not finished",
        413: "a body over 64 KiB",
        429: "the queue is full",
    }
    return {str(code): _answer(words[code], ERROR) for code in (401, *codes)}


def _job_path(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        **extra,
    }


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _job(what: str) -> dict[str, Any]:
    return _answer(f"the {what}", {"type": "object", "required": ["id", "status"]})


def document(projects: list[str]) -> dict[str, Any]:
    settings = {"type": "object", "propertyNames": {"enum": list(ALLOWED)}}
    project = {"enum": projects, "description": "a served project's name (its path is accepted too)"}
    run_request = {
        "type": "object",
        "required": ["project"],
        "properties": {
            "project": project,
            "targets": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "mode": {"enum": ["fix", "goal"]},
            "goal": {"type": "string"},
            "settings": settings,
        },
    }
    eval_request = {
        "type": "object",
        "required": ["project"],
        "properties": {
            "project": project,
            "runs": {"type": "integer", "minimum": 1, "maximum": 10},
            "only": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "settings": settings,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "untilgreen serve", "version": "1"},
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}, {}],
        "paths": {
            **_jobs("run", run_request, "start a run"),
            **_jobs("eval", eval_request, "start an eval of a served corpus"),
            "/runs/{id}/events": _job_path(
                {
                    "get": {
                        "summary": "the run's typed events as server-sent events, until it ends (each event's id "
                        "is its number; a Last-Event-ID header resumes after it)",
                        "parameters": [
                            {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}
                        ],
                        "responses": {
                            "200": _answer("event stream", {"type": "string"}, "text/event-stream"),
                            **_errors(404),
                        },
                    }
                }
            ),
            "/evals/{id}/report": _job_path(
                {
                    "get": {
                        "responses": {
                            "200": _answer("report", {"type": "string"}, "text/html"),
                            **_errors(404, 409),
                        }
                    }
                }
            ),
            "/projects": {"get": {"responses": {"200": _answer("the served projects' names")}}},
        },
    }


def _jobs(what: str, schema: dict[str, Any], summary: str) -> dict[str, Any]:
    """POST and GET /{what}s, GET /{what}s/{id} and POST /{what}s/{id}/cancel."""
    wait = {"name": "wait", "in": "query", "required": False, "schema": {"type": "boolean"}}
    return {
        f"/{what}s": {
            "post": {
                "summary": f"{summary} (202 and Location; 200 with ?wait=true once it has ended)",
                "parameters": [wait],
                "requestBody": _body(schema),
                "responses": {"200": _job(what), "202": _job(what), **_errors(400, 403, 413, 429)},
            },
            "get": {"summary": f"the {what}s, newest first", "responses": {"200": _answer(f"the {what}s")}},
        },
        f"/{what}s/{{id}}": _job_path({"get": {"responses": {"200": _job(what), **_errors(404)}}}),
        f"/{what}s/{{id}}/cancel": _job_path({"post": {"responses": {"200": _job(what), **_errors(404)}}}),
    }
