"""The web page: one HTML file, its script and its style, from the package (nothing fetched from elsewhere)."""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

ASSETS = {"app.js": "text/javascript", "style.css": "text/css"}


def _read(name: str) -> str:
    return resources.files("untilgreen.serve").joinpath("page").joinpath(name).read_text(encoding="utf-8")


async def index(request: Request) -> Response:
    return HTMLResponse(_read("index.html"))


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        return JSONResponse({"error": f"the page has no file {name[:80]!r}; open / instead."}, 404)
    return Response(_read(name), media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})
