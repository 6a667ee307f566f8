"""The small Python API: open a store, run a corpus into it, export its record.

    import storyline

    store = storyline.open_store("talks.db")               # SQLite file, or a postgresql:// URL
    storyline.run(["articles/", "https://example.org/feed.rss"], store)
    document = storyline.export(store)                      # the EXPORT.md v1.1 document, a dict
    storyline.write_export(store, "talks.json")

Everything here is a thin layer over ``pipeline``, ``store`` and ``report.export``; the CLI and the
web app use the same functions.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storyline import pipeline
from storyline.pipeline import IngestReport, ProcessReport
from storyline.report.export import export_document, write_json
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["open_store", "run", "export", "write_export", "Settings", "Store"]


def open_store(db: str | None = None, readonly: bool = False) -> Store:
    """A store at ``db`` (a SQLite path or a SQLAlchemy URL); the settings' default when omitted."""
    return Store(db or Settings().db, readonly=readonly)


def run(targets: Iterable[str] | str, store: Store | str | None = None, settings: Settings | None = None,
        aliases: dict | None = None) -> tuple[IngestReport, ProcessReport]:
    """Ingest ``targets`` (files, folders, JSONL dumps, feeds, URLs) and bring the store's record up to date.

    Bad input never raises: each problem is in the returned reports (and the store's problems table).
    A store given by location is opened and closed here.
    """
    settings = settings or Settings(progress=False)
    targets = [targets] if isinstance(targets, str) else list(targets)
    if isinstance(store, Store):
        return pipeline.run(targets, store, settings, aliases=aliases)
    opened = open_store(store or settings.db)
    try:
        return pipeline.run(targets, opened, settings, aliases=aliases)
    finally:
        opened.close()


def export(store: Store | str, story: str | None = None) -> dict[str, Any]:
    """The store's record (or one story's) as the export document of ``shared/contract/EXPORT.md``."""
    if isinstance(store, Store):
        return export_document(store, story)
    opened = open_store(store, readonly=True)
    try:
        return export_document(opened, story)
    finally:
        opened.close()


def write_export(store: Store | str, path: str | Path, story: str | None = None) -> Path:
    """Write :func:`export` to ``path`` as JSON; returns the path."""
    target = Path(path)
    write_json(export(store, story), target)
    return target
