"""Claims and conflicts: which facts rest on several outlets, one, or disagree.

A claim is an atomic fact with the sentences that state it: an event's date,
place and participants, and values articles state (the number of points of a
plan).  Its status counts independent outlets (a syndicated copy counts as
its original): ``corroborated`` (2+), ``single_source`` (1), ``contested``
(another outlet states an incompatible value for the same subject), or
``superseded`` (the value changed over time: a plan revised from 28 to 19
points is news, not a contradiction).
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date

from ..models import Analysis, Article, Claim, Conflict, Event

VERSION = "claims-2"


def _id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


def _outlets(article_ids: set[str], articles: dict[str, Article], originals: dict[str, str]) -> set[str]:
    outlets = set()
    for article_id in article_ids:
        original = originals.get(article_id, article_id)
        article = articles.get(original) or articles.get(article_id)
        outlets.add(article.outlet if article and article.outlet else original)
    return outlets


def _status(article_ids: set[str], articles: dict[str, Article], originals: dict[str, str]) -> str:
    return "corroborated" if len(_outlets(article_ids, articles, originals)) >= 2 else "single_source"


def event_claims(events: list[Event], articles: dict[str, Article], originals: dict[str, str]) -> list[Claim]:
    claims = []
    for event in events:
        sources = {m.article for m in event.mentions}
        sentences = [{"article": m.article, "sentence": m.sentence, "text": m.text} for m in event.mentions]
        if event.date_text:
            dated = {m.article for m in event.mentions if m.date_text}
            claims.append(Claim(_id("c", event.id, "date"), event.id, "date", event.date_text,
                                _status(dated or sources, articles, originals), sorted(dated or sources),
                                [s for s in sentences if s["article"] in (dated or sources)], event.story))
        if event.place:
            placed = {m.article for m in event.mentions if event.place.lower() in m.text.lower()}
            claims.append(Claim(_id("c", event.id, "place"), event.id, "place", event.place,
                                _status(placed or sources, articles, originals), sorted(placed or sources),
                                [s for s in sentences if s["article"] in (placed or sources)], event.story))
        for person in event.participants:
            surname = person.split()[-1].lower()
            naming = {m.article for m in event.mentions if surname in m.text.lower()}
            if naming:
                claims.append(Claim(_id("c", event.id, "participant", person), event.id, "participant", person,
                                    _status(naming, articles, originals), sorted(naming),
                                    [s for s in sentences if s["article"] in naming], event.story))
    return claims


def fact_claims(analyses: dict[str, Analysis], articles: dict[str, Article], originals: dict[str, str],
                stories: dict[str, str]) -> tuple[list[Claim], list[Conflict]]:
    """Values stated by articles, grouped per story and attribute; differing values become conflicts."""
    by_subject: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for article_id, analysis in analyses.items():
        story = stories.get(article_id) or "?"
        sentences = {s.index: s.text for s in analysis.sentences}
        for fact in analysis.facts:
            entry = by_subject[(story, fact.attribute)].setdefault(fact.value, {"articles": set(), "sentences": []})
            entry["articles"].add(article_id)
            entry["sentences"].append({"article": article_id, "sentence": fact.sentence,
                                       "text": sentences.get(fact.sentence, fact.text)})
    claims: list[Claim] = []
    conflicts: list[Conflict] = []
    for (story, attribute), values in by_subject.items():
        ordered = sorted(values.items(), key=lambda kv: _first_seen(kv[1]["articles"], articles))
        contested = len(values) > 1
        for index, (value, entry) in enumerate(ordered):
            status = _status(entry["articles"], articles, originals)
            if contested:
                later = ordered[index + 1:]
                # a value every later report has moved on from is superseded, not contested
                status = "superseded" if later and all(
                    _first_seen(e["articles"], articles) > _last_seen(entry["articles"], articles) for _, e in later
                ) else "contested"
            claims.append(Claim(_id("c", story, attribute, value), f"story:{story}", attribute, value, status,
                                sorted(entry["articles"]), entry["sentences"], None if story == "?" else story))
        if contested:
            conflicts.append(Conflict(
                _id("k", story, attribute), TOPICS.get(attribute, attribute),
                [{"value": v, "articles": sorted(e["articles"])} for v, e in ordered],
                subject=f"story:{story}", attribute=attribute, story=None if story == "?" else story))
    return claims, conflicts


TOPICS = {"plan_points": "number of points in the plan"}


def _first_seen(article_ids: set[str], articles: dict[str, Article]) -> date:
    dates = [articles[a].published for a in article_ids if a in articles and articles[a].published]
    return min(dates) if dates else date.max


def _last_seen(article_ids: set[str], articles: dict[str, Article]) -> date:
    dates = [articles[a].published for a in article_ids if a in articles and articles[a].published]
    return max(dates) if dates else date.min
