"""Claims and conflicts: what the outlets state about each fact, where they disagree, what claims are about."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Row

from storyline.read.base import chunks, loads
from storyline.read.records import Claim, ClaimSubject, Conflict
from storyline.store import Store
from storyline.store import schema as t


def _claim(row: Row, lenient: bool = False) -> Claim:
    claim = dict(row._mapping)
    claim["articles"] = loads(claim["articles"], [], lenient=lenient)
    claim["sentences"] = loads(claim["sentences"], [], lenient=lenient)
    return Claim(**claim)


def claims(store: Store, story: str | None = None, subject: str | None = None,
           status: str | None = None) -> list[Claim]:
    """Claims by subject and attribute, narrowed to a story, a subject, a status."""
    query = select(t.claims)
    if story:
        query = query.where(t.claims.c.story == story)
    if subject:
        query = query.where(t.claims.c.subject == subject)
    if status:
        query = query.where(t.claims.c.status == status)
    with store.engine.connect() as conn:
        return [_claim(row) for row in conn.execute(query.order_by(t.claims.c.subject, t.claims.c.attribute))]


def claims_by_id(store: Store, ids: Iterable[str], *, lenient: bool = False) -> dict[str, Claim]:
    """The claims of these ids that exist; ``lenient``: a JSON column that is not JSON reads as empty."""
    found: dict[str, Claim] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            for row in conn.execute(select(t.claims).where(t.claims.c.id.in_(chunk))):
                found[row.id] = _claim(row, lenient)
    return found


def claim_subjects(store: Store, subjects: Iterable[str]) -> dict[str, ClaimSubject]:
    """Each subject named: an event by its summary, an entity (a quote's speaker) by its name, a story by its
    title; anything else (``unknown speaker``, an id no longer in the store) keeps its text, typed ``other``."""
    wanted = set(subjects)
    stories = {s.removeprefix("story:"): s for s in wanted if s.startswith("story:")}
    found = {s: ClaimSubject(s, "other", s) for s in wanted}
    found |= {s: ClaimSubject(s, "story", f"story {story}") for story, s in stories.items()}
    ids = wanted - set(stories.values())
    with store.engine.connect() as conn:
        for chunk in chunks(ids):
            for row in conn.execute(select(t.entities.c.id, t.entities.c.name).where(t.entities.c.id.in_(chunk))):
                found[row.id] = ClaimSubject(row.id, "entity", row.name)
            for row in conn.execute(select(t.events.c.id, t.events.c.type, t.events.c.summary)
                                    .where(t.events.c.id.in_(chunk))):
                found[row.id] = ClaimSubject(row.id, "event", row.summary or f"{row.type} ({row.id})")
        for chunk in chunks(stories):
            for row in conn.execute(select(t.stories.c.id, t.stories.c.title).where(t.stories.c.id.in_(chunk))):
                if row.title:
                    found[stories[row.id]] = ClaimSubject(stories[row.id], "story", row.title)
    return found


def conflicts(store: Store, story: str | None = None) -> list[Conflict]:
    query = select(t.conflicts)
    if story:
        query = query.where(t.conflicts.c.story == story)
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(query.order_by(t.conflicts.c.id)):
            conflict = dict(row._mapping)
            conflict["values"] = loads(conflict["values"], [])
            out.append(Conflict(**conflict))
    return out
