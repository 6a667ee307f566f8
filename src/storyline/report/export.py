"""The export (contract: version 1): one JSON document for a store or one story.

Keys and meanings follow ``shared/contract/EXPORT.md``; extra keys carry
provenance (sentence offsets, roles with their articles, date sources).
CSV export writes one file per table.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from storyline.read import queries
from storyline.read.records import plain
from storyline.store import Store

VERSION = "1.1"


def export_document(store: Store, story: str | None = None) -> dict[str, Any]:
    articles = queries.articles_metadata(store, story or None)
    article_ids = {a.id for a in articles}
    stories = []
    for row in queries.list_stories(store):
        if story and row.id != story:
            continue
        members = [a.id for a in articles if a.story == row.id]
        stories.append({"id": row.id, "title": row.title, "articles": members,
                        "first_seen": row.first_seen, "last_seen": row.last_seen})
    mention_rows: dict[str, list[dict]] = {}
    for m in queries.mention_spans(store):
        if m.article_id in article_ids:
            mention_rows.setdefault(m.entity_id, []).append(
                {"article": m.article_id, "text": m.text, "start": m.start, "end": m.end})
    entities = []
    for entity in queries.entities(store):
        mentions = mention_rows.get(entity.id, [])
        if story and not mentions:
            continue
        entities.append({
            "id": entity.id, "name": entity.name, "type": entity.type,
            "affiliation": entity.affiliation, "affiliation_inferred": bool(entity.affiliation_inferred),
            "roles": [r["role"] for r in entity.roles],
            "role_sources": entity.roles,
            "aliases": entity.aliases, "mentions": mentions})
    events = []
    for event in queries.timeline(store, story=story, dated_only=False):
        events.append({
            "id": event.id, "type": event.type, "plover": event.plover or None, "date": event.date,
            "date_status": event.status, "place": event.place, "participants": event.participants,
            "parties": event.parties, "summary": event.summary,
            "mentions": [{"article": m.article_id, "sentence": m.text, "sentence_index": m.sentence,
                          "date_text": m.date_text, "date_basis": m.date_basis, "status": m.status,
                          "attribution": m.attribution}
                         for m in event.mentions],
            "independent_sources": event.independent_sources, "confidence": event.confidence,
            "story": event.story})
    claims = [{"id": c.id, "subject": c.subject, "attribute": c.attribute, "value": c.value,
               "status": c.status, "articles": c.articles, "sentences": c.sentences}
              for c in queries.claims(store, story=story)]
    conflicts = [{"id": k.id, "topic": k.topic, "subject": k.subject, "attribute": k.attribute,
                  "values": k.values} for k in queries.conflicts(store, story=story)]
    return {"version": VERSION, "articles": plain(articles), "stories": stories, "entities": entities,
            "events": events, "claims": claims, "conflicts": conflicts}


def write_json(document: dict, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def write_csv(document: dict, folder: str | Path) -> list[Path]:
    """One CSV per table; lists are joined with ' | '."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in ("articles", "stories", "entities", "events", "claims", "conflicts"):
        rows = document.get(table, [])
        path = folder / f"{table}.csv"
        columns: list[str] = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns or ["id"])
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        written.append(path)
    return written


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return " | ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
