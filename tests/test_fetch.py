"""storyline.sources._fetch.fetch and iter_sources on URLs, against a real local HTTP server.

The server listens on 127.0.0.1, so every fetch that should reach it passes
``allow_private=True``; the SSRF tests check that without it nothing is sent.
"""
from __future__ import annotations

import os
import time

import httpx
import pytest

from http_helpers import LocalServer, QuietHandler
from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.settings import Settings
from storyline.sources import TEASER_CHARS, iter_sources
from storyline.sources._fetch import USER_AGENT, check_url, fetch

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Valdoria and Ostrava sign river accord</title></head>
<body><article><h1>Valdoria and Ostrava sign river accord</h1>
<p>The governments of Valdoria and Ostrava signed an accord on Thursday that ends a decade-long
dispute over fishing rights on the Marren river.</p></article></body></html>
"""
LONG_PAGE = ("<!DOCTYPE html><html><head><title>Full story</title></head><body><article>"
             + "<p>Foreign minister Arlen Voss said the Marren accord would be ratified before the summer "
               "recess, according to officials in Lindenport.</p>" * 8
             + "</article></body></html>")
CYRILLIC = "Министры Валдории и Остравы встретились в Линденпорте."
LONG_ITEM = "The joint border commission of Valdoria and Ostrava held its first session. " * 7
assert len(LONG_ITEM) >= TEASER_CHARS


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lindenport Herald</title><link>{base}/</link><description>News</description>
<item><title>Teaser with a full page</title><link>{base}/long.html</link><guid>t1</guid>
<pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate>
<description>Valdoria and Ostrava met in Lindenport.</description></item>
<item><title>Teaser whose page is gone</title><link>{base}/missing</link><guid>t2</guid>
<pubDate>Thu, 06 Mar 2025 10:00:00 GMT</pubDate>
<description>Ostrava summoned the Valdorian ambassador.</description></item>
<item><title>Full item</title><link>{base}/page.html?from-feed</link><guid>t3</guid>
<pubDate>Fri, 07 Mar 2025 10:00:00 GMT</pubDate>
<description>{LONG_ITEM}</description></item>
</channel></rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ostrava Daily</title><id>urn:ostrava-daily</id>
<updated>2025-04-18T08:00:00Z</updated>
<entry><title>Ostravan negotiators return home</title><link href="{base}/page.html?atom-1"/>
<id>urn:ostrava-daily:1</id><published>2025-04-18T07:15:00Z</published><updated>2025-04-18T08:00:00Z</updated>
<author><name>Petr Lindqvist</name></author><content type="text">{LONG_ITEM}</content></entry>
<entry><title>Border commission named</title><link href="{base}/page.html?atom-2"/>
<id>urn:ostrava-daily:2</id><updated>2025-04-19T12:00:00Z</updated><content type="text">{LONG_ITEM}</content></entry>
</feed>"""


class Handler(QuietHandler):
    def do_GET(self):  # noqa: C901 - a routing table
        self.server.log.append((self.path, dict(self.headers)))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path.startswith("/page.html"):
            self.send(200, PAGE)
        elif path == "/long.html":
            self.send(200, LONG_PAGE)
        elif path == "/cp1251.html":
            body = f"<html><body><p>{CYRILLIC}</p></body></html>".encode("cp1251")
            self.send(200, body, "text/html; charset=windows-1251")
        elif path == "/plain.txt":
            self.send(200, "Valdoria and Ostrava agreed to meet again.\n", "text/plain; charset=utf-8")
        elif path == "/feed.rss":
            self.send(200, rss(base), "application/rss+xml; charset=utf-8")
        elif path == "/feed.atom":
            self.send(200, atom(base), "application/atom+xml")
        elif path == "/feed-as-html":
            self.send(200, rss(base), "text/html; charset=utf-8")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                self.send(200, PAGE)
            else:
                self.send(302, b"", headers={"Location": f"/redirect/{left - 1}"})
        elif path == "/abs-redirect":
            self.send(301, b"", headers={"Location": f"{base}/page.html?abs"})
        elif path == "/loop":
            self.send(302, b"", headers={"Location": "/loop"})
        elif path == "/no-location":
            self.send(302, "<p>moved somewhere</p>")
        elif path == "/to-file":
            self.send(302, b"", headers={"Location": "file:///etc/passwd"})
        elif path == "/missing":
            self.send(404, "<p>not found</p>")
        elif path == "/error":
            self.send(500, "<p>server error</p>")
        elif path.startswith("/big-declared"):
            self.send(200, b"a" * 5000, "text/plain")
        elif path.startswith("/big-streamed"):
            # No Content-Length: the body ends when the connection closes.
            self.send(200, b"a" * 5000, "text/plain", length=False)
        elif path.startswith("/exact"):
            self.send(200, b"b" * 1000, "text/plain", length=False)
        elif path == "/slow":
            self.server.stop.wait(3)
            self.send(200, PAGE)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(20):
                if self.server.stop.wait(0.1):
                    break
                self.wfile.write(b"x")
                self.wfile.flush()
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304, b"", content_type="", headers={"ETag": '"v1"'}, length=False)
            else:
                self.send(200, PAGE, headers={"ETag": '"v1"'})
        elif path == "/empty":
            self.send(200, b"", "text/plain")
        elif path == "/blank":
            self.send(200, "  \n\n  ", "text/plain")
        elif path == "/binary":
            self.send(200, b"\x00\x01\x02\x03" * 100, "application/octet-stream")
        elif path == "/not-a-feed.xml":
            self.send(200, "<?xml version='1.0'?><rss><nothing/>", "application/rss+xml")
        else:
            self.send(404, "<p>no route</p>")


@pytest.fixture(scope="module")
def server(module_http_server) -> LocalServer:
    return module_http_server(Handler)


@pytest.fixture
def http(server) -> LocalServer:
    server.log.clear()
    return server


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("STORYLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def local(**overrides) -> Settings:
    return Settings(allow_private=True, fetch_timeout=5.0, **overrides)


def get(url: str, **kwargs):
    kwargs.setdefault("allow_private", True)
    kwargs.setdefault("timeout", 5.0)
    return fetch(url, **kwargs)


def fetch_error(url: str, **kwargs) -> StorylineError:
    with pytest.raises(StorylineError) as info:
        get(url, **kwargs)
    return info.value


def assert_one_line_naming(error: StorylineError, name: str) -> None:
    message = str(error)
    assert "\n" not in message
    assert name in message
    assert f"[{error.kind.code}]" in message


# ---------------------------------------------------------------- fetch


def test_fetch_html_page(http):
    result = get(f"{http.base}/page.html")
    assert result.status == 200
    assert result.url == f"{http.base}/page.html"
    assert result.content == PAGE.encode("utf-8")
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert not result.not_modified
    [(_, headers)] = http.log
    assert headers["User-Agent"] == USER_AGENT


def test_fetch_follows_relative_redirects(http):
    result = get(f"{http.base}/redirect/3", max_redirects=5)
    assert result.url == f"{http.base}/redirect/0"
    assert result.content == PAGE.encode("utf-8")
    assert http.paths() == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"]


def test_fetch_follows_exactly_max_redirects(http):
    result = get(f"{http.base}/redirect/5", max_redirects=5)
    assert result.status == 200


def test_fetch_follows_absolute_redirect(http):
    result = get(f"{http.base}/abs-redirect")
    assert result.url == f"{http.base}/page.html?abs"


def test_fetch_redirects_are_bounded(http):
    error = fetch_error(f"{http.base}/redirect/6", max_redirects=5)
    assert error.kind is E.FETCH_FAILED
    assert "more than 5 redirects" in str(error)
    assert_one_line_naming(error, f"{http.base}/redirect/6")
    assert http.paths() == [f"/redirect/{n}" for n in (6, 5, 4, 3, 2, 1)]


def test_fetch_redirect_loop_stops(http):
    error = fetch_error(f"{http.base}/loop", max_redirects=3)
    assert error.kind is E.FETCH_FAILED
    assert http.paths() == ["/loop"] * 4


def test_fetch_no_redirects_allowed(http):
    error = fetch_error(f"{http.base}/redirect/1", max_redirects=0)
    assert error.kind is E.FETCH_FAILED
    assert http.paths() == ["/redirect/1"]


def test_fetch_redirect_to_a_file_url_is_refused(http):
    error = fetch_error(f"{http.base}/to-file")
    assert error.kind is E.FETCH_FAILED
    assert "file:///etc/passwd" in str(error)
    assert "only http and https" in str(error)


def test_fetch_redirect_without_location_fails(http):
    error = fetch_error(f"{http.base}/no-location")
    assert error.kind is E.FETCH_FAILED
    assert "redirect without a location" in str(error)


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/error", 500)])
def test_fetch_http_errors(http, path, status):
    error = fetch_error(f"{http.base}{path}")
    assert error.kind is E.FETCH_FAILED
    assert f"HTTP {status}" in str(error)
    assert_one_line_naming(error, f"{http.base}{path}")


def test_fetch_declared_size_over_the_cap(http):
    error = fetch_error(f"{http.base}/big-declared", max_bytes=1000)
    assert error.kind is E.FETCH_TOO_LARGE
    assert "5000" in str(error)
    assert_one_line_naming(error, f"{http.base}/big-declared")


def test_fetch_streamed_size_over_the_cap(http):
    error = fetch_error(f"{http.base}/big-streamed", max_bytes=1000)
    assert error.kind is E.FETCH_TOO_LARGE
    assert "over 1000 bytes" in str(error)


def test_fetch_body_exactly_at_the_cap(http):
    assert len(get(f"{http.base}/exact", max_bytes=1000).content) == 1000


def test_fetch_under_the_cap(http):
    assert len(get(f"{http.base}/big-streamed", max_bytes=5000).content) == 5000


def test_fetch_slow_response_times_out(http):
    started = time.monotonic()
    error = fetch_error(f"{http.base}/slow", timeout=0.3)
    assert time.monotonic() - started < 2.0
    assert error.kind is E.FETCH_FAILED
    assert "timed out after 0.3s" in str(error)
    assert_one_line_naming(error, f"{http.base}/slow")


def test_fetch_timeout_bounds_a_trickling_response(http):
    started = time.monotonic()
    with pytest.raises(StorylineError) as info:
        get(f"{http.base}/trickle", timeout=0.5)
    assert info.value.kind is E.FETCH_FAILED
    assert time.monotonic() - started < 1.5


def test_fetch_sends_conditional_headers(http):
    first = get(f"{http.base}/etag")
    assert first.headers.get("etag") == '"v1"'
    changed = get(f"{http.base}/etag", etag='"v0"', last_modified="Wed, 05 Mar 2025 10:00:00 GMT")
    assert changed.status == 200 and not changed.not_modified
    assert http.log[-1][1]["If-None-Match"] == '"v0"'
    assert http.log[-1][1]["If-Modified-Since"] == "Wed, 05 Mar 2025 10:00:00 GMT"


def test_fetch_not_modified(http):
    again = get(f"{http.base}/etag", etag='"v1"')
    assert again.status == 304
    assert again.not_modified
    assert again.content == b""


def test_fetch_connection_refused_is_fetch_failed():
    with LocalServer(Handler) as unused:
        port = unused.server_port
    error = fetch_error(f"http://127.0.0.1:{port}/page.html", timeout=2.0)
    assert error.kind is E.FETCH_FAILED
    assert_one_line_naming(error, f"127.0.0.1:{port}")


# ---------------------------------------------------------------- SSRF guard


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_is_refused_by_default(http, host):
    url = f"http://{host}:{http.server_port}/page.html"
    with pytest.raises(StorylineError) as info:
        fetch(url, timeout=2.0)
    assert info.value.kind is E.FETCH_BLOCKED
    assert_one_line_naming(info.value, url)
    assert http.log == []


def test_iter_sources_refuses_loopback_with_default_settings(http):
    url = f"{http.base}/page.html"
    [error] = list(iter_sources(url))
    assert isinstance(error, StorylineError)
    assert error.kind is E.FETCH_BLOCKED
    assert_one_line_naming(error, url)
    assert "allow-private" in str(error)
    assert http.log == []


def test_allow_private_setting_from_environment(http, monkeypatch):
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "true")
    [doc] = list(iter_sources(f"{http.base}/page.html"))
    assert isinstance(doc, RawDoc)


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/admin",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0/",
    "http://127.1/",
    "http://2130706433/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "https://224.0.0.1/",
])
def test_check_url_blocks_private_addresses(url):
    with pytest.raises(StorylineError) as info:
        check_url(url, allow_private=False)
    assert info.value.kind is E.FETCH_BLOCKED
    check_url(url, allow_private=True)  # allowed when asked for


def test_check_url_blocks_shared_address_space():
    with pytest.raises(StorylineError):
        check_url("http://100.100.100.200/latest/meta-data/", allow_private=False)


@pytest.mark.parametrize("url", ["http://93.184.216.34/news", "https://8.8.8.8/"])
def test_check_url_allows_public_addresses(url):
    check_url(url, allow_private=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://93.184.216.34/x", "http:///nohost", "gopher://x/"])
def test_check_url_refuses_other_schemes(url):
    with pytest.raises(StorylineError) as info:
        check_url(url, allow_private=True)
    assert info.value.kind is E.FETCH_FAILED


def test_every_redirect_hop_is_checked(http):
    """A public page redirecting to loopback is refused before the second request."""
    seen = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": f"{http.base}/page.html"})

    with pytest.raises(StorylineError) as info:
        fetch("http://93.184.216.34/start", transport=httpx.MockTransport(respond), timeout=2.0)
    assert info.value.kind is E.FETCH_BLOCKED
    assert_one_line_naming(info.value, f"{http.base}/page.html")
    assert seen == ["http://93.184.216.34/start"]
    assert http.log == []


# ---------------------------------------------------------------- iter_sources on URLs


def test_iter_sources_html_page(http):
    url = f"{http.base}/page.html"
    [doc] = list(iter_sources(url, local()))
    assert isinstance(doc, RawDoc)
    assert (doc.source, doc.url, doc.kind) == (url, url, "html")
    assert doc.content == PAGE


def test_iter_sources_records_the_final_url(http):
    [doc] = list(iter_sources(f"{http.base}/redirect/2", local()))
    assert doc.url == f"{http.base}/redirect/0"


def test_iter_sources_plain_text(http):
    [doc] = list(iter_sources(f"{http.base}/plain.txt", local()))
    assert doc.kind == "text"
    assert doc.content == "Valdoria and Ostrava agreed to meet again.\n"


def test_iter_sources_declared_charset(http):
    [doc] = list(iter_sources(f"{http.base}/cp1251.html", local()))
    assert CYRILLIC in doc.content


def test_iter_sources_rss_feed(http):
    docs = list(iter_sources(f"{http.base}/feed.rss", local()))
    assert all(isinstance(d, RawDoc) for d in docs), docs
    assert [d.title for d in docs] == ["Teaser with a full page", "Teaser whose page is gone", "Full item"]
    assert [d.published for d in docs] == ["2025-03-05", "2025-03-06", "2025-03-07"]
    assert all(d.outlet == "Lindenport Herald" for d in docs)
    full, teaser, long_item = docs
    # a short teaser is replaced by the linked page...
    assert full.url == f"{http.base}/long.html"
    assert full.kind == "html"
    assert full.content == LONG_PAGE
    assert full.source == f"{http.base}/feed.rss#t1"
    # ...unless the page cannot be fetched,
    assert teaser.content == "Ostrava summoned the Valdorian ambassador."
    assert teaser.url == f"{http.base}/missing"
    # and a long item is kept as it is, without fetching its page.
    assert long_item.content.strip() == LONG_ITEM.strip()
    assert "/page.html?from-feed" not in http.paths()
    assert http.paths() == ["/feed.rss", "/long.html", "/missing"]


def test_iter_sources_feed_teaser_pages_obey_the_ssrf_guard(http):
    """With the feed fetched through a mock transport, the loopback teaser links are refused."""
    body = rss(http.base).encode("utf-8")

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/rss+xml"})

    docs = list(iter_sources("http://93.184.216.34/feed.rss", Settings(), transport=httpx.MockTransport(respond)))
    assert [d.content for d in docs][:2] == ["Valdoria and Ostrava met in Lindenport.",
                                             "Ostrava summoned the Valdorian ambassador."]
    assert http.log == []


def test_iter_sources_atom_feed(http):
    docs = list(iter_sources(f"{http.base}/feed.atom", local()))
    assert [(d.title, d.url, d.published) for d in docs] == [
        ("Ostravan negotiators return home", f"{http.base}/page.html?atom-1", "2025-04-18"),
        ("Border commission named", f"{http.base}/page.html?atom-2", "2025-04-19"),
    ]
    assert docs[0].author == "Petr Lindqvist"
    assert all(d.outlet == "Ostrava Daily" for d in docs)
    assert http.paths() == ["/feed.atom"]


def test_iter_sources_sniffs_a_feed_served_as_html(http):
    docs = list(iter_sources(f"{http.base}/feed-as-html", local()))
    assert [d.title for d in docs] == ["Teaser with a full page", "Teaser whose page is gone", "Full item"]


def test_iter_sources_broken_feed(http):
    [error] = list(iter_sources(f"{http.base}/not-a-feed.xml", local()))
    assert isinstance(error, StorylineError)
    assert error.kind is E.BAD_FEED
    assert_one_line_naming(error, f"{http.base}/not-a-feed.xml")


def test_iter_sources_404(http):
    url = f"{http.base}/missing"
    [error] = list(iter_sources(url, local()))
    assert isinstance(error, StorylineError)
    assert error.kind is E.FETCH_FAILED
    assert "HTTP 404" in str(error)
    assert_one_line_naming(error, url)


def test_iter_sources_size_cap_from_settings(http):
    [error] = list(iter_sources(f"{http.base}/big-streamed", local(fetch_max_bytes=1000)))
    assert error.kind is E.FETCH_TOO_LARGE


def test_iter_sources_timeout_from_settings(http):
    started = time.monotonic()
    [error] = list(iter_sources(f"{http.base}/slow", Settings(allow_private=True, fetch_timeout=0.3)))
    assert error.kind is E.FETCH_FAILED
    assert "timed out" in str(error)
    assert time.monotonic() - started < 2.0


def test_iter_sources_redirect_limit_from_settings(http):
    [error] = list(iter_sources(f"{http.base}/redirect/3", local(fetch_max_redirects=2)))
    assert error.kind is E.FETCH_FAILED
    assert "more than 2 redirects" in str(error)


@pytest.mark.parametrize("path", ["/empty", "/blank"])
def test_iter_sources_empty_response(http, path):
    [error] = list(iter_sources(f"{http.base}{path}", local()))
    assert isinstance(error, StorylineError)
    assert error.kind is E.EMPTY
    assert_one_line_naming(error, f"{http.base}{path}")


def test_iter_sources_binary_response(http):
    [error] = list(iter_sources(f"{http.base}/binary", local()))
    assert isinstance(error, StorylineError)
    assert error.kind is E.NOT_TEXT
    assert_one_line_naming(error, f"{http.base}/binary")
