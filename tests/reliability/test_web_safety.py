"""The web app serves nothing outside its static folder and writes nothing (complements test_web_api.py).

Path traversal is tried on every file-serving route (``/static``): in-process with raw ASGI paths
(as a server hands them over, decoded or not) and over a real socket to uvicorn.  Read-only: no route
takes POST, PUT, PATCH or DELETE, the store's connections refuse every write (even after
``PRAGMA query_only=OFF``), and serving a crawl of every page leaves the store file byte for byte as it was.
"""
from __future__ import annotations

import asyncio
import hashlib
import inspect
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest
import uvicorn
from fastapi.routing import APIRoute
from starlette.routing import Mount
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app as cli_app
from storyline.cli.commands import demo_corpus
from storyline.settings import Settings
from storyline.store import Store
from storyline.web.app import create_app

pytestmark = pytest.mark.slow

WEB = Path(create_app.__code__.co_filename).parent
STATIC = WEB / "static"
TRAVERSALS = [
    "/static/../../etc/passwd", "/static/../app.py", "/static/../../store/__init__.py",
    "/static/%2e%2e/%2e%2e/etc/passwd", "/static/%2e%2e/app.py", "/static/%2E%2E/app.py", "/static/..%2fapp.py",
    "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/static/%252e%252e/app.py", "/static/%252e%252e%252fapp.py",
    "/static/..\\app.py", "/static/..%5capp.py", "/static/%5c..%5c..%5cetc%5cpasswd", "/static/..%255capp.py",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static///etc/passwd", "/static/C:\\Windows\\win.ini",
    "/static/C:/Windows/win.ini", "/static/c%3a%5cwindows%5cwin.ini", "/static/....//....//etc/passwd",
    "/static/.../app.py", "/static/style.css/../../app.py", "/static/style.css/..%2f..%2fapp.py",
    "/static/%00../app.py", "/static/app.js%00.css", "/static/./../app.py", "/static/..;/app.py",
    "/static/%c0%ae%c0%ae/app.py", "/static/%e0%80%ae%e0%80%ae/app.py", "/static/\u2025/app.py",
    "/static/%ef%bc%8e%ef%bc%8e/app.py", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/static/../templates/base.html", "/static/../../../../../../../../../../etc/passwd",
    "/static/" + "../" * 40 + "etc/passwd", "/static/~/.ssh/id_rsa", "/static/%7e/.bashrc",
    "/static/../__pycache__/app.cpython-311.pyc", "/static/../../data/noise.yaml",
]


def secrets() -> list[bytes]:
    """Bytes that must never appear in a response: files next to the static folder, and /etc/passwd."""
    found = [b"root:x:0:0"]
    for path in [WEB / "app.py", WEB / "views.py", WEB.parent / "store" / "__init__.py",
                 WEB / "templates" / "base.html"]:
        found.append(path.read_bytes()[:200])
    return found


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("websafety") / "demo.db")
    store = Store(path)
    ingested, _ = pipeline.run([str(demo_corpus())], store, Settings(db=path, progress=False))
    assert not ingested.errors
    store.close()  # checkpoints: the file is complete, with no WAL beside it
    return path


async def asgi_get(web, raw_path: bytes, decoded: bool) -> tuple[int, bytes]:
    """One GET through the ASGI app, with the path as a server would pass it (percent-decoded or not)."""
    text = raw_path.decode("latin-1")
    path = unquote(text) if decoded else text
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": raw_path, "root_path": "", "query_string": b"",
             "headers": [(b"host", b"storyline.test")], "server": ("storyline.test", 80), "client": ("127.0.0.1", 9)}
    status, body = 0, b""
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    await web(scope, receive, send)
    return status, body


@pytest.mark.parametrize("decoded", [True, False], ids=["decoded", "raw"])
def test_static_route_never_serves_outside_its_folder_in_process(demo_db, decoded, reliability):
    web = create_app(demo_db)
    try:
        for raw in TRAVERSALS:
            status, body = asyncio.run(asgi_get(web, raw.encode("utf-8"), decoded))
            reliability.add("hostile requests refused")
            assert status in (400, 404, 405), (raw, status, body[:200])
            assert not any(secret in body for secret in secrets()), raw
        status, body = asyncio.run(asgi_get(web, b"/static/style.css", decoded))
        assert status == 200 and body == (STATIC / "style.css").read_bytes()
    finally:
        web.state.store.close()


@pytest.fixture(scope="module")
def live(demo_db):
    """uvicorn serving the demo store on 127.0.0.1, in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    web = create_app(demo_db)
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port
    server.should_exit = True
    thread.join(10)
    web.state.store.close()


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """A GET with the request target sent byte for byte (no client-side normalisation of ``..``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_static_route_never_serves_outside_its_folder_over_http(live, reliability):
    for target in TRAVERSALS + ["/static/" + quote("../app.py", safe=""), "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd"]:
        status, body = raw_get(live, target)
        reliability.add("hostile requests refused")
        assert status in (400, 404, 405), (target, status, body[:200])
        assert not any(secret in body for secret in secrets()), target
    status, body = raw_get(live, "/static/app.js")
    assert status == 200 and body == (STATIC / "app.js").read_bytes()


def test_absolute_form_and_odd_request_targets(live):
    for target in ["http://127.0.0.1/static/../app.py", "file:///etc/passwd", "*", "/static/%"]:
        status, body = raw_get(live, target)
        assert status in (400, 404, 405), (target, status)
        assert not any(secret in body for secret in secrets()), target


# ------------------------------------------------------------------ read-only
def all_routes(routes) -> list:
    """Every route, with included routers expanded (FastAPI keeps an included router as one entry)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found.extend(all_routes(inner.routes) if inner is not None else [route])
    return found


def route_paths(web) -> list[str]:
    paths = []
    for route in all_routes(web.routes):
        if isinstance(route, Mount):
            paths.append("/static/style.css")
            continue
        path = getattr(route, "path", None)
        if path:
            paths.append(path.replace("{story_id}", "s1").replace("{event_id}", "v1").replace("{entity_id}", "e1")
                         .replace("{article_id}", "d01").replace("{name}", "Harbour%20Wire"))
    return paths


def test_no_route_accepts_a_write_method(demo_db, reliability):
    web = create_app(demo_db)
    try:
        for route in all_routes(web.routes):
            if isinstance(route, APIRoute) or getattr(route, "methods", None):
                assert set(route.methods) <= {"GET", "HEAD"}, (route.path, route.methods)

        async def attempt() -> list[tuple[str, str, int]]:
            transport = httpx.ASGITransport(app=web)
            async with httpx.AsyncClient(transport=transport, base_url="http://storyline.test") as client:
                answers = []
                for path in route_paths(web):
                    for method in ("POST", "PUT", "PATCH", "DELETE"):
                        response = await client.request(method, path, json={"title": "changed"})
                        answers.append((method, path, response.status_code))
                return answers

        answers = asyncio.run(attempt())
        reliability.add("hostile requests refused", len(answers))
        assert len(answers) >= 4 * 25
        assert all(status == 405 for _, _, status in answers), [a for a in answers if a[2] != 405]
    finally:
        web.state.store.close()


WRITES = ["INSERT INTO meta(key, value) VALUES ('x', '1')", "UPDATE articles SET title = 'changed'",
          "DELETE FROM articles", "CREATE TABLE intruder(a)", "DROP TABLE meta", "PRAGMA user_version = 5",
          "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')", "VACUUM"]


@pytest.mark.parametrize("sql", WRITES)
def test_the_apps_store_connection_refuses_writes(demo_db, sql):
    web = create_app(demo_db)
    try:
        with web.state.store.engine.connect() as conn, \
                pytest.raises(Exception, match="readonly|read-only|query_only"):
            conn.exec_driver_sql(sql)
            conn.commit()
    finally:
        web.state.store.close()


def test_writes_stay_refused_after_query_only_is_switched_off(demo_db):
    """The file itself is opened read-only: a connection that turns PRAGMA query_only off still cannot write."""
    web = create_app(demo_db)
    try:
        with web.state.store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA query_only = OFF")
            with pytest.raises(Exception, match="readonly|read-only"):
                conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES ('y', '1')")
                conn.commit()
        store = web.state.store
        for write in (lambda: store.record_problem("web", "S000", "no"), lambda: store.set_meta("k", 1)):
            with pytest.raises(Exception, match="readonly|read-only"):
                write()
    finally:
        web.state.store.close()


def test_serving_every_page_leaves_the_store_file_unchanged(demo_db, reliability):
    before = hashlib.sha256(Path(demo_db).read_bytes()).hexdigest()
    web = create_app(demo_db)

    async def crawl() -> int:
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://storyline.test") as client:
            count = 0
            lists = ["/stories", "/events", "/entities", "/articles", "/outlets", "/claims", "/conflicts",
                     "/search?q=Saltmere", "/api"]
            for path in lists:
                for suffix in ("", ".json"):
                    target = (path.replace("?", f"{suffix}?") if "?" in path
                              else path + (suffix if path != "/api" else ""))
                    response = await client.get(target)
                    assert response.status_code == 200, target
                    count += 1
            for kind in ("stories", "events", "entities", "articles"):
                for item in (await client.get(f"/{kind}.json?limit=500")).json()["items"]:
                    for suffix in ("", ".json"):
                        response = await client.get(f"/{kind}/{quote(str(item['id']), safe='')}{suffix}")
                        assert response.status_code == 200, (kind, item["id"])
                        count += 1
            return count

    try:
        served = asyncio.run(crawl())
    finally:
        web.state.store.close()
    reliability.add("read-only requests", served)
    assert served > 100
    assert hashlib.sha256(Path(demo_db).read_bytes()).hexdigest() == before


def test_serve_is_local_and_read_only_by_default():
    command = next(c for c in cli_app.registered_commands if (c.name or c.callback.__name__) == "serve")
    defaults = {name: p.default.default for name, p in inspect.signature(command.callback).parameters.items()
                if hasattr(p.default, "default")}
    assert defaults["host"] == "127.0.0.1"
    help_text = CliRunner().invoke(cli_app, ["serve", "--help"]).output
    assert "read-only" in help_text
