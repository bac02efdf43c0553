"""Who may call the server: anyone on this machine when it listens on loopback only; with a token (required for
any other address), only requests with `Authorization: Bearer <token>`, the OpenAPI document's included (it names
the served projects). The page itself holds no data and is served to anyone; everything it shows comes from the
API, token and all."""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from untilgreen.errors import UserError

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
PUBLIC = ("/",)  # and the page's files under /page/


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_token(host: str, token_env: str | None, environ: MutableMapping[str, str] = os.environ) -> str:
    """The bearer token the server requires ("" for none); refuses a non-loopback bind without one."""
    token = environ.get(token_env, "").strip() if token_env else ""
    if token_env and not token:
        raise UserError(f"--token-env {token_env} names an empty or unset variable; export the token in it.")
    if not token and not is_loopback(host):
        raise UserError(
            f"binding to {host} exposes runs to the network, so a token is required; export one in a variable "
            "and pass --token-env NAME (or bind to 127.0.0.1)."
        )
    return token


class BearerAuth:
    """ASGI middleware: 401 with one sentence unless the request carries the token (when there is one)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token.encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.token or _public(scope["path"]):
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"authorization", b"")
        if hmac.compare_digest(given, b"Bearer " + self.token):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": "this server needs `Authorization: Bearer <token>`; send the token its "
                           "operator exported in --token-env."}).encode()  # fmt: skip
        headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _public(path: str) -> bool:
    return path in PUBLIC or path.startswith("/page/")
