"""Events: the timeline (filtered, paged, counted), one event, points for the chart, events by id."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Row

from storyline.errors import E, StorylineError
from storyline.read.base import CHUNK, chunks, loads, page
from storyline.read.claims import claims
from storyline.read.records import Event, EventDetail, EventMention, EventWithMentions, TimelinePoint
from storyline.store import Store
from storyline.store import schema as t


def _filtered(query: Select, *, story: str | None = None, date_from: str | None = None, date_to: str | None = None,
              entity: str | None = None, event_type: str | None = None, outlet: str | None = None,
              dated_only: bool = True, min_confidence: float | None = None) -> Select:
    """``query`` over events narrowed by the timeline's filters (the same for its rows, count and chart)."""
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
    if min_confidence:
        query = query.where(t.events.c.confidence >= min_confidence)
    if entity:
        query = query.where(t.events.c.participant_ids.like(f'%"{entity}"%') | (t.events.c.place == entity))
    if outlet:
        sub = (select(t.event_mentions.c.event_id).join(t.articles, t.articles.c.id == t.event_mentions.c.article_id)
               .where(t.articles.c.outlet == outlet))
        query = query.where(t.events.c.id.in_(sub))
    return query


def _columns(row: Row, lenient: bool = False) -> dict[str, Any]:
    """An events row's columns, JSON decoded, and its ``date``."""
    event = dict(row._mapping)
    event["participants"] = loads(event["participants"], [], lenient=lenient)
    event["participant_ids"] = loads(event["participant_ids"], [], lenient=lenient)
    event["parties"] = loads(event["parties"], [], lenient=lenient)
    if event["first"]:
        event["date"] = event["first"] if event["first"] == event["last"] else f"{event['first']}/{event['last']}"
    else:
        event["date"] = None
    return event


def event_record(row: Row, lenient: bool = False) -> Event:
    """A row of ``select(events)`` as an ``Event``."""
    return Event(**_columns(row, lenient))


def _mentions(conn: Connection, ids: list[str]) -> dict[str, list[EventMention]]:
    mentions: dict[str, list[EventMention]] = {i: [] for i in ids}
    original = t.articles.alias("original")  # a copy's original, for its outlet
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for m in conn.execute(select(t.event_mentions, t.articles.c.outlet, t.articles.c.title,
                                     t.articles.c.duplicate_of, original.c.outlet.label("original_outlet"))
                              .join(t.articles, t.articles.c.id == t.event_mentions.c.article_id)
                              .outerjoin(original, original.c.id == t.articles.c.duplicate_of)
                              .where(t.event_mentions.c.event_id.in_(chunk))
                              .order_by(t.event_mentions.c.article_id, t.event_mentions.c.sentence)):
            mentions[m.event_id].append(EventMention(**m._mapping))
    return mentions


def timeline(store: Store, story: str | None = None, *, date_from: str | None = None, date_to: str | None = None,
             entity: str | None = None, event_type: str | None = None, outlet: str | None = None,
             dated_only: bool = True, min_confidence: float | None = None, limit: int | None = None,
             offset: int = 0) -> list[EventWithMentions]:
    """Events ordered by date, with their mentions and sources."""
    query = _filtered(select(t.events), story=story, date_from=date_from, date_to=date_to, entity=entity,
                      event_type=event_type, outlet=outlet, dated_only=dated_only, min_confidence=min_confidence)
    query = page(query.order_by(t.events.c.first.is_(None), t.events.c.first, t.events.c.last, t.events.c.id),
                 limit, offset)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
        mentions = _mentions(conn, [r.id for r in rows])
    return [EventWithMentions(**_columns(r), mentions=mentions[r.id]) for r in rows]


def count_events(store: Store, **filters: Any) -> int:
    """How many events ``timeline`` returns for these filters, without paging."""
    query = _filtered(select(func.count()).select_from(t.events), **filters)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def timeline_points(store: Store, cap: int = 2000, **filters: Any) -> list[TimelinePoint]:
    """Dated events for the timeline chart: no mentions, at most ``cap``."""
    columns = (t.events.c.id, t.events.c.type, t.events.c.first, t.events.c.last, t.events.c.status,
               t.events.c.summary, t.events.c.place, t.events.c.independent_sources)
    query = _filtered(select(*columns), **{**filters, "dated_only": True})
    query = query.order_by(t.events.c.first, t.events.c.last, t.events.c.id).limit(cap)
    with store.engine.connect() as conn:
        return [TimelinePoint(**r._mapping) for r in conn.execute(query)]


def get_event(store: Store, event_id: str) -> EventDetail:
    """One event with its mentions and claims."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.events).where(t.events.c.id == event_id)).first()
        if row is None:
            raise StorylineError(E.NO_SUCH_ITEM, f"event {event_id}")
        mentions = _mentions(conn, [event_id])[event_id]
    return EventDetail(**_columns(row), mentions=mentions, claims=claims(store, subject=event_id))


def events_by_id(store: Store, ids: Iterable[str], *, lenient: bool = False) -> dict[str, Event]:
    """Those of ``ids`` that are events (claims' subjects are events or stories); ``lenient``: a JSON column
    that is not JSON reads as empty instead of failing."""
    found: dict[str, Event] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            for r in conn.execute(select(t.events).where(t.events.c.id.in_(chunk))):
                found[r.id] = event_record(r, lenient)
    return found
