"""Opening a store for reading only, and naming it without its credentials."""
from __future__ import annotations

from typing import Any

from sqlalchemy import event

from storyline.store import Store


def _query_only_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _read_only_postgres(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def open_read_only(db: str) -> Store:
    """The store at ``db`` with every connection refusing writes (what a server open to readers needs)."""
    store = Store(db, readonly=True)
    if store.dialect == "sqlite":  # the store only skips migrations when read-only: make the connections refuse writes
        event.listen(store.engine, "connect", _query_only_sqlite)
    elif store.dialect == "postgresql":
        event.listen(store.engine, "connect", _read_only_postgres)
    return store


def store_name(store: Store) -> str:
    """What a header shows: a file name, or a database name without credentials."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        return (url.database or ":memory:").replace("\\", "/").rsplit("/", 1)[-1]
    return f"{url.get_backend_name()}:{url.database or ''}"
