"""storyline watch: sources files, polling with ETags, backoff, folders, signals, --once.

Feeds come from a real HTTP server on 127.0.0.1 (so sources set
``allow_private``); the items are fictional.  Feed items carry no link, so
an article's id comes from its text and no linked page is fetched.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from http_helpers import LocalServer, QuietHandler
from storyline.article import analyze
from storyline.cli import app, main
from storyline.errors import StorylineError
from storyline.read import queries
from storyline.settings import Settings
from storyline.store import Store
from storyline.watch import BACKOFF_CAP, PENDING_KEY, Source, Watcher, backoff_delay, json_logging, load_sources

runner = CliRunner()

ITEMS = {
    "ebbing": ("Ebbing opens harbour office", "Mon, 03 Mar 2014 09:00:00 GMT",
               "Tomas Ebbing visited Corvel on Monday to open the new harbour office, his spokesman said."),
    "plan": ("Dunca and Vrastek to meet in Saltmere", "Wed, 05 Mar 2014 09:00:00 GMT",
             "Foreign Minister Mirela Dunca and Pavel Vrastek will meet in Saltmere on Friday to discuss the "
             "fishing dispute, officials said."),
    # Event ids hash the alphabetically first source article; this text's id sorts after the plan's,
    # so the merged event keeps its id and the change is recorded as a status change (see the report).
    "held": ("Dunca and Vrastek meet in Saltmere", "Sat, 08 Mar 2014 09:00:00 GMT",
             "Mirela Dunca met Pavel Vrastek in Saltmere on Friday. The talks on fishing quotas lasted two "
             "hours, the two sides said."),
}


PAGE = ("<!DOCTYPE html><html><head><title>Saltmere talks resume</title></head><body><article>"
        "<h1>Saltmere talks resume</h1><p>Mirela Dunca and Pavel Vrastek resumed their talks in Saltmere on "
        "Monday, officials said. The fishing dispute has lasted a decade.</p></article></body></html>")


def rss(keys: list[str], title: str = "Saltmere Courier") -> bytes:
    items = "".join(
        f"<item><title>{ITEMS[k][0]}</title><guid isPermaLink='false'>{k}</guid><pubDate>{ITEMS[k][1]}</pubDate>"
        f"<description>{ITEMS[k][2]}</description></item>" for k in keys)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<link>https://courier.example/</link><description>News</description>{items}</channel></rss>"
            ).encode()


class Handler(QuietHandler):

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("If-None-Match")))
        if self.path == "/feed.xml":
            body = rss(self.server.items)
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag})
            else:
                self._send(200, body, {"ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"})
        elif self.path == "/page.html":  # no ETag, no Last-Modified
            self._send(200, PAGE.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
        elif self.path == "/error":
            self._send(500, b"<p>server error</p>", {"Content-Type": "text/html"})
        elif self.path == "/hang":
            self.server.stop.wait(10)
            self._send(200, rss(["ebbing"]), {"Content-Type": "application/rss+xml"})
        elif self.path == "/garbage":
            self._send(200, bytes(range(256)) * 8, {"Content-Type": "application/rss+xml", "ETag": '"junk"'})
        else:
            self._send(404, b"no route")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.posts.append((self.path, self.headers.get("Content-Type"), self.rfile.read(length)))
        self._send(204)


@pytest.fixture
def server(http_server) -> LocalServer:
    return http_server(Handler)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("STORYLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("STORYLINE_PROGRESS", "0")
    monkeypatch.chdir(tmp_path)  # no storyline.toml from elsewhere


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    with json_logging("info", buffer):
        yield buffer


def records(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def feed_source(server: LocalServer, path: str = "/feed.xml", name: str = "courier", interval: float = 1.0) -> Source:
    return Source(name, url=server.url(path), interval=interval, allow_private=True)


# ------------------------------------------------------------------ sources file
def test_sources_file_forms_and_defaults(tmp_path):
    (tmp_path / "inbox").mkdir()
    path = tmp_path / "sources.yaml"
    path.write_text("- https://courier.example/feed.xml\n"
                    "- url: https://herald.example/rss\n  name: Herald\n  interval: 120\n"
                    "- path: inbox\n  allow_private: false\n"
                    "- {url: 'http://10.0.0.5/feed', allow_private: true, interval: 2.5}\n", encoding="utf-8")
    sources = load_sources(path, default_interval=600)
    assert [s.name for s in sources] == ["https://courier.example/feed.xml", "Herald", "inbox", "http://10.0.0.5/feed"]
    assert [s.interval for s in sources] == [600, 120, 600, 2.5]
    assert sources[2].path == str((tmp_path / "inbox").resolve()) and sources[2].url is None
    assert sources[3].allow_private and not sources[0].allow_private
    assert sources[1].key == "watch:https://herald.example/rss"
    long = Source("long", url="https://courier.example/" + "x" * 200)
    assert len(long.key) == 80 and long.key.startswith("watch:https://courier.example/")
    # a mapping with a 'sources' list is accepted too
    path.write_text("sources:\n  - url: https://courier.example/feed.xml\n", encoding="utf-8")
    assert len(load_sources(path)) == 1


@pytest.mark.parametrize("content, problem", [
    ("- url: https://a.example/feed\n  intervall: 60\n", "source 1: unknown key 'intervall'"),
    ("- name: nothing\n", "source 1: needs exactly one of 'url' or 'path'"),
    ("- url: https://a.example/feed\n  path: inbox\n", "needs exactly one of 'url' or 'path'"),
    ("- url: ftp://a.example/feed\n", "url 'ftp://a.example/feed' must start with http:// or https://"),
    ("- url: https://a.example/feed\n  interval: 0\n", "interval must be a number of seconds >= 1"),
    ("- url: https://a.example/feed\n  interval: soon\n", "interval must be a number of seconds"),
    ("- url: https://a.example/feed\n  allow_private: maybe\n", "allow_private must be true or false"),
    ("- https://a.example/feed\n- https://a.example/feed\n", "source 2: https://a.example/feed is already source 1"),
    ("- {url: 'https://a.example/1', name: A}\n- {url: 'https://a.example/2', name: A}\n", "name 'A' is already used"),
    ("- 42\n", "source 1: expected a mapping with 'url' or 'path', not int"),
    ("url: https://a.example/feed\n", "expected a list of sources"),
    ("", "expected a list of sources"),
    ("- url: [unclosed\n", "YAML syntax error at line 2"),
])
def test_bad_sources_file_is_one_clear_error(tmp_path, content, problem):
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StorylineError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: sources file is not valid (") and problem in message
    assert "\n" not in message


def test_bad_sources_file_on_the_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "sources.yaml"
    path.write_text("- url: https://a.example/feed\n  every: 60\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["storyline", "watch", str(path), "--once", "--db", str(tmp_path / "s.db")])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"storyline: {path}: sources file is not valid")
    assert "unknown key 'every'" in err
    monkeypatch.setattr(sys, "argv", ["storyline", "watch", str(tmp_path / "missing.yaml"), "--once"])
    with pytest.raises(SystemExit):
        main()
    assert "missing.yaml: sources file is not valid (no such file)" in capsys.readouterr().err


def test_an_edited_sources_file_is_picked_up_and_a_broken_edit_ignored(db, tmp_path, logs):
    path = tmp_path / "sources.yaml"
    path.write_text("- https://courier.example/feed.xml\n", encoding="utf-8")
    watcher = Watcher(Store(db), load_sources(path), Settings(db=db), sources_file=path, default_interval=300)
    assert not watcher.reload_sources()  # unchanged
    path.write_text("- https://courier.example/feed.xml\n- url: https://herald.example/rss\n  name: Herald\n",
                    encoding="utf-8")
    assert watcher.reload_sources()
    assert [(s.name, s.interval) for s in watcher.sources] == [("https://courier.example/feed.xml", 300),
                                                                 ("Herald", 300)]
    assert watcher.due_in(watcher.sources[1]) == 0  # a new source is polled at once
    path.write_text("- url: https://herald.example/rss\n  name: [oops\n", encoding="utf-8")
    assert not watcher.reload_sources() and len(watcher.sources) == 2
    [warning] = [r for r in records(logs) if r["event"] == "sources_invalid"]
    assert warning["level"] == "warning" and f"{path}: sources file is not valid" in warning["error"]


def test_backoff_doubles_per_failure_and_is_capped():
    assert backoff_delay(60, 0) == 60
    assert [backoff_delay(60, n) for n in (1, 2, 3)] == [120, 240, 480]
    assert backoff_delay(60, 50) == BACKOFF_CAP
    assert backoff_delay(7200, 3) == 7200  # a source polled less often than the cap is never slowed further


# ------------------------------------------------------------------ feeds
@pytest.mark.slow
def test_feed_only_new_items_are_ingested_and_the_digest_says_what_changed(server, db, logs):
    store = Store(db)
    source = feed_source(server)
    watcher = Watcher(store, [source], Settings(db=db))

    server.items = ["ebbing"]
    first = watcher.cycle()
    assert first.polls[0].status == "new" and first.added == 1 and queries.count(store, "articles") == 1

    # nothing changed: the server answers 304 to the stored ETag and nothing is ingested or processed
    again = watcher.cycle()
    assert again.polls[0].status == "not_modified" and again.added == 0 and again.processed is None
    assert server.requests[-1][1] is not None and again.news["empty"]

    # (a) a new item announcing a meeting: one new article, one new event, nothing else about events
    server.items = ["ebbing", "plan"]
    planned = watcher.cycle()
    poll = planned.polls[0]
    assert (poll.items, poll.new, poll.added, poll.existing) == (2, 1, 1, 0)
    assert queries.count(store, "articles") == 2
    news = planned.news
    assert [(e["type"], e["date"], e["status"], e["place"]) for e in news["new_events"]] == [
        ("meeting", "2014-03-07", "scheduled", "Saltmere")]
    assert set(news["new_events"][0]["participants"]) == {"Mirela Dunca", "Pavel Vrastek"}
    assert news["status_changes"] == []
    assert [a["title"] for a in news["new_articles"]] == ["Dunca and Vrastek to meet in Saltmere"]
    assert {"Mirela Dunca", "Pavel Vrastek"} <= {e["name"] for e in news["new_entities"]}
    assert news["new_events"][0]["line"].startswith("New meeting on 2014-03-07 (scheduled): ")

    # (b) a report that the meeting was held: the same event, now happened
    server.items = ["ebbing", "plan", "held"]
    held = watcher.cycle()
    assert held.added == 1 and queries.count(store, "articles") == 3
    news = held.news
    assert news["new_events"] == []
    assert [(c["type"], c["date"], c["from"], c["to"]) for c in news["status_changes"]] == [
        ("meeting", "2014-03-07", "scheduled", "happened")]
    assert news["status_changes"][0]["line"].startswith("The meeting on 2014-03-07 took place (was scheduled): ")
    meetings = [e for e in queries.timeline(store) if e["type"] == "meeting"]
    assert [(e["date"], e["status"]) for e in meetings] == [("2014-03-07", "happened")]

    # a restart continues from the stored state: same ETag, so 304 again
    state = store.get_meta(source.key)
    assert state["etag"] and state["failures"] == 0 and state["seen"] == ["ebbing", "plan", "held"]
    restarted = Watcher(store, [source], Settings(db=db)).cycle()
    assert restarted.polls[0].status == "not_modified" and queries.count(store, "articles") == 3

    polls = [r for r in records(logs) if r["event"] == "poll"]
    assert [p["status"] for p in polls] == ["new", "not_modified", "new", "new", "not_modified"]
    assert polls[2]["source"] == "courier" and polls[2]["counts"]["added"] == 1
    assert all({"time", "level", "event"} <= set(r) for r in records(logs))
    assert [r["counts"]["status_changes"] for r in records(logs) if r["event"] == "digest"][-1] == 1


@pytest.mark.slow
def test_failing_sources_do_not_stop_the_others(server, db, logs, tmp_path):
    server.items = ["plan"]
    store = Store(db)
    sources = [feed_source(server, "/error", "broken", 10), feed_source(server, "/hang", "hanging", 10),
               feed_source(server, "/garbage", "garbage", 10), Source("gone", path=str(tmp_path / "nowhere")),
               feed_source(server, "/feed.xml", "courier", 10)]
    watcher = Watcher(store, sources, Settings(db=db, fetch_timeout=1.0))
    started = time.monotonic()
    report = watcher.cycle()
    assert time.monotonic() - started < 20  # the hang is cut off by the fetch timeout
    status = {p.source: p.status for p in report.polls}
    assert status == {"broken": "failed", "hanging": "failed", "garbage": "failed", "gone": "failed",
                      "courier": "new"}
    assert report.added == 1 and report.failed and queries.count(store, "articles") == 1
    assert report.processed is not None and report.news["counts"]["new_events"] == 1

    errors = {r["source"]: r["error"] for r in records(logs) if r["event"] == "poll" and r["level"] == "warning"}
    assert "HTTP 500" in errors["broken"]
    assert "timed out after 1s" in errors["hanging"]
    assert "feed cannot be parsed" in errors["garbage"]
    assert "no such file or folder" in errors["gone"]
    # failures back off exponentially, per source; garbage never stored the ETag it came with
    broken = store.get_meta(sources[0].key)
    assert broken["failures"] == 1 and "HTTP 500" in broken["last_error"]
    assert store.get_meta(sources[2].key)["etag"] is None
    assert next(p for p in report.polls if p.source == "broken").next_poll_in == 20.0
    assert watcher.due_in(sources[0]) > watcher.due_in(sources[4]) + 5  # polled first, due last
    again = watcher.cycle([sources[0], sources[4]])
    assert [p.status for p in again.polls] == ["failed", "not_modified"]
    assert again.polls[0].next_poll_in == 40.0 and store.get_meta(sources[0].key)["failures"] == 2


def test_a_page_without_validators_is_unchanged_when_its_body_is(server, db):
    store = Store(db)
    source = feed_source(server, "/page.html", "page")
    watcher = Watcher(store, [source], Settings(db=db))
    first = watcher.poll(source)
    assert (first.status, first.added) == ("new", 1) and queries.count(store, "articles") == 1
    again = watcher.poll(source)
    assert (again.status, again.items, again.added, again.existing) == ("unchanged", 0, 0, 0)
    assert store.get_meta(source.key)["etag"] is None and store.get_meta(source.key)["body_sha1"]


# ------------------------------------------------------------------ folders
def test_folder_only_new_and_changed_files_are_read(db, tmp_path, logs):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text("Tomas Ebbing visited Corvel on Monday.\n", encoding="utf-8")
    (inbox / "two.txt").write_text("Pavel Vrastek spoke in Saltmere on Tuesday.\n", encoding="utf-8")
    (inbox / ".draft.txt").write_text("hidden files are never read\n", encoding="utf-8")
    store = Store(db)
    source = Source("inbox", path=str(inbox))
    watcher = Watcher(store, [source], Settings(db=db), settle=0)
    first = watcher.poll(source)
    assert (first.status, first.items, first.added) == ("new", 2, 2)
    assert watcher.poll(source).status == "unchanged"

    (inbox / "three.txt").write_text("Mirela Dunca arrived in Saltmere.\n", encoding="utf-8")
    (inbox / "two.txt").write_text("Pavel Vrastek spoke in Saltmere on Tuesday and Wednesday.\n", encoding="utf-8")
    (inbox / "bad.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    third = watcher.poll(source)
    # the changed file keeps its id (its name), so it is a no-op in the store; the binary one is skipped
    assert (third.items, third.added, third.existing, third.skipped) == (3, 1, 1, 1)
    assert third.status == "new" and queries.count(store, "articles") == 3
    assert any(r["event"] == "item_skipped" and "bad.txt" in r["error"] for r in records(logs))
    assert watcher.poll(source).status == "unchanged"  # the bad file is not read again until it changes

    # a file modified just now may still be being written: it waits for the next poll
    patient = Watcher(store, [source], Settings(db=db), settle=60)
    (inbox / "four.txt").write_text("Tomas Ebbing left Corvel.\n", encoding="utf-8")
    assert patient.poll(source).items == 0 and "four.txt" not in store.get_meta(source.key)["files"]


# ------------------------------------------------------------------ the command line
@pytest.mark.slow
def test_once_exit_codes_and_digest(server, tmp_path, db):
    server.items = ["plan"]
    good = tmp_path / "good.yaml"
    good.write_text(f"- url: {server.url('/feed.xml')}\n  name: courier\n  allow_private: true\n", encoding="utf-8")
    digest = tmp_path / "digest.md"
    result = runner.invoke(app, ["watch", str(good), "--once", "--db", db, "--digest", str(digest),
                                 "--webhook", server.url("/hook"), "--allow-private"])
    assert result.exit_code == 0, result.output
    assert "New meeting on 2014-03-07 (scheduled)" in result.stdout
    [(path, content_type, body)] = server.posts
    sent = json.loads(body)
    assert path == "/hook" and content_type.startswith("application/json")
    assert [(e["type"], e["date"], e["status"]) for e in sent["new_events"]] == [("meeting", "2014-03-07", "scheduled")]
    logged = [json.loads(line) for line in result.stderr.splitlines()]
    assert [r["event"] for r in logged][0] == "watch_started" and logged[-1]["event"] == "watch_stopped"
    assert "## New events" in digest.read_text(encoding="utf-8")

    # nothing new: silent on stdout (cron sends no mail), still exit 0
    quiet = runner.invoke(app, ["watch", str(good), "--once", "--db", db, "--webhook", server.url("/hook"),
                                "--allow-private"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and len(server.posts) == 1  # no empty webhook either

    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8") + f"- url: {server.url('/error')}\n  allow_private: true\n",
                   encoding="utf-8")
    failed = runner.invoke(app, ["watch", str(bad), "--once", "--db", db, "--json"])
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["empty"] is True
    assert any(json.loads(line).get("error", "").endswith("(HTTP 500) [S011]") for line in failed.stderr.splitlines())

    # without allow_private the loopback feed is refused, and that is a failure too
    refused = tmp_path / "refused.yaml"
    refused.write_text(f"- {server.url('/feed.xml')}\n", encoding="utf-8")
    blocked = runner.invoke(app, ["watch", str(refused), "--once", "--db", db])
    assert blocked.exit_code == 1 and "refused to fetch a loopback" in blocked.stderr


def _storyline() -> list[str]:
    script = Path(sys.executable).with_name("storyline")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from storyline.cli import main; main()"]


class Running:
    """A `storyline watch` subprocess whose stderr (JSON lines) is collected in a thread."""

    def __init__(self, args: list[str], cwd: Path):
        env = {**os.environ, "STORYLINE_PROGRESS": "0"}
        self.proc = subprocess.Popen(_storyline() + args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stderr
        for line in self.proc.stderr:
            self.raw.append(line)
            self.lines.append(json.loads(line))

    def wait_for(self, predicate, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for record in list(self.lines):
                if predicate(record):
                    return record
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.proc.kill()
        raise AssertionError(f"no such log line; got {''.join(self.raw)}")

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self.thread.join(5)
        return code


@pytest.mark.slow
@pytest.mark.sqlite_only("checks the SQLite file with PRAGMA integrity_check after the process is stopped")
def test_signals_stop_watch_cleanly_and_a_restart_continues(server, tmp_path, db):
    server.items = ["ebbing", "plan"]
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"- url: {server.url('/feed.xml')}\n  name: courier\n  interval: 1\n  allow_private: true\n",
                       encoding="utf-8")
    args = ["watch", str(sources), "--db", db]

    # SIGTERM as soon as the first batch is stored: processing, if under way, is finished, not cut
    first = Running(args, tmp_path)
    first.wait_for(lambda r: r["event"] == "poll" and r["status"] == "new")
    assert first.stop(signal.SIGTERM) == 0
    assert first.lines[-1]["event"] == "watch_stopped" and first.lines[-1]["signal"] == "SIGTERM"
    store = Store(db)
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert queries.count(store, "articles") == 2
    finished = any(r["event"] == "processed" for r in first.lines)
    assert finished == (not store.pending_analysis(analyze.VERSION))

    # a restart keeps the ETag (304), processes whatever the first run left, and stops on SIGINT while idle
    second = Running(args, tmp_path)
    second.wait_for(lambda r: r["event"] == "poll" and r["status"] == "not_modified")
    time.sleep(0.3)
    assert second.stop(signal.SIGINT) == 0
    assert second.lines[-1]["event"] == "watch_stopped"
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert not store.pending_analysis(analyze.VERSION) and store.get_meta(PENDING_KEY) is False
    assert [(e["date"], e["status"]) for e in queries.timeline(store) if e["type"] == "meeting"] == [
        ("2014-03-07", "scheduled")]
    assert len([p for p in server.requests if p[0] == "/feed.xml" and p[1] is None]) == 1
