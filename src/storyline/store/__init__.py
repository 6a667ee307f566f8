"""The store: one interface over SQLite (default, a file) and PostgreSQL (a URL).

All reads and writes of the pipeline, CLI and web go through ``Store``.
Writes of one batch are one transaction, so a crash never leaves half a batch.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from storyline.errors import E, StorylineError
from storyline.models import Analysis, Article
from storyline.store import schema as t
from storyline.store.codec import analysis_from_json, analysis_to_json, dumps, parse_date
from storyline.store.migrations import migrate

__all__ = ["Store", "open_store", "store_url"]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def store_url(db: str) -> str:
    """A SQLite path or any SQLAlchemy URL; ``postgres://`` is accepted for PostgreSQL."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith("postgres://"):
        db = "postgresql://" + db[len("postgres://"):]
    if db.startswith("postgresql://"):
        db = "postgresql+psycopg://" + db[len("postgresql://"):]
    return db


def _read_only_url(path: str) -> URL:
    """A SQLite URI opening the file read-only (SQLAlchemy passes it on as it is: escape what URIs reserve)."""
    name = str(Path(path).expanduser().resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return URL.create("sqlite", database=f"file:{name}", query={"mode": "ro", "uri": "true"})


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers keep reading while a batch is written
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# PostgreSQL lets two writers run at once where SQLite queues them; the writes that read before they write
# (arrival numbers, the swap of corpus results) take this transaction-scoped lock to keep SQLite's order.
_PG_WRITE_LOCK = 0x5707_11E0


def _serialize_writes(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})


class Store:
    def __init__(self, db: str, readonly: bool = False):
        self.url = store_url(db)
        self.readonly = readonly
        try:
            if self.url.startswith("sqlite"):
                path = self.url.split("sqlite:///", 1)[-1]
                if path and path != ":memory:" and not readonly:
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                if readonly and path and not Path(path).exists():
                    raise StorylineError(E.BAD_STORE_URL, db, "no such store file")
                # read-only: the file is opened read-only, so no connection can write, whatever it runs
                # (PRAGMA query_only, which the web app sets too, can be switched off by the connection)
                url = _read_only_url(path) if readonly and path and path != ":memory:" and "?" not in path else self.url
                self.engine: Engine = create_engine(url, future=True)
                event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
            if not readonly:
                migrate(self.engine)
        except SQLAlchemyError as exc:
            raise StorylineError(E.BAD_STORE_URL, db, type(exc).__name__) from None
        except ModuleNotFoundError as exc:
            raise StorylineError(E.BAD_STORE_URL, db,
                                 f"missing driver {exc.name}; install storyline[postgres]") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ articles
    def article_exists(self, article: Article) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.id, t.articles.c.fingerprint).where(
                t.articles.c.id == article.id)).first()
            if row:
                return True
            if article.url:
                same = conn.execute(select(t.articles.c.id).where(
                    t.articles.c.url == article.url, t.articles.c.fingerprint == article.fingerprint)).first()
                return same is not None
        return False

    def add_articles(self, items: Iterable[tuple[Article, str | None]]) -> list[str]:
        """Insert new articles in one transaction; returns the ids actually added."""
        added = []
        with self.engine.begin() as conn:
            _serialize_writes(conn)
            seq = conn.execute(select(func.coalesce(func.max(t.articles.c.seq), 0))).scalar_one()
            for article, raw in items:
                if conn.execute(select(t.articles.c.id).where(t.articles.c.id == article.id)).first():
                    continue
                if article.url and conn.execute(select(t.articles.c.id).where(
                        t.articles.c.url == article.url, t.articles.c.fingerprint == article.fingerprint)).first():
                    continue
                seq += 1
                conn.execute(insert(t.articles).values(
                    id=article.id, seq=seq, url=article.url, outlet=article.outlet, title=article.title,
                    author=article.author, published=article.published.isoformat() if article.published else None,
                    published_source=article.published_source, language=article.language,
                    language_source=article.language_source,
                    paragraph_languages=json.dumps(list(article.paragraph_languages)), source=article.source,
                    fingerprint=article.fingerprint, text=article.text, original=article.original,
                    offsets=json.dumps([list(o) for o in article.offsets]), raw=raw, ingested_at=now()))
                conn.execute(insert(t.changes).values(at=now(), kind="article_added", item=article.id, detail="{}"))
                added.append(article.id)
        return added

    def _article_from_row(self, row: Any) -> Article:
        return Article(
            id=row.id, text=row.text, original=row.original,
            offsets=tuple(tuple(o) for o in json.loads(row.offsets or "[]")), title=row.title, url=row.url,
            outlet=row.outlet, author=row.author, published=parse_date(row.published),
            published_source=row.published_source, language=row.language, language_source=row.language_source,
            source=row.source, fingerprint=row.fingerprint,
            paragraph_languages=tuple(json.loads(row.paragraph_languages or "[]")))

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        query = select(t.articles).order_by(t.articles.c.seq)
        if ids is not None:
            wanted = list(ids)
            if not wanted:
                return []
            query = query.where(t.articles.c.id.in_(wanted))
        with self.engine.connect() as conn:
            return [self._article_from_row(row) for row in conn.execute(query)]

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(t.articles.c.id).order_by(t.articles.c.seq))]

    def languages(self) -> set[str]:
        """The languages of the stored articles."""
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(t.articles.c.language).distinct())}

    def article_text(self, article_id: str) -> str:
        with self.engine.connect() as conn:
            query = select(t.articles.c.text).where(t.articles.c.id == article_id)
            return conn.execute(query).scalar_one_or_none() or ""

    def set_publication(self, article_id: str, published: str | None, source: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.articles).where(t.articles.c.id == article_id).values(
                published=published, published_source=source))

    # ------------------------------------------------------------ per-article results
    def pending_analysis(self, version: str) -> list[str]:
        query = (select(t.articles.c.id).select_from(t.articles.outerjoin(t.analyses))
                 .where((t.analyses.c.version.is_(None)) | (t.analyses.c.version != version))
                 .order_by(t.articles.c.seq))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def save_analyses(self, rows: list[tuple[Analysis, dict]]) -> None:
        """Analyses and their features for a batch of articles, in one transaction."""
        with self.engine.begin() as conn:
            for analysis, feats in rows:
                conn.execute(delete(t.analyses).where(t.analyses.c.article_id == analysis.article_id))
                conn.execute(insert(t.analyses).values(article_id=analysis.article_id, version=analysis.version,
                                                       data=analysis_to_json(analysis)))
                conn.execute(delete(t.features).where(t.features.c.article_id == analysis.article_id))
                conn.execute(insert(t.features).values(
                    article_id=analysis.article_id, names=json.dumps(feats["names"], ensure_ascii=False),
                    words=json.dumps(feats["words"], ensure_ascii=False), minhash=feats["minhash"],
                    paragraphs=json.dumps(feats["paragraphs"]), meaning=feats.get("meaning"),
                    deduped=False, clustered=False))

    def analyses(self) -> dict[str, Analysis]:
        with self.engine.connect() as conn:
            return {row.article_id: analysis_from_json(row.data) for row in conn.execute(select(t.analyses))}

    def features(self, only_pending: str | None = None) -> list[dict]:
        """Features in arrival order; ``only_pending`` = 'deduped' or 'clustered' to get what still needs it."""
        query = (select(t.features, t.articles.c.seq, t.articles.c.published, t.articles.c.fingerprint,
                        t.articles.c.duplicate_of)
                 .join(t.articles, t.articles.c.id == t.features.c.article_id).order_by(t.articles.c.seq))
        if only_pending:
            query = query.where(getattr(t.features.c, only_pending).is_(False))
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def pending_features(self, column: str) -> int:
        """How many analysed articles still wait for the step behind a progress flag ('deduped' or 'clustered')."""
        query = select(func.count()).select_from(t.features).where(getattr(t.features.c, column).is_(False))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def mark_features(self, column: str, ids: list[str] | None, value: bool = True) -> None:
        """Set a progress flag for these articles (None: for all)."""
        with self.engine.begin() as conn:
            if ids is None:
                conn.execute(update(t.features).values({column: value}))
                return
            for start in range(0, len(ids), 500):
                conn.execute(update(t.features).where(t.features.c.article_id.in_(ids[start:start + 500]))
                             .values({column: value}))

    def set_duplicates(self, links: dict[str, tuple[str, float]]) -> None:
        with self.engine.begin() as conn:
            for copy, (original, score) in links.items():
                conn.execute(update(t.articles).where(t.articles.c.id == copy).values(
                    duplicate_of=original, duplicate_score=score))

    def set_story_assignments(self, assignments: dict[str, str]) -> None:
        with self.engine.begin() as conn:
            for article_id, story in assignments.items():
                conn.execute(update(t.articles).where(t.articles.c.id == article_id).values(story=story))

    def corpus_inputs(self, upto_seq: int | None = None) -> dict[str, Any]:
        """What the corpus stage reads of each article, as counts and one digest: its id, the version of its
        analysis, its publication date and that date's basis, its duplicate and story links.  The digest changes
        when an article is added, analysed (again), re-dated, linked as a copy or moved to another story; it
        reads no text and no analysis.  ``upto_seq``: only the articles that arrived up to that number."""
        a, n = t.articles.c, t.analyses.c
        query = (select(a.seq, a.id, n.version, a.published, a.published_source, a.duplicate_of, a.story)
                 .select_from(t.articles.outerjoin(t.analyses)).order_by(a.seq))
        if upto_seq is not None:
            query = query.where(a.seq <= upto_seq)
        digest = hashlib.sha1()
        count = analysed = last = 0
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                count += 1
                analysed += row.version is not None
                last = row.seq
                digest.update("\x1f".join("\x00" if v is None else str(v) for v in row[1:]).encode() + b"\x1e")
        return {"articles": count, "analysed": analysed, "last_seq": last, "digest": digest.hexdigest()}

    # ------------------------------------------------------------ state
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar_one_or_none()
        return json.loads(value) if value is not None else default

    def set_meta(self, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.meta).where(t.meta.c.key == key))
            conn.execute(insert(t.meta).values(key=key, value=dumps(value)))

    def record_problem(self, source: str, code: str, message: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(t.problems).values(at=now(), source=source, code=code, message=message))

    # ------------------------------------------------------------ corpus results
    def replace_results(self, *, stories: list[dict], entities: list[dict], entity_mentions: list[dict],
                        events: list[dict], event_mentions: list[dict], claims: list[dict], conflicts: list[dict],
                        changes: list[dict]) -> None:
        """Swap in a new set of corpus-level results atomically."""
        with self.engine.begin() as conn:
            _serialize_writes(conn)
            for table in (t.event_mentions, t.events, t.entity_mentions, t.entities, t.claims, t.conflicts, t.stories):
                conn.execute(delete(table))
            for table, rows in ((t.stories, stories), (t.entities, entities), (t.entity_mentions, entity_mentions),
                                (t.events, events), (t.event_mentions, event_mentions), (t.claims, claims),
                                (t.conflicts, conflicts), (t.changes, changes)):
                for start in range(0, len(rows), 1000):
                    if rows[start:start + 1000]:
                        conn.execute(insert(table), rows[start:start + 1000])

    def rows(self, table_name: str, order_by: str | None = None) -> list[dict]:
        table = t.metadata.tables[table_name]
        query = select(table)
        if order_by:
            query = query.order_by(table.c[order_by])
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()


def open_store(db: str, readonly: bool = False) -> Store:
    return Store(db, readonly=readonly)
