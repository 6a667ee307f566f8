"""Articles and outlets: one article, lists (paged and counted), articles by id (search: ``read.search``)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select

from storyline.errors import E, StorylineError
from storyline.read.base import chunks, loads
from storyline.read.records import (
    ArticleDetail,
    ArticleEvent,
    ArticleMention,
    ArticleMeta,
    ArticleRow,
    Outlet,
    OutletSummary,
)
from storyline.store import Store
from storyline.store import schema as t

_ROW = (t.articles.c.id, t.articles.c.title, t.articles.c.outlet, t.articles.c.published,
        t.articles.c.published_source, t.articles.c.language, t.articles.c.url, t.articles.c.story,
        t.articles.c.duplicate_of)  # the columns of an ArticleRow
_META = (t.articles.c.id, t.articles.c.url, t.articles.c.outlet, t.articles.c.published,
         t.articles.c.published_source, t.articles.c.language, t.articles.c.title, t.articles.c.author,
         t.articles.c.story, t.articles.c.duplicate_of, t.articles.c.duplicate_score)  # of an ArticleMeta


def get_article(store: Store, article_id: str) -> ArticleDetail:
    """One article with its entity mentions, the sentences reporting events, and the ids of its copies."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"article {article_id}")
        article = dict(row._mapping)
        article.pop("raw", None)
        article["offsets"] = loads(article["offsets"], [])
        article["paragraph_languages"] = loads(article["paragraph_languages"], [])
        article["mentions"] = [ArticleMention(**r._mapping) for r in conn.execute(
            select(t.entity_mentions.c.entity_id, t.entity_mentions.c.start, t.entity_mentions.c.end,
                   t.entity_mentions.c.text, t.entities.c.type, t.entities.c.name)
            .join(t.entities, t.entities.c.id == t.entity_mentions.c.entity_id)
            .where(t.entity_mentions.c.article_id == article_id).order_by(t.entity_mentions.c.start))]
        article["events"] = [ArticleEvent(**r._mapping) for r in conn.execute(
            select(t.event_mentions.c.event_id, t.event_mentions.c.sentence, t.event_mentions.c.text,
                   t.events.c.type, t.events.c.summary, t.events.c.first, t.events.c.last)
            .join(t.events, t.events.c.id == t.event_mentions.c.event_id)
            .where(t.event_mentions.c.article_id == article_id).order_by(t.event_mentions.c.sentence))]
        article["copies"] = [r[0] for r in conn.execute(select(t.articles.c.id).where(
            t.articles.c.duplicate_of == article_id))]
    return ArticleDetail(**article)


def _narrowed(query: Select, story: str | None, outlet: str | None) -> Select:
    if story:
        query = query.where(t.articles.c.story == story)
    if outlet is not None:
        query = query.where(t.articles.c.outlet == outlet)
    return query


def list_articles(store: Store, story: str | None = None, outlet: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[ArticleRow]]:
    """Articles, newest first, with the total for the same filters."""
    query = (_narrowed(select(*_ROW), story, outlet)
             .order_by(t.articles.c.published.is_(None), t.articles.c.published.desc(), t.articles.c.seq.desc())
             .limit(limit).offset(offset))
    total_query = _narrowed(select(func.count()), story, outlet).select_from(t.articles)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        rows = [ArticleRow(**r._mapping) for r in conn.execute(query)]
    return total, rows


def articles_by_id(store: Store, ids: Iterable[str]) -> dict[str, ArticleRow]:
    """The articles of these ids that exist (title, outlet, date...: to name sources)."""
    found: dict[str, ArticleRow] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            for r in conn.execute(select(*_ROW).where(t.articles.c.id.in_(chunk))):
                found[r.id] = ArticleRow(**r._mapping)
    return found


def articles_metadata(store: Store, story: str | None = None) -> list[ArticleMeta]:
    """The metadata of every article (or, unless ``story`` is None, a story's), in arrival order."""
    query = select(*_META).order_by(t.articles.c.seq)
    if story is not None:
        query = query.where(t.articles.c.story == story)
    with store.engine.connect() as conn:
        return [ArticleMeta(**r._mapping) for r in conn.execute(query)]


def outlets(store: Store) -> list[Outlet]:
    """Outlets with their article counts and first and last publication dates, most articles first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.outlet, func.count().label("articles"),
                                   func.min(t.articles.c.published).label("first"),
                                   func.max(t.articles.c.published).label("last"))
                            .group_by(t.articles.c.outlet).order_by(func.count().desc(), t.articles.c.outlet))
        return [Outlet(**r._mapping) for r in rows]


def outlet_urls(store: Store, outlets: Iterable[str]) -> dict[str, list[str]]:
    """The web addresses of the given outlets' articles (the outlet directory knows outlets by their domains)."""
    names = sorted(set(outlets))
    found: dict[str, list[str]] = {name: [] for name in names}
    with store.engine.connect() as conn:
        for chunk in chunks(names):
            for r in conn.execute(select(t.articles.c.outlet, t.articles.c.url)
                                  .where(t.articles.c.outlet.in_(chunk), t.articles.c.url.is_not(None))):
                found[r.outlet].append(r.url)
    return found


def outlet_summary(store: Store, outlet: str) -> OutletSummary:
    with store.engine.connect() as conn:
        row = conn.execute(select(func.count().label("articles"), func.min(t.articles.c.published).label("first"),
                                  func.max(t.articles.c.published).label("last"),
                                  func.count(func.distinct(t.articles.c.story)).label("stories"))
                           .where(t.articles.c.outlet == outlet)).first()
    if row is None or not row.articles:
        raise StorylineError(E.NO_SUCH_ITEM, f"outlet {outlet}")
    return OutletSummary(outlet=outlet, **row._mapping)
