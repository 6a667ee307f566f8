"""A batch of hostile inputs end to end: ``storyline run`` on one folder, then again.

tests/test_sources.py and tests/test_clean.py cover each reader and rule on its own; here every
kind of bad input sits in one folder beside good articles, goes through the CLI and the whole
pipeline (ingest, clean, analysis, corpus rebuild), and each bad input must give exactly one
one-line error naming it, recorded in the ``problems`` table, while the rest of the batch is stored
and analysed.
"""
from __future__ import annotations

import html
import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app
from storyline.cli.commands import demo_corpus
from storyline.errors import E
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow
runner = CliRunner()

GOOD = "Mirela Dunca met Pavel Vrastek in Saltmere on Monday to discuss the 12-point plan, officials said."
PASSWD = "root:x:0:0:root:/root:/bin/bash"
LONG_LINK = "https://feeds.example.org/item?" + "&".join(f"k{i}=v{i}" for i in range(700))[:4970] + "&end=1"


def rss(items: str, head: str = "") -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?>{head}<rss version='2.0'><channel><title>Lindenport Herald"
            f"</title>{items}</channel></rss>")


def item(guid: str, text: str, date: str = "Wed, 05 Mar 2014 10:00:00 GMT") -> str:
    return (f"<item><title>Item {guid}</title><guid>{guid}</guid><pubDate>{date}</pubDate>"
            f"<description>{text}</description></item>")


def build_inbox(folder: Path) -> dict[str, str]:
    """Write the hostile folder; returns {file name: the error code it must give} for the bad ones."""
    folder.mkdir(parents=True)
    demo = demo_corpus() / "articles"
    shutil.copy(demo / "d01.txt", folder / "good-text.txt")
    shutil.copy(demo / "d02.html", folder / "good-page.html")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\t\n   \n", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:  # sparse: over the default 20 MB limit, no disk used
        handle.truncate(20_000_001)
    (folder / "table.csv").write_text("id,title\n1,Valdoria\n", encoding="utf-8")
    (folder / "scripts.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    (folder / "odd-utf16.txt").write_bytes(b"\xff\xfe" + "Valdoria".encode("utf-16-le") + b"\x00")
    (folder / "symbols.txt").write_text("1 2 3 4 5 6 7 8 9 10\n!!! ??? --- ...\n+++ 42 %%%\n", encoding="utf-8")
    # decodable, if imperfectly: stored
    (folder / "mixed.txt").write_bytes(GOOD.encode("utf-8") + " Café in Saltmere.".encode("cp1252")
                                       + b" The talks resumed on Tuesday in Norrholm.")
    (folder / "cyrillic.txt").write_bytes(("Мирела Дунка встретилась с Павлом Врастеком в Солтмире в понедельник. "
                                           "Стороны обсудили мирный план из 12 пунктов.\n").encode("cp1251"))
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 20000 + f"<p>{GOOD}</p>" + "</div>" * 20000
                                      + "</body></html>", encoding="utf-8")
    # JSONL: the good, the broken and the strange
    lines = [json.dumps({"id": "dump-good", "text": GOOD, "published": "2014-03-03"}),
             "{not json",
             "[" * 100_000,
             json.dumps({"id": "dump-surrogate", "title": "Lone \ud800 surrogate", "text": GOOD + " \udfff Norrholm."}),
             json.dumps([1, 2, 3]),
             json.dumps({"id": "dump-x", "text": "x"}),
             json.dumps({"id": "dump-blank", "text": "   "}),
             json.dumps({"id": "dump-future", "text": GOOD.replace("Monday", "Tuesday"), "published": "9999-12-31"}),
             json.dumps({"id": "dump-past", "text": GOOD.replace("Monday", "Friday"), "published": "0001-01-01"})]
    (folder / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # feeds
    (folder / "charref.rss").write_text(rss(item("c1", "Text &#xD800; more")).replace("</channel>", ""),
                                        encoding="utf-8")
    (folder / "year-zero.rss").write_text(rss(item("z1", GOOD.replace("Monday", "Sunday"), "0000-00-00T00:00:00Z")),
                                          encoding="utf-8")
    (folder / "xxe.rss").write_text(rss(item("x1", "Valdoria and Ostrava met in Lindenport. &xxe;"),
                                        "<!DOCTYPE rss [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"),
                                    encoding="utf-8")
    laughs = "<!DOCTYPE rss [<!ENTITY l0 'lol'>" + "".join(
        f"<!ENTITY l{i} '{('&l' + str(i - 1) + ';') * 10}'>" for i in range(1, 10)) + "]>"
    (folder / "laughs.rss").write_text(rss(item("l1", "Valdoria and Ostrava met in Lindenport. &l9;"), laughs),
                                       encoding="utf-8")
    full = rss(item("t1", "Valdoria and Ostrava met in Lindenport on Monday.") + item("t2", GOOD))
    (folder / "truncated.rss").write_text(full[:len(full) - 60], encoding="utf-8")
    (folder / ".hidden.txt").write_bytes(b"\x00\x01")  # hidden files are not read
    # one word of 200,000 letters once stalled the corpus stage for good (tests/reliability/test_pathological.py)
    (folder / "one-word.txt").write_text("A single word\n\n" + "A" * 200_000 + "\n", encoding="utf-8")
    # an item named by a 5,000-character link, with no text: its error line names it in at most 200 characters
    (folder / "long-link.rss").write_text(rss(item(html.escape(LONG_LINK), "x")), encoding="utf-8")
    return {"photo.txt": E.NOT_TEXT.code, "empty.txt": E.EMPTY.code, "blank.md": E.EMPTY.code,
            "huge.txt": E.TOO_LARGE.code, "table.csv": E.UNSUPPORTED.code, "scripts.html": E.BAD_HTML.code,
            "odd-utf16.txt": E.BAD_ENCODING.code, "symbols.txt": E.NO_SENTENCES.code,
            "dump.jsonl:2": E.BAD_JSON.code, "dump.jsonl:3": E.BAD_JSON.code, "dump.jsonl:5": E.BAD_RECORD.code,
            "dump.jsonl:6": E.NO_SENTENCES.code, "dump.jsonl:7": E.BAD_RECORD.code, "charref.rss": E.BAD_FEED.code,
            "deep.html": E.BAD_HTML.code, "truncated.rss": E.BAD_RECORD.code,  # its second item, cut short
            "long-link.rss": E.NO_SENTENCES.code}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "inbox"
    return folder, build_inbox(folder)


@pytest.fixture(scope="module")
def first_run(inbox, tmp_path_factory):
    folder, expected = inbox
    db = str(tmp_path_factory.mktemp("hostile-store") / "hostile.db")
    started = time.monotonic()
    result = runner.invoke(app, ["run", str(folder), "--db", db])
    return db, result, time.monotonic() - started


def test_every_bad_input_is_one_line_naming_it_and_the_rest_is_stored(inbox, first_run, reliability):
    folder, expected = inbox
    db, result, _ = first_run
    reliability.add("inputs tried", len(list(folder.iterdir())) + 8)  # files, and the extra lines of dump.jsonl
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    for name, code in expected.items():
        mine = [line for line in skipped if f"{folder / name}:" in line or f"{folder / name} " in line
                or f"{folder / name}#" in line]
        assert len(mine) == 1 and f"[{code}]" in mine[0], (name, mine, skipped)
    assert len(skipped) == len(expected), skipped
    assert "20000001 bytes, limit 20000000" in next(line for line in skipped if "huge.txt" in line)
    [long_link] = [line for line in skipped if "long-link.rss" in line]
    assert LONG_LINK not in long_link and "&end=1" in long_link  # cut in the middle, its end kept
    named = long_link[len("skipped: "):].split(": ", 1)[0]
    assert len(named) <= 200, named

    store = Store(db, readonly=True)
    problems = [p for p in store.rows("problems") if p["code"] != E.BAD_DATE.code]  # warnings: see below
    assert sorted(p["code"] for p in problems) == sorted(expected.values())
    assert all("\n" not in p["message"] for p in problems)
    ids = set(store.article_ids())
    assert {"good-text", "good-page", "dump-good", "dump-surrogate", "dump-future", "dump-past", "mixed",
            "cyrillic"} <= ids
    assert "one-word" in ids
    assert len(ids) == 13  # and the items of the year-zero, xxe, laughs and truncated feeds
    assert {r["article_id"] for r in store.rows("analyses")} == ids  # every stored article analysed


def test_the_hostile_batch_runs_in_well_under_a_minute(first_run, reliability):
    """With the 200,000-letter word among them: models loaded, every stage, the corpus rebuild."""
    db, result, seconds = first_run
    reliability.note("hostile batch", f"storyline run on the hostile folder: {seconds:.1f} s")
    assert seconds < 60, seconds
    store = Store(db, readonly=True)
    assert not [p for p in store.rows("problems") if p["code"] in (E.OVER_BUDGET.code, E.PARTLY_ANALYSED.code)]


def test_stored_hostile_articles_are_sane(first_run):
    db, _, _ = first_run
    store = Store(db, readonly=True)
    articles = {a.id: a for a in store.articles()}
    assert "\ufffd" in articles["dump-surrogate"].text and "\ufffd" in articles["dump-surrogate"].title
    # a publication date from beyond the plausible range is never stored as given
    for name in ("dump-future", "dump-past"):
        assert articles[name].published_source != "manifest"
        assert articles[name].published is None or 1990 <= articles[name].published.year <= 2100
    # the feed item dated year zero is kept, with no date from the feed
    zero = [a for a in articles.values() if a.source.endswith("year-zero.rss#z1")]
    assert zero and zero[0].published_source != "manifest"
    # external entities are never resolved, entity expansion does not explode
    for article in articles.values():
        assert PASSWD not in article.text and "root:x:0:0" not in article.original
        assert len(article.original) < 100_000 or article.id == "one-word"
    assert any("Café" in a.text or "Caf" in a.text for a in articles.values() if a.id == "mixed")
    assert "Дунка" in articles["cyrillic"].text


def test_running_again_adds_nothing_and_reports_the_same_problems(inbox, first_run, tmp_path):
    folder, expected = inbox
    db, _, first_duration = first_run
    before = Store(db, readonly=True).article_ids()
    started = time.monotonic()
    again = runner.invoke(app, ["run", str(folder), "--db", db])
    assert again.exit_code == 1 and "added 0 articles" in again.output
    assert len([line for line in again.output.splitlines() if line.startswith("skipped:")]) == len(expected)
    assert Store(db, readonly=True).article_ids() == before
    assert time.monotonic() - started < max(60.0, 2 * first_duration)


def test_bad_input_in_the_library_is_reported_not_raised(tmp_path):
    """pipeline.run with a size limit from the settings: the big file is an error, the small ones stored."""
    folder = tmp_path / "limits"
    folder.mkdir()
    (folder / "big.txt").write_text((GOOD + "\n") * 50, encoding="utf-8")
    (folder / "small.txt").write_text(GOOD, encoding="utf-8")
    (folder / "long.txt").write_text(GOOD + " " + "word " * 500, encoding="utf-8")
    store = Store(str(tmp_path / "limits.db"))
    settings = Settings(max_file_bytes=4000, max_article_chars=1000, progress=False)
    ingested, processed = pipeline.run([str(folder)], store, settings)
    [error] = ingested.errors
    assert error.kind is E.TOO_LARGE and "big.txt" in str(error) and "limit 4000" in str(error)
    assert sorted(ingested.added) == ["long", "small"]
    assert len(store.article_text("long")) <= 1000  # cut at max_article_chars
    assert [p["code"] for p in store.rows("problems")] == [E.TOO_LARGE.code]


def test_a_publication_date_out_of_range_is_recorded_as_a_warning(first_run):
    db, _, _ = first_run
    problems = Store(db, readonly=True).rows("problems")
    warned = [p for p in problems if p["code"] == E.BAD_DATE.code]
    assert any("dump.jsonl:8" in p["source"] and "9999-12-31" in p["message"] for p in warned)
    assert any("dump.jsonl:9" in p["source"] and "0001-01-01" in p["message"] for p in warned)


def test_a_file_name_with_a_line_break_still_gives_a_one_line_error(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "photo\nskipped: fake.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "names.db")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "skipped:" in line or "fake.txt" in line]
    assert len(lines) == 1, lines
