"""Where articles come from: files, folders, corpus manifests, feeds and URLs.

``iter_sources`` yields a RawDoc per article, or a StorylineError for each
input that cannot be read, so a batch goes on past bad files.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx

from storyline.errors import E, StorylineError
from storyline.models import RawDoc
from storyline.settings import Settings
from storyline.sources import sniff
from storyline.sources._decode import decode
from storyline.sources._fetch import FetchResult, fetch
from storyline.sources.feeds import entry_to_doc, parse_feed
from storyline.sources.files import iter_file, iter_folder
from storyline.sources.sniff import is_feed_content_type, looks_like_html

__all__ = ["iter_sources", "iter_url", "is_url", "fetch", "FetchResult", "with_full_page", "docs_from_response"]

# Feed items shorter than this are teasers: the linked page is fetched for the full text.
TEASER_CHARS = 400


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def looks_like_feed(result: FetchResult) -> bool:
    return is_feed_content_type(result.content_type) or sniff.looks_like_feed(result.content)


def _fetch_kwargs(settings: Settings) -> dict:
    return {"timeout": settings.fetch_timeout, "max_bytes": settings.fetch_max_bytes,
            "max_redirects": settings.fetch_max_redirects, "allow_private": settings.allow_private}


def docs_from_response(result: FetchResult, settings: Settings,
                       transport: httpx.BaseTransport | None = None) -> Iterator[RawDoc | StorylineError]:
    """A fetched page becomes one RawDoc, a fetched feed one per item."""
    if looks_like_feed(result):
        try:
            title, entries = parse_feed(result.content, result.url)
        except StorylineError as error:
            yield error
            return
        for entry in entries:
            doc = entry_to_doc(entry, title, result.url)
            if isinstance(doc, RawDoc) and doc.url and len(doc.content) < TEASER_CHARS:
                doc = with_full_page(doc, settings, transport)
            yield doc
        return
    try:
        text = decode(result.content, result.url, result.charset)
    except StorylineError as error:
        yield error
        return
    if not text.strip():
        yield StorylineError(E.EMPTY, result.url)
        return
    kind = "html" if "html" in result.content_type or looks_like_html(text) else "text"
    yield RawDoc(source=result.url, content=text, kind=kind, url=result.url)


def with_full_page(doc: RawDoc, settings: Settings, transport: httpx.BaseTransport | None) -> RawDoc:
    assert doc.url
    try:
        page = fetch(doc.url, transport=transport, **_fetch_kwargs(settings))
        text = decode(page.content, page.url, page.charset)
    except StorylineError:
        return doc  # the teaser is still worth keeping
    if len(text) <= len(doc.content):
        return doc
    return RawDoc(source=doc.source, content=text, kind="html", doc_id=doc.doc_id, url=doc.url,
                  outlet=doc.outlet, published=doc.published, language=doc.language,
                  title=doc.title, author=doc.author)


def iter_url(url: str, settings: Settings,
             transport: httpx.BaseTransport | None = None) -> Iterator[RawDoc | StorylineError]:
    try:
        result = fetch(url, transport=transport, **_fetch_kwargs(settings))
    except StorylineError as error:
        yield error
        return
    yield from docs_from_response(result, settings, transport)


def iter_sources(target: str, settings: Settings | None = None,
                 transport: httpx.BaseTransport | None = None) -> Iterator[RawDoc | StorylineError]:
    settings = settings or Settings()
    if is_url(target):
        yield from iter_url(target, settings, transport)
        return
    path = Path(target)
    if path.is_dir():
        yield from iter_folder(path, settings.max_file_bytes)
    elif path.is_file():
        yield from iter_file(path, settings.max_file_bytes)
    else:
        yield StorylineError(E.NOT_FOUND, target)
