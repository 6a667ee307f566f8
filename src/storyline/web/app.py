"""The web app: ``create_app(db)`` serves a store read-only as HTML pages and a JSON API.

Errors are answered in the form asked for: JSON (``.json`` paths, API
clients) or an HTML page (browsers on HTML paths), always with a 4xx status
for a bad request and a 404 for an unknown id.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.common.outlets import load_directory
from storyline.errors import E, StorylineError
from storyline.read.connection import open_read_only, store_name
from storyline.settings import Settings
from storyline.web import render
from storyline.web.views import BadParameter, router

HERE = Path(__file__).parent
logger = logging.getLogger("storyline.web")

# Pages carry no inline script or style: the policy lets only our own files run.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for header, value in SECURITY_HEADERS.items():
                    headers.setdefault(header, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers HEAD wherever GET is answered: the GET response's status and headers, without its body.

    FastAPI routes list only the methods they are given; doing it here covers every page, its JSON
    twin, the redirects and the static files alike, and keeps HEAD out of /openapi.json.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}  # Content-Length stays that of the GET response
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, finalize=render.visible, auto_reload=False)
    env.filters.update(safe_url=render.safe_url, css=render.css_class, part=render.path_part,
                       marked=render.marked_html)
    env.globals.update(context_html=render.context_html, radius=render.marker_radius)
    return env


def _wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json") or request.url.path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "text/html" not in accept


def create_app(db: str, outlets: str | Path | None = None) -> FastAPI:
    """A FastAPI app serving the store at ``db`` read-only (no write endpoints).

    ``outlets``: the user's outlet file extending the outlet directory (default: the ``outlets`` setting)."""
    directory = load_directory(outlets if outlets is not None else Settings().outlets or None)
    store = open_read_only(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="storyline", lifespan=lifespan, version="1",
                  description="A sourced record of developing news stories: stories, timelines, events, entities, "
                              "articles, outlets, claims and conflicts. Every HTML page has a JSON twin at the same "
                              "path plus `.json`.",
                  docs_url=None, redoc_url=None)  # the bundled docs UIs load from a CDN; /api lists the routes
    app.state.store = store
    app.state.directory = directory
    env = make_environment()
    name = store_name(store)

    def page_url(request: Request, **changes: Any) -> str:
        params = dict(request.query_params)
        params.update({k: str(v) for k, v in changes.items()})
        params = {k: v for k, v in params.items() if v != ""}
        return quote(request.url.path) + ("?" + urlencode(params) if params else "")

    def render_page(request: Request, template: str, context: dict, status_code: int = 200) -> HTMLResponse:
        json_url = context.pop("json_url", None)
        if json_url is None:
            json_url = quote(request.url.path) + ".json" + (f"?{request.url.query}" if request.url.query else "")
        html = env.get_template(template).render(
            request=request, store_name=name, json_url=json_url, params=request.query_params,
            page_url=lambda **changes: page_url(request, **changes), **context)
        return HTMLResponse(html, status_code=status_code)

    app.state.render = render_page

    def error(request: Request, status: int, code: str, message: str, details: list | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": {"status": status, "code": code, "message": message,
                                           "details": details or []}}, status_code=status)
        return render_page(request, "error.html", {"status": status, "code": code, "message": message,
                                                   "json_url": None}, status_code=status)

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError) -> Response:
        status = {E.NO_SUCH_ITEM: 404, E.BAD_STORE_URL: 503}.get(exc.kind, 400)
        message = str(exc).removesuffix(f" [{exc.kind.code}]")  # the code is shown once, beside the message
        if exc.kind is E.BAD_QUERY and not _wants_json(request):  # the search page again, saying what to fix
            data = {"q": request.query_params.get("q", ""), "total": 0, "limit": 0, "offset": 0, "items": []}
            return render_page(request, "search.html", {"data": data, "error": message, "code": exc.kind.code},
                               status_code=status)
        return error(request, status, exc.kind.code, message)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        return error(request, 400, "bad_parameter", str(exc), [{"loc": ["query", exc.name], "msg": exc.message}])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e.get("type", "")}
                   for e in exc.errors()]
        message = "; ".join(f"{d['loc'][-1] if d['loc'] else '?'}: {d['msg']}" for d in details)
        return error(request, 422, "bad_parameter", message or "invalid request", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> Response:
        logger.exception("failed to answer %s", request.url.path, exc_info=exc)
        return error(request, 500, "internal_error", "the server could not answer this request; see its log")

    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
    return app
