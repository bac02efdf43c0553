"""A scripted OpenAI-compatible chat server on 127.0.0.1, so LLM behaviour is tested without network or keys.

    with ScriptedLLM(
        when(contains=[test_source, "ZeroDivisionError"], excludes=[secret], then=RIGHT_FIX, otherwise=WRONG),
        Status(429, retry_after=1),
        HANG,
    ) as llm:
        settings = Settings(model=llm.model, api_base=llm.url)
        ...
        assert "ZeroDivisionError" in llm.requests[0].text

Each request to `/v1/chat/completions` (or `/chat/completions`) takes the next turn of the script; when the
script is used up, `default` answers (by default a 500 saying so). A turn is
  - a `str`: the assistant's reply,
  - a `Reply`: a reply with explicit token counts or `finish_reason` (`"length"`: cut off by the token limit),
  - a `Status`: an HTTP error (429 with `Retry-After`, 500, 401, ...),
  - `HANG`: the server holds the request until `release()` or `close()` (a model that never answers),
  - `DROP`: the server closes the connection without answering (a connection reset),
  - a function of the `Request` returning any of the above (`when` builds the usual one).
Every request is recorded in `requests` (in arrival order) with the messages it carried.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

MODEL = "openai/scripted"  # a model litellm routes to an OpenAI-compatible server and has no price for


@dataclass(frozen=True)
class Reply:
    text: str
    prompt_tokens: int | None = None  # None: about a token per four characters
    completion_tokens: int | None = None
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Status:
    code: int
    retry_after: float | None = None
    message: str = "scripted error"


class _Signal:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


HANG = _Signal("HANG")  # hold the request until release() or close()
DROP = _Signal("DROP")  # close the connection without answering (a reset)

Turn = Union[str, Reply, Status, _Signal, Callable[["Request"], Any]]


@dataclass
class Request:
    """One request as the server saw it. `notes` says why a `when` turn answered as it did."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    answer: str = ""  # what was sent back: the reply text, "HTTP 429", "hang"

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """All message contents, joined: what a test searches the prompt in."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)

    def message(self, role: str) -> str:
        return "\n".join(_content_text(m.get("content")) for m in self.messages if m.get("role") == role)


def when(
    *,
    contains: Iterable[str] = (),
    excludes: Iterable[str] = (),
    then: Turn,
    otherwise: Turn,
) -> Callable[[Request], Turn]:
    """A turn answering `then` only if the prompt holds every `contains` string and none of `excludes`."""
    wanted, banned = list(contains), list(excludes)

    def turn(request: Request) -> Turn:
        text = request.text
        request.notes += [f"missing {s!r}" for s in wanted if s not in text]
        request.notes += [f"leaked {s!r}" for s in banned if s in text]
        return otherwise if request.notes else then

    return turn


class ScriptedLLM:
    """The server. Context manager; `url` is the `api_base` to configure, `model` a model string for it."""

    def __init__(self, *turns: Turn, default: Turn | None = None, api_key: str | None = None) -> None:
        self.turns = list(turns)
        self.default = default if default is not None else Status(500, message="the script is used up")
        self.api_key = api_key  # when set, requests must carry `Authorization: Bearer <api_key>`
        self.requests: list[Request] = []
        self.model = MODEL
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, *turns: Turn) -> None:
        with self._lock:
            self.turns.extend(turns)

    def release(self) -> None:
        """Let hanging requests go (they then answer with a 503); later `HANG` turns answer at once."""
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} requests, got {len(self.requests)}")
            time.sleep(0.01)

    def _next(self, request: Request) -> Turn:
        with self._lock:
            self.requests.append(request)
            turn = self.turns.pop(0) if self.turns else self.default
        while callable(turn):
            turn = turn(request)
        return turn


def _handler(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass  # keep test output clean

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if self.path.rstrip("/").endswith("/models"):
                self._json(
                    200, {"object": "list", "data": [{"id": MODEL.split("/", 1)[1], "object": "model"}]}
                )
            else:
                self._json(404, _error("not found", "not_found_error"))

        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.split("?")[0] not in ("/v1/chat/completions", "/chat/completions"):
                self._json(404, _error(f"no route {self.path}", "not_found_error"))
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._json(400, _error("the body is not JSON", "invalid_request_error"))
                return
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            if llm.api_key is not None and request.headers.get("authorization") != f"Bearer {llm.api_key}":
                with llm._lock:
                    llm.requests.append(request)
                request.answer = "HTTP 401"
                self._json(401, _error("Incorrect API key provided", "invalid_request_error"))
                return
            self._answer(request, llm._next(request))

        def _answer(self, request: Request, turn: Turn) -> None:
            if turn is HANG:
                request.answer = "hang"
                llm._released.wait()
                self._json(503, _error("released", "server_error"))
            elif turn is DROP:
                request.answer = "dropped"
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif isinstance(turn, Status):
                request.answer = f"HTTP {turn.code}"
                headers = {} if turn.retry_after is None else {"Retry-After": f"{turn.retry_after:g}"}
                self._json(
                    turn.code,
                    _error(turn.message, "rate_limit_error" if turn.code == 429 else "error"),
                    headers,
                )
            else:
                reply = turn if isinstance(turn, Reply) else Reply(str(turn))
                request.answer = reply.text
                self._json(200, _completion(request, reply))

        def _json(self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timeout, cancellation): nothing to answer

    return Handler


def _completion(request: Request, reply: Reply) -> dict[str, Any]:
    prompt_tokens = reply.prompt_tokens if reply.prompt_tokens is not None else len(request.text) // 4 + 1
    completion_tokens = (
        reply.completion_tokens if reply.completion_tokens is not None else len(reply.text) // 4 + 1
    )
    return {
        "id": f"chatcmpl-scripted-{id(request):x}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(request.body.get("model", MODEL)),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _content_text(content: Any) -> str:
    if isinstance(content, list):  # content parts
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)
