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
from .eventmerge import KIND
from .events import event_status
from .resolve import Resolution
from .timex import apply_rule, rule_kind

_DEBUG = False
SEARCH_DAYS = 10  # how far around a matching event a publication date is looked for
# An article that names days outright is published on or soon after the latest of them.
AFTER_LATEST_STATED = 3
ANCHORING_KINDS = ("encounter", "call")


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
    # people make statements every day: a statement matches too much to place an article,
    # unless nothing else does
    for kinds in (ANCHORING_KINDS, ()):
        for mention in analysis.events:
            if not mention.date_rule or rule_kind(mention.date_rule) not in ("wd", "day", "period"):
                continue
            if kinds and KIND[mention.type] not in kinds:
                continue
            people = _people(mention, article.id, resolution)
            place = _place(mention, article.id, resolution)
            if not people and not place:
                continue
            # each mention votes once per candidate day, for the event it explains best there
            best_here: dict[date, tuple[int, float]] = {}
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
                        lag = _lag(candidate, event, mention.future)
                        if _DEBUG:
                            print(article.id, "VOTE", candidate, mention.date_rule, mention.type, weight, event.first,
                                  event.participants, event.place)
                        held = best_here.get(candidate)
                        if held is None or (weight, -lag) > (held[0], -held[1]):
                            best_here[candidate] = (weight, lag)
            for candidate, (weight, lag) in best_here.items():
                votes[candidate] += weight
                distance[candidate] += lag
        if votes:
            break
    if not votes:
        return None
    lede = _lede_rule(analysis)
    if lede:
        # news leads with what happened that day or the day before: "Driscoll met officials on Tuesday"
        for candidate in votes:
            resolved = apply_rule(lede, candidate)
            if resolved:
                distance[candidate] += min(abs((candidate - resolved[1]).days), SEARCH_DAYS)
    if _DEBUG:
        print(article.id, lower_bound, lede, sorted(votes.items())[:30])
    best = max(votes.values())
    return min((d for d, v in votes.items() if v == best), key=lambda d: (distance[d], d))


def _lede_rule(analysis: Analysis) -> str | None:
    """The relative day ("on Tuesday", "yesterday") of the article's first sentence, if it has one
    (as its event reads it: a past-tense verb turns a weekday backwards)."""
    for mention in analysis.events:
        if mention.sentence == 0 and mention.date_rule and rule_kind(mention.date_rule) in ("wd", "day"):
            return mention.date_rule
    for t in analysis.times:
        if t.sentence == 0 and t.rule and rule_kind(t.rule) in ("wd", "day"):
            return t.rule
    return None


def _lag(candidate: date, event: Event, future: bool) -> float:
    """How unusual a publication day is for the report: news of a past event follows it closely,
    an announcement comes a day or a few before (rarely on the day itself)."""
    if future:
        return (event.first - candidate).days if candidate < event.first else 3.0
    return (candidate - event.last).days if candidate >= event.last else 3.0


def latest_stated_date(analysis: Analysis) -> date | None:
    """The latest day the text names outright (not relative): publication cannot be earlier."""
    days = [t.last for t in analysis.times if (not t.relative or rule_kind(t.rule) == "md") and t.certain
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
