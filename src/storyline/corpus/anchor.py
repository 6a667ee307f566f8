"""Publication dates for undated articles, from the events they share with dated ones.

An undated article says "Vasse met Valdorian officials on Tuesday"; dated
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

from storyline.article.date_rules import apply_rule, rule_kind
from storyline.article.events import event_status
from storyline.corpus.event_merge import KIND
from storyline.corpus.resolve import Resolution
from storyline.models import Analysis, Article, Event, EventMention

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
    Candidate days are voted for by the article's event mentions (``_day_votes``), first by
    meetings and calls alone; the lede's relative day then adds to each candidate's distance
    (``_add_lede_distance``).
    """
    by_name = {e.name: e.id for e in resolution.entities}
    bounds = (lower_bound, lower_bound + timedelta(days=AFTER_LATEST_STATED) if lower_bound else None)
    # people make statements every day: a statement matches too much to place an article,
    # unless nothing else does
    for kinds in (ANCHORING_KINDS, ()):
        votes, distance = _day_votes(article, analysis, events, resolution, by_name, bounds, kinds)
        if votes:
            break
    if not votes:
        return None
    lede = _lede_rule(analysis)
    if lede:
        _add_lede_distance(lede, votes, distance)
    if _DEBUG:
        print(article.id, lower_bound, lede, sorted(votes.items())[:30])
    best = max(votes.values())
    return min((d for d, v in votes.items() if v == best), key=lambda d: (distance[d], d))


def _can_anchor(mention: EventMention, kinds: tuple[str, ...]) -> bool:
    """Only a weekday, a relative day or a period ("on Tuesday", "yesterday", "last week") moves with
    the publication date, so only such a mention can place it; and only of ``kinds`` (any when empty)."""
    if not mention.date_rule or rule_kind(mention.date_rule) not in ("wd", "day", "period"):
        return False
    return not kinds or KIND[mention.type] in kinds


def _day_votes(article: Article, analysis: Analysis, events: list[Event], resolution: Resolution,
               by_name: dict[str, str], bounds: tuple[date | None, date | None],
               kinds: tuple[str, ...]) -> tuple[Counter, Counter]:
    """Votes for candidate publication days and how far, in total, each candidate sits from the
    events it explains.  A mention that names people or a place votes once per candidate day, with
    the weight of the event it explains best there (``_best_matches``)."""
    votes: Counter = Counter()
    distance: Counter = Counter()
    for mention in analysis.events:
        if not _can_anchor(mention, kinds):
            continue
        people = _people(mention, article.id, resolution)
        place = _place(mention, article.id, resolution)
        if not people and not place:
            continue
        for candidate, (weight, lag) in _best_matches(article.id, mention, people, place, events, by_name,
                                                      bounds).items():
            votes[candidate] += weight
            distance[candidate] += lag
    return votes, distance


def _match_weight(event: Event, mention: EventMention, people: set[str], place: str | None, article_id: str,
                  by_name: dict[str, str]) -> int:
    """How well a known event can be the one the mention reports: the people they share, plus one for
    the same place; 0 for an event of another kind, without a date, or that the article itself
    reports (its own mention, dated against a guessed anchor)."""
    if event.first is None or KIND[event.type] != KIND[mention.type]:
        return 0
    if article_id in {m.article for m in event.mentions}:
        return 0  # its own mention, dated against a guessed anchor
    shared = people & {by_name.get(p) for p in event.participants}
    same_place = place is not None and place == event.place
    return len(shared) + same_place


def _candidate_days(first: date, bounds: tuple[date | None, date | None]) -> list[date]:
    """The days within ``SEARCH_DAYS`` of an event that the bounds allow as publication dates."""
    lower_bound, upper_bound = bounds
    days = []
    for offset in range(-SEARCH_DAYS, SEARCH_DAYS + 1):
        candidate = first + timedelta(days=offset)
        if lower_bound and candidate < lower_bound or upper_bound and candidate > upper_bound:
            continue
        days.append(candidate)
    return days


def _best_matches(article_id: str, mention: EventMention, people: set[str], place: str | None,
                  events: list[Event], by_name: dict[str, str],
                  bounds: tuple[date | None, date | None]) -> dict[date, tuple[int, float]]:
    """Per candidate day against which the mention's relative date lands on a matching event, the
    (weight, lag) of the best such event: the most shared, then the least unusual lag (``_lag``)."""
    best_here: dict[date, tuple[int, float]] = {}
    for event in events:
        weight = _match_weight(event, mention, people, place, article_id, by_name)
        if not weight:
            continue
        for candidate in _candidate_days(event.first, bounds):
            resolved = apply_rule(mention.date_rule, candidate)
            if resolved and resolved[0] <= event.last and event.first <= resolved[1]:
                lag = _lag(candidate, event, mention.future)
                if _DEBUG:
                    print(article_id, "VOTE", candidate, mention.date_rule, mention.type, weight, event.first,
                          event.participants, event.place)
                held = best_here.get(candidate)
                if held is None or (weight, -lag) > (held[0], -held[1]):
                    best_here[candidate] = (weight, lag)
    return best_here


def _add_lede_distance(lede: str, votes: Counter, distance: Counter) -> None:
    """News leads with what happened that day or the day before ("Vasse met officials on
    Tuesday"): a candidate against which the lede's day lies further back is less likely."""
    for candidate in votes:
        resolved = apply_rule(lede, candidate)
        if resolved:
            distance[candidate] += min(abs((candidate - resolved[1]).days), SEARCH_DAYS)


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
    days = [t.last for t in analysis.times if (not t.relative or rule_kind(t.rule) in ("md", "mdw")) and t.certain
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
