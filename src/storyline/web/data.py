"""Reads the web app needs beyond ``queries``: totals for paging, light timeline points, lists by outlet.

Filters mirror ``queries.timeline`` so that a page's ``total`` counts what its
rows list; if ``queries`` grows count functions these should move there.
"""
from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Select, func, select, text

from .. import queries
from ..errors import E, StorylineError
from ..models import ENTITY_TYPES
from ..store import Store
from ..store import schema as t

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)  # the tokeniser of queries.search


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def get_story(store: Store, story_id: str) -> dict:
    """A story's row (``queries.get_story`` also reads every article of it)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
    if row is None:
        raise StorylineError(E.NO_SUCH_ITEM, f"story {story_id}")
    return dict(row._mapping)


def timeline_points(store: Store, cap: int = 2000, **filters: Any) -> list[dict]:
    """Dated events for the timeline chart: no mentions, at most ``cap``."""
    columns = (t.events.c.id, t.events.c.type, t.events.c.first, t.events.c.last, t.events.c.status,
               t.events.c.summary, t.events.c.place, t.events.c.independent_sources)
    query = queries.event_filters(select(*columns), **{**filters, "dated_only": True})
    query = query.order_by(t.events.c.first, t.events.c.last, t.events.c.id).limit(cap)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def exists(store: Store, table: str, item_id: str) -> bool:
    tbl = t.metadata.tables[table]
    with store.engine.connect() as conn:
        return conn.execute(select(tbl.c.id).where(tbl.c.id == item_id)).first() is not None


def count_entities(store: Store, entity_type: str | None = None, q: str | None = None,
                   story: str | None = None) -> int:
    query = queries.entity_filter(select(func.count()).select_from(t.entities), entity_type, q, story)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def entity_types(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        found = {r[0] for r in conn.execute(select(t.entities.c.type).distinct())}
    return sorted(found | set(ENTITY_TYPES))


def _article_query(columns: Any, story: str | None, outlet: str | None) -> Select:
    query = select(*columns)
    if story:
        query = query.where(t.articles.c.story == story)
    if outlet is not None:
        query = query.where(t.articles.c.outlet == outlet)
    return query


def list_articles(store: Store, story: str | None = None, outlet: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict]]:
    """Articles, newest first, with the total for the same filters."""
    columns = (t.articles.c.id, t.articles.c.title, t.articles.c.outlet, t.articles.c.published,
               t.articles.c.published_source, t.articles.c.language, t.articles.c.url, t.articles.c.story,
               t.articles.c.duplicate_of)
    query = (_article_query(columns, story, outlet)
             .order_by(t.articles.c.published.is_(None), t.articles.c.published.desc(), t.articles.c.seq.desc())
             .limit(limit).offset(offset))
    total_query = _article_query((func.count(),), story, outlet).select_from(t.articles)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        rows = [dict(r._mapping) for r in conn.execute(query)]
    return total, rows


def outlet_summary(store: Store, outlet: str) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(select(func.count().label("articles"), func.min(t.articles.c.published).label("first"),
                                  func.max(t.articles.c.published).label("last"),
                                  func.count(func.distinct(t.articles.c.story)).label("stories"))
                           .where(t.articles.c.outlet == outlet)).first()
    if row is None or not row.articles:
        raise StorylineError(E.NO_SUCH_ITEM, f"outlet {outlet}")
    return {"outlet": outlet, **dict(row._mapping)}


def article_labels(store: Store, ids: set[str] | list[str]) -> dict[str, dict]:
    """Title, outlet and date of each article id, for lists of sources."""
    wanted = sorted(set(ids))
    out: dict[str, dict] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            for r in conn.execute(select(t.articles.c.id, t.articles.c.title, t.articles.c.outlet,
                                         t.articles.c.published, t.articles.c.duplicate_of)
                                  .where(t.articles.c.id.in_(wanted[start:start + 500]))):
                out[r.id] = dict(r._mapping)
    return out


def event_summaries(store: Store, ids: set[str]) -> dict[str, dict]:
    """Type, date and summary of those of ``ids`` that are events (claims' subjects are events or stories)."""
    wanted = sorted(ids)
    found: dict[str, dict] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            for r in conn.execute(select(t.events.c.id, t.events.c.type, t.events.c.first, t.events.c.summary)
                                  .where(t.events.c.id.in_(wanted[start:start + 500]))):
                found[r.id] = dict(r._mapping)
    return found


def story_outlets(store: Store, story: str) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.outlet, func.count().label("articles"))
                            .where(t.articles.c.story == story).group_by(t.articles.c.outlet)
                            .order_by(func.count().desc(), t.articles.c.outlet))
        return [dict(r._mapping) for r in rows]


def count_search(store: Store, q: str) -> int:
    """How many articles ``queries.search`` can page through for ``q``."""
    words = _FTS_TOKEN.findall(q)
    if not words:
        return 0
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            match = " ".join(f'"{w}"' for w in words)
            return conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"),
                                {"q": match}).scalar_one()
        return conn.execute(text("SELECT count(*) FROM articles a WHERE a.search @@ plainto_tsquery('simple', :q)"),
                            {"q": " ".join(words)}).scalar_one()


def store_name(store: Store) -> str:
    """What the header shows: a file name, or a database name without credentials."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return (url.database or ":memory:").replace("\\", "/").rsplit("/", 1)[-1]
    return f"{url.get_backend_name()}:{url.database or ''}"
