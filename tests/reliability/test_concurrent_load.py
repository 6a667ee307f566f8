"""The web server keeps answering while ``storyline run`` writes a few hundred articles into its store.

``storyline serve`` (uvicorn) runs in one process on 127.0.0.1, ``storyline run`` in another, and a
small asyncio/httpx client drives a bounded load of API and page requests until the writer is
done: no 5xx and no connection errors, and afterwards the server sees every article.
"""
from __future__ import annotations

import asyncio
import random
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from rel_support import cli_env, make_corpus, start_cli, storyline_command
from storyline.store import Store

pytestmark = pytest.mark.slow

VARIANTS = 20  # x 16 articles
MAX_REQUESTS = 2000
WORKERS = 4
PAUSE = 0.1  # seconds between a worker's requests: spreads the load over the whole write
TIME_LIMIT = 240.0
LISTS = ["/stories.json", "/stories", "/events.json?limit=50", "/events.json?type=meeting", "/entities.json",
         "/entities.json?type=PERSON", "/articles.json", "/articles?limit=20", "/outlets.json", "/claims.json",
         "/conflicts.json", "/search.json?q=talks", "/search?q=framework", "/api", "/openapi.json",
         "/static/style.css", "/events?undated=true"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Load:
    def __init__(self, base: str, writer: subprocess.Popen, rng: random.Random):
        self.base, self.writer, self.rng = base, writer, rng
        self.served = self.during_write = self.stale = 0
        self.errors: list[str] = []
        self.ids: dict[str, list[str]] = {"stories": [], "events": [], "entities": [], "articles": []}

    def next_path(self) -> tuple[str, bool]:
        """(path, whether it is a detail page of an id seen in an earlier list)."""
        kinds = [k for k, ids in self.ids.items() if ids]
        if kinds and self.rng.random() < 0.5:
            kind = self.rng.choice(kinds)
            item = self.rng.choice(self.ids[kind])
            suffix = self.rng.choice([".json", ""])
            if kind == "stories" and self.rng.random() < 0.3:
                return f"/stories/{item}/new{suffix}?since=2000-01-01", True
            return f"/{kind}/{item}{suffix}", True
        return self.rng.choice(LISTS), False

    def remember(self, path: str, response: httpx.Response) -> None:
        kind = path.split("?")[0].strip("/").removesuffix(".json")
        if kind in self.ids and response.headers.get("content-type", "").startswith("application/json"):
            items = response.json().get("items", [])
            if items:
                self.ids[kind] = [str(i["id"]) for i in items[:50]]

    async def worker(self, client: httpx.AsyncClient, deadline: float) -> None:
        while self.served + len(self.errors) < MAX_REQUESTS and time.monotonic() < deadline:
            writing = self.writer.poll() is None
            if not writing and self.during_write:
                return  # the write is over: the load has done its job
            path, detail = self.next_path()
            try:
                response = await client.get(path,
                                            headers={"accept": self.rng.choice(["application/json", "text/html"])})
            except httpx.HTTPError as exc:
                self.errors.append(f"{path}: {type(exc).__name__} {exc}")
                continue
            if response.status_code >= 500:
                self.errors.append(f"{path}: HTTP {response.status_code} {response.text[:200]}")
            elif response.status_code == 404 and detail:
                self.stale += 1  # an id from an earlier list, gone in a rebuild since: a correct answer
                self.served += 1
            elif response.status_code >= 400:
                self.errors.append(f"{path}: HTTP {response.status_code} {response.text[:200]}")
            else:
                self.served += 1
                self.remember(path, response)
            self.during_write += writing
            await asyncio.sleep(PAUSE)

    async def run(self) -> None:
        deadline = time.monotonic() + TIME_LIMIT
        # uvicorn closes a connection idle for 5 s; a client that kept it longer could send its next request
        # into the closing socket (a ReadError no server can prevent): drop idle connections after 2 s
        limits = httpx.Limits(max_connections=WORKERS, max_keepalive_connections=WORKERS, keepalive_expiry=2.0)
        async with httpx.AsyncClient(base_url=self.base, timeout=30.0, limits=limits) as client:
            await asyncio.gather(*(self.worker(client, deadline) for _ in range(WORKERS)))


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, int]:
    folder = tmp_path / "corpus"
    return folder, make_corpus(folder, VARIANTS)


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/stories.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not start: {log.read_text()}")


def test_server_answers_while_a_run_writes(corpus, tmp_path, reliability):
    folder, total = corpus
    db = tmp_path / "live.db"
    Store(str(db)).close()  # an empty, migrated store for the server to open
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # readers never wait for the writer
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with open(log, "w") as server_log:
        server = subprocess.Popen(storyline_command() + ["serve", "--db", str(db), "--port", str(port)], cwd=tmp_path,
                                  env=cli_env(), stdout=server_log, stderr=subprocess.STDOUT)
    writer = None
    try:
        wait_until_serving(base, server, log)
        writer = start_cli(["run", str(folder), "--db", str(db)], tmp_path)
        load = Load(base, writer, random.Random(20140303))
        started = time.monotonic()
        asyncio.run(load.run())
        elapsed = time.monotonic() - started
        _, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        # once the write is over, the server sees all of it
        after = httpx.get(f"{base}/articles.json?limit=1", timeout=10).json()
        assert after["total"] == total
        assert httpx.get(f"{base}/stories.json", timeout=10).json()["total"] >= 1
    finally:
        if writer is not None and writer.poll() is None:
            writer.kill()
            writer.communicate()
        server.terminate()
        server.wait(timeout=30)
    reliability.add("requests served", load.served)
    reliability.add("errors", len(load.errors))
    reliability.note("load", f"{load.served} answers ({load.during_write} while writing, {load.stale} stale ids "
                             f"answered 404) in {elapsed:.0f}s, {len(load.errors)} errors")
    assert load.errors == [], (load.errors[:10], log.read_text()[-3000:])
    assert load.during_write >= 200, "the load did not overlap the write"
