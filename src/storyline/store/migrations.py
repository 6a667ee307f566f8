"""Schema migrations: small named functions, each applied once and recorded."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from storyline.store import schema as t


def _0001_initial(conn: Connection) -> None:
    t.metadata.create_all(conn)


def _0002_fulltext(conn: Connection) -> None:
    """Full-text search over article titles and texts (FTS5 on SQLite, tsvector on PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"))
        conn.execute(text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"))
        conn.execute(text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.rowid, old.title, old.text); END"))
        conn.execute(text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.rowid, old.title, old.text); "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))) STORED"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin(search)"))


def _0003_meaning(conn: Connection) -> None:
    """Sentence embeddings for story clustering (stores made before have none: re-cluster)."""
    columns = {c["name"] for c in inspect(conn).get_columns("features")}
    if "meaning" not in columns:
        kind = "BYTEA" if conn.dialect.name == "postgresql" else "BLOB"
        conn.execute(text("ALTER TABLE features ADD COLUMN meaning " + kind))


def _0004_story_outlet_index(conn: Connection) -> None:
    """Outlet counts per story (story lists and pages)."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_story_outlet ON articles (story, outlet)"))


def _0005_postgres_text(conn: Connection) -> None:
    """PostgreSQL enforces VARCHAR lengths, SQLite never does: make every string column TEXT there, so both
    stores accept the same values (for stores made before string columns were TEXT on PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    for table in t.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        for column in inspector.get_columns(table.name):
            if type(column["type"]).__name__ in ("VARCHAR", "String") or str(column["type"]).startswith("VARCHAR"):
                conn.execute(text(f"ALTER TABLE {quote(table.name)} ALTER COLUMN {quote(column['name'])} TYPE TEXT"))


def _0006_event_evidence(conn: Connection) -> None:
    """An event's confidence and what each report's date stands on (export 1.1); the next rebuild
    fills them (stores made before have none)."""
    inspector = inspect(conn)
    if "confidence" not in {c["name"] for c in inspector.get_columns("events")}:
        conn.execute(text("ALTER TABLE events ADD COLUMN confidence FLOAT NOT NULL DEFAULT 0"))
    if "date_basis" not in {c["name"] for c in inspector.get_columns("event_mentions")}:
        conn.execute(text("ALTER TABLE event_mentions ADD COLUMN date_basis TEXT NOT NULL DEFAULT 'none'"))


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _0001_initial),
    ("0002_fulltext", _0002_fulltext),
    ("0003_meaning", _0003_meaning),
    ("0004_story_outlet_index", _0004_story_outlet_index),
    ("0005_postgres_text", _0005_postgres_text),
    ("0006_event_evidence", _0006_event_evidence),
]


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in order; returns the names applied."""
    applied_now = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # two processes opening a new store at once: the second waits, then finds the work done
            conn.execute(text("SELECT pg_advisory_xact_lock(1460081121)"))
        if not inspect(conn).has_table("migrations"):
            t.migrations.create(conn)
        done = {row[0] for row in conn.execute(select(t.migrations.c.name))}
        for name, step in MIGRATIONS:
            if name in done:
                continue
            step(conn)
            conn.execute(insert(t.migrations).values(name=name, applied_at=datetime.now(UTC).isoformat()))
            applied_now.append(name)
    return applied_now
