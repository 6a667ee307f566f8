"""What the framing report reads of one story: its texts with their analyses, and who reports which fact."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from storyline.models import Analysis
from storyline.read.base import CHUNK
from storyline.read.events import event_record
from storyline.read.records import ArticleText, EntityArticles, Event
from storyline.store import Store
from storyline.store import schema as t
from storyline.store.codec import analysis_from_json


def story_texts(store: Store, story: str) -> list[ArticleText]:
    """The story's articles in arrival order, each with its analysis (None if not analysed) and the spans of
    the entity mentions the resolved record knows (names the per-article model may have missed)."""
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(t.articles.c.id, t.articles.c.outlet, t.articles.c.language,
                                        t.articles.c.published, t.articles.c.duplicate_of, t.articles.c.text)
                                 .where(t.articles.c.story == story).order_by(t.articles.c.seq)))
        ids = [r.id for r in rows]
        analyses: dict[str, Analysis] = {}
        names: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start in range(0, len(ids), CHUNK):
            for a in conn.execute(select(t.analyses.c.article_id, t.analyses.c.data)
                                  .where(t.analyses.c.article_id.in_(ids[start:start + CHUNK]))):
                analyses[a.article_id] = analysis_from_json(a.data)
            for m in conn.execute(select(t.entity_mentions.c.article_id, t.entity_mentions.c.start,
                                         t.entity_mentions.c.end)
                                  .where(t.entity_mentions.c.article_id.in_(ids[start:start + CHUNK]))):
                names[m.article_id].append((m.start, m.end))
    return [ArticleText(r.id, r.outlet, r.language, r.published, r.duplicate_of, r.text, analyses.get(r.id),
                        names.get(r.id, [])) for r in rows]


def article_lengths(store: Store, story: str) -> dict[str, int]:
    """The length in characters of each of the story's articles' cleaned text."""
    with store.engine.connect() as conn:
        return {r.id: r.size or 0 for r in conn.execute(
            select(t.articles.c.id, func.length(t.articles.c.text).label("size")).where(t.articles.c.story == story))}


def story_events(store: Store, story: str) -> list[Event]:
    """The story's events, in the store's order."""
    with store.engine.connect() as conn:
        return [event_record(r) for r in conn.execute(select(t.events).where(t.events.c.story == story))]


def event_articles(store: Store, story: str) -> dict[str, set[str]]:
    """For each event of the story, the articles reporting it."""
    found: dict[str, set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for m in conn.execute(select(t.event_mentions.c.event_id, t.event_mentions.c.article_id)
                              .join(t.events, t.events.c.id == t.event_mentions.c.event_id)
                              .where(t.events.c.story == story)):
            found[m.event_id].add(m.article_id)
    return found


def entity_articles(store: Store, story: str) -> list[EntityArticles]:
    """The entities the story's articles name, each with those articles, in the order first named."""
    articles: dict[str, set[str]] = defaultdict(set)
    names: dict[str, tuple[str, str]] = {}
    with store.engine.connect() as conn:
        for m in conn.execute(select(t.entity_mentions.c.entity_id, t.entity_mentions.c.article_id,
                                     t.entities.c.name, t.entities.c.type)
                              .join(t.entities, t.entities.c.id == t.entity_mentions.c.entity_id)
                              .join(t.articles, t.articles.c.id == t.entity_mentions.c.article_id)
                              .where(t.articles.c.story == story)):
            articles[m.entity_id].add(m.article_id)
            names[m.entity_id] = (m.name, m.type)
    return [EntityArticles(entity_id, *names[entity_id], ids) for entity_id, ids in articles.items()]
