"""Stories: the list with counts, one story (with or without its articles), a story's outlets."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from storyline.errors import E, StorylineError
from storyline.read.base import page
from storyline.read.records import OutletCount, Story, StoryArticle, StorySummary, StoryWithArticles
from storyline.store import Store
from storyline.store import schema as t


def list_stories(store: Store, limit: int | None = None, offset: int = 0) -> list[StorySummary]:
    """Stories, largest first, each with its number of dated events (as many as its timeline lists) and of
    outlets (three queries in all)."""
    query = page(select(t.stories).order_by(t.stories.c.size.desc(), t.stories.c.id), limit, offset)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
        ids = [r.id for r in rows]
        # dated events: what the story's timeline lists (undated reports are kept for cross-checking only)
        events = dict(conn.execute(select(t.events.c.story, func.count())
                                   .where(t.events.c.story.in_(ids), t.events.c.first.is_not(None))
                                   .group_by(t.events.c.story)).all())
        outlets = dict(conn.execute(select(t.articles.c.story, func.count(func.distinct(t.articles.c.outlet)))
                                    .where(t.articles.c.story.in_(ids)).group_by(t.articles.c.story)).all())
    return [StorySummary(**r._mapping, events=events.get(r.id, 0), outlets=outlets.get(r.id, 0)) for r in rows]


def _story_columns(conn: Connection, story_id: str) -> dict[str, Any]:
    row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
    if row is None:
        raise StorylineError(E.NO_SUCH_ITEM, f"story {story_id}")
    return dict(row._mapping)


def get_story(store: Store, story_id: str) -> StoryWithArticles:
    """A story and all its articles, by publication date (``story_row`` reads the story alone)."""
    with store.engine.connect() as conn:
        story = _story_columns(conn, story_id)
        articles = [StoryArticle(**r._mapping) for r in conn.execute(
            select(t.articles.c.id, t.articles.c.title, t.articles.c.outlet, t.articles.c.published,
                   t.articles.c.language, t.articles.c.url, t.articles.c.duplicate_of)
            .where(t.articles.c.story == story_id).order_by(t.articles.c.published, t.articles.c.seq))]
    return StoryWithArticles(**story, articles=articles)


def story_row(store: Store, story_id: str) -> Story:
    """A story's row, without reading its articles (a story may have thousands)."""
    with store.engine.connect() as conn:
        return Story(**_story_columns(conn, story_id))


def story_outlets(store: Store, story: str) -> list[OutletCount]:
    """The outlets of a story with their numbers of articles, most first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.outlet, func.count().label("articles"))
                            .where(t.articles.c.story == story).group_by(t.articles.c.outlet)
                            .order_by(func.count().desc(), t.articles.c.outlet))
        return [OutletCount(**r._mapping) for r in rows]
