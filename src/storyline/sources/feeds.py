"""RSS and Atom feeds, from a file or fetched: one RawDoc per item."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser

from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.sources.sniff import item_kind


def _entry_date(entry: dict) -> str | None:
    # dict.get: feedparser's own get maps a missing "updated" to "published" with a DeprecationWarning
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC).date().isoformat()
            except (ValueError, OverflowError):  # year 0 or 10000 after time-zone shifts: use the raw string
                break
    return dict.get(entry, "published") or dict.get(entry, "updated")


def _entry_text(entry: dict) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if isinstance(c, dict)]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def parse_feed(text: str | bytes, source: str) -> tuple[str, list[dict]]:
    """(feed title, entries); BAD_FEED when nothing feed-like is found."""
    try:
        parsed = feedparser.parse(text)
    except Exception as exc:  # feedparser's loose parser raises on some character references (&#xD800;)
        raise StorylineError(E.BAD_FEED, source, type(exc).__name__) from None
    entries = list(parsed.get("entries", []))
    if not entries and (parsed.get("bozo") or not parsed.get("feed")):
        reason = parsed.get("bozo_exception")
        raise StorylineError(E.BAD_FEED, source, type(reason).__name__ if reason else "no items")
    return parsed.get("feed", {}).get("title", "") or "", entries


def entry_to_doc(entry: dict, feed_title: str, source: str) -> RawDoc | StorylineError:
    link = entry.get("link")
    # the item's id, link or title names it in messages: on one line
    where = f"{source}#{' '.join(str(entry.get('id') or link or entry.get('title') or '?').split())}"
    text = _entry_text(entry)
    if not text.strip():
        return StorylineError(E.BAD_RECORD, where, "feed item has no text")
    author = entry.get("author")
    return RawDoc(
        source=where, content=text, kind=item_kind(text),
        doc_id=None, url=link, outlet=feed_title or None, published=_entry_date(entry),
        language=(entry.get("language") or None), title=entry.get("title"), author=author,
    )


def iter_feed_text(text: str | bytes, source: str) -> Iterator[RawDoc | StorylineError]:
    try:
        title, entries = parse_feed(text, source)
    except StorylineError as error:
        yield error
        return
    for entry in entries:
        yield entry_to_doc(entry, title, source)
