"""Scripted chat servers on 127.0.0.1 in each provider's wire format, so LLM behaviour is tested without network or keys.

    with ScriptedLLM(
        when(contains=[test_source, "ZeroDivisionError"], excludes=[secret], then=RIGHT_FIX, otherwise=WRONG),
        Status(429, retry_after=1),
        HANG,
    ) as llm:
        settings = Settings(model=llm.model, api_base=llm.url)
        ...
        assert "ZeroDivisionError" in llm.requests[0].text

`wire` picks the API the server speaks (its paths, reply, stream and error shapes):
  - `OPENAI` (the default): `/v1/chat/completions`, for `openai/<name>` and `openrouter/<name>`,
  - `ANTHROPIC`: the Messages API, `/v1/messages`, for `anthropic/<name>`,
  - `OLLAMA`: Ollama's native `/api/chat` (`ollama_chat/<name>`) and `/api/generate` (`ollama/<name>`).
A request asking for `"stream": true` is answered as that API streams: SSE events (OpenAI, Anthropic) or JSON
lines (Ollama), with the token counts in the last chunk.

Each request to one of the wire's paths takes the next turn of the script; when the script is used up, `default`
answers (by default a 500 saying so). A turn is
  - a `str`: the assistant's reply,
  - a `Reply`: a reply with explicit token counts or `finish_reason` (`"length"`: cut off by the token limit), or
    streamed slowly (`stream_s`: its frames spread over that many seconds),
  - a `Status`: an HTTP error (429 with `Retry-After`, 500, 401, ...),
  - `HANG`: the server holds the request until `release()` or `close()` (a model that never answers),
  - `DROP`: the server closes the connection without answering (a connection reset),
  - `GARBLED`: a 200 whose body (or stream) is cut off in the middle of its JSON,
  - a function of the `Request` returning any of the above (`when` builds the usual one).
Every request is recorded in `requests` (in arrival order) with the messages it carried; a stream the client
hangs up on records when (`hung_up`, a `time.monotonic()` value) and how many frames it had been sent.
"""

from __future__ import annotations

import hashlib
import json
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Union

MODEL = "openai/scripted"  # a model litellm routes to an OpenAI-compatible server and has no price for


@dataclass(frozen=True)
class Reply:
    text: str
    prompt_tokens: int | None = None  # None: about a token per four characters
    completion_tokens: int | None = None
    finish_reason: str = "stop"
    # of prompt_tokens: read from / written to the prompt cache (Anthropic's wire, see `_cache_use`)
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    stream_s: float = 0.0  # a streamed reply's frames are spread over this many seconds


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
GARBLED = _Signal("GARBLED")  # a 200 whose JSON is cut off

Turn = Union[str, Reply, Status, _Signal, Callable[["Request"], Any]]


@dataclass
class Request:
    """One request as the server saw it. `notes` says why a `when` turn answered as it did."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    answer: str = ""  # what was sent back: the reply text, "HTTP 429", "hang"
    frames_sent: int = 0  # of a streamed reply
    hung_up: float | None = None  # when the client closed the connection before the stream ended

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """All message contents, joined: what a test searches the prompt in."""
        parts = [_content_text(self.body.get("system")), str(self.body.get("prompt") or "")]
        return "\n".join([*(_content_text(m.get("content")) for m in self.messages), *filter(None, parts)])

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True

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


@dataclass(frozen=True)
class Wire:
    """One provider's API as the server speaks it: where it answers, how its replies, streams and errors look."""

    model: str  # a model string litellm routes to this API (and has no price for)
    root: str  # what `url` adds to the server's address; litellm appends the rest of the path
    paths: tuple[str, ...]
    reply: Callable[[Request, Reply], dict[str, Any]]  # a whole reply (its token counts filled in)
    stream: Callable[[Request, Reply], list[bytes]]  # a streamed reply, framed
    error: Callable[[int, str], dict[str, Any]]
    key_header: str = "authorization"
    key_format: str = "Bearer {}"
    stream_type: str = "text/event-stream"


def _pieces(text: str) -> list[str]:
    """A streamed reply's text deltas: a line each."""
    return text.splitlines(keepends=True) or [""]


def _sse(payload: dict[str, Any], event: str = "") -> bytes:
    return (
        (f"event: {event}\n" if event else "").encode() + b"data: " + json.dumps(payload).encode() + b"\n\n"
    )


def _garble(frame: bytes) -> bytes:
    """The frame (a whole body, an SSE event or a JSON line) with the end of its JSON cut off."""
    body = frame.rstrip(b"\n")
    return body[:-20] + frame[len(body) :]


def _openai_usage(reply: Reply) -> dict[str, int]:
    assert reply.prompt_tokens is not None and reply.completion_tokens is not None
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }


def _openai_head(request: Request, kind: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-scripted-{id(request):x}",
        "object": kind,
        "created": int(time.time()),
        "model": str(request.body.get("model", MODEL)),
    }


def _openai_reply(request: Request, reply: Reply) -> dict[str, Any]:
    return {
        **_openai_head(request, "chat.completion"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": _openai_usage(reply),
    }


def _openai_stream(request: Request, reply: Reply) -> list[bytes]:
    """Deltas, a last choice with the finish reason, the usage chunk if asked for, then `[DONE]`."""
    head = _openai_head(request, "chat.completion.chunk")
    chunks = [
        {**head, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        for piece in _pieces(reply.text)
    ]
    chunks.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]})
    if (request.body.get("stream_options") or {}).get("include_usage"):
        chunks.append({**head, "choices": [], "usage": _openai_usage(reply)})
    return [*map(_sse, chunks), b"data: [DONE]\n\n"]


def _openai_error(code: int, message: str) -> dict[str, Any]:
    kind = {401: "invalid_request_error", 404: "not_found_error", 429: "rate_limit_error"}.get(code, "error")
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


_ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens"}  # OpenAI's finish reasons in Anthropic's words


def _anthropic_reply(request: Request, reply: Reply) -> dict[str, Any]:
    return {
        "id": f"msg_scripted_{id(request):x}",
        "type": "message",
        "role": "assistant",
        "model": str(request.body.get("model", "")),
        "content": [{"type": "text", "text": reply.text}],
        "stop_reason": _ANTHROPIC_STOP.get(reply.finish_reason, reply.finish_reason),
        "stop_sequence": None,
        "usage": {**_anthropic_input(reply), "output_tokens": reply.completion_tokens},
    }


def _anthropic_input(reply: Reply) -> dict[str, int]:
    """Anthropic counts the cached prompt tokens apart from `input_tokens`."""
    return {
        "input_tokens": (reply.prompt_tokens or 0) - reply.cache_read_tokens - reply.cache_write_tokens,
        "cache_read_input_tokens": reply.cache_read_tokens,
        "cache_creation_input_tokens": reply.cache_write_tokens,
    }


def _anthropic_stream(request: Request, reply: Reply) -> list[bytes]:
    """message_start (input tokens), one text block of deltas, message_delta (stop reason, output tokens)."""
    start = {**_anthropic_reply(request, reply), "content": [], "stop_reason": None}
    start["usage"] = {**_anthropic_input(reply), "output_tokens": 0}
    block = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    deltas = [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
        for piece in _pieces(reply.text)
    ]
    end = {
        "type": "message_delta",
        "delta": {
            "stop_reason": _ANTHROPIC_STOP.get(reply.finish_reason, reply.finish_reason),
            "stop_sequence": None,
        },
        "usage": {"output_tokens": reply.completion_tokens},
    }
    events = [
        {"type": "message_start", "message": start},
        block,
        *deltas,
        {"type": "content_block_stop", "index": 0},
        end,
        {"type": "message_stop"},
    ]
    return [_sse(e, e["type"]) for e in events]


def _anthropic_error(code: int, message: str) -> dict[str, Any]:
    kind = {
        400: "invalid_request_error",
        401: "authentication_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }.get(code, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


def _ollama_chunk(request: Request, text: str, done: Reply | None) -> dict[str, Any]:
    """One `/api/chat` or `/api/generate` object; `done` (the whole reply) makes it the last, with the counts."""
    if request.path.startswith("/api/generate"):
        content: dict[str, Any] = {"response": text}
    else:
        content = {"message": {"role": "assistant", "content": text}}
    chunk = {"model": str(request.body.get("model", "")), "created_at": "2026-01-01T00:00:00Z", **content}
    if done is None:
        return {**chunk, "done": False}
    counts = {"prompt_eval_count": done.prompt_tokens, "eval_count": done.completion_tokens}
    return {**chunk, "done": True, "done_reason": done.finish_reason, **counts}


def _ollama_reply(request: Request, reply: Reply) -> dict[str, Any]:
    return _ollama_chunk(request, reply.text, reply)


def _ollama_stream(request: Request, reply: Reply) -> list[bytes]:
    """JSON lines: a delta each, then a last `done` object carrying the token counts."""
    chunks = [_ollama_chunk(request, piece, None) for piece in _pieces(reply.text)]
    chunks.append(_ollama_chunk(request, "", reply))
    return [json.dumps(c).encode() + b"\n" for c in chunks]


OPENAI = Wire(
    MODEL,
    "/v1",
    ("/v1/chat/completions", "/chat/completions"),
    _openai_reply,
    _openai_stream,
    _openai_error,
)
ANTHROPIC = Wire(
    "anthropic/scripted",
    "",
    ("/v1/messages",),
    _anthropic_reply,
    _anthropic_stream,
    _anthropic_error,
    key_header="x-api-key",
    key_format="{}",
)
OLLAMA = Wire(
    "ollama_chat/scripted",
    "",
    ("/api/chat", "/api/generate"),
    _ollama_reply,
    _ollama_stream,
    lambda code, message: {"error": message},
    stream_type="application/x-ndjson",
)


class ScriptedLLM:
    """The server. Context manager; `url` is the `api_base` to configure, `model` a model string for it."""

    def __init__(
        self, *turns: Turn, default: Turn | None = None, api_key: str | None = None, wire: Wire = OPENAI
    ) -> None:
        self.turns = list(turns)
        self.default = default if default is not None else Status(500, message="the script is used up")
        self.api_key = api_key  # when set, requests must carry it as the wire does (`Authorization: Bearer`)
        self.wire = wire
        self.requests: list[Request] = []
        self.unrouted: list[str] = []  # "METHOD path" of the requests that are not the wire's completions
        self.model = wire.model
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._cached: set[str] = set()  # digests of the prompt starts in the (Anthropic) prompt cache
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.wire.root}"

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
    wire = llm.wire

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
                llm.unrouted.append(f"GET {self.path}")
                self._json(404, wire.error(404, "not found"))

        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.split("?")[0] not in wire.paths:
                llm.unrouted.append(f"POST {self.path}")
                self._json(404, wire.error(404, f"no route {self.path}"))
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._json(400, wire.error(400, "the body is not JSON"))
                return
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            key = request.headers.get(wire.key_header)
            if llm.api_key is not None and key != wire.key_format.format(llm.api_key):
                with llm._lock:
                    llm.requests.append(request)
                request.answer = "HTTP 401"
                self._json(401, wire.error(401, "Incorrect API key provided"))
                return
            self._answer(request, llm._next(request))

        def _answer(self, request: Request, turn: Turn) -> None:
            if turn is HANG:
                request.answer = "hang"
                llm._released.wait()
                self._json(503, wire.error(503, "released"))
            elif turn is DROP:
                request.answer = "dropped"
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif isinstance(turn, Status):
                request.answer = f"HTTP {turn.code}"
                headers = {} if turn.retry_after is None else {"Retry-After": f"{turn.retry_after:g}"}
                self._json(turn.code, wire.error(turn.code, turn.message), headers)
            else:
                reply = _counted(request, Reply("garbled") if turn is GARBLED else _reply(turn))
                if wire is ANTHROPIC:
                    reply = _cache_use(llm._cached, request, reply)
                request.answer = "garbled" if turn is GARBLED else reply.text
                frames = (
                    wire.stream(request, reply)
                    if request.stream
                    else [json.dumps(wire.reply(request, reply)).encode()]
                )
                if turn is GARBLED:
                    frames = [_garble(frames[0])]
                if request.stream:
                    headers = {"Content-Type": wire.stream_type, "Connection": "close"}
                    self._send(200, frames, headers, request, reply.stream_s / len(frames))
                else:
                    self._send(200, frames, {"Content-Type": "application/json"})

        def _json(self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            self._send(
                code, [json.dumps(payload).encode()], {"Content-Type": "application/json", **(headers or {})}
            )

        def _send(
            self,
            code: int,
            frames: list[bytes],
            headers: dict[str, str],
            request: Request | None = None,
            gap: float = 0.0,
        ) -> None:
            """A body of `frames`: with a length, or written one by one until the close when streaming; with `gap`,
            a frame every `gap` seconds, watching between frames for `request`'s client to hang up."""
            if headers.get("Connection") == "close":
                self.close_connection = True
            else:
                headers["Content-Length"] = str(sum(map(len, frames)))
            try:
                self.send_response(code)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                for frame in frames:
                    self.wfile.write(frame)
                    self.wfile.flush()
                    if request is not None:
                        request.frames_sent += 1
                        if gap and _hung_up(self.connection, gap):
                            request.hung_up = time.monotonic()
                            return
            except OSError:  # the client gave up (timeout, cancellation): nothing more to answer
                if request is not None:
                    request.hung_up = time.monotonic()

    return Handler


def _hung_up(connection: socket.socket, wait: float) -> bool:
    """Whether the client closes (or resets) the connection within `wait` seconds."""
    readable, _, _ = select.select([connection], [], [], wait)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _reply(turn: Turn) -> Reply:
    return turn if isinstance(turn, Reply) else Reply(str(turn))


def _counted(request: Request, reply: Reply) -> Reply:
    """The reply with its token counts: as scripted, else about a token per four characters."""
    return replace(
        reply,
        prompt_tokens=reply.prompt_tokens if reply.prompt_tokens is not None else len(request.text) // 4 + 1,
        completion_tokens=(
            reply.completion_tokens if reply.completion_tokens is not None else len(reply.text) // 4 + 1
        ),
    )


def _cache_use(cached: set[str], request: Request, reply: Reply) -> Reply:
    """As Anthropic's prompt cache: each block marked `cache_control` ends a prompt start (system blocks, then
    the messages' blocks) that is cached for that model; the longest start cached before is read, the rest up to
    the last mark written. Tokens: about one per four characters, like `_counted`."""
    blocks = [
        *_blocks(request.body.get("system")),
        *(b for m in request.messages for b in _blocks(m.get("content"))),
    ]
    starts = []  # (digest, characters) of each marked prompt start
    text, model = "", str(request.body.get("model", ""))
    for block in blocks:
        text += str(block.get("text", ""))
        if block.get("cache_control"):
            starts.append((hashlib.sha256(f"{model}\0{text}".encode()).hexdigest(), len(text)))
    if not starts:
        return reply
    hit = max((chars for digest, chars in starts if digest in cached), default=0)
    read = hit // 4
    written = 0 if starts[-1][1] == hit else (starts[-1][1] - hit) // 4
    cached.update(digest for digest, _ in starts)
    total = max(reply.prompt_tokens or 0, read + written)
    return replace(reply, prompt_tokens=total, cache_read_tokens=read, cache_write_tokens=written)


def _blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, list):
        return [b for b in content if isinstance(b, dict)]
    return [] if content is None else [{"type": "text", "text": str(content)}]


def _content_text(content: Any) -> str:
    if isinstance(content, list):  # content parts
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


# The model strings users write, each with the wire its server speaks and whether the client streams.
PROVIDERS: dict[str, tuple[str, Wire, bool]] = {
    "openai": ("openai/scripted", OPENAI, False),
    "openai-stream": ("openai/scripted", OPENAI, True),
    "openrouter": ("openrouter/vendor/scripted", OPENAI, False),
    "anthropic": ("anthropic/scripted", ANTHROPIC, False),
    "anthropic-stream": ("anthropic/scripted", ANTHROPIC, True),
    "ollama": ("ollama/scripted", OLLAMA, False),
    "ollama_chat": ("ollama_chat/scripted", OLLAMA, False),
    "ollama_chat-stream": ("ollama_chat/scripted", OLLAMA, True),
}
PROVIDER_KEY = "test-key"  # what the tests export in ANTHROPIC_API_KEY and OPENROUTER_API_KEY
