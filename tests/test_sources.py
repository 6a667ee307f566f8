"""Local inputs: storyline.sources.iter_sources over files, folders, dumps, manifests and feeds."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.settings import Settings
from storyline.sources import iter_sources
from storyline.sources._decode import decode

DATA = Path(__file__).parent / "data" / "ingest"
LEDE = "The foreign ministers of Valdoria and Ostrava met on Tuesday in Lindenport."


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch, tmp_path):
    """No storyline.toml from the working folder, no STORYLINE_* from the environment."""
    for name in list(os.environ):
        if name.startswith("STORYLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def run(target, settings: Settings | None = None) -> list[RawDoc | StorylineError]:
    return list(iter_sources(str(target), settings))


def split(items):
    docs = [i for i in items if isinstance(i, RawDoc)]
    errors = [i for i in items if isinstance(i, StorylineError)]
    assert len(docs) + len(errors) == len(items), "iter_sources yielded something else"
    return docs, errors


def assert_one_line_naming(error: StorylineError, name: str) -> None:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert name in message
    assert f"[{error.kind.code}]" in message


# ---------------------------------------------------------------- single files


def test_txt_file_is_one_text_doc():
    path = DATA / "plain.txt"
    [doc] = run(path)
    assert isinstance(doc, RawDoc)
    assert doc.kind == "text"
    assert doc.source == str(path)
    assert doc.doc_id == "plain"
    assert doc.content == path.read_text(encoding="utf-8")
    assert (doc.url, doc.outlet, doc.published, doc.title) == (None, None, None, None)


def test_html_file_is_one_html_doc():
    path = DATA / "page.html"
    [doc] = run(path)
    assert isinstance(doc, RawDoc)
    assert doc.kind == "html"
    assert doc.source == str(path)
    assert doc.doc_id == "page"
    assert doc.content == path.read_text(encoding="utf-8")


def test_txt_file_holding_html_is_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(f"<html><body><p>{LEDE}</p></body></html>", encoding="utf-8")
    [doc] = run(path)
    assert doc.kind == "html"


def test_file_without_suffix_is_text(tmp_path):
    path = tmp_path / "README"
    path.write_text(LEDE, encoding="utf-8")
    [doc] = run(path)
    assert (doc.kind, doc.doc_id, doc.content) == ("text", "README", LEDE)


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + LEDE.encode("utf-8"))
    [doc] = run(path)
    assert doc.content == LEDE


def test_cp1251_file_is_decoded(tmp_path):
    text = ("Министры иностранных дел Валдории и Остравы встретились во вторник в портовом городе "
            "Линденпорт, чтобы обсудить пограничный договор.\n") * 3
    path = tmp_path / "cp1251.txt"
    path.write_bytes(text.encode("cp1251"))
    [doc] = run(path)
    assert isinstance(doc, RawDoc)
    assert doc.content == text


def test_utf16_file_with_bom_is_text(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(LEDE.encode("utf-16"))  # BOM + UTF-16-LE
    [doc] = run(path)
    assert isinstance(doc, RawDoc), doc
    assert doc.content == LEDE


# ---------------------------------------------------------------- file errors


def test_binary_file_is_not_text(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    [error] = run(path)
    assert isinstance(error, StorylineError)
    assert error.kind is E.NOT_TEXT
    assert_one_line_naming(error, str(path))


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    [error] = run(path)
    assert isinstance(error, StorylineError)
    assert error.kind is E.EMPTY
    assert_one_line_naming(error, str(path))


def test_oversized_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(LEDE * 10, encoding="utf-8")
    size = path.stat().st_size
    [error] = run(path, Settings(max_file_bytes=size - 1))
    assert isinstance(error, StorylineError)
    assert error.kind is E.TOO_LARGE
    assert_one_line_naming(error, str(path))
    assert str(size) in str(error)


def test_file_exactly_at_the_limit_is_read(tmp_path):
    path = tmp_path / "fits.txt"
    path.write_text(LEDE, encoding="utf-8")
    [doc] = run(path, Settings(max_file_bytes=path.stat().st_size))
    assert isinstance(doc, RawDoc)


def test_oversized_jsonl_dump(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": LEDE * 5}) + "\n", encoding="utf-8")
    [error] = run(dump, Settings(max_file_bytes=50))
    assert error.kind is E.TOO_LARGE
    assert_one_line_naming(error, str(dump))


def test_oversized_manifest_article_is_an_error_and_the_rest_continue(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "big.txt").write_text(LEDE * 20, encoding="utf-8")
    (folder / "articles" / "small.txt").write_text("Short.", encoding="utf-8")
    (folder / "articles.jsonl").write_text('{"id": "big"}\n{"id": "small"}\n', encoding="utf-8")
    items = run(folder, Settings(max_file_bytes=200))
    assert items[0].kind is E.TOO_LARGE
    assert_one_line_naming(items[0], str(folder / "articles" / "big.txt"))
    assert items[1].doc_id == "small"


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,title\n1,Valdoria\n", encoding="utf-8")
    [error] = run(path)
    assert isinstance(error, StorylineError)
    assert error.kind is E.UNSUPPORTED
    assert_one_line_naming(error, str(path))
    assert ".csv" in str(error)


def test_missing_path(tmp_path):
    target = tmp_path / "no-such-article.txt"
    [error] = run(target)
    assert isinstance(error, StorylineError)
    assert error.kind is E.NOT_FOUND
    assert_one_line_naming(error, str(target))


def test_settings_default_limit_comes_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(LEDE, encoding="utf-8")
    monkeypatch.setenv("STORYLINE_MAX_FILE_BYTES", "10")
    [error] = run(path)  # no explicit settings: Settings() reads the environment
    assert error.kind is E.TOO_LARGE


# ---------------------------------------------------------------- JSONL dumps


@pytest.fixture(scope="module")
def dump_items():
    return list(iter_sources(str(DATA / "dump.jsonl")))


def test_jsonl_dump_yields_every_good_line_in_order(dump_items):
    docs, _ = split(dump_items)
    assert [d.doc_id for d in docs] == ["vd-1", "vd-2", "vd-4", "vd-7"]
    assert [d.source for d in docs] == [f"{DATA / 'dump.jsonl'}:{n}" for n in (1, 2, 4, 8)]


def test_jsonl_fields_from_alternative_keys(dump_items):
    docs, _ = split(dump_items)
    first, second, third, fourth = docs
    assert first.content.startswith("Valdoria recalled its envoy")
    assert (first.kind, first.title, first.url, first.outlet, first.published, first.language) == (
        "text", "Valdoria recalls its envoy", "https://valdor.example.com/2025/02/14/envoy",
        "Valdor News", "2025-02-14", "en")
    assert first.author == "Ilse Marek, Tomas Brenn"
    assert (second.title, second.url, second.outlet, second.published) == (
        "Ostrava summons ambassador", "https://ostrava.example.org/news/summons", "Ostrava Daily", "2025-02-15")
    assert second.content.startswith("Ostrava summoned")
    assert third.kind == "html" and "<p>Mediators" in third.content
    assert third.outlet == "Lindenport Herald"
    assert fourth.content == "Both delegations agreed to meet again in March."


def test_jsonl_broken_line_names_file_and_line(dump_items):
    _, errors = split(dump_items)
    path = DATA / "dump.jsonl"
    assert [(e.kind, e.path) for e in errors] == [
        (E.BAD_JSON, f"{path}:3"),
        (E.BAD_RECORD, f"{path}:6"),
        (E.BAD_RECORD, f"{path}:7"),
    ]
    for error in errors:
        assert_one_line_naming(error, f"{path}:{error.path.rsplit(':', 1)[1]}")


def test_jsonl_errors_come_where_the_lines_are(dump_items):
    kinds = ["doc" if isinstance(i, RawDoc) else i.kind.name for i in dump_items]
    assert kinds == ["doc", "doc", "BAD_JSON", "doc", "BAD_RECORD", "BAD_RECORD", "doc"]


def test_jsonl_with_crlf_and_bom(tmp_path):
    path = tmp_path / "win.ndjson"
    lines = [json.dumps({"id": "w1", "text": LEDE}), json.dumps({"id": "w2", "text": "Second."})]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    docs, errors = split(run(path))
    assert errors == []
    assert [d.doc_id for d in docs] == ["w1", "w2"]
    assert docs[0].content == LEDE


def test_jsonl_whitespace_text_is_a_bad_record(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text(json.dumps({"id": "b1", "text": "   "}) + "\n", encoding="utf-8")
    [error] = run(path)
    assert error.kind is E.BAD_RECORD
    assert error.path == f"{path}:1"


def test_jsonl_never_reads_story(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text(json.dumps({"id": "s1", "text": LEDE, "story": "STORY-LABEL-x"}) + "\n"
                    + json.dumps({"id": "s2", "story": "STORY-LABEL-only"}) + "\n", encoding="utf-8")
    items = run(path)
    assert "STORY-LABEL" not in repr(items)
    docs, errors = split(items)
    assert [d.doc_id for d in docs] == ["s1"]
    assert [e.kind for e in errors] == [E.BAD_RECORD]


# ---------------------------------------------------------------- corpus folders with a manifest


@pytest.fixture(scope="module")
def corpus_items():
    return list(iter_sources(str(DATA / "corpus")))


def test_manifest_yields_listed_articles_in_order(corpus_items):
    docs, _ = split(corpus_items)
    assert [d.doc_id for d in docs] == ["c1", "c2", "c4", "c6", "c7"]


def test_manifest_metadata_and_file_text(corpus_items):
    docs, _ = split(corpus_items)
    by_id = {d.doc_id: d for d in docs}
    folder = DATA / "corpus"
    c1 = by_id["c1"]
    assert c1.source == str(folder / "articles" / "c1.txt")
    assert c1.content == (folder / "articles" / "c1.txt").read_text(encoding="utf-8")
    assert (c1.kind, c1.url, c1.outlet, c1.published, c1.language) == (
        "text", "https://valdor.example.com/2025/03/05/talks", "Valdor News", "2025-03-05", "en")
    c2 = by_id["c2"]
    assert c2.kind == "html"
    assert (c2.outlet, c2.published) == ("Lindenport Herald", "2025-04-17")


def test_manifest_id_without_file_reads_articles_id_txt(corpus_items):
    docs, _ = split(corpus_items)
    c4 = next(d for d in docs if d.doc_id == "c4")
    assert c4.source == str(DATA / "corpus" / "articles" / "c4.txt")
    assert c4.content.startswith("Министры")
    assert (c4.language, c4.published) == ("ru", "2025-03-06")


def test_manifest_inline_text(corpus_items):
    docs, _ = split(corpus_items)
    c6 = next(d for d in docs if d.doc_id == "c6")
    assert c6.content == "Lindenport offered to mediate between Valdoria and Ostrava."
    assert c6.source == f"{DATA / 'corpus' / 'articles.jsonl'}:6"


def test_manifest_story_key_is_ignored(corpus_items):
    assert "STORY-LABEL" not in repr(corpus_items)
    for doc in split(corpus_items)[0]:
        assert not hasattr(doc, "story")


def test_manifest_missing_file_is_an_error_and_the_rest_continue(corpus_items):
    _, errors = split(corpus_items)
    missing = [e for e in errors if e.kind is E.NOT_FOUND]
    assert len(missing) == 1
    assert_one_line_naming(missing[0], str(DATA / "corpus" / "articles" / "does-not-exist.txt"))
    # c7 comes after both errors in the manifest and is still read.
    kinds = ["doc" if isinstance(i, RawDoc) else i.kind.name for i in corpus_items]
    assert kinds == ["doc", "doc", "NOT_FOUND", "doc", "BAD_RECORD", "doc", "doc"]


def test_manifest_file_outside_the_folder_is_refused(corpus_items):
    _, errors = split(corpus_items)
    [outside] = [e for e in errors if e.kind is E.BAD_RECORD]
    manifest = DATA / "corpus" / "articles.jsonl"
    assert outside.path == f"{manifest}:5"
    assert "outside" in str(outside)
    assert_one_line_naming(outside, f"{manifest}:5")
    # The file exists (tests/data/ingest/plain.txt) but its text must not be read.
    assert "joint authority" not in repr(corpus_items)


def test_manifest_unlisted_files_are_not_read(corpus_items):
    assert "not in the manifest" not in repr(corpus_items)


@pytest.mark.parametrize("escape", ["/etc/hostname", "../../outside.txt", "articles/../../outside.txt"])
def test_manifest_escapes_are_refused(tmp_path, escape):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("SECRET outside text", encoding="utf-8")
    (folder / "articles.jsonl").write_text(json.dumps({"id": "x", "file": escape}) + "\n", encoding="utf-8")
    [error] = run(folder)
    assert isinstance(error, StorylineError)
    assert error.kind is E.BAD_RECORD
    assert "outside" in str(error)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_manifest_symlink_leading_outside_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET outside text", encoding="utf-8")
    (folder / "articles" / "link.txt").symlink_to(secret)
    (folder / "articles.jsonl").write_text(json.dumps({"id": "x", "file": "articles/link.txt"}) + "\n",
                                           encoding="utf-8")
    items = run(folder)
    assert "SECRET" not in repr(items)
    [error] = items
    assert error.kind is E.BAD_RECORD


def test_manifest_bad_lines(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "ok.txt").write_text(LEDE, encoding="utf-8")
    manifest = folder / "articles.jsonl"
    manifest.write_text("\n".join([
        '{"id": "broken"',
        '"just a string"',
        '{"outlet": "Valdor News"}',
        "",
        '{"id": "ok", "outlet": "Valdor News"}',
    ]) + "\n", encoding="utf-8")
    items = run(folder)
    assert [(i.kind, i.path) if isinstance(i, StorylineError) else i.doc_id for i in items] == [
        (E.BAD_JSON, f"{manifest}:1"),
        (E.BAD_RECORD, f"{manifest}:2"),
        (E.BAD_RECORD, f"{manifest}:3"),
        "ok",
    ]


def test_manifest_numeric_id(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "17.txt").write_text(LEDE, encoding="utf-8")
    (folder / "articles.jsonl").write_text('{"id": 17}\n', encoding="utf-8")
    [doc] = run(folder)
    assert (doc.doc_id, doc.content) == ("17", LEDE)


def test_manifest_empty_article_file(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "e.txt").write_text("", encoding="utf-8")
    (folder / "articles" / "f.txt").write_text(LEDE, encoding="utf-8")
    (folder / "articles.jsonl").write_text('{"id": "e"}\n{"id": "f"}\n', encoding="utf-8")
    items = run(folder)
    assert items[0].kind is E.EMPTY
    assert_one_line_naming(items[0], str(folder / "articles" / "e.txt"))
    assert items[1].doc_id == "f"


# ---------------------------------------------------------------- plain folders


def test_folder_without_manifest_reads_files_recursively_skipping_hidden():
    folder = DATA / "folder"
    items = run(folder)
    summary = [(type(i).__name__, Path(i.source if isinstance(i, RawDoc) else i.path).name) for i in items]
    assert summary == [("RawDoc", "a.txt"), ("RawDoc", "b.html"), ("StorylineError", "table.csv")]
    assert items[1].kind == "html"
    assert items[2].kind is E.UNSUPPORTED
    assert "hidden" not in repr(items)


def test_folder_goes_on_past_bad_files(tmp_path):
    shutil.copy(DATA / "plain.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / "c.txt").write_bytes(b"")
    shutil.copy(DATA / "feed.rss", tmp_path / "d.rss")
    shutil.copy(DATA / "dump.jsonl", tmp_path / "e.jsonl")
    items = run(tmp_path)
    kinds = ["doc" if isinstance(i, RawDoc) else i.kind.name for i in items]
    assert kinds == ["doc", "NOT_TEXT", "EMPTY", "doc", "doc",
                     "doc", "doc", "BAD_JSON", "doc", "BAD_RECORD", "BAD_RECORD", "doc"]


def test_empty_folder_yields_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run(tmp_path / "empty") == []


# ---------------------------------------------------------------- feed files


def test_rss_file_one_doc_per_item():
    path = DATA / "feed.rss"
    docs, errors = split(run(path))
    assert errors == []
    assert len(docs) == 2
    first, second = docs
    assert first.title == "Valdoria and Ostrava resume talks"
    assert first.url == "https://herald.example.com/2025/03/05/talks"
    assert first.published == "2025-03-05"
    assert first.outlet == "Lindenport Herald"
    assert first.author == "Mira Kovalenko"
    assert first.content == "The foreign ministers of Valdoria and Ostrava met in Lindenport."
    assert first.kind == "text"
    assert first.source == f"{path}#herald-1"
    assert second.title == "Marren river accord signed"
    assert second.url == "https://herald.example.com/2025/04/17/accord"
    assert second.published == "2025-04-17"
    assert second.kind == "html"
    assert "<p>The two governments signed" in second.content
    assert second.source == f"{path}#https://herald.example.com/2025/04/17/accord"


def test_atom_file_one_doc_per_entry():
    path = DATA / "feed.atom"
    docs, errors = split(run(path))
    assert errors == []
    assert [(d.title, d.url, d.published) for d in docs] == [
        ("Ostravan negotiators return home", "https://daily.example.org/news/ostrava-return", "2025-04-18"),
        ("Border commission named", "https://daily.example.org/news/commission", "2025-04-19"),
    ]
    assert all(d.outlet == "Ostrava Daily" for d in docs)
    assert docs[0].author == "Petr Lindqvist"
    assert "returned from Lindenport" in docs[0].content
    assert docs[1].content == "Ostrava named five members to the joint border commission."
    assert docs[0].source == f"{path}#urn:ostrava-daily:1"


@pytest.mark.parametrize("name", ["feed.xml", "feed.txt"])
def test_rss_is_recognised_by_content(tmp_path, name):
    path = tmp_path / name
    shutil.copy(DATA / "feed.rss", path)
    docs, errors = split(run(path))
    assert errors == [] and len(docs) == 2


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "note.xml"
    path.write_text("<note><to>Valdoria</to><from>Ostrava</from></note>", encoding="utf-8")
    [error] = run(path)
    assert isinstance(error, StorylineError)
    assert error.kind is E.BAD_FEED
    assert_one_line_naming(error, str(path))


def test_feed_item_without_text_is_an_error_and_the_rest_continue(tmp_path):
    path = tmp_path / "thin.rss"
    path.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Valdor News</title>
<item><title>Empty item</title><link>https://valdor.example.com/empty</link></item>
<item><title>Full item</title><link>https://valdor.example.com/full</link>
<description>Valdoria and Ostrava agreed to a second round.</description></item>
</channel></rss>""", encoding="utf-8")
    items = run(path)
    assert isinstance(items[0], StorylineError)
    assert items[0].kind is E.BAD_RECORD
    assert_one_line_naming(items[0], f"{path}#https://valdor.example.com/empty")
    assert isinstance(items[1], RawDoc) and items[1].title == "Full item"


def test_feed_item_prefers_the_longer_content(tmp_path):
    text = "<p>" + "Valdoria. " * 30 + "</p>"
    path = tmp_path / "long.atom"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ostrava Daily</title><id>urn:x</id>
<updated>2025-04-18T08:00:00Z</updated>
<entry><title>T</title><id>urn:x:1</id><updated>2025-04-18T08:00:00Z</updated>
<summary>Short teaser.</summary><content type="html">{text.replace('<', '&lt;')}</content></entry></feed>""",
                    encoding="utf-8")
    [doc] = run(path)
    assert doc.content == text


# ---------------------------------------------------------------- decode


def test_decode_prefers_the_declared_charset():
    text = "Валдорія"
    assert decode(text.encode("koi8-u"), "x", "koi8-u") == text


def test_decode_falls_back_from_a_wrong_declared_charset():
    assert decode(LEDE.encode("utf-8"), "x", "no-such-charset") == LEDE


def test_decode_error_names_the_source():
    with pytest.raises(StorylineError) as info:
        decode(b"\x00" * 100, "where/it/came/from.txt")
    assert info.value.kind is E.NOT_TEXT
    assert_one_line_naming(info.value, "where/it/came/from.txt")
