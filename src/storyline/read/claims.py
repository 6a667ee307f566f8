"""Claims and conflicts: what the outlets state about each fact, where they disagree, which facts only changed
over time (revisions), what claims are about."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from storyline.read.base import chunks, loads
from storyline.read.records import Claim, ClaimSubject, Conflict, Revision, RevisionStep
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


def conflicts(store: Store, story: str | None = None, *, revisions: bool = True) -> list[Conflict]:
    """Where outlets disagree; ``revisions=False`` leaves out the facts that only changed over time
    (``revisions`` lists those as sequences)."""
    query = select(t.conflicts)
    if story:
        query = query.where(t.conflicts.c.story == story)
    with store.engine.connect() as conn:
        skip = set() if revisions else set(_revised(_claim_rows(conn, story)))
        out = []
        for row in conn.execute(query.order_by(t.conflicts.c.id)):
            if (row.subject, row.attribute) in skip:
                continue
            conflict = dict(row._mapping)
            conflict["values"] = loads(conflict["values"], [])
            out.append(Conflict(**conflict))
    return out


def _claim_rows(conn: Connection, story: str | None) -> list[Row]:
    query = select(t.claims.c.subject, t.claims.c.attribute, t.claims.c.value, t.claims.c.status,
                   t.claims.c.articles, t.claims.c.story)
    if story:
        query = query.where(t.claims.c.story == story)
    return list(conn.execute(query.order_by(t.claims.c.subject, t.claims.c.attribute, t.claims.c.id)))


def _revised(rows: list[Row]) -> dict[tuple[str, str], list[Row]]:
    """The claims of each subject and attribute whose values were revised: every value superseded by a
    later one but the latest, which stands (``corpus/claims.py`` decides)."""
    grouped: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row.subject, row.attribute)].append(row)
    return {key: group for key, group in grouped.items()
            if len(group) > 1 and sum(r.status != "superseded" for r in group) <= 1
            and all(r.status != "contested" for r in group)}


def revisions(store: Store, story: str | None = None) -> list[Revision]:
    """Facts whose value changed over time, each value with its first and last publication dates and its
    articles, in the order first reported: shown as a sequence, not as a conflict."""
    with store.engine.connect() as conn:
        revised = _revised(_claim_rows(conn, story))
        ids = {a for group in revised.values() for r in group for a in loads(r.articles, [], lenient=True)}
        published: dict[str, str] = {}
        for chunk in chunks(ids):
            published.update((r.id, r.published) for r in conn.execute(
                select(t.articles.c.id, t.articles.c.published).where(t.articles.c.id.in_(chunk))) if r.published)
        topics = {(r.subject, r.attribute): r.topic for r in conn.execute(
            select(t.conflicts.c.subject, t.conflicts.c.attribute, t.conflicts.c.topic))}
    out = []
    for (subject, attribute), group in sorted(revised.items()):
        steps = []
        for row in group:
            articles = loads(row.articles, [], lenient=True)
            days = sorted(published[a] for a in articles if a in published)
            steps.append(RevisionStep(row.value, days[0] if days else None, days[-1] if days else None, articles,
                                      row.status))
        steps.sort(key=lambda s: (s.status != "superseded", s.first_seen or "9999", s.value))
        out.append(Revision(subject, attribute, topics.get((subject, attribute), attribute.replace("_", " ")),
                            group[0].story, steps))
    return out
