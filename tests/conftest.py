"""Shared fixtures: stores are real SQLite files in a temporary folder, or PostgreSQL schemas.

Set ``STORYLINE_TEST_PG_URL=postgresql://user:pass@host/dbname`` (or pass ``--pg-url``) to run the
whole suite against PostgreSQL: every store the fixtures hand out (``db``, ``new_db``) is then a fresh
schema of that database, dropped after use.  The role needs the right to create schemas there.
Tests that need SQLite itself are marked ``@pytest.mark.sqlite_only("why")`` and skip on PostgreSQL;
tests marked ``@pytest.mark.postgres`` need a server and skip without one.
"""
from __future__ import annotations

import itertools
import os
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from http_helpers import serving_many
from storyline.models import Analysis, Mention, Sentence

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PG_ENV = "STORYLINE_TEST_PG_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--pg-url", default=None,
                     help=f"Run the stores of the suite on this PostgreSQL database (default: ${PG_ENV}).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers",
                            "sqlite_only(reason): needs SQLite itself; skipped when the suite runs on PostgreSQL")


def postgres_url(config: pytest.Config) -> str | None:
    return config.getoption("--pg-url") or os.environ.get(PG_ENV) or None


def pytest_report_header(config: pytest.Config) -> str:
    url = postgres_url(config)
    if not url:
        return "stores: SQLite"
    return f"stores: PostgreSQL ({urlsplit(url).hostname}/{urlsplit(url).path.lstrip('/')})"


def pytest_runtest_setup(item: pytest.Item) -> None:
    url = postgres_url(item.config)
    if item.get_closest_marker("postgres") and not url:
        pytest.skip(f"needs a PostgreSQL server: set {PG_ENV}")
    marker = item.get_closest_marker("sqlite_only")
    if marker and url:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'needs SQLite'}")


class StoreFactory:
    """Hands out fresh, empty store locations: SQLite file paths, or URLs of new PostgreSQL schemas."""

    def __init__(self, folder: Path, pg_url: str | None):
        self.folder = folder
        self.pg_url = pg_url
        self.schemas: list[str] = []
        self._count = itertools.count()

    @property
    def postgres(self) -> bool:
        return self.pg_url is not None

    def __call__(self, name: str = "store") -> str:
        index = next(self._count)
        if not self.pg_url:
            return str(self.folder / f"{index}-{name}.db")
        schema = f"t_{uuid.uuid4().hex[:12]}_{index}"
        with self._admin() as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        return self.url_of(schema)

    def url_of(self, schema: str) -> str:
        parts = urlsplit(self.pg_url)
        query = dict(parse_qsl(parts.query))
        # every connection of this store sees only its schema, and names itself after it (see drop)
        query.update({"options": f"-csearch_path={schema}", "application_name": schema})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    def _admin(self):
        import psycopg

        scheme, rest = self.pg_url.split("://", 1)
        return psycopg.connect("postgresql://" + rest, autocommit=True)

    def drop(self, url: str) -> None:
        """Drop the schema behind a URL this factory made (connections still open to it are ended)."""
        if not self.pg_url:
            return
        schema = dict(parse_qsl(urlsplit(url).query))["application_name"]
        with self._admin() as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE application_name = %s AND pid <> pg_backend_pid()", (schema,))
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self.schemas.remove(schema)

    def drop_all(self) -> None:
        for schema in list(self.schemas):
            self.drop(self.url_of(schema))


@pytest.fixture(scope="session")
def new_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A factory of fresh store locations, for fixtures wider than one test: ``db = new_db("demo")``."""
    factory = StoreFactory(tmp_path_factory.mktemp("stores"), postgres_url(request.config))
    yield factory
    factory.drop_all()


@pytest.fixture
def db(new_db: StoreFactory) -> str:
    """A fresh store for one test: a SQLite file path, or a PostgreSQL URL."""
    location = new_db("store")
    yield location
    new_db.drop(location)


def make_analysis(article_id: str, names: list[tuple[str, str]], text: str | None = None,
                  roles: dict[str, str] | None = None) -> Analysis:
    """An Analysis built by hand: one sentence holding the given (name, label) mentions."""
    roles = roles or {}
    body = text or " ; ".join(n for n, _ in names)
    mentions = []
    position = 0
    for name, label in names:
        start = body.find(name, position)
        if start < 0:
            start = body.find(name)
        position = start + len(name)
        mentions.append(Mention(start, start + len(name), name, label, 0, role=roles.get(name, "")))
    return Analysis(article_id, (Sentence(0, 0, len(body), body),), tuple(mentions))


def shared_corpus(name: str) -> Path:
    path = SHARED / name
    if not (path / "articles.jsonl").is_file():
        pytest.skip(f"shared corpus {name} is not available here")
    return path


@pytest.fixture(autouse=True, scope="session")
def _quiet_environment():
    os.environ.setdefault("STORYLINE_PROGRESS", "0")
    yield


@pytest.fixture
def http_server():
    """Start a local HTTP server for a handler class (tests/http_helpers.py); shut down after the test."""
    with serving_many() as start:
        yield start


@pytest.fixture(scope="module")
def module_http_server():
    """As ``http_server``, the servers living as long as the test module."""
    with serving_many() as start:
        yield start
