"""What a piece of content is, from its first bytes: HTML, a feed, or plain text.

One place for the guesses the readers make (a file with no telling suffix, a fetched page, a feed
item's body), so a file, a URL and a feed item of the same content are read the same way.  Only a
bounded head of the content is looked at.
"""
from __future__ import annotations

FEED_CONTENT_TYPES = ("rss", "atom", "xml")
_HEAD_CHARS = 1000


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head) or ("<p>" in head and "</p>" in head)


def looks_like_feed(content: str | bytes) -> bool:
    """An RSS or Atom document: ``<rss``/``<feed`` first, or after an XML declaration."""
    head = content[:_HEAD_CHARS].lstrip().lower()
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head) or head.startswith(("<rss", "<feed"))


def is_feed_content_type(content_type: str) -> bool:
    return any(kind in content_type for kind in FEED_CONTENT_TYPES) and "html" not in content_type


def item_kind(text: str) -> str:
    """A feed item's body: HTML if it has any markup (feeds escape it), else text."""
    return "html" if looks_like_html(text) or "<" in text else "text"
