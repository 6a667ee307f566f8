"""What the read modules share: paging, JSON columns, long id lists in chunks, counts and existence by table."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, func, select

from storyline.store import Store
from storyline.store import schema as t

CHUNK = 500  # ids per IN (...) list: well under every database's limit on bound parameters


def loads(value: str | None, default: Any, *, lenient: bool = False) -> Any:
    """A JSON column decoded, ``default`` when empty; ``lenient``: also ``default`` when it is not JSON."""
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        if lenient:
            return default
        raise


def page(query: Select, limit: int | None, offset: int) -> Select:
    if limit is not None:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """The distinct ids, sorted, in lists of at most ``CHUNK``."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        yield wanted[start:start + CHUNK]


def count(store: Store, table: str, **filters: Any) -> int:
    """Rows of ``table`` whose columns equal the given values (None: no filter on that column)."""
    tbl = t.metadata.tables[table]
    query = select(func.count()).select_from(tbl)
    for key, value in filters.items():
        if value is not None:
            query = query.where(tbl.c[key] == value)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def exists(store: Store, table: str, item_id: str) -> bool:
    tbl = t.metadata.tables[table]
    with store.engine.connect() as conn:
        return conn.execute(select(tbl.c.id).where(tbl.c.id == item_id)).first() is not None
