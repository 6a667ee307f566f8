"""Stores and checks shared by the web tests (test_web_api.py, test_web_browser.py)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import func, insert, select, update

from storyline import pipeline
from storyline.cli.commands import demo_corpus
from storyline.models import Article
from storyline.settings import Settings
from storyline.store import Store
from storyline.store import schema as t

HOSTILE_CORPUS = Path(__file__).parent / "data" / "web_hostile.jsonl"

# Rows written straight into the store, so that every field a page shows carries markup,
# whatever the NLP makes of the hostile articles.
X = "<script>alert('x')</script><img src=x onerror=alert('y')>"


def build_demo_store(path: str) -> str:
    store = Store(path)
    ingested, _ = pipeline.run([str(demo_corpus())], store, Settings(db=path, progress=False))
    assert not ingested.errors and len(ingested.added) == 16
    store.close()
    return path


def build_hostile_store(path: str) -> str:
    """The hostile articles through the whole pipeline, then hostile entities, events, claims, conflicts, changes."""
    store = Store(path)
    ingested, _ = pipeline.run([str(HOSTILE_CORPUS)], store, Settings(db=path, progress=False))
    assert not ingested.errors and len(ingested.added) == 4
    text = store.article_text("h01")
    start = text.index("<script>alert('body')")
    end = text.index("</script>", start) + len("</script>")
    with store.engine.begin() as conn:
        story = conn.execute(t.articles.select().where(t.articles.c.id == "h01")).first().story
        conn.execute(update(t.stories).where(t.stories.c.id == story).values(title=f"Story {X}"))
        conn.execute(insert(t.entities).values(
            id="eX", name=f"Name {X}", type="PERSON", affiliation=f"<iframe src=javascript:alert(1)>{X}",
            affiliation_inferred=True, aliases=json.dumps([f"alias {X}", "\"><svg onload=alert(2)>"]),
            roles=json.dumps([{"role": f"<b onclick=alert(3)>envoy</b>{X}", "article": "h01"}]),
            mention_count=1, article_count=1))
        conn.execute(insert(t.entity_mentions).values(entity_id="eX", article_id="h01", start=start, end=end,
                                                      text=text[start:end], sentence=1))
        conn.execute(insert(t.events).values(
            id="vX", type="meeting", plover="CONSULT", first="2014-03-04", last="2014-03-04",
            status="\"><script>alert(4)</script>", place=f"Place {X}",
            participants=json.dumps([f"Person {X}"]), participant_ids=json.dumps(["eX"]),
            parties=json.dumps([f"Party {X}"]), summary=f"Summary {X}", independent_sources=2, story=story))
        conn.execute(insert(t.event_mentions).values(
            event_id="vX", article_id="h01", sentence=1, text=f"Sentence {X}", date_text=f"when {X}",
            status="happened", attribution=f"said {X}"))
        conn.execute(insert(t.claims).values(
            id="cX", subject="vX", attribute=f"attr{X}", value=f"Value {X}", status="contested",
            articles=json.dumps(["h01", "h02"]),
            sentences=json.dumps([{"article": "h01", "sentence": 1, "text": f"Claim sentence {X}"}]), story=story))
        conn.execute(insert(t.conflicts).values(
            id="kX", topic=f"Topic {X}", subject="vX", attribute=f"attr{X}",
            values=json.dumps([{"value": f"One {X}", "articles": ["h01"]}, {"value": "Two", "articles": ["h02"]}]),
            story=story, note=f"Note {X}"))
        conn.execute(insert(t.changes).values(
            at="2030-01-01T00:00:00+00:00", kind="event_added", item="vX", story=story,
            detail=json.dumps({"summary": f"Change {X}", "date": X, "type": X})))
        conn.execute(insert(t.problems).values(at="2030-01-01T00:00:00+00:00", source=f"feed item {X}", code="S009",
                                               message=f"feed item {X}: feed cannot be parsed [S009]"))
    store.close()
    return path


# Outlets the outlet directory knows (state, public, private; two countries each side), one it does not,
# and one whose name is markup: (id, outlet, url, day, copy of).
OUTLET_ARTICLES = [
    ("rt1", "RT", "https://www.rt.com/russia/1-talks/", "2025-11-20", None),
    ("rt2", "RT", "https://www.rt.com/russia/2-talks/", "2025-11-21", None),
    ("ta1", "TASS", "https://tass.com/politics/1", "2025-11-20", None),
    ("sp1", "Sputnik Brasil", "https://noticiabrasil.net.br/20251120/1.html", "2025-11-20", None),
    ("re1", "Reuters", "https://www.reuters.com/world/europe/1", "2025-11-20", None),
    ("bb1", "BBC News", "https://www.bbc.com/news/articles/1", "2025-11-21", None),
    ("ki1", "The Kyiv Independent", "https://kyivindependent.com/talks-1/", "2025-11-21", None),
    ("su1", "Suspilne", "https://suspilne.media/1-talks/", "2025-11-21", None),
    ("hw1", "Harbour Wire", "https://harbourwire.example/1", "2025-11-21", "re1"),
    ("hw2", "Harbour Wire", "https://harbourwire.example/2", "2025-11-22", None),
    ("ev1", f"Evil {X}", "https://evil.example/1", "2025-11-22", None),
]


def build_outlets_store(path: str) -> str:
    """One story covered by real outlets the outlet directory knows and by two it does not (one named in markup),
    with a syndicated copy (hw1 of re1): written straight into a real store, no NLP."""
    store = Store(path)
    articles = []
    for article_id, outlet, url, day, _ in OUTLET_ARTICLES:
        text = (f"Envoys met in Saltmere on {day} to discuss the peace plan, {outlet} reported. "
                "The delegations agreed to meet again. ") * 3
        articles.append(Article(id=article_id, text=text, original=text, offsets=((0, 0, len(text)),),
                                title=f"Talks in Saltmere ({outlet})", url=url, outlet=outlet,
                                published=date.fromisoformat(day), language="en", fingerprint=article_id))
    store.add_articles([(a, None) for a in articles])
    store.set_story_assignments({a.id: "talks" for a in articles})
    store.set_duplicates({i: (copy_of, 0.97) for i, _, _, _, copy_of in OUTLET_ARTICLES if copy_of})
    event = {"id": "vG", "type": "meeting", "plover": "CONSULT", "first": "2025-11-20", "last": "2025-11-20",
             "status": "happened", "place": "Saltmere", "participants": "[]", "participant_ids": "[]", "parties": "[]",
             "summary": "Envoys meet in Saltmere", "independent_sources": 6, "story": "talks"}
    store.replace_results(
        stories=[{"id": "talks", "title": "Peace talks in Saltmere", "first_seen": "2025-11-20",
                  "last_seen": "2025-11-22", "size": len(articles), "updated_at": "2025-11-23T00:00:00+00:00"}],
        entities=[], entity_mentions=[], events=[event],
        event_mentions=[{"event_id": "vG", "article_id": a.id, "sentence": 0, "text": a.text.split(". ")[0],
                         "date_text": a.published.isoformat(), "status": "happened", "attribution": ""}
                        for a in articles],
        claims=[], conflicts=[], changes=[])
    store.close()
    return path


def add_early_event(path: str, summary: str, days_before: int = 200) -> tuple[str, str]:
    """One background event in the largest story, ``days_before`` its first dated event (a meeting the
    articles recall from months before): what stretched the story chart's axis.  Returns (story, event id)."""
    store = Store(path)
    with store.engine.begin() as conn:
        story = conn.execute(select(t.stories.c.id).order_by(t.stories.c.size.desc(), t.stories.c.id)).first().id
        first = conn.execute(select(func.min(t.events.c.first)).where(t.events.c.story == story)).scalar_one()
        article = conn.execute(select(t.articles.c.id).where(t.articles.c.story == story)
                               .order_by(t.articles.c.id)).first().id
        day = (date.fromisoformat(first) - timedelta(days=days_before)).isoformat()
        conn.execute(insert(t.events).values(
            id="vEarly", type="meeting", plover="CONSULT", first=day, last=day, status="happened", place=None,
            participants="[]", participant_ids="[]", parties="[]", summary=summary, independent_sources=1,
            story=story, confidence=0.8))
        conn.execute(insert(t.event_mentions).values(
            event_id="vEarly", article_id=article, sentence=0, text=summary, date_text=day, status="happened",
            attribution="", date_basis="stated"))
    store.close()
    return story, "vEarly"


CROWD = ["Tomas Ebbing", "Pavel Vrastek", "Mirela Dunca", "Greta Holmsen", "Henrik Vasse", "Agnes Tollan",
         "Ilsa Marrow", "Oskar Brenn", "Lene Halvard"]


def add_crowded_event(path: str, event_id: str = "vCrowd") -> tuple[str, str]:
    """One low-confidence meeting of nine people in the largest story, reported by the demo's article d03, by
    its syndicated copy d04 and by d05: what the timeline must neither cut silently nor count twice.
    Returns (story, event id)."""
    store = Store(path)
    with store.engine.begin() as conn:
        story = conn.execute(select(t.articles.c.story).where(t.articles.c.id == "d03")).scalar_one()
        conn.execute(insert(t.events).values(
            id=event_id, type="meeting", plover="CONSULT", first="2014-03-05", last="2014-03-05", status="happened",
            place="Saltmere", participants=json.dumps(CROWD), participant_ids=json.dumps([None] * len(CROWD)),
            parties="[]", summary="Nine delegates met in Saltmere", independent_sources=2, story=story,
            confidence=0.3))
        for article in ("d03", "d04", "d05"):
            conn.execute(insert(t.event_mentions).values(
                event_id=event_id, article_id=article, sentence=1, text="Nine delegates met in Saltmere.",
                date_text="2014-03-05", status="happened", attribution="", date_basis="relative_inferred"))
    store.close()
    return story, event_id


class _Scan(HTMLParser):
    """Collects what in a page could run script or navigate to script."""

    DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "meta", "marquee", "img", "style", "frame", "link", "svg"}
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            scheme = (value or "").strip().lower()
            if name in self.URL_ATTRS and scheme.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        attributes = dict(attrs)
        self.seen[tag] = self.seen.get(tag, 0) + 1
        if tag in ("html", "head", "body") and self.seen[tag] > 1:
            self.problems.append(f"a second <{tag}>")
        # the timeline chart and its legend, the coverage bars
        if tag == "svg" and attributes.get("class") in ("tl", "key", "bar"):
            return
        if tag == "link" and attributes.get("href") in ("/static/style.css", "/static/favicon.svg"):
            return
        if tag == "script" and attributes.get("src") != "/static/app.js":
            self.problems.append(f"<script {attributes}>")
        if tag == "meta" and (attributes.get("charset") or attributes.get("name") in ("viewport", "referrer")):
            return
        if tag in self.DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")


def unsafe_markup(html: str) -> list[str]:
    """Elements or attributes in ``html`` that could run script: empty for a safe page."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.problems
