"""Thousands of generated hostile inputs through ingest (``iter_sources`` on files) and ``clean``.

Random bytes, random unicode (control characters, RTL and combining marks, lone surrogates),
HTML-ish and feed-ish token soup, JSONL lines and corpus manifests.  The only acceptable
failure is a StorylineError, and its message is one line; anything else escaping is a crash.
Runs are derandomized (the same inputs every time) and bounded.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.article.clean import clean
from storyline.errors import StorylineError
from storyline.models import RawDoc
from storyline.settings import Settings
from storyline.sources import iter_sources

pytestmark = pytest.mark.slow



def fuzz(examples: int) -> settings:
    """The same inputs on every run (derandomize), no example database, bounded."""
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Characters that break naive text handling.
SPECIAL = ([chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\r\n"]
           + ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
              "\u2069", "\u061c"]  # direction marks and overrides
           + [chr(c) for c in range(0x300, 0x370, 7)] + ["\u20dd", "\u0489", "\ufe0f"]  # combining marks
           + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufffe", "\uffff", "\ufffd"]
           + ["\ud800", "\udbff", "\udc00", "\udfff"]  # lone surrogates: JSON can carry them
           + ["שלום", "مرحبا", "Привет", "Київ", "東京", "😀", "👩‍👩‍👧", "ß", "İ", "ﬁ", "\U0010ffff"])
TEXT = st.lists(st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=300).map("".join)
WORDS = st.sampled_from(["Valdoria", "Ostrava", "met", "in", "Saltmere", "on", "Monday", "said", "the", "talks",
                         "Дунка", "встретилась", "1", "2014", "12-point", "."])
PROSE = st.lists(st.one_of(WORDS, TEXT.map(lambda s: s[:20])), max_size=60).map(" ".join)

DATES = ["0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "2014-02-30", "2014-03-03", "-0001-01-01",
         "Mon, 01 Jan 0000 00:00:00 GMT", "Mon, 31 Dec 9999 23:59:59 -1200", "0000-00-00T00:00:00Z",
         "9999-12-31T23:59:59-23:59", "99999-01-01", "yesterday", "3000 BC", "1e309", "\x00", ""]
LINKS = ["http://10.0.0.1/", "http://[::1]/x", "http://localhost/", "file:///etc/passwd", "javascript:alert(1)",
         "https://www.example.org/2014/03/03/x", "//evil.example", "http://169.254.169.254/latest/"]

HTML_TOKENS = st.sampled_from(
    ["<!DOCTYPE html>", "<html>", "</html>", "<head>", "</head>", "<title>", "</title>", "<body>", "</body>", "<p>",
     "</p>", "<div>", "</div>", "<article>", "</article>", "<h1>", "</h1>", "<script>", "</script>", "<style>",
     "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<br/>", "<table><tr><td>", "</td>", "<img src=x onerror=y>",
     "<svg><script>alert(1)</script></svg>", "<a href='javascript:x'>", "</a>", "<p", "<", ">", "&", "&amp;",
     "&#xD800;", "&#0;", "&#x110000;", "&#99999999999;", "&nbsp;", "&bogus;", "<?xml version='1.0'?>",
     "<meta charset='klingon'>", "<meta http-equiv='refresh' content='0;url=file:///etc/passwd'>",
     "<noscript>", "<template>", "<iframe src='http://10.0.0.1/'>", "<base href='http://10.0.0.1/'>"]
    + [f"<meta property='article:published_time' content='{d}'>" for d in DATES]
    + [f"<time datetime='{d}' pubdate>" for d in DATES]
    + [f'<script type="application/ld+json">{{"datePublished": "{d}"}}</script>' for d in DATES]
    + [f"<link rel='canonical' href='{u}'>" for u in LINKS])
HTML = st.lists(st.one_of(HTML_TOKENS, PROSE, TEXT), max_size=50).map("".join)

FEED_TOKENS = st.sampled_from(
    ["<?xml version='1.0' encoding='utf-8'?>", "<?xml version='1.0' encoding='bogus-8'?>",
     "<?xml version='1.0' encoding='utf-16'?>", "<rss version='2.0'>", "</rss>", "<rss>", "<channel>", "</channel>",
     "<title>", "</title>", "<item>", "</item>", "<description>", "</description>", "<link>", "</link>",
     "<guid>", "</guid>", "<pubDate>", "</pubDate>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "</feed>",
     "<entry>", "</entry>", "<content type='html'>", "<content type='xhtml'>", "</content>", "<summary>",
     "</summary>", "<published>", "</published>", "<updated>", "</updated>", "<author><name>", "</name></author>",
     "<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>", "&a;", "&b;",
     "<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", "&x;", "&#xD800;", "&#55296;", "&lt;p&gt;",
     "&lt;script&gt;", "<![CDATA[", "]]>", "<dc:date>", "</dc:date>", "<rdf:RDF>", "<language>", "</language>",
     "<media:content url='http://10.0.0.1/'/>", "<enclosure url='file:///etc/passwd'/>"]
    + DATES + LINKS + [f"<link href='{u}'/>" for u in LINKS])
FEED_SOUP = st.lists(st.one_of(FEED_TOKENS, PROSE, TEXT), max_size=60).map("".join)
FIELD = st.one_of(PROSE, TEXT, st.sampled_from(DATES + LINKS),
                  st.sampled_from(["&#xD800;", "&#55296;", "&#0;", "&lt;p&gt;x&lt;/p&gt;", "<![CDATA[<p>x</p>]]>",
                                   "&b;"]))


@st.composite
def feeds(draw) -> str:
    """An RSS or Atom document with hostile field values, well-formed or cut short."""
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 4))):
        values = {name: draw(FIELD) for name in ("title", "text", "date", "link")}
        if atom:
            items.append(f"<entry><title>{values['title']}</title><link href='{values['link']}'/>"
                         f"<published>{values['date']}</published><updated>{draw(st.sampled_from(DATES))}</updated>"
                         f"<content type='html'>{values['text']}</content></entry>")
        else:
            items.append(f"<item><title>{values['title']}</title><link>{values['link']}</link>"
                         f"<pubDate>{values['date']}</pubDate><description>{values['text']}</description></item>")
    head = draw(st.sampled_from(["", "<?xml version='1.0' encoding='utf-8'?>",
                                 "<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"]))
    if atom:
        body = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{draw(FIELD)}</title>{''.join(items)}</feed>"
    else:
        body = f"<rss version='2.0'><channel><title>{draw(FIELD)}</title>{''.join(items)}</channel></rss>"
    document = head + body
    return document[:draw(st.integers(0, len(document)))] if draw(st.booleans()) else document


FEED = st.one_of(FEED_SOUP, feeds())

JSON_KEYS = ["text", "content", "body", "article", "maintext", "html", "raw_html", "id", "article_id", "guid", "url",
             "link", "outlet", "source", "published", "date", "pubDate", "language", "lang", "title", "author",
             "authors", "story", "file"]
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT, PROSE, HTML,
                         st.sampled_from(DATES + LINKS))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)
RECORDS = st.dictionaries(st.sampled_from(JSON_KEYS), JSON_VALUES, max_size=8)


def _line(record: object, ascii_only: bool) -> str:
    return json.dumps(record, ensure_ascii=ascii_only)


JSON_LINES = st.one_of(
    st.builds(_line, RECORDS, st.booleans()),
    st.builds(_line, JSON_VALUES, st.just(True)),  # not an object
    TEXT,  # not JSON
    st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * (depth % 3)),  # nested deeper than the parser goes
    st.builds(lambda r, cut: _line(r, True)[:cut], RECORDS, st.integers(0, 40)),  # cut off
)
PATHS = st.one_of(st.sampled_from(["", ".", "..", "../x.txt", "../../etc/passwd", "/etc/passwd", "articles",
                                   "articles/../../x", "articles/a\x00b.txt", "articles/a\nb.txt", "a" * 300,
                                   "articles/ok.txt", "articles/ok.html", "articles/bad.txt", "\\..\\x", "C:\\x",
                                   "articles/\ud800.txt", "~/x", "articles/", "articles/ok.txt/"]), TEXT)

SUFFIXES = st.sampled_from([".txt", ".html", ".htm", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".md", "",
                            ".csv", ".TXT", ".Html"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251",
                             "cp1252", "latin-1", "koi8-r", "shift_jis", "gb18030", "big5"])


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


# Small limits so that the size checks and the cut are exercised too.
LIMITS = Settings(max_file_bytes=20_000, max_article_chars=5_000, progress=False)


class Crash(AssertionError):
    pass


def consume(target: Path | str) -> None:
    """Everything a target yields, and every document cleaned: StorylineErrors of one line, nothing else."""
    try:
        for item in iter_sources(str(target), LIMITS):
            if isinstance(item, StorylineError):
                assert_one_line(item)
                continue
            assert isinstance(item, RawDoc), item
            clean_one(item)
    except StorylineError as error:  # iter_sources yields its errors, it should not raise them
        raise Crash(f"iter_sources raised instead of yielding: {error}") from error


def clean_one(doc: RawDoc) -> None:
    try:
        article = clean(doc, LIMITS.max_article_chars)
    except StorylineError as error:
        assert_one_line(error)
        return
    assert article.text.strip() and len(article.original) <= LIMITS.max_article_chars
    article.text.encode("utf-8"), article.title.encode("utf-8")  # storable
    for start, orig_start, length in article.offsets:  # the offset map copies the original
        assert article.text[start:start + length] == article.original[orig_start:orig_start + length]


def assert_one_line(error: StorylineError) -> None:
    message = str(error)
    if error.path:  # a path with a line break in it (a file name) is test_hostile_input's known failure
        message = message.replace(error.path, "")
    assert "\n" not in message and "\r" not in message, repr(message)
    assert f"[{error.kind.code}]" in message


@pytest.fixture(scope="module")
def tally(reliability):
    """Counts the inputs of this module; a crash (anything but StorylineError) is counted once per test."""
    class Tally:
        def __init__(self):
            self.crashed: set[str] = set()

        def run(self, test: str, action) -> None:
            reliability.add("inputs tried")
            try:
                action()
            except Exception:
                if test not in self.crashed:
                    self.crashed.add(test)
                    reliability.add("crashes")
                raise
    return Tally()


def in_tmp(files: dict[str, bytes], action) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        root = Path(folder)
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        action(root)


# ------------------------------------------------------------------ files
@fuzz(1500)
@given(data=st.one_of(st.binary(max_size=3000), st.builds(encode, TEXT, ENCODINGS),
                      st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=40), st.integers(1, 800))),
       suffix=SUFFIXES)
def test_random_bytes_in_files(tally, data, suffix):
    tally.run("bytes", lambda: in_tmp({f"input{suffix}": data}, lambda root: consume(root / f"input{suffix}")))


@fuzz(600)
@given(html=HTML, encoding=ENCODINGS, suffix=st.sampled_from([".html", ".txt", ""]))
def test_html_soup_files(tally, html, encoding, suffix):
    tally.run("html", lambda: in_tmp({f"page{suffix}": encode(html, encoding)},
                                     lambda root: consume(root / f"page{suffix}")))


@fuzz(800)
@given(feed=FEED, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1251"]),
       suffix=st.sampled_from([".rss", ".atom", ".xml", ".txt"]))
def test_feed_soup_files(tally, feed, encoding, suffix):
    tally.run("feed", lambda: in_tmp({f"feed{suffix}": encode(feed, encoding)},
                                     lambda root: consume(root / f"feed{suffix}")))


@fuzz(800)
@given(lines=st.lists(JSON_LINES, max_size=8), newline=st.sampled_from(["\n", "\r\n", "\r", "\u2028"]))
def test_jsonl_lines(tally, lines, newline):
    data = encode(newline.join(lines), "utf-8")
    tally.run("jsonl", lambda: in_tmp({"dump.jsonl": data}, lambda root: consume(root / "dump.jsonl")))


@fuzz(400)
@given(records=st.lists(st.one_of(st.fixed_dictionaries({}, optional={"id": st.one_of(PATHS, JSON_VALUES),
                                                                      "file": st.one_of(PATHS, JSON_VALUES),
                                                                      "published": st.sampled_from(DATES),
                                                                      "url": st.sampled_from(LINKS),
                                                                      "text": st.one_of(TEXT, PROSE)}),
                                  RECORDS), max_size=6).map(lambda rs: [_line(r, True) for r in rs]),
       extra=st.lists(JSON_LINES, max_size=2),
       ok=st.one_of(PROSE, HTML), bad=st.binary(max_size=200))
def test_corpus_manifests(tally, records, extra, ok, bad):
    files = {"corpus/articles.jsonl": encode("\n".join(records + extra), "utf-8"),
             "corpus/articles/ok.txt": encode(ok, "utf-8"), "corpus/articles/ok.html": encode(ok, "utf-8"),
             "corpus/articles/bad.txt": bad, "outside.txt": b"Secret text outside the corpus folder."}
    tally.run("manifest", lambda: in_tmp(files, lambda root: consume(root / "corpus")))


# ------------------------------------------------------------------ clean on RawDocs
OPTIONAL = st.one_of(st.none(), TEXT, st.sampled_from(DATES + LINKS))


@fuzz(1500)
@given(content=st.one_of(TEXT, PROSE, HTML, FEED), kind=st.sampled_from(["text", "html"]), url=OPTIONAL,
       outlet=OPTIONAL, published=OPTIONAL, language=OPTIONAL, title=OPTIONAL, author=OPTIONAL, doc_id=OPTIONAL)
def test_clean_on_hostile_rawdocs(tally, content, kind, url, outlet, published, language, title, author, doc_id):
    doc = RawDoc(source="fuzz", content=content, kind=kind, doc_id=doc_id, url=url, outlet=outlet,
                 published=published, language=language, title=title, author=author)
    tally.run("clean", lambda: clean_one(doc))
