"""Local inputs: text scrapes, HTML pages, JSONL dumps and corpus folders."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.sources._decode import decode
from storyline.sources.feeds import iter_feed_text
from storyline.sources.sniff import looks_like_feed, looks_like_html

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
MANIFEST = "articles.jsonl"

# Keys a JSONL dump may use for each field, in order of preference.
TEXT_KEYS = ("text", "content", "body", "article", "maintext")
HTML_KEYS = ("html", "raw_html")
FIELD_KEYS = {
    "doc_id": ("id", "article_id", "guid"),
    "url": ("url", "link", "source_url"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher", "domain"),
    "published": ("published", "date", "published_at", "pubDate", "date_publish", "publish_date"),
    "language": ("language", "lang"),
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline"),
}


def read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise StorylineError(E.NOT_FOUND, str(path)) from None
    if size > max_bytes:
        raise StorylineError(E.TOO_LARGE, str(path), f"{size} bytes, limit {max_bytes}")
    if size == 0:
        raise StorylineError(E.EMPTY, str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorylineError(E.NOT_FOUND, str(path), exc.strerror) from None


def read_text(path: Path, max_bytes: int) -> str:
    text = decode(read_bytes(path, max_bytes), str(path))
    if not text.strip():
        raise StorylineError(E.EMPTY, str(path))
    return text


# JSON may escape lone surrogates ("\ud800"), which no store can encode: they become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _pick(record: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value not in (None, ""):
            return _SURROGATE.sub("\ufffd", str(value))
    return None


def _loads(line: str, where: str) -> object:
    """A JSON line, or StorylineError (also for nesting too deep for the parser)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise StorylineError(E.BAD_JSON, where, exc.msg) from None
    except RecursionError:
        raise StorylineError(E.BAD_JSON, where, "nested too deeply") from None


def record_to_doc(record: object, source: str, text: str | None = None, kind: str | None = None) -> RawDoc:
    """A JSON object (a dump line or a manifest line) as a RawDoc; ``story`` is never read."""
    if not isinstance(record, dict):
        raise StorylineError(E.BAD_RECORD, source, "not a JSON object")
    if text is None:
        html = _pick(record, HTML_KEYS)
        plain = _pick(record, TEXT_KEYS)
        if plain:
            text, kind = plain, kind or ("html" if looks_like_html(plain) else "text")
        elif html:
            text, kind = html, "html"
    if not text or not text.strip():
        raise StorylineError(E.BAD_RECORD, source)
    fields = {name: _pick(record, keys) for name, keys in FIELD_KEYS.items()}
    return RawDoc(source=source, content=text, kind=kind or "text", **fields)


def iter_jsonl(path: Path, max_bytes: int) -> Iterator[RawDoc | StorylineError]:
    try:
        text = read_text(path, max_bytes)
    except StorylineError as error:
        yield error
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = _loads(line, where)
        except StorylineError as error:
            yield error
            continue
        try:
            yield record_to_doc(record, where)
        except StorylineError as error:
            yield error


def iter_manifest(folder: Path, max_bytes: int) -> Iterator[RawDoc | StorylineError]:
    """A corpus folder: ``articles.jsonl`` gives metadata, the text lives in a file per article."""
    manifest = folder / MANIFEST
    try:
        lines = read_text(manifest, max_bytes).splitlines()
    except StorylineError as error:
        yield error
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{manifest}:{number}"
        try:
            record = _loads(line, where)
        except StorylineError as error:
            yield error
            continue
        if not isinstance(record, dict):
            yield StorylineError(E.BAD_RECORD, where, "not a JSON object")
            continue
        if _pick(record, TEXT_KEYS) or _pick(record, HTML_KEYS):
            try:
                yield record_to_doc(record, where)
            except StorylineError as error:
                yield error
            continue
        relative = record.get("file") or (f"articles/{record['id']}.txt" if record.get("id") else None)
        if not relative:
            yield StorylineError(E.BAD_RECORD, where, "no 'file' and no 'id'")
            continue
        path = (folder / str(relative))
        try:
            path.resolve().relative_to(folder.resolve())
        except ValueError:
            yield StorylineError(E.BAD_RECORD, where, f"file {relative!r} is outside the corpus folder")
            continue
        try:
            text = read_text(path, max_bytes)
        except StorylineError as error:
            yield error
            continue
        kind = "html" if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text) else "text"
        try:
            yield record_to_doc(record, str(path), text=text, kind=kind)
        except StorylineError as error:
            yield error


def iter_file(path: Path, max_bytes: int) -> Iterator[RawDoc | StorylineError]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from iter_jsonl(path, max_bytes)
        return
    try:
        text = read_text(path, max_bytes)
    except StorylineError as error:
        yield error
        return
    if suffix in FEED_SUFFIXES or looks_like_feed(text):
        yield from iter_feed_text(text, str(path))
    elif suffix in HTML_SUFFIXES or looks_like_html(text):
        yield RawDoc(source=str(path), content=text, kind="html", doc_id=path.stem)
    elif suffix in TEXT_SUFFIXES or not suffix:
        yield RawDoc(source=str(path), content=text, kind="text", doc_id=path.stem)
    else:
        yield StorylineError(E.UNSUPPORTED, str(path), f"suffix {suffix!r}")


def iter_folder(folder: Path, max_bytes: int) -> Iterator[RawDoc | StorylineError]:
    if (folder / MANIFEST).is_file():
        yield from iter_manifest(folder, max_bytes)
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        yield from iter_file(path, max_bytes)
