"""What's new in the record since a time: grouped changes, a Markdown digest, a webhook.

The ``changes`` table (written by ``corpus.rebuild`` and ``Store.add_articles``)
says what happened and when; this module reads it, looks the items up as
they are now, drops what no longer exists (an event merged into another),
folds repeated changes of one item into one, and writes a line a person can
read for each.  ``whats_new`` is shared by the CLI, the watcher and the web
app; its result is plain JSON.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.read.queries import last_change_id  # the watcher's cursor, offered here beside whats_new
from storyline.read.records import ArticleRow, Change, Claim, Entity, Event
from storyline.sources._fetch import USER_AGENT, check_url, guarded_transport
from storyline.store import Store, now

__all__ = ["parse_since", "whats_new", "digest_markdown", "post_webhook", "write_digest", "last_change_id",
           "GROUPS"]

log = logging.getLogger("storyline.digest")
log.addHandler(logging.NullHandler())

# (key in the result, Markdown heading), in the order a reader wants them.
GROUPS = (
    ("new_events", "New events"),
    ("status_changes", "Events whose status changed"),
    ("claims_contested", "Claims now contested"),
    ("claims_corroborated", "Claims now corroborated"),
    ("new_entities", "New people, organisations and places"),
    ("new_articles", "New articles"),
)
STATUS_WORDS = {"happened": "took place", "scheduled": "is scheduled", "cancelled": "was cancelled",
                "unknown": "has no clear status"}
TOPICS = {"plan_points": "number of points in the plan"}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(value: str | datetime | None) -> str | None:
    """A time as the store writes it (UTC, to the second): ISO date/time (naive = local) or a duration ("2h")."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        match = _DURATION.match(value)
        if match:
            seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
            moment = datetime.now(UTC) - timedelta(seconds=seconds)
        else:
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                raise StorylineError(E.BAD_SETTING, detail=f"since {value!r}: use an ISO time like "
                                     "2025-06-01T09:00 (local unless it says Z or +hh:mm) or a duration like 6h, 2d"
                                     ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the user's local time
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _event_item(event: Event) -> dict:
    return {"id": event.id, "type": event.type, "date": event.date, "status": event.status, "place": event.place,
            "participants": event.participants, "summary": event.summary, "sources": event.independent_sources,
            "story": event.story}


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _new_event_line(item: dict) -> str:
    status = "" if item["status"] == "unknown" else f" ({item['status']})"
    return (f"New {item['type']} on {item['date'] or 'an unknown date'}{status}: {item['summary']} "
            f"[{_plural(item['sources'], 'source')}]")


def _status_line(item: dict) -> str:
    return (f"The {item['type']} on {item['date'] or 'an unknown date'} {STATUS_WORDS.get(item['to'], item['to'])} "
            f"(was {item['from']}): {item['summary']}")


def _claim_line(item: dict, events: dict[str, dict]) -> str:
    subject = item["subject"]
    topic = TOPICS.get(item["attribute"], item["attribute"].replace("_", " "))
    if subject in events:
        about = f"{topic} of “{events[subject]['summary']}”"
    elif subject.startswith("story:"):
        about = f"{topic} (story {subject[6:]})"
    else:
        about = f"{topic} of {subject}"
    verb = "contested by another outlet" if item["status"] == "contested" else "corroborated by several outlets"
    return f"Now {verb}: {about} = {item['value']} (was {item['from'].replace('_', ' ')})"


@dataclass(frozen=True)
class _Changes:
    """The changes after the cutoff, grouped by what they are about (repeated changes of an item folded)."""
    added_events: list[str]  # in order, repeats kept
    status_changes: dict[str, list[Change]]  # event id -> its status changes, oldest first
    claim_changes: dict[str, Change]  # claim id -> its latest change
    added_entities: list[str]
    added_articles: list[str]


def _group_changes(rows: list[Change]) -> _Changes:
    by_kind: dict[str, list[Change]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    added_events = [r.item for r in by_kind.get("event_added", [])]
    added = set(added_events)
    status_rows: dict[str, list[Change]] = {}
    for row in by_kind.get("event_status", []):
        if row.item not in added:  # a new event is shown with its current status
            status_rows.setdefault(row.item, []).append(row)
    claim_rows: dict[str, Change] = {}
    for row in by_kind.get("claim_corroborated", []) + by_kind.get("claim_contested", []):
        if row.item not in claim_rows or row.id > claim_rows[row.item].id:
            claim_rows[row.item] = row
    return _Changes(added_events, status_rows, claim_rows, [r.item for r in by_kind.get("entity_added", [])],
                    [r.item for r in by_kind.get("article_added", [])])


def _within(story: str | None, value: str | None) -> bool:
    """Whether an item of story ``value`` belongs in a digest of ``story`` (None: of every story)."""
    return story is None or value == story


def _new_events(changes: _Changes, events: dict[str, Event], story: str | None) -> list[dict]:
    out = []
    for event_id in dict.fromkeys(changes.added_events):
        event = events.get(event_id)
        if event is not None and _within(story, event.story):
            item = _event_item(event)
            out.append({**item, "line": _new_event_line(item)})
    return out


def _status_changes(changes: _Changes, events: dict[str, Event], story: str | None) -> list[dict]:
    out = []
    for event_id, rows in changes.status_changes.items():
        event = events.get(event_id)
        first = (rows[0].detail or {}).get("from")
        if event is None or not _within(story, event.story) or first == event.status:
            continue  # gone, elsewhere, or back where it started
        item = {**_event_item(event), "from": first, "to": event.status}
        out.append({**item, "line": _status_line(item)})
    return out


def _claim_updates(changes: _Changes, claims: dict[str, Claim], events: dict[str, Event],
                   story: str | None) -> dict[str, list[dict]]:
    """The claims now contested and now corroborated (``claims_contested``, ``claims_corroborated``)."""
    out: dict[str, list[dict]] = {"claims_contested": [], "claims_corroborated": []}
    for claim_id, row in changes.claim_changes.items():
        claim = claims.get(claim_id)
        expected = row.kind.removeprefix("claim_")
        if claim is None or claim.status != expected or not _within(story, claim.story):
            continue
        item = {"id": claim_id, "subject": claim.subject, "attribute": claim.attribute, "value": claim.value,
                "status": claim.status, "from": (row.detail or {}).get("from") or "single_source",
                "story": claim.story, "articles": claim.articles}
        out[f"claims_{expected}"].append({**item, "line": _claim_line(item, events)})
    return out


def _new_entities(changes: _Changes, entities: dict[str, Entity]) -> list[dict]:
    out = []
    for entity_id in dict.fromkeys(changes.added_entities):
        if entity_id in entities:
            entity = entities[entity_id]
            kind = {"PERSON": "person", "ORG": "organisation", "PLACE": "place"}.get(entity.type, entity.type)
            out.append({"id": entity_id, "name": entity.name, "type": entity.type, "mentions": entity.mention_count,
                        "line": f"New {kind}: {entity.name}"})
    return out


def _new_articles(changes: _Changes, articles: dict[str, ArticleRow], story: str | None) -> list[dict]:
    out = []
    for article_id in dict.fromkeys(changes.added_articles):
        article = articles.get(article_id)
        if article is None or not _within(story, article.story):
            continue
        outlet = article.outlet or "unknown outlet"
        line = f"{outlet}, {article.published or 'undated'}: {article.title or article_id}"
        out.append({"id": article_id, "title": article.title, "outlet": article.outlet,
                    "published": article.published, "url": article.url, "story": article.story, "line": line})
    return out


def whats_new(store: Store, since: str | datetime | None = None, story: str | None = None, *,
              after_id: int | None = None) -> dict[str, Any]:
    """Changes recorded after ``since`` (and after change ``after_id``), grouped, each with a readable ``line``.

    ``since`` is an ISO time or a duration (see ``parse_since``), compared to the second.  Items are shown
    as they are now: an event that has since been merged away is left out, a claim whose status moved on
    is shown with its latest change only.
    """
    cutoff = parse_since(since)
    news: dict[str, Any] = {"since": cutoff, "until": now(), "story": story, "cursor": after_id or 0}
    # lenient reads: one malformed row must not stop the watcher's digest
    rows = queries.changes_since(store, cutoff, after_id=after_id or None, lenient=True)
    if rows:
        news["cursor"] = rows[-1].id
    changes = _group_changes(rows)
    events = queries.events_by_id(store, set(changes.added_events) | set(changes.status_changes), lenient=True)
    claims = queries.claims_by_id(store, changes.claim_changes, lenient=True)
    events.update(queries.events_by_id(store, {c.subject for c in claims.values()} - set(events), lenient=True))
    entities = queries.entities_by_id(store, changes.added_entities, lenient=True)
    if story:
        named = queries.entities_in_story(store, story, entities)
        entities = {k: v for k, v in entities.items() if k in named}
    articles = queries.articles_by_id(store, changes.added_articles)
    news.update({"new_events": _new_events(changes, events, story),
                 "status_changes": _status_changes(changes, events, story),
                 **_claim_updates(changes, claims, events, story),
                 "new_entities": _new_entities(changes, entities),
                 "new_articles": _new_articles(changes, articles, story)})
    for key in ("new_events", "status_changes"):  # in story order: dated first, by date
        news[key].sort(key=lambda item: (item["date"] is None, item["date"] or ""))
    news["counts"] = {key: len(news[key]) for key, _ in GROUPS}
    news["empty"] = not any(news["counts"].values())
    return news


def summary_line(news: dict[str, Any]) -> str:
    counts = news["counts"]
    parts = [_plural(counts["new_events"], "new event"), _plural(counts["status_changes"], "status change"),
             _plural(counts["claims_contested"] + counts["claims_corroborated"], "claim update"),
             _plural(counts["new_entities"], "new entity", "new entities"),
             _plural(counts["new_articles"], "new article")]
    return ", ".join(parts)


def digest_markdown(news: dict[str, Any], title: str | None = None, max_items: int = 50) -> str:
    """The result of ``whats_new`` as a Markdown document (also readable as plain text)."""
    if title is None:
        title = f"What's new since {news['since']}" if news.get("since") else "What's new"
        if news.get("story"):
            title += f" in story {news['story']}"
    lines = [f"# {title}", "", f"{summary_line(news)} (as of {news['until']}).", ""]
    if news["empty"]:
        lines += ["Nothing new.", ""]
    for key, heading in GROUPS:
        items = news[key]
        if not items:
            continue
        lines += [f"## {heading}", ""]
        lines += [f"- {item['line']}" for item in items[:max_items]]
        if len(items) > max_items:
            lines.append(f"- … and {len(items) - max_items} more")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_digest(path: str | Path, text: str, append: bool = False) -> None:
    """Write (or append) a digest; a failure is logged, never raised: the record is already safe."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a" if append else "w", encoding="utf-8") as handle:
            if append and target.stat().st_size:
                handle.write("\n")
            handle.write(text)
    except OSError as exc:
        log.warning("digest_failed", extra={"fields": {"path": str(target), "error": exc.strerror or str(exc)}})
        return
    log.info("digest_written", extra={"fields": {"path": str(target)}})


def post_webhook(url: str, payload: dict[str, Any], *, timeout: float = 10.0, allow_private: bool = False,
                 transport: httpx.BaseTransport | None = None) -> bool:
    """POST the digest as JSON; True when the receiver answered 2xx.  Never raises: failures are logged.

    The URL goes through the same SSRF guard as fetching (loopback and private addresses only with
    ``allow_private``); redirects are not followed, so the guard cannot be walked around.
    """
    try:
        check_url(url, allow_private)
        body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        # the guard again where the socket connects (DNS rebinding), and a deadline for the whole POST
        with httpx.Client(timeout=timeout, follow_redirects=False,
                          transport=transport or guarded_transport(allow_private, timeout)) as client:
            response = client.post(url, content=body, headers={
                "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT})
        if not 200 <= response.status_code < 300:
            raise StorylineError(E.FETCH_FAILED, url, f"webhook answered HTTP {response.status_code}")
    except StorylineError as error:
        log.warning("webhook_failed", extra={"fields": {"url": url, "error": str(error)}})
        return False
    except httpx.TimeoutException:
        log.warning("webhook_failed", extra={"fields": {"url": url, "error": f"timed out after {timeout:g}s"}})
        return False
    except httpx.HTTPError as exc:
        log.warning("webhook_failed", extra={"fields": {"url": url, "error": type(exc).__name__}})
        return False
    log.info("webhook_sent", extra={"fields": {"url": url, "status": response.status_code}})
    return True
