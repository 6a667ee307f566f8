"""What each outlet, and each side, reports of a story: omissions, and state-owned against independent coverage.

An omission is a fact most outlets report (an event with several independent sources, an entity most
outlets name) that an outlet leaves out although it had an article comparable to one reporting it:
published on or after the fact, within a few days of that report, and at least three quarters as
long.  So a 2,000-character excerpt is never faulted for a name a full article gives in its tenth
paragraph, and an outlet that stopped covering the story before the fact is never faulted at all.

``sides`` compares the story's state-owned outlets with its independent ones (public service and
private, from the outlet directory): the loaded terms each side uses in its own words, and which
dated events only one side reports.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from storyline.read import queries
from storyline.read.records import ArticleMeta, Event
from storyline.store import Store

WINDOW_DAYS = 3  # a comparable article appears this close to a report of the fact
LENGTH_RATIO = 0.75  # ... and is at least this share of the report's length


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class _Comparable:
    """Whether an outlet had an article to compare with the reports of a fact: similar date, similar length."""

    def __init__(self, arts: dict[str, ArticleMeta], lengths: dict[str, int], window: int, ratio: float):
        self.arts, self.lengths, self.window, self.ratio = arts, lengths, window, ratio
        self.by_outlet: dict[str, list[str]] = defaultdict(list)
        for a in arts.values():
            self.by_outlet[a.outlet].append(a.id)

    def __call__(self, outlet: str, reports: set[str], fact_date: str | None) -> bool:
        since = _day(fact_date)
        for candidate in self.by_outlet[outlet]:
            day = _day(self.arts[candidate].published)
            if day is None or since is not None and day < since:
                continue
            size = self.lengths.get(candidate, 0)
            for report in reports:
                when = _day(self.arts[report].published)
                if when is not None and abs((day - when).days) <= self.window \
                        and size >= self.ratio * self.lengths.get(report, 0):
                    return True
        return False


def omissions(store: Store, story: str, min_sources: int = 2, share: float = 0.5, window: int = WINDOW_DAYS,
              ratio: float = LENGTH_RATIO) -> dict:
    """Facts reported by more than ``share`` of the story's outlets (and by at least ``min_sources``), and for
    each the outlets that leave it out (``missing``): only those with an article published on or after the
    fact, within ``window`` days of a report of it and at least ``ratio`` of that report's length.  The others
    are listed apart: ``not_yet_covering`` (nothing on the story after the fact), ``not_comparable`` (no
    article of similar date and length).  An outlet writing in none of the reporters' languages is listed in
    ``other_language`` too (the names may only have failed to match across languages)."""
    arts = {r.id: r for r in queries.articles_metadata(store, story)}
    comparable = _Comparable(arts, queries.article_lengths(store, story), window, ratio)
    last: dict[str, str] = {}
    languages: dict[str, set[str]] = defaultdict(set)
    outlets = sorted({a.outlet for a in arts.values()}, key=str.casefold)
    for a in arts.values():
        languages[a.outlet].add(a.language)
        if a.published and a.published > last.get(a.outlet, ""):
            last[a.outlet] = a.published
    needed = max(min_sources, math.floor(len(outlets) * share) + 1)
    facts = []

    def add(kind: str, item_id: str, label: str, fact_date: str | None, ids: set[str], extra: dict) -> None:
        ids = {i for i in ids if i in arts}
        reporting = sorted({arts[i].outlet for i in ids}, key=str.casefold)
        if len(reporting) < needed:
            return
        missing, too_early, unlike = [], [], []
        for outlet in outlets:
            if outlet in reporting:
                continue
            if fact_date and last.get(outlet, "") < fact_date:
                too_early.append(outlet)  # had nothing on the story after the fact: not an omission
            elif comparable(outlet, ids, fact_date):
                missing.append(outlet)
            else:
                unlike.append(outlet)  # only shorter or distant articles: leaving it out says nothing
        spoken = {arts[i].language for i in ids}
        unsure = [o for o in missing if not languages[o] & spoken]
        facts.append({"kind": kind, "id": item_id, "label": label, "date": fact_date, "outlets": reporting,
                      "articles": sorted(ids), "missing": missing, "not_yet_covering": too_early,
                      "not_comparable": unlike, "other_language": unsure, **extra})

    event_articles = queries.event_articles(store, story)
    for event in queries.story_events(store, story):
        if event.independent_sources >= min_sources:
            add("event", event.id, event.summary, event.date, event_articles.get(event.id, set()),
                {"type": event.type, "place": event.place, "independent_sources": event.independent_sources})
    for entity in queries.entity_articles(store, story):
        add("entity", entity.id, entity.name, None, entity.articles, {"type": entity.type})
    facts.sort(key=lambda f: (f["kind"] != "event", f["date"] or "9999", -len(f["outlets"]), f["label"]))
    by_outlet: dict[str, list[dict]] = {o: [] for o in outlets}
    for fact in facts:
        for outlet in fact["missing"]:
            by_outlet[outlet].append({k: fact[k] for k in ("kind", "id", "label", "date", "type", "articles")}
                                     | {"reported_by": len(fact["outlets"]),
                                        "other_language": outlet in fact["other_language"]})
    return {"story": story, "outlets": outlets, "needed": needed, "min_sources": min_sources, "share": share,
            "window_days": window, "length_ratio": ratio, "facts": facts, "by_outlet": by_outlet}


# ---------------------------------------------------------------- state-owned against independent

SIDES = ("state", "independent")


def _side_terms(outlets: list[str], loaded: dict) -> dict[str, Any]:
    """The loaded terms a side's outlets use in their own words (quoted ones apart), with their rate."""
    terms: dict[tuple[str, str], dict] = {}
    quoted: dict[tuple[str, str], dict] = {}
    words = hits = articles = 0
    for outlet in outlets:
        entry = loaded["outlets"].get(outlet)
        if entry is None:
            continue  # only syndicated copies: no words of its own
        words, hits, articles = words + entry["words"], hits + entry["hits"], articles + entry["articles"]
        for kind, found in (("terms", terms), ("quoted", quoted)):
            for term in entry.get(kind, []):
                slot = found.setdefault((term["category"], term["term"]), {
                    "term": term["term"], "form": term["forms"][0], "category": term["category"], "count": 0,
                    "outlets": [], "articles": []})
                slot["count"] += term["count"]
                slot["outlets"].append(outlet)
                slot["articles"] += [a for a in term["articles"] if a not in slot["articles"]]
    ranked = sorted(terms.values(), key=lambda t: (-t["count"], t["term"]))
    return {"articles": articles, "words": words, "hits": hits,
            "per_1000_words": round(1000.0 * hits / words, 2) if words else 0.0, "terms": ranked,
            "quoted": sorted(quoted.values(), key=lambda t: (-t["count"], t["term"]))}


def _covered_events(events: list[Event], event_articles: dict[str, set[str]], outlet_of: dict[str, str],
                    side_of: dict[str, str]) -> dict[str, list[dict]]:
    """The story's dated events by who reports them: both sides, only the state-owned, only the independent."""
    covered: dict[str, list[dict]] = {"both": [], "state": [], "independent": []}
    for event in sorted((e for e in events if e.date), key=lambda e: (e.date, e.id)):
        reporting = {outlet_of[a] for a in event_articles.get(event.id, ()) if a in outlet_of}
        by_side = {side: sorted((o for o in reporting if side_of.get(o) == side), key=str.casefold)
                   for side in SIDES}
        present = [side for side in SIDES if by_side[side]]
        if present:
            covered["both" if len(present) == 2 else present[0]].append({
                "id": event.id, "date": event.date, "type": event.type, "summary": event.summary,
                "state_outlets": by_side["state"], "independent_outlets": by_side["independent"]})
    return covered


def sides(profiles: list[dict], loaded: dict, events: list[Event], event_articles: dict[str, set[str]],
          outlet_of: dict[str, str]) -> dict[str, Any]:
    """State-owned against independent (public and private) outlets of one story: who is on each side, the
    loaded terms each uses in its own words (which only one side uses), and the dated events each reports."""
    side_of = {p["outlet"]: p["side"] for p in profiles}
    members = {side: sorted((o for o, s in side_of.items() if s == side), key=str.casefold) for side in SIDES}
    result: dict[str, Any] = {side: {"outlets": members[side], **_side_terms(members[side], loaded)}
                              for side in SIDES}
    used = {side: {t["term"] for t in result[side]["terms"]} for side in SIDES}
    result["terms_only"] = {side: [t for t in result[side]["terms"] if t["term"] not in used[other]]
                            for side, other in (("state", "independent"), ("independent", "state"))}
    result["events"] = _covered_events(events, event_articles, outlet_of, side_of)
    result["unknown"] = sorted((o for o, s in side_of.items() if s not in SIDES), key=str.casefold)
    result["compared"] = bool(members["state"] and members["independent"])
    return result
