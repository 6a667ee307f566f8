"""Read functions shared by the CLI, the web app, the reports and the export."""
from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import and_, func, or_, select, text

from .errors import E, StorylineError
from .store import Store
from .store import schema as t


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def _page(query, limit: int | None, offset: int):
    if limit is not None:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def list_stories(store: Store, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Stories, largest first, each with its number of events and outlets (three queries in all)."""
    query = _page(select(t.stories).order_by(t.stories.c.size.desc(), t.stories.c.id), limit, offset)
    with store.engine.connect() as conn:
        stories = [dict(r._mapping) for r in conn.execute(query)]
        ids = [s["id"] for s in stories]
        events = dict(conn.execute(select(t.events.c.story, func.count()).where(t.events.c.story.in_(ids))
                                   .group_by(t.events.c.story)).all())
        outlets = dict(conn.execute(select(t.articles.c.story, func.count(func.distinct(t.articles.c.outlet)))
                                    .where(t.articles.c.story.in_(ids)).group_by(t.articles.c.story)).all())
    for story in stories:
        story["events"] = events.get(story["id"], 0)
        story["outlets"] = outlets.get(story["id"], 0)
    return stories


def count(store: Store, table: str, **filters: Any) -> int:
    tbl = t.metadata.tables[table]
    query = select(func.count()).select_from(tbl)
    for key, value in filters.items():
        if value is not None:
            query = query.where(tbl.c[key] == value)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def get_story(store: Store, story_id: str) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(select(t.stories).where(t.stories.c.id == story_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"story {story_id}")
        story = dict(row._mapping)
        story["articles"] = [dict(r._mapping) for r in conn.execute(
            select(t.articles.c.id, t.articles.c.title, t.articles.c.outlet, t.articles.c.published,
                   t.articles.c.language, t.articles.c.url, t.articles.c.duplicate_of)
            .where(t.articles.c.story == story_id).order_by(t.articles.c.published, t.articles.c.seq))]
    return story


def _event_dict(row: Any, mentions: list[dict] | None = None) -> dict:
    event = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    event["participants"] = _loads(event.get("participants"), [])
    event["participant_ids"] = _loads(event.get("participant_ids"), [])
    event["parties"] = _loads(event.get("parties"), [])
    if event.get("first"):
        event["date"] = event["first"] if event["first"] == event["last"] else f"{event['first']}/{event['last']}"
    else:
        event["date"] = None
    if mentions is not None:
        event["mentions"] = mentions
    return event


def event_filters(query, *, story: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   entity: str | None = None, event_type: str | None = None, outlet: str | None = None,
                   dated_only: bool = True):
    if story:
        query = query.where(t.events.c.story == story)
    if dated_only:
        query = query.where(t.events.c.first.is_not(None))
    if date_from:
        query = query.where(t.events.c.last >= date_from)
    if date_to:
        query = query.where(t.events.c.first <= date_to)
    if event_type:
        query = query.where(t.events.c.type == event_type)
    if entity:
        query = query.where(t.events.c.participant_ids.like(f'%"{entity}"%') | (t.events.c.place == entity))
    if outlet:
        sub = (select(t.event_mentions.c.event_id).join(t.articles, t.articles.c.id == t.event_mentions.c.article_id)
               .where(t.articles.c.outlet == outlet))
        query = query.where(t.events.c.id.in_(sub))
    return query


def _event_mentions(conn, ids: list[str]) -> dict[str, list[dict]]:
    mentions: dict[str, list[dict]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for m in conn.execute(select(t.event_mentions, t.articles.c.outlet, t.articles.c.title,
                                     t.articles.c.duplicate_of)
                              .join(t.articles, t.articles.c.id == t.event_mentions.c.article_id)
                              .where(t.event_mentions.c.event_id.in_(chunk))
                              .order_by(t.event_mentions.c.article_id, t.event_mentions.c.sentence)):
            mentions[m.event_id].append(dict(m._mapping))
    return mentions


def timeline(store: Store, story: str | None = None, *, date_from: str | None = None, date_to: str | None = None,
             entity: str | None = None, event_type: str | None = None, outlet: str | None = None,
             dated_only: bool = True, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Events ordered by date, with their mentions and sources."""
    query = event_filters(select(t.events), story=story, date_from=date_from, date_to=date_to, entity=entity,
                           event_type=event_type, outlet=outlet, dated_only=dated_only)
    query = _page(query.order_by(t.events.c.first.is_(None), t.events.c.first, t.events.c.last, t.events.c.id),
                  limit, offset)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
        mentions = _event_mentions(conn, [r.id for r in rows])
    return [_event_dict(r, mentions[r.id]) for r in rows]


def count_events(store: Store, **filters: Any) -> int:
    """How many events ``timeline`` returns for these filters, without paging."""
    query = event_filters(select(func.count()).select_from(t.events), **filters)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def get_event(store: Store, event_id: str) -> dict:
    """One event with its mentions and claims."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.events).where(t.events.c.id == event_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"event {event_id}")
        mentions = _event_mentions(conn, [event_id])[event_id]
    event = _event_dict(row, mentions)
    event["claims"] = claims(store, subject=event_id)
    return event


def entity_filter(query, entity_type: str | None = None, q: str | None = None, story: str | None = None):
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


def entities(store: Store, entity_type: str | None = None, q: str | None = None, story: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[dict]:
    query = entity_filter(select(t.entities), entity_type, q, story)
    query = _page(query.order_by(t.entities.c.mention_count.desc(), t.entities.c.name), limit, offset)
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(query):
            entity = dict(row._mapping)
            entity["aliases"] = _loads(entity["aliases"], [])
            entity["roles"] = _loads(entity["roles"], [])
            out.append(entity)
    return out


def context(text_: str, start: int, end: int, width: int = 80) -> dict:
    left = text_[max(0, start - width):start]
    right = text_[end:end + width]
    return {"before": left.split("\n")[-1], "match": text_[start:end], "after": right.split("\n")[0]}


def get_entity(store: Store, entity_id: str, mention_limit: int = 500) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"entity {entity_id}")
        entity = dict(row._mapping)
        entity["aliases"] = _loads(entity["aliases"], [])
        entity["roles"] = _loads(entity["roles"], [])
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
            mentions.append({"article": m.article_id, "title": title, "outlet": outlet, "text": m.text,
                             "start": m.start, "end": m.end, **context(body, m.start, m.end)})
        entity["mentions"] = mentions
    entity["events"] = timeline(store, entity=entity_id, dated_only=False)
    return entity


def get_article(store: Store, article_id: str) -> dict:
    with store.engine.connect() as conn:
        row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"article {article_id}")
        article = dict(row._mapping)
        article.pop("raw", None)
        article["offsets"] = _loads(article["offsets"], [])
        article["paragraph_languages"] = _loads(article["paragraph_languages"], [])
        article["mentions"] = [dict(r._mapping) for r in conn.execute(
            select(t.entity_mentions.c.entity_id, t.entity_mentions.c.start, t.entity_mentions.c.end,
                   t.entity_mentions.c.text, t.entities.c.type, t.entities.c.name)
            .join(t.entities, t.entities.c.id == t.entity_mentions.c.entity_id)
            .where(t.entity_mentions.c.article_id == article_id).order_by(t.entity_mentions.c.start))]
        article["events"] = [dict(r._mapping) for r in conn.execute(
            select(t.event_mentions.c.event_id, t.event_mentions.c.sentence, t.event_mentions.c.text,
                   t.events.c.type, t.events.c.summary, t.events.c.first, t.events.c.last)
            .join(t.events, t.events.c.id == t.event_mentions.c.event_id)
            .where(t.event_mentions.c.article_id == article_id).order_by(t.event_mentions.c.sentence))]
        article["copies"] = [r[0] for r in conn.execute(select(t.articles.c.id).where(
            t.articles.c.duplicate_of == article_id))]
    return article


def claims(store: Store, story: str | None = None, subject: str | None = None, status: str | None = None) -> list[dict]:
    query = select(t.claims)
    if story:
        query = query.where(t.claims.c.story == story)
    if subject:
        query = query.where(t.claims.c.subject == subject)
    if status:
        query = query.where(t.claims.c.status == status)
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(query.order_by(t.claims.c.subject, t.claims.c.attribute)):
            claim = dict(row._mapping)
            claim["articles"] = _loads(claim["articles"], [])
            claim["sentences"] = _loads(claim["sentences"], [])
            out.append(claim)
    return out


def conflicts(store: Store, story: str | None = None) -> list[dict]:
    query = select(t.conflicts)
    if story:
        query = query.where(t.conflicts.c.story == story)
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(query.order_by(t.conflicts.c.id)):
            conflict = dict(row._mapping)
            conflict["values"] = _loads(conflict["values"], [])
            out.append(conflict)
    return out


def outlets(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.outlet, func.count().label("articles"),
                                   func.min(t.articles.c.published).label("first"),
                                   func.max(t.articles.c.published).label("last"))
                            .group_by(t.articles.c.outlet).order_by(func.count().desc(), t.articles.c.outlet))
        return [dict(r._mapping) for r in rows]


_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


def search(store: Store, q: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Full-text search over articles: FTS5 on SQLite, tsvector on PostgreSQL."""
    words = _FTS_TOKEN.findall(q)
    if not words:
        return []
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            match = " ".join(f'"{w}"' for w in words)
            rows = conn.execute(text(
                "SELECT a.id, a.title, a.outlet, a.published, a.story, "
                "snippet(articles_fts, 1, '\x02', '\x03', '…', 16) AS snippet "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"),
                {"q": match, "limit": limit, "offset": offset})
        else:
            rows = conn.execute(text(
                "SELECT a.id, a.title, a.outlet, a.published, a.story, "
                "ts_headline('simple', a.text, plainto_tsquery('simple', :q), "
                "'StartSel=\x02,StopSel=\x03,MaxWords=30,MinWords=10') AS snippet "
                "FROM articles a WHERE a.search @@ plainto_tsquery('simple', :q) "
                "ORDER BY ts_rank(a.search, plainto_tsquery('simple', :q)) DESC LIMIT :limit OFFSET :offset"),
                {"q": " ".join(words), "limit": limit, "offset": offset})
        return [dict(r._mapping) for r in rows]


def changes_since(store: Store, since: str | None = None, story: str | None = None,
                  after_id: int | None = None) -> list[dict]:
    """Changes recorded after a time (ISO, to the second) or after a change id (exact, for cursors)."""
    query = select(t.changes)
    if since is not None:
        query = query.where(t.changes.c.at > since)
    if after_id is not None:
        query = query.where(t.changes.c.id > after_id)
    if story:
        query = query.where(or_(t.changes.c.story == story, and_(t.changes.c.kind == "entity_added",
                                                                   t.changes.c.story.is_(None))))
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(query.order_by(t.changes.c.id)):
            change = dict(row._mapping)
            change["detail"] = _loads(change["detail"], {})
            out.append(change)
    return out


def problems(store: Store, limit: int | None = None, offset: int = 0) -> tuple[int, list[dict]]:
    """(total, page): what could not be read or was left out (bad files, articles over their time budget),
    newest first."""
    query = _page(select(t.problems.c.at, t.problems.c.source, t.problems.c.code, t.problems.c.message)
                  .order_by(t.problems.c.id.desc()), limit, offset)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t.problems)).scalar_one()
        return total, [dict(r._mapping) for r in conn.execute(query)]
