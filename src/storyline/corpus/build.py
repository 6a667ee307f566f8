"""Corpus-level stages: from everything stored to entities, events, claims and stories.

Runs after each batch of new articles.  It reads only through the Store,
rebuilds the derived record, and writes it back in one transaction together
with the list of what changed since the previous rebuild (new events, events
whose status changed, claims that became corroborated or contested, new
entities): the basis of "what's new since T".
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from storyline.budget import OverBudget, time_budget
from storyline.corpus.anchor import infer_anchor, latest_stated_date, reanchor
from storyline.corpus.claims import (
    event_claims,
    event_conflicts,
    fact_claims,
    mark_contested,
    name_conflicts,
    quote_claims,
)
from storyline.corpus.event_merge import merge_events
from storyline.corpus.resolve import Resolution, resolve
from storyline.corpus.scan import scan_known
from storyline.corpus.titles import Headline, story_names, story_title
from storyline.errors import E, StorylineError
from storyline.models import Article, Entity, Event, Story
from storyline.settings import Settings
from storyline.store import Store, now


def _stories(articles: dict[str, Article], assignments: dict[str, str], entities: list[Entity],
             originals: dict[str, str]) -> list[Story]:
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, story in assignments.items():
        if article_id in articles and story:
            members[story].append(article_id)
    names = story_names(entities, members, originals)
    stories = []
    for story_id, ids in members.items():
        dates = [articles[a].published for a in ids if articles[a].published]
        ordered = sorted(ids, key=lambda a: (articles[a].published or date.max, a))
        headlines = [Headline(a, articles[a].title, articles[a].outlet, articles[a].language, articles[a].published,
                              originals.get(a)) for a in ordered]
        title = story_title(headlines, names.get(story_id, []), len(members)) or articles[ordered[0]].title
        stories.append(Story(story_id, title, ordered, min(dates) if dates else None, max(dates) if dates else None))
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return stories


def _folded_counts(entity: Entity, originals: dict[str, str]) -> tuple[int, int]:
    """Mentions and articles with syndicated copies folded: a copy's mentions do not add to its original's
    (a copy that names the entity more often than its original counts for it instead)."""
    per_article = Counter(m.article for m in entity.mentions)
    per_original: dict[str, int] = {}
    for article, n in per_article.items():
        original = originals.get(article, article)
        per_original[original] = max(per_original.get(original, 0), n)
    return sum(per_original.values()), len(per_original)


def _entity_rows(resolution: Resolution, originals: dict[str, str]) -> tuple[list[dict], list[dict]]:
    entity_rows, mention_rows = [], []
    for entity in resolution.entities:
        mentions, articles = _folded_counts(entity, originals)
        entity_rows.append({
            "id": entity.id, "name": entity.name, "type": entity.type, "affiliation": entity.affiliation,
            "affiliation_inferred": entity.affiliation_inferred, "external_id": entity.external_id,
            "aliases": json.dumps(entity.aliases, ensure_ascii=False),
            "roles": json.dumps([{"role": r, "article": a} for r, a in entity.roles], ensure_ascii=False),
            "mention_count": mentions, "article_count": articles})
        seen = set()
        for m in entity.mentions:
            key = (m.article, m.start)
            if key in seen:
                continue
            seen.add(key)
            mention_rows.append({"entity_id": entity.id, "article_id": m.article, "start": m.start, "end": m.end,
                                 "text": m.text, "sentence": m.sentence})
    return entity_rows, mention_rows


def _event_rows(events: list[Event], resolution: Resolution) -> tuple[list[dict], list[dict]]:
    names_to_ids = {e.name: e.id for e in resolution.entities}
    rows, mention_rows = [], []
    for event in events:
        rows.append({
            "id": event.id, "type": event.type, "plover": event.plover,
            "first": event.first.isoformat() if event.first else None,
            "last": event.last.isoformat() if event.last else None, "status": event.status, "place": event.place,
            "participants": json.dumps(event.participants, ensure_ascii=False),
            "participant_ids": json.dumps([names_to_ids.get(p) for p in event.participants]),
            "parties": json.dumps(event.parties, ensure_ascii=False), "summary": event.summary,
            "independent_sources": event.independent_sources, "story": event.story,
            "confidence": event.confidence})
        for m in event.mentions:
            mention_rows.append({"event_id": event.id, "article_id": m.article, "sentence": m.sentence,
                                 "text": m.text, "date_text": m.date_text, "status": m.status,
                                 "attribution": m.attribution, "date_basis": m.date_basis})
    return rows, mention_rows


def _changes(store: Store, events: list[Event], entities: list[Entity], claims: list, stamp: str) -> list[dict]:
    """Differences from the previous rebuild, keyed by stable ids."""
    before_events = {r["id"]: r for r in store.rows("events")}
    before_entities = {r["id"] for r in store.rows("entities")}
    before_claims = {r["id"]: r["status"] for r in store.rows("claims")}
    changes = []
    for event in events:
        old = before_events.get(event.id)
        detail = {"summary": event.summary, "date": event.date_text, "type": event.type}
        if old is None:
            changes.append({"at": stamp, "kind": "event_added", "item": event.id, "story": event.story,
                            "detail": json.dumps(detail, ensure_ascii=False)})
        elif old["status"] != event.status:
            detail.update({"from": old["status"], "to": event.status})
            changes.append({"at": stamp, "kind": "event_status", "item": event.id, "story": event.story,
                            "detail": json.dumps(detail, ensure_ascii=False)})
    for entity in entities:
        if entity.id not in before_entities:
            changes.append({"at": stamp, "kind": "entity_added", "item": entity.id, "story": None,
                            "detail": json.dumps({"name": entity.name, "type": entity.type}, ensure_ascii=False)})
    for claim in claims:
        old = before_claims.get(claim.id)
        if old is not None and old != claim.status and claim.status in ("corroborated", "contested"):
            changes.append({"at": stamp, "kind": f"claim_{claim.status}", "item": claim.id, "story": claim.story,
                            "detail": json.dumps({"subject": claim.subject, "attribute": claim.attribute,
                                                  "value": claim.value, "from": old}, ensure_ascii=False)})
    return changes


def _keep_event_ids(store: Store, events: list[Event]) -> None:
    """An event keeps its id from the previous rebuild when it is mostly the same reports, so a
    scheduled meeting later reported as held is one event whose status changed, not a new one."""
    previous: dict[str, set[tuple[str, int]]] = defaultdict(set)
    by_report: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in store.rows("event_mentions"):
        key = (row["article_id"], row["sentence"])
        previous[row["event_id"]].add(key)
        by_report[key].add(row["event_id"])
    used: set[str] = set()
    for event in sorted(events, key=lambda e: (-len(e.mentions), e.id)):
        reports = {(m.article, m.sentence) for m in event.mentions}
        overlap = Counter(old for key in reports for old in by_report.get(key, ()))
        for old, shared in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
            if old in used:
                continue
            if shared * 2 >= len(previous[old]):  # most of the old event's reports are still in it
                event.id = old
                used.add(old)
            break
    # ids stay unique: two events from one sentence may hash alike, and a kept id may be a new one's hash
    taken: set[str] = set()
    for event in sorted(events, key=lambda e: (e.id not in used, e.id)):
        base, n = event.id, 1
        while event.id in taken:
            n += 1
            event.id = f"{base}-{n}"
        taken.add(event.id)


class OverBudgetLog:
    """Articles a corpus stage left alone because they took longer than their time budget: each is
    recorded as a problem once, and the stage leaves it alone in later rebuilds too."""

    KEY = "over_budget"  # meta: article id -> the corpus stage it took too long in

    def __init__(self, store: Store, articles: dict[str, Article]):
        self.store, self.articles = store, articles
        self.known: dict[str, str] = store.get_meta(self.KEY, {})
        self.new: dict[str, str] = {}

    def skipped(self, stage: str) -> set[str]:
        return {article_id for article_id, where in self.known.items() if where == stage}

    def recorder(self, stage: str, consequence: str) -> Callable[[str, OverBudget], None]:
        def record(article_id: str, over: OverBudget) -> None:
            self.new[article_id] = stage
            article = self.articles[article_id]
            problem = StorylineError(E.OVER_BUDGET, article.source or article_id,
                                     f"article {article_id}, corpus stage {stage}: {over}; {consequence}")
            self.store.record_problem(problem.path, problem.kind.code, str(problem))
        return record

    def save(self) -> None:
        if self.new:
            self.store.set_meta(self.KEY, {**self.known, **self.new})


def _align_undated(store: Store, articles: dict[str, Article], analyses: dict, resolution: Resolution,
                   assignments: dict[str, str], originals: dict[str, str], budget: float = 0.0,
                   over_budget: OverBudgetLog | None = None) -> None:
    """Give undated articles the publication date their events line up with (updates in place)."""
    guessed = {"inferred", "unknown"}
    undated = [a for a in articles.values() if a.published_source in guessed and a.id in analyses]
    if not undated:
        return
    dated = {k: v for k, v in analyses.items() if k in articles and articles[k].published_source not in guessed}
    if not dated:
        return
    known_events = [e for e in merge_events({k: articles[k] for k in dated}, dated, resolution, assignments, originals)
                    if not e.thin]
    skipped = over_budget.skipped("anchor") if over_budget else set()
    record = over_budget.recorder("anchor", "its dates stay as the analysis resolved them") if over_budget else None
    for article in undated:
        if article.id in skipped:
            continue
        analysis = analyses[article.id]
        try:
            with time_budget(budget):
                anchor = infer_anchor(article, analysis, known_events, resolution, latest_stated_date(analysis))
                if anchor is None:
                    anchor = article.published
                # the stored analysis may have been made before any anchor was known: resolve again every time
                reanchored = reanchor(analysis, anchor, article.language) if anchor else analysis
        except OverBudget as over:
            if record:
                record(article.id, over)
            continue
        if anchor is None:
            continue
        analyses[article.id] = reanchored
        if anchor != article.published:
            articles[article.id] = replace(article, published=anchor, published_source="inferred")
            store.set_publication(article.id, anchor.isoformat(), "inferred")


def rebuild(store: Store, settings: Settings | None = None, aliases: dict | None = None) -> dict:
    settings = settings or Settings()
    articles = {a.id: a for a in store.articles()}
    analyses = store.analyses()
    rows = {r["id"]: r for r in store.rows("articles")}
    assignments = {aid: r["story"] for aid, r in rows.items() if r["story"]}
    originals = {aid: r["duplicate_of"] for aid, r in rows.items() if r["duplicate_of"]}
    outlets = {a.outlet for a in articles.values()}
    first = resolve([(analyses[a], articles[a].language) for a in articles if a in analyses], aliases, outlets)
    # names the model missed, now that they are known
    over_budget = OverBudgetLog(store, articles)
    analyses = scan_known(articles, analyses, first, settings.article_budget, skip=over_budget.skipped("scan"),
                          over_budget=over_budget.recorder("scan", "its names are those the model found"))
    resolution = resolve([(analyses[a], articles[a].language) for a in articles if a in analyses], aliases, outlets)
    _align_undated(store, articles, analyses, resolution, assignments, originals, settings.article_budget,
                   over_budget)
    over_budget.save()
    all_events = merge_events(articles, analyses, resolution, assignments, originals)
    _keep_event_ids(store, all_events)
    events = [e for e in all_events if not e.thin]
    claims = event_claims(events, articles, originals)
    more_claims, conflicts = fact_claims(analyses, articles, originals, assignments)
    claims += more_claims
    claims += quote_claims(analyses, articles, originals, assignments, resolution)
    conflicts += event_conflicts(events, all_events, articles, originals, analyses)
    conflicts += name_conflicts(resolution, assignments)
    mark_contested(claims, conflicts)
    stories = _stories(articles, assignments, resolution.entities, originals)
    stamp = now()
    changes = _changes(store, events, resolution.entities, claims, stamp)
    entity_rows, entity_mention_rows = _entity_rows(resolution, originals)
    event_rows, event_mention_rows = _event_rows(events, resolution)
    store.replace_results(
        stories=[{"id": s.id, "title": s.title, "first_seen": s.first_seen.isoformat() if s.first_seen else None,
                  "last_seen": s.last_seen.isoformat() if s.last_seen else None, "size": len(s.articles),
                  "updated_at": stamp} for s in stories],
        entities=entity_rows, entity_mentions=entity_mention_rows, events=event_rows,
        event_mentions=event_mention_rows,
        claims=[{"id": c.id, "subject": c.subject, "attribute": c.attribute, "value": c.value, "status": c.status,
                 "articles": json.dumps(c.articles), "sentences": json.dumps(c.sentences, ensure_ascii=False),
                 "story": c.story} for c in claims],
        conflicts=[{"id": k.id, "topic": k.topic, "subject": k.subject, "attribute": k.attribute,
                    "values": json.dumps(k.values, ensure_ascii=False), "story": k.story, "note": k.note}
                   for k in conflicts],
        changes=changes)
    return {"stories": len(stories), "entities": len(resolution.entities), "events": len(events)}
