"""The store on a real PostgreSQL server: migrations, full-text search with tsvector, readers during a write.

Skipped unless STORYLINE_TEST_PG_URL (or --pg-url) names a database; every test gets its own schema.
"""
import threading

import pytest
from sqlalchemy import insert, inspect, select, text

from helpers import article
from storyline import pipeline
from storyline.read import queries
from storyline.settings import Settings
from storyline.store import Store, store_url
from storyline.store import schema as t
from storyline.store.migrations import MIGRATIONS, migrate

pytestmark = pytest.mark.postgres

TALKS = ("Tomas Ebbing met Pavel Vrastek in Saltmere on Monday to discuss the ceasefire plan.\n\n"
         "The envoys agreed to meet again in Norrholm next week.")
STRIKE = "Ferry crews in Brackwater went on strike over pay on Tuesday, halting all crossings."


@pytest.fixture
def pg(db, new_db) -> str:
    if not new_db.postgres:
        pytest.skip("the suite runs on SQLite")
    return db


def test_url_forms_select_psycopg():
    assert store_url("postgres://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert store_url("postgresql://u:p@h/d?options=-csearch_path%3Dx") == "postgresql+psycopg://u:p@h/d?options=-csearch_path%3Dx"


def test_migrations_are_recorded_once(pg):
    store = Store(pg)
    assert store.dialect == "postgresql"
    assert [r["name"] for r in store.rows("migrations", order_by="name")] == [name for name, _ in MIGRATIONS]
    assert migrate(store.engine) == []  # reopening applies nothing
    Store(pg).close()
    assert len(store.rows("migrations")) == len(MIGRATIONS)
    with store.engine.connect() as conn:
        columns = {c["name"]: c for c in inspect(conn).get_columns("articles")}
        kinds = {c["name"]: str(c["type"]) for c in inspect(conn).get_columns("features")}
        indexes = {i["name"] for i in inspect(conn).get_indexes("articles")}
    assert "search" in columns and "TSVECTOR" in str(columns["search"]["type"]).upper()
    assert kinds["minhash"] == "BYTEA" and kinds["meaning"] == "BYTEA" and kinds["deduped"] == "BOOLEAN"
    assert "ix_articles_search" in indexes
    store.close()


def test_string_columns_take_long_values_like_sqlite(pg):
    """SQLite never enforces VARCHAR lengths; on PostgreSQL the columns are TEXT, and 0005 converts old stores."""
    store = Store(pg)
    long_id = "x" * 300  # a dump's id can be anything
    assert store.add_articles([(article(STRIKE, article_id=long_id), None)]) == [long_id]
    with store.engine.begin() as conn:  # a store made before 0005: VARCHAR columns
        conn.execute(text("ALTER TABLE events ALTER COLUMN status TYPE VARCHAR(12)"))
        conn.execute(text("DELETE FROM migrations WHERE name = '0005_postgres_text'"))
    assert "0005_postgres_text" in migrate(store.engine)
    with store.engine.connect() as conn:
        kinds = {c["name"]: str(c["type"]) for c in inspect(conn).get_columns("events")}
    assert kinds["status"] == "TEXT" and kinds["id"] == "TEXT"
    store.close()


def test_stores_opened_at_once_migrate_once(new_db, pg):
    fresh = new_db("fresh")
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(fresh).close()
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert len(Store(fresh).rows("migrations")) == len(MIGRATIONS)


def test_full_text_search_uses_the_tsvector(pg):
    store = Store(pg)
    store.add_articles([(article(TALKS, article_id="talks", outlet="Harbour Wire"), None),
                        (article(STRIKE, article_id="strike", outlet="Coastline Herald"), None)])
    hits = queries.search(store, "ceasefire Saltmere")
    assert [h["id"] for h in hits] == ["talks"]
    assert "\x02" in hits[0]["snippet"] and "\x03" in hits[0]["snippet"]  # the highlighted words
    assert [h["id"] for h in queries.search(store, "ferry")] == ["strike"]
    assert queries.search(store, "nothing-like-this") == [] and queries.search(store, "  !! ") == []
    # the generated column follows an update of the title and text
    with store.engine.begin() as conn:
        conn.execute(t.articles.update().where(t.articles.c.id == "strike")
                     .values(title="Dockers walk out", text="Dockers walked out."))
    assert queries.search(store, "ferry") == [] and [h["id"] for h in queries.search(store, "dockers")] == ["strike"]
    with store.engine.connect() as conn:
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT id FROM articles WHERE search @@ plainto_tsquery('simple', 'ferry')")))
    assert "articles" in plan
    store.close()


def test_a_reader_is_not_blocked_by_a_write_in_progress(pg):
    writer, reader = Store(pg), Store(pg)
    writer.add_articles([(article(TALKS, article_id="first"), None)])
    written = threading.Event()
    release = threading.Event()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            with writer.engine.begin() as conn:
                conn.execute(insert(t.articles).values(
                    id="second", seq=2, outlet="", title="", fingerprint="x", text="Second article.",
                    original="Second article.", ingested_at="2026-01-01T00:00:00+00:00"))
                written.set()
                assert release.wait(30)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failure.append(exc)
            written.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert written.wait(30) and not failure
    with reader.engine.connect() as conn:
        conn.execute(text("SET LOCAL statement_timeout = 5000"))  # a blocked read fails instead of hanging
        assert [r[0] for r in conn.execute(select(t.articles.c.id).order_by(t.articles.c.seq))] == ["first"]
    assert reader.article_ids() == ["first"]  # the uncommitted row is invisible
    release.set()
    thread.join(30)
    assert not failure
    assert reader.article_ids() == ["first", "second"]
    writer.close()
    reader.close()


def test_writers_that_number_articles_take_turns(pg):
    """Two processes ingesting at once get distinct arrival numbers, as SQLite's single writer gives."""
    from storyline.store import _serialize_writes

    holder, other = Store(pg), Store(pg)
    done = threading.Event()

    def add() -> None:
        other.add_articles([(article(STRIKE, article_id="late"), None)])
        done.set()

    with holder.engine.begin() as conn:
        _serialize_writes(conn)  # a write in progress elsewhere
        thread = threading.Thread(target=add)
        thread.start()
        assert not done.wait(1.0)  # the second writer waits its turn ...
        conn.execute(insert(t.articles).values(
            id="early", seq=1, outlet="", title="", fingerprint="y", text="Early.", original="Early.",
            ingested_at="2026-01-01T00:00:00+00:00"))
    thread.join(30)
    assert done.is_set()  # ... and numbers after the first
    assert [(r["id"], r["seq"]) for r in other.rows("articles", order_by="seq")] == [("early", 1), ("late", 2)]

    threads = [threading.Thread(target=lambda n=n: Store(pg).add_articles(
        [(article(f"{STRIKE} ({n}, {k})", article_id=f"a{n}-{k}"), None) for k in range(5)])) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    seqs = [r["seq"] for r in other.rows("articles")]
    assert len(seqs) == 22 and sorted(seqs) == list(range(1, 23))
    holder.close()
    other.close()


def test_pipeline_on_postgres_matches_sqlite(pg, new_db, tmp_path):
    """The same small corpus on both stores gives the same stories, entities and events."""
    from pathlib import Path

    mini = Path(__file__).parent / "data" / "mini"
    lite = str(tmp_path / "lite.db")  # SQLite on purpose: the comparison's reference
    results = {}
    for name, location in (("postgres", pg), ("sqlite", lite)):
        store = Store(location)
        pipeline.run([str(mini)], store, Settings(db=location))
        results[name] = {
            "articles": [(a["id"], a["story"], a["duplicate_of"], a["published"])
                         for a in store.rows("articles", order_by="seq")],
            "entities": sorted((e["name"], e["type"], e["mention_count"]) for e in store.rows("entities")),
            "events": sorted((e["id"], e["type"], e["first"], e["place"]) for e in store.rows("events")),
            "claims": sorted((c["id"], c["status"]) for c in store.rows("claims"))}
        store.close()
    assert results["postgres"] == results["sqlite"]
