"""The store's own history: what changed and when (``changes``), and what could not be read (``problems``)."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from storyline.read.base import loads, page
from storyline.read.records import Change, Problem
from storyline.store import Store
from storyline.store import schema as t


def changes_since(store: Store, since: str | None = None, story: str | None = None,
                  after_id: int | None = None, *, lenient: bool = False) -> list[Change]:
    """Changes recorded after a time (ISO, to the second) or after a change id (exact, for cursors), oldest
    first; with ``story``, that story's and the entities first seen anywhere.  ``lenient``: a ``detail`` that
    is not JSON reads as empty instead of failing."""
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
            change["detail"] = loads(change["detail"], {}, lenient=lenient)
            out.append(Change(**change))
    return out


def last_change_id(store: Store) -> int:
    """The newest row of ``changes``: a cursor that, unlike a time, never misses a change in the same second."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(t.changes.c.id), 0))).scalar_one()


def problems(store: Store, limit: int | None = None, offset: int = 0) -> tuple[int, list[Problem]]:
    """(total, page): what could not be read or was left out (bad files, articles over their time budget),
    newest first."""
    query = page(select(t.problems.c.at, t.problems.c.source, t.problems.c.code, t.problems.c.message)
                 .order_by(t.problems.c.id.desc()), limit, offset)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t.problems)).scalar_one()
        return total, [Problem(**r._mapping) for r in conn.execute(query)]
