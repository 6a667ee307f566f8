"""Shared helpers of the CLI commands."""
from __future__ import annotations

import json
import sys
from typing import Any

import typer
import yaml

from storyline.errors import E, StorylineError
from storyline.pipeline import no_progress, tqdm_progress
from storyline.read.records import plain
from storyline.report.text import shorten
from storyline.settings import Settings
from storyline.store import Store


def open_store(settings: Settings, readonly: bool = False) -> Store:
    return Store(settings.db, readonly=readonly)


def progress_for(settings: Settings):
    return tqdm_progress if settings.progress and sys.stderr.isatty() else no_progress


def load_aliases(settings: Settings) -> dict | None:
    if not settings.aliases:
        return None
    try:
        with open(settings.aliases, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except OSError as exc:
        raise StorylineError(E.BAD_ALIAS_FILE, settings.aliases, exc.strerror) from None
    except yaml.YAMLError as exc:
        raise StorylineError(E.BAD_ALIAS_FILE, settings.aliases, type(exc).__name__) from None
    if not isinstance(data, dict) or not all(
            isinstance(data.get(k, []), list) and all(isinstance(g, list) for g in data.get(k, []))
            for k in ("merge", "separate")):
        raise StorylineError(E.BAD_ALIAS_FILE, settings.aliases, "expected lists 'merge' and 'separate' of name lists")
    return data


def emit(value: Any, as_json: bool) -> bool:
    if as_json:
        typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=1, default=str))
    return as_json


COLUMN = 60  # widest a column is shown ...
LAST_COLUMN = 100  # ... and the last one (a title, say), which has the rest of the line


def table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Rows as aligned columns; a value too wide for its column is cut after a whole word, ending "…"."""
    if not rows:
        typer.echo("(none)")
        return
    cells = [[" ".join(("" if r.get(k) is None else str(r.get(k))).split()) for k, _ in columns] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h) in enumerate(columns)]
    widths = [min(w, LAST_COLUMN if i == len(widths) - 1 else COLUMN) for i, w in enumerate(widths)]
    typer.echo("  ".join(h.ljust(widths[i]) for i, (_, h) in enumerate(columns)).rstrip())
    for c in cells:
        typer.echo("  ".join(shorten(v, widths[i]).ljust(widths[i]) for i, v in enumerate(c)).rstrip())
