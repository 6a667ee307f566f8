"""One local HTTP server for the tests that fetch, poll feeds or post webhooks.

Each test module writes only its routes, as a ``QuietHandler`` subclass; the server, its thread and
its shutdown come from here, through the ``http_server`` / ``module_http_server`` fixtures of
conftest.py::

    @pytest.fixture(scope="module")
    def server(module_http_server):
        return module_http_server(Handler)
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer(ThreadingHTTPServer):
    """A threaded server on a free loopback port, with lists a handler records into."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)
        self.log: list[tuple[str, dict]] = []  # (path, headers) of each request, if the handler records it
        self.hits: list[str] = []
        self.requests: list[tuple[str, str | None]] = []
        self.posts: list[tuple[str, str | None, bytes]] = []
        self.items: list[str] = []  # what a feed route serves, set by the test
        self.stop = threading.Event()  # set at shutdown: slow routes wait on it, so nothing hangs

    def handle_error(self, request, client_address):
        pass  # a client that timed out leaves a broken pipe behind

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing and answers with ``send``."""

    server: LocalServer

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def send(self, status: int, body: bytes | str = b"", content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None, length: bool = True) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving_many() -> Iterator[Callable[[type[BaseHTTPRequestHandler]], LocalServer]]:
    """A function that starts a LocalServer for a handler; every server started is shut down at exit."""
    started: list[tuple[LocalServer, threading.Thread]] = []

    def start(handler: type[BaseHTTPRequestHandler]) -> LocalServer:
        server = LocalServer(handler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    try:
        yield start
    finally:
        for server, thread in started:
            server.stop.set()
            server.shutdown()
            server.server_close()
            thread.join(5)
