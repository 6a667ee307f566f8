"""Entities: lists (filtered, paged, counted), one entity with its mentions in context, where they are named."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Row

from storyline.errors import E, StorylineError
from storyline.models import ENTITY_TYPES
from storyline.read.base import chunks, loads, page
from storyline.read.events import timeline
from storyline.read.records import Entity, EntityDetail, EntityMention, MentionSpan
from storyline.store import Store
from storyline.store import schema as t


def _filtered(query: Select, entity_type: str | None = None, q: str | None = None, story: str | None = None) -> Select:
    """``query`` over entities narrowed to a type, a name or alias containing ``q``, a story's."""
    if entity_type:
        query = query.where(t.entities.c.type == entity_type.upper())
    if q:
        like = f"%{q}%"
        query = query.where(or_(t.entities.c.name.ilike(like), t.entities.c.aliases.ilike(like)))
    if story:
        sub = (select(t.entity_mentions.c.entity_id).join(t.articles, t.articles.c.id == t.entity_mentions.c.article_id)
               .where(t.articles.c.story == story))
        query = query.where(t.entities.c.id.in_(sub))
    return query


def _columns(row: Row, lenient: bool = False) -> dict[str, Any]:
    """An entities row's columns, JSON decoded."""
    entity = dict(row._mapping)
    entity["aliases"] = loads(entity["aliases"], [], lenient=lenient)
    entity["roles"] = loads(entity["roles"], [], lenient=lenient)
    return entity


def _entity(row: Row, lenient: bool = False) -> Entity:
    return Entity(**_columns(row, lenient))


def entities(store: Store, entity_type: str | None = None, q: str | None = None, story: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[Entity]:
    """Entities, most mentioned first."""
    query = _filtered(select(t.entities), entity_type, q, story)
    query = page(query.order_by(t.entities.c.mention_count.desc(), t.entities.c.name), limit, offset)
    with store.engine.connect() as conn:
        return [_entity(row) for row in conn.execute(query)]


def count_entities(store: Store, entity_type: str | None = None, q: str | None = None,
                   story: str | None = None) -> int:
    """How many entities ``entities`` lists for these filters, without paging."""
    query = _filtered(select(func.count()).select_from(t.entities), entity_type, q, story)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def entity_types(store: Store) -> list[str]:
    """The types in the store and the known ones."""
    with store.engine.connect() as conn:
        found = {r[0] for r in conn.execute(select(t.entities.c.type).distinct())}
    return sorted(found | set(ENTITY_TYPES))


def _in_context(text: str, start: int, end: int, width: int = 80) -> tuple[str, str, str]:
    """(the line up to ``width`` characters before, the match, the line up to ``width`` characters after)."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return left.split("\n")[-1], text[start:end], right.split("\n")[0]


def get_entity(store: Store, entity_id: str, mention_limit: int = 500) -> EntityDetail:
    """One entity with its mentions (at most ``mention_limit``) in context and its events."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"entity {entity_id}")
        mentions = []
        texts: dict[str, tuple[str, str, str]] = {}
        for m in conn.execute(select(t.entity_mentions).where(t.entity_mentions.c.entity_id == entity_id)
                              .order_by(t.entity_mentions.c.article_id, t.entity_mentions.c.start)
                              .limit(mention_limit)):
            if m.article_id not in texts:
                a = conn.execute(select(t.articles.c.text, t.articles.c.title, t.articles.c.outlet)
                                 .where(t.articles.c.id == m.article_id)).first()
                texts[m.article_id] = (a.text, a.title, a.outlet) if a else ("", "", "")
            body, title, outlet = texts[m.article_id]
            mentions.append(EntityMention(m.article_id, title, outlet, m.text, m.start, m.end,
                                          *_in_context(body, m.start, m.end)))
    return EntityDetail(**_columns(row), mentions=mentions,
                        events=timeline(store, entity=entity_id, dated_only=False))


def entities_by_id(store: Store, ids: Iterable[str], *, lenient: bool = False) -> dict[str, Entity]:
    """The entities of these ids that exist; ``lenient``: a JSON column that is not JSON reads as empty."""
    found: dict[str, Entity] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            for row in conn.execute(select(t.entities).where(t.entities.c.id.in_(chunk))):
                found[row.id] = _entity(row, lenient)
    return found


def entities_in_story(store: Store, story: str, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that the story's articles name."""
    found: set[str] = set()
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            query = (select(t.entity_mentions.c.entity_id).distinct()
                     .join(t.articles, t.articles.c.id == t.entity_mentions.c.article_id)
                     .where(t.articles.c.story == story, t.entity_mentions.c.entity_id.in_(chunk)))
            found.update(r[0] for r in conn.execute(query))
    return found


def mention_counts(store: Store, story: str) -> dict[str, Counter[str]]:
    """How often each article of a story names each entity: entity id -> article id -> mentions."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with store.engine.connect() as conn:
        for m in conn.execute(select(t.entity_mentions.c.entity_id, t.entity_mentions.c.article_id)
                              .join(t.articles, t.articles.c.id == t.entity_mentions.c.article_id)
                              .where(t.articles.c.story == story)):
            counts[m.entity_id][m.article_id] += 1
    return counts


def mention_spans(store: Store) -> list[MentionSpan]:
    """Every entity mention, by article and position."""
    with store.engine.connect() as conn:
        return [MentionSpan(m.entity_id, m.article_id, m.text, m.start, m.end)
                for m in conn.execute(select(t.entity_mentions).order_by(t.entity_mentions.c.article_id,
                                                                         t.entity_mentions.c.start))]
