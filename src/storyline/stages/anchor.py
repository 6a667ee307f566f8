"""Publication dates for undated articles, from the events they share with dated ones.

An undated article says "Driscoll met Russian officials on Tuesday"; dated
articles in the store report that meeting on a given day.  Each such pair
constrains the publication date to the days against which "Tuesday" resolves
to that day.  The day most of the article's event mentions agree on (and
not before the latest day the text itself names as past) becomes the
article's publication date, marked inferred, and every relative date in the
article is resolved again against it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from ..models import Analysis, Article, Event, EventMention
from .events import event_status
from .eventmerge import KIND
from .resolve import Resolution
from .timex import apply_rule

_DEBUG = False
SEARCH_DAYS = 10  # how far around a matching event a publication date is looked for
# An article that names days outright is published on or soon after the latest of them.
AFTER_LATEST_STATED = 3


def _people(mention: EventMention, article_id: str, resolution: Resolution) -> set[str]:
    people = set()
    for index in mention.participants:
        entity_id = resolution.mention_entity.get((article_id, index))
        if entity_id and resolution.by_id[entity_id].type == "PERSON":
            people.add(entity_id)
    return people


def _place(mention: EventMention, article_id: str, resolution: Resolution) -> str | None:
    if mention.place is None:
        return None
    entity_id = resolution.mention_entity.get((article_id, mention.place))
    return resolution.by_id[entity_id].name if entity_id else None


def infer_anchor(article: Article, analysis: Analysis, events: list[Event], resolution: Resolution,
                 lower_bound: date | None) -> date | None:
    """The publication date that best aligns the article's relative dates with known events.

    The current date wins ties, then the earliest of the best: news is published soon after what it reports.
    """
    by_name = {e.name: e.id for e in resolution.entities}
    votes: Counter = Counter()
    distance: Counter = Counter()  # how far, in total, each candidate sits from the events it explains
    upper_bound = lower_bound + timedelta(days=AFTER_LATEST_STATED) if lower_bound else None
    for mention in analysis.events:
        if not mention.date_rule or mention.date_rule.split("|")[0] not in ("wd", "day", "period"):
            continue
        people = _people(mention, article.id, resolution)
        place = _place(mention, article.id, resolution)
        if not people and not place:
            continue
        for event in events:
            if event.first is None or KIND[event.type] != KIND[mention.type]:
                continue
            if article.id in {m.article for m in event.mentions}:
                continue  # its own mention, dated against a guessed anchor
            shared = people & {by_name.get(p) for p in event.participants}
            same_place = place is not None and place == event.place
            if not shared and not same_place:
                continue
            weight = len(shared) + same_place
            for offset in range(-SEARCH_DAYS, SEARCH_DAYS + 1):
                candidate = event.first + timedelta(days=offset)
                if lower_bound and candidate < lower_bound or upper_bound and candidate > upper_bound:
                    continue
                resolved = apply_rule(mention.date_rule, candidate)
                if resolved and resolved[0] <= event.last and event.first <= resolved[1]:
                    votes[candidate] += weight
                    distance[candidate] += _lag(candidate, event, mention.future)
    if not votes:
        return None
    if _DEBUG:
        print(article.id, lower_bound, sorted(votes.items())[:30])
    best = max(votes.values())
    return min((d for d, v in votes.items() if v == best), key=lambda d: (distance[d], d))


def _lag(candidate: date, event: Event, future: bool) -> float:
    """How unusual a publication day is for the report: news of a past event follows it closely,
    an announcement comes a day or a few before (rarely on the day itself)."""
    if future:
        return (event.first - candidate).days if candidate < event.first else 3.0
    return (candidate - event.last).days if candidate >= event.last else 3.0


def latest_stated_date(analysis: Analysis) -> date | None:
    """The latest day the text names outright (not relative): publication cannot be earlier."""
    days = [t.last for t in analysis.times if (not t.relative or t.rule.startswith("md|")) and t.certain
            and t.first is not None and t.first == t.last]
    return max(days) if days else None


def reanchor(analysis: Analysis, anchor: date, language: str) -> Analysis:
    """Resolve the article's relative dates again against a new publication date."""
    times = tuple(replace(t, first=r[0], last=r[1]) if t.rule and (r := apply_rule(t.rule, anchor)) else t
                  for t in analysis.times)
    events = []
    for mention in analysis.events:
        if mention.date_rule:
            resolved = apply_rule(mention.date_rule, anchor)
            first, last = resolved if resolved else (None, None)
            status = mention.status if mention.status == "cancelled" else event_status(
                "", language, first, anchor, future=mention.future)
            mention = replace(mention, first=first, last=last, status=status)
        events.append(mention)
    return replace(analysis, times=times, events=tuple(events))
