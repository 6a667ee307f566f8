"""URL and feed fetching, and the webhook, against hostile networks (complements tests/test_fetch.py).

Names that look public but resolve to private addresses (a fake resolver), redirects to them, DNS
answers that change between the check and the connection (rebinding), IPv6 and odd IPv4 spellings,
malformed URLs in feeds and redirects, headers trickled to hold a fetch open, compressed bodies that
expand past the size cap, and feed items linking to private addresses.  Local servers listen on
127.0.0.1, so reaching one without ``allow_private`` is the failure these tests look for.
"""
from __future__ import annotations

import gzip
import socket
import time

import httpx
import pytest
from typer.testing import CliRunner

from http_helpers import LocalServer, QuietHandler
from storyline import pipeline
from storyline.cli import app
from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.report.digest import post_webhook
from storyline.settings import Settings
from storyline.sources import iter_sources
from storyline.sources._fetch import check_url, fetch
from storyline.store import Store

PAGE = ("<html><head><title>Valdoria and Ostrava sign accord</title></head><body><article>"
        + "<p>The governments of Valdoria and Ostrava signed an accord on Thursday in Lindenport.</p>" * 3
        + "</article></body></html>")
PUBLIC = "93.184.216.34"
_real_getaddrinfo = socket.getaddrinfo


# ------------------------------------------------------------------ a local server and a fake resolver
class Handler(QuietHandler):

    def _answer(self) -> None:
        self.server.hits.append(self.path)
        if self.path == "/trickle-headers":  # a header line every 0.2 s, for 3 s
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(15):
                if self.server.stop.wait(0.2):
                    return
                try:
                    self.wfile.write(b"X-Slow: a\r\n")
                    self.wfile.flush()
                except OSError:
                    return
            return
        if self.path == "/gzip-bomb":
            body = gzip.compress(b"\0" * 20_000_000)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/short-length":  # declares less than it sends
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"y" * 5000)
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()


@pytest.fixture(scope="module")
def server(module_http_server) -> LocalServer:
    return module_http_server(Handler)


@pytest.fixture
def local(server) -> LocalServer:
    server.hits.clear()
    return server


@pytest.fixture
def dns(monkeypatch):
    """A fake resolver: ``dns["name.example"] = ["10.0.0.5"]``; a list of lists gives one answer per lookup,
    the last one for good (``[["93.184.216.34"], ["127.0.0.1"]]``); other names resolve as usual."""
    table: dict[str, list] = {}

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        if name in table:
            answers = table[name]
            if answers and isinstance(answers[0], list):
                answers = answers.pop(0) if len(answers) > 1 else answers[0]
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (a, port or 0, 0, 0) if ":" in a else (a, port or 0)) for a in answers]
        return _real_getaddrinfo(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


class Recorder:
    """A mock transport: every request it sees, answered by ``respond``."""

    def __init__(self, respond):
        self.seen: list[str] = []
        self.respond = respond

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        return self.respond(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def blocked(url: str, **kwargs) -> StorylineError:
    with pytest.raises(StorylineError) as info:
        fetch(url, timeout=3.0, **kwargs)
    assert info.value.kind is E.FETCH_BLOCKED, info.value
    assert "\n" not in str(info.value) and url in str(info.value)
    return info.value


# ------------------------------------------------------------------ names that resolve to private addresses
@pytest.mark.parametrize("answers", [["10.0.0.5"], ["169.254.169.254"], ["127.0.0.1"], ["::1"], ["::ffff:10.1.2.3"],
                                     ["fd00::5"], ["64:ff9b::a9fe:a9fe"], ["2002:a00:5::1"], ["100.64.0.1"],
                                     [PUBLIC, "10.0.0.5"]])
def test_public_looking_name_resolving_to_a_private_address_is_refused(dns, answers):
    dns["news.example"] = answers
    recorder = Recorder(lambda request: httpx.Response(200, text=PAGE))
    blocked("https://news.example/world/story", transport=recorder.transport)
    assert recorder.seen == []


@pytest.mark.parametrize("target", ["http://intranet.example/admin", "http://[::ffff:10.0.0.1]/", "http://0x7f000001/",
                                    "http://017700000001/", "http://[::1]:8080/", "http://[fd00::1]/",
                                    "http://[64:ff9b::7f00:1]/", "http://127.1/", "//intranet.example/x"])
def test_redirect_from_a_public_name_to_a_private_address_is_refused(dns, target):
    dns["news.example"] = [PUBLIC]
    dns["intranet.example"] = ["10.0.0.5"]
    recorder = Recorder(lambda request: httpx.Response(302, headers={"Location": target}))
    with pytest.raises(StorylineError) as info:
        fetch("https://news.example/start", transport=recorder.transport, timeout=3.0)
    assert info.value.kind is E.FETCH_BLOCKED
    assert recorder.seen == ["https://news.example/start"]


@pytest.mark.parametrize("url", [
    "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:a00:1]/", "http://[::]/",
    "http://[fc00::1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/",
    "http://[64:ff9b:1::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/", "http://[ff02::1]/",
    "http://[100::1]/", "http://[::ffff:169.254.169.254]/", "http://0x7f000001/", "http://017700000001/",
    "http://0177.0.0.1/", "http://127.000.000.001/", "http://0x7f.1/", "http://LOCALHOST/", "http://0/",
    "http://１２７.０.０.１/", "http://user:pass@127.0.0.1/", "http://evil.invalid\\@127.0.0.1/",
])
def test_ipv6_and_odd_ipv4_spellings_of_private_addresses_are_refused(url):
    """Refused as private, or (0177.0.0.1, full-width digits) as URLs the client would not send."""
    with pytest.raises(StorylineError) as info:
        check_url(url, allow_private=False)
    assert info.value.kind in (E.FETCH_BLOCKED, E.FETCH_FAILED)
    if info.value.kind is E.FETCH_FAILED:
        assert "not a valid" in str(info.value)


@pytest.mark.parametrize("url", ["http://[2606:4700:4700::1111]/", "http://[64:ff9b::808:808]/",
                                 "http://[2002:808:808::]/"])
def test_public_ipv6_addresses_are_allowed(url):
    check_url(url, allow_private=False)


@pytest.mark.parametrize("host", ["127.0.0.1.", "localhost.", "[::ffff:127.0.0.1]", "0x7f.0.0.1", "2130706433"])
def test_spellings_of_loopback_never_reach_the_local_server(local, host):
    url = f"http://{host}:{local.server_port}/page"
    with pytest.raises(StorylineError) as info:
        fetch(url, timeout=3.0)
    assert info.value.kind in (E.FETCH_BLOCKED, E.FETCH_FAILED)
    assert local.hits == []


# ------------------------------------------------------------------ DNS rebinding
def test_dns_rebinding_cannot_reach_a_private_address(dns, local):
    """The name resolves to a public address when checked, then to loopback when connecting."""
    dns["rebind.example"] = [[PUBLIC], ["127.0.0.1"]]
    blocked(f"http://rebind.example:{local.server_port}/secret")
    assert local.hits == []


def test_a_name_that_fails_to_resolve_when_checked_is_checked_again_when_connecting(dns, local):
    dns["flaky.example"] = [[], ["127.0.0.1"]]
    blocked(f"http://flaky.example:{local.server_port}/secret")
    assert local.hits == []


def test_allow_private_reaches_a_name_resolving_to_loopback(dns, local):
    """The fake resolver really is used where the socket connects: with allow_private the name gets through."""
    dns["rebind.example"] = ["127.0.0.1"]
    result = fetch(f"http://rebind.example:{local.server_port}/page", timeout=3.0, allow_private=True)
    assert result.status == 200 and local.hits == ["/page"]


# ------------------------------------------------------------------ time and size bounds
def test_headers_trickled_forever_are_cut_off_at_the_timeout(local):
    started = time.monotonic()
    with pytest.raises(StorylineError) as info:
        fetch(f"{local_base(local)}/trickle-headers", timeout=1.0, allow_private=True)
    assert info.value.kind is E.FETCH_FAILED and "timed out" in str(info.value)
    assert time.monotonic() - started < 2.0


def test_a_compressed_body_is_capped_after_decompression(local):
    with pytest.raises(StorylineError) as info:
        fetch(f"{local_base(local)}/gzip-bomb", timeout=10.0, allow_private=True, max_bytes=1_000_000)
    assert info.value.kind is E.FETCH_TOO_LARGE


def test_a_body_longer_than_its_content_length_is_not_read_past_it(local):
    result = fetch(f"{local_base(local)}/short-length", timeout=3.0, allow_private=True, max_bytes=1000)
    assert len(result.content) <= 1000


def local_base(server: LocalServer) -> str:
    return f"http://127.0.0.1:{server.server_port}"


# ------------------------------------------------------------------ malformed URLs
@pytest.mark.parametrize("url", ["http://[::1/", "http://xn--/", "http://a..b/", "http://" + "a" * 300 + ".example/",
                                 "http://a\x00b.example/", "http://\u0661\u0662\u0667.0.0.1/", "https://\ud800.example/",
                                 "http://example.com:99999/", "http://[::1]:abc/"])
def test_malformed_urls_are_one_line_errors(url):
    [error] = list(iter_sources(url, Settings(fetch_timeout=2.0)))
    assert isinstance(error, StorylineError) and error.kind in (E.FETCH_FAILED, E.FETCH_BLOCKED)
    assert "\n" not in str(error)


def test_a_redirect_to_a_malformed_url_is_an_error(dns):
    dns["news.example"] = [PUBLIC]
    recorder = Recorder(lambda request: httpx.Response(302, headers={"Location": "http://[::1/x"}))
    with pytest.raises(StorylineError) as info:
        fetch("https://news.example/start", transport=recorder.transport, timeout=3.0)
    assert info.value.kind is E.FETCH_FAILED


# ------------------------------------------------------------------ feeds linking to private addresses
PRIVATE_LINKS = ["http://10.0.0.5/a", "http://[::1]/b", "http://localhost/c", "file:///etc/passwd",
                 "http://intranet.example/d", "http://0x7f000001/e", "gopher://x.example/f", "http://[::1/g",
                 "http://a..b/h", "javascript:alert(1)", "http://169.254.169.254/latest/meta-data/"]


def teaser_feed() -> str:
    items = "".join(f"<item><title>Teaser {i}</title><link>{link.replace('&', '&amp;')}</link><guid>t{i}</guid>"
                    f"<pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate>"
                    f"<description>Valdoria and Ostrava met in Lindenport, item {i}.</description></item>"
                    for i, link in enumerate(PRIVATE_LINKS))
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Lindenport Herald</title>"
            f"{items}</channel></rss>")


def test_feed_items_linking_to_private_addresses_keep_their_teasers_and_fetch_nothing(dns):
    dns["news.example"] = [PUBLIC]
    dns["intranet.example"] = ["10.0.0.5"]
    recorder = Recorder(lambda request: httpx.Response(200, text=teaser_feed(),
                                                       headers={"Content-Type": "application/rss+xml"}))
    docs = list(iter_sources("https://news.example/feed.rss", Settings(), transport=recorder.transport))
    assert all(isinstance(d, RawDoc) for d in docs), docs
    assert [d.content for d in docs] == [f"Valdoria and Ostrava met in Lindenport, item {i}."
                                         for i in range(len(PRIVATE_LINKS))]
    assert recorder.seen == ["https://news.example/feed.rss"]


def test_ingesting_such_a_feed_stores_every_teaser(dns, tmp_path):
    dns["news.example"] = [PUBLIC]
    dns["intranet.example"] = ["10.0.0.5"]
    recorder = Recorder(lambda request: httpx.Response(200, text=teaser_feed(),
                                                       headers={"Content-Type": "application/rss+xml"}))
    store = Store(str(tmp_path / "feed.db"))
    report = pipeline.ingest(["https://news.example/feed.rss"], store, Settings(), transport=recorder.transport)
    assert report.errors == [] and len(report.added) == len(PRIVATE_LINKS)
    assert recorder.seen == ["https://news.example/feed.rss"]


def test_a_feed_file_never_touches_the_network(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a feed file made a network request")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    path = tmp_path / "feed.rss"
    path.write_text(teaser_feed(), encoding="utf-8")
    docs = list(iter_sources(str(path)))
    assert len(docs) == len(PRIVATE_LINKS) and all(isinstance(d, RawDoc) for d in docs)


def test_cli_refuses_a_loopback_url_without_allow_private(local, tmp_path):
    url = f"{local_base(local)}/page"
    result = CliRunner().invoke(app, ["ingest", url, "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 1
    [line] = [out for out in result.output.splitlines() if out.startswith("skipped:")]
    assert url in line and "S012" in line
    assert local.hits == []


# ------------------------------------------------------------------ the webhook
def test_webhook_to_a_name_resolving_to_a_private_address_is_refused(dns):
    dns["hooks.example"] = ["10.0.0.5"]
    recorder = Recorder(lambda request: httpx.Response(204))
    assert post_webhook("https://hooks.example/in", {"x": 1}, transport=recorder.transport) is False
    assert recorder.seen == []


@pytest.mark.parametrize("url", ["http://[::ffff:127.0.0.1]/hook", "http://0x7f000001/hook", "http://[fd00::1]/hook",
                                 "http://[64:ff9b::a9fe:a9fe]/hook", "http://[::1/hook", "http://a..b/hook"])
def test_webhook_refuses_private_spellings_and_malformed_urls(url):
    recorder = Recorder(lambda request: httpx.Response(204))
    assert post_webhook(url, {"x": 1}, transport=recorder.transport) is False
    assert recorder.seen == []


def test_webhook_redirects_are_not_followed(dns):
    dns["hooks.example"] = [PUBLIC]
    recorder = Recorder(lambda request: httpx.Response(307, headers={"Location": "http://10.0.0.5/in"}))
    assert post_webhook("https://hooks.example/in", {"x": 1}, transport=recorder.transport) is False
    assert recorder.seen == ["https://hooks.example/in"]


def test_webhook_dns_rebinding_cannot_reach_a_private_address(dns, local):
    dns["hooks.example"] = [[PUBLIC], ["127.0.0.1"]]
    assert post_webhook(f"http://hooks.example:{local.server_port}/in", {"x": 1}, timeout=3.0) is False
    assert local.hits == []


def test_webhook_timeout_bounds_a_trickling_receiver(local):
    started = time.monotonic()
    assert post_webhook(f"{local_base(local)}/trickle-headers", {"x": 1}, timeout=1.0, allow_private=True) is False
    assert time.monotonic() - started < 2.0


def test_webhook_with_allow_private_reaches_the_local_receiver(local):
    assert post_webhook(f"{local_base(local)}/page", {"x": [1, "é"]}, allow_private=True, timeout=3.0)
    assert local.hits == ["/page"]
