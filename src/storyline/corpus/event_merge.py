"""Merge event mentions from many articles into events.

Mentions are grouped by kind (meetings and visits together, calls, and each
other type alone) and blocked by date, so no two mentions far apart in time
are ever compared.  A dated mention joins an event when the dates overlap and
the two share a participant or a place, and no two different cities stand
between them; otherwise it opens an event.  A mention without a day of its own
("the talks were productive", "Dunca thanked Vrastek for the meeting") joins an
event only through an explicit link inside its own article: a dated report of
that event a few sentences away, with no one and no place the event lacks
(``_linked_in_article``) -- never by names it shares with other articles.
An event's date is the one most of its mentions give; its sources count each
outlet once and never a syndicated copy, and its confidence comes from its
evidence (``_confidence``).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from storyline.article.events import possessive_modifier, speaker_at
from storyline.common.gazetteer import compatible, gazetteer
from storyline.corpus.resolve import Resolution
from storyline.corpus.summaries import summary as one_line
from storyline.models import Analysis, Article, Event, EventMention, EventSource

VERSION = "eventmerge-6"
KIND = {"meeting": "encounter", "visit": "encounter", "call": "call", "statement": "statement",
        "proposal": "proposal", "agreement": "agreement"}
_HEDGED = re.compile(r"\b(?:could|might|may|possibly|perhaps)\b", re.IGNORECASE)
IN_ARTICLE_REACH = 4  # sentences: an undated report joins a dated one of its own article this close
ROUND_GAP_DAYS = 2  # reports of one multi-day round ("a third straight day of talks") lie this close
MAX_SPAN_DAYS = 10  # a dated mention spanning more than this is a window, not a date
WINDOW_AFTER_PUBLICATION = 14  # an undated "will meet" looks this far ahead
WINDOW_BEFORE_PUBLICATION = 21  # an undated "met" looks this far back


@dataclass
class _Item:
    article: str
    mention: EventMention
    kind: str
    first: date | None
    last: date | None
    dated: bool
    people: frozenset[str]
    place: str | None  # entity id
    place_kind: str  # city/state/country/...
    story: str | None
    outlet: str
    original: str  # the article this one copies, or itself
    published: date | None
    parties: tuple[str, ...] = ()
    date_basis: str = "none"  # see EventSource.date_basis
    published_known: bool = True  # the publication date is the article's own, not inferred
    # joined through what it names (``_matched_cluster``), not through its article: it supports the
    # event's record but is no independent source of it
    matched: bool = False


@dataclass
class _Cluster:
    kind: str
    items: list[_Item] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    people: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    # whether any item is a dated visit of several days, a dated meeting of two or more on one day
    # (``_visit_and_meeting``): kept as items arrive, not searched for at every comparison
    visit_days: bool = False
    meeting_day: bool = False

    def attach(self, item: _Item) -> None:
        """An item that changes neither the cluster's dates nor its people (a report joined by a link)."""
        self.items.append(item)
        self.visit_days = self.visit_days or _multi_day_visit(item)
        self.meeting_day = self.meeting_day or _one_day_meeting(item)

    def add(self, item: _Item) -> None:
        self.attach(item)
        if item.dated:
            self.first = item.first if self.first is None else min(self.first, item.first)
            self.last = item.last if self.last is None else max(self.last, item.last)
        # a frozenset iterates in string-hash order, which differs per process (PYTHONHASHSEED)
        self.people.update(sorted(item.people))
        if item.place:
            self.places[item.place] += 1


def _overlaps(a_first: date, a_last: date, b_first: date, b_last: date, slack: int = 0) -> bool:
    return a_first <= b_last + timedelta(days=slack) and b_first <= a_last + timedelta(days=slack)


def _place_kind(resolution: Resolution, entity_id: str | None) -> str:
    if not entity_id:
        return ""
    entity = resolution.by_id.get(entity_id)
    if entity is None or not entity.external_id:
        return "unknown"
    place = gazetteer().places.get(entity.external_id)
    return place.kind if place else "unknown"


def _items(articles: dict[str, Article], analyses: dict[str, Analysis], resolution: Resolution,
           stories: dict[str, str], originals: dict[str, str]) -> list[_Item]:
    items = []
    for article_id, analysis in analyses.items():
        article = articles.get(article_id)
        if article is None:
            continue
        sentence_starts = {s.index: s.start for s in analysis.sentences}
        known: dict[int, list[tuple[int, object]]] = defaultdict(list)  # sentence -> names the scan found
        for index, name in enumerate(analysis.mentions):
            if name.source == "known":
                known[name.sentence].append((index, name))
        for mention in analysis.events:
            people = set()
            candidates = list(mention.participants) + _found_later(analysis, mention, sentence_starts, known)
            for index in candidates:
                entity_id = resolution.mention_entity.get((article_id, index))
                entity = resolution.by_id.get(entity_id) if entity_id else None
                if entity is not None and entity.type == "PERSON":
                    people.add(entity.id)
            place = None
            if mention.place is not None:
                entity_id = resolution.mention_entity.get((article_id, mention.place))
                entity = resolution.by_id.get(entity_id) if entity_id else None
                if entity is not None and entity.type == "PLACE":
                    place = entity.id
            dated = bool(mention.first and mention.last and mention.date_certain
                         and (mention.last - mention.first).days <= MAX_SPAN_DAYS)
            parties = set(mention.parties)
            for person in people:
                side = resolution.by_id[person].affiliation
                if side:
                    parties.add(side)
            items.append(_Item(article_id, mention, KIND[mention.type], mention.first, mention.last, dated,
                               frozenset(people), place, _place_kind(resolution, place), stories.get(article_id),
                               article.outlet or article_id, originals.get(article_id, article_id), article.published,
                               tuple(sorted(parties)), date_basis(mention, article),
                               article.published_source not in ("inferred", "unknown")))
    items.sort(key=lambda i: (i.first or date.max, i.article, i.mention.sentence))
    return items


def date_basis(mention: EventMention, article: Article) -> str:
    """What the mention's date stands on, for readers: as the analysis read it, with a relative date
    marked ``relative_inferred`` when the article's publication date was itself inferred."""
    if not (mention.first and mention.last):
        return "none"
    basis = mention.date_basis or "none"  # the analysis gives a basis to every date and re-anchorable rule
    if basis == "relative" and article.published_source in ("inferred", "unknown"):
        return "relative_inferred"
    return basis


def _gazetteer_place(resolution: Resolution, entity_id: str):
    entity = resolution.by_id.get(entity_id)
    if entity is None or not entity.external_id:
        return None
    return gazetteer().places.get(entity.external_id)


def _places_agree(a: str, b: str, resolution: Resolution) -> bool:
    """The same venue, or one inside or next to the other (Los Angeles / Santa Monica / California)."""
    if a == b:
        return True
    pa, pb = _gazetteer_place(resolution, a), _gazetteer_place(resolution, b)
    return bool(pa and pb and compatible(pa, pb))


def _other_sides(cluster: _Cluster, item: _Item, resolution: Resolution) -> bool:
    """The same envoys meeting a different counterpart: Ebbing with Varga (Valdoria) is not
    Ebbing with Holmsen (Kestland), even on the same day in the same city."""
    def sides(people) -> set[str]:
        return {resolution.by_id[p].affiliation for p in people
                if p in resolution.by_id and resolution.by_id[p].affiliation}

    shared = set(cluster.people) & item.people
    mine, theirs = sides(item.people - shared), sides(set(cluster.people) - shared)
    return bool(mine and theirs and not mine & theirs and not (mine | theirs) <= sides(shared))


def _found_later(analysis: Analysis, mention: EventMention, sentence_starts: dict[int, int],
                 known: dict[int, list] | None = None) -> list[int]:
    """Names the corpus scan found in the event's sentence after the model missed them.

    ``known``: those names by sentence, (index, mention) in order (a scan of all the article's names
    for each of its events was quadratic in an article of many)."""
    start = sentence_starts.get(mention.sentence)
    if start is None or mention.type not in ("meeting", "visit", "call"):
        return []
    found = []
    if known is None:
        known = {mention.sentence: [(i, m) for i, m in enumerate(analysis.mentions) if m.source == "known"
                                    and m.sentence == mention.sentence]}
    for index, name in known.get(mention.sentence, ()):
        if name.source != "known" or name.sentence != mention.sentence or index in mention.participants:
            continue
        offset = name.start - start
        if (possessive_modifier(mention.sentence_text, offset, name, "en")
                or speaker_at(mention.sentence_text, offset, name)):
            continue
        found.append(index)
    return found


def _compatible(cluster: _Cluster, item: _Item, resolution: Resolution) -> int:
    """A score > 0 when the item can join the cluster: shared people and places, no clash of places."""
    shared = len(set(cluster.people) & item.people)
    same_place = bool(item.place and any(_places_agree(item.place, p, resolution) for p in cluster.places))
    if item.place and cluster.places and not same_place:
        known = [p for p in cluster.places if _gazetteer_place(resolution, p)]
        if _gazetteer_place(resolution, item.place) and known:
            return 0  # Vienna and Los Angeles on the same day are two events
    if item.people and cluster.people and not shared and not same_place:
        return 0
    if len(item.people) >= 2 and len(cluster.people) >= 2 and shared < 2:
        return 0  # a meeting is its pair: "A met B" and "B met C" on one day are two meetings
    if _other_sides(cluster, item, resolution) or _visit_and_meeting(cluster, item):
        return 0
    if not shared and not same_place:
        if item.people or item.place:
            return 0
        # nothing to tell them apart but the day: join only within the same story
        stories = {i.story for i in cluster.items}
        return 1 if item.story in stories and len(cluster.items) else 0
    return 2 * shared + 2 * same_place + 1


def _multi_day_visit(item: _Item) -> bool:
    """Whether the item is a dated visit of several days."""
    return item.dated and item.mention.type == "visit" and item.last > item.first


def _one_day_meeting(item: _Item) -> bool:
    """Whether the item is a dated meeting of two people or more on one day."""
    return item.dated and item.mention.type == "meeting" and item.last == item.first and len(item.people) >= 2


def _visit_and_meeting(cluster: _Cluster, item: _Item) -> bool:
    """A visit of several days and a meeting on one of its days are two happenings ("a three-day state
    visit" and "met on Thursday"): the sources keep them apart, so does the record."""
    if not item.dated:
        return False
    return (cluster.visit_days and _one_day_meeting(item)) or (cluster.meeting_day and _multi_day_visit(item))


class _DayIndex:
    """Cluster positions by kind and day, so an item is compared only with clusters near it in time."""

    def __init__(self) -> None:
        self.by_kind_day: dict[tuple[str, date], list[int]] = defaultdict(list)

    def near(self, kind: str, first: date, last: date) -> set[int]:
        """The clusters of ``kind`` indexed on any day from ``first`` to ``last``."""
        found = set()
        day = first
        while day <= last:
            found.update(self.by_kind_day.get((kind, day), []))
            day += timedelta(days=1)
        return found

    def add(self, ci: int, kind: str, first: date, last: date) -> None:
        day = first
        while day <= last:
            if ci not in self.by_kind_day[(kind, day)]:
                self.by_kind_day[(kind, day)].append(ci)
            day += timedelta(days=1)


def merge_events(articles: dict[str, Article], analyses: dict[str, Analysis], resolution: Resolution,
                 stories: dict[str, str], originals: dict[str, str]) -> list[Event]:
    """The corpus's events, merged from the event mentions of all its articles (see the module docstring).

    Dated mentions go first, in date order: each joins the best compatible cluster near it in time or
    opens one (``_cluster_dated``).  Mentions without a usable date, and bare dated ones with nobody
    and no place named, then join the dated cluster they fit best (``_attach_leftovers``).  Clusters
    that arrival order kept apart are joined (``_merge_clusters``), and each cluster becomes an event,
    marked thin when it says too little to be a timeline entry (``_substantial``).
    """
    items = _items(articles, analyses, resolution, stories, originals)
    clusters, index, leftovers = _cluster_dated(items, resolution)
    _attach_leftovers(leftovers, clusters, index, resolution)
    clusters = _merge_clusters(clusters, resolution)
    events = []
    for cluster in clusters:
        event = _to_event(cluster, resolution, articles)
        event.thin = not _substantial(cluster, resolution)
        events.append(event)
    return events


def _cluster_dated(items: list[_Item], resolution: Resolution) -> tuple[list[_Cluster], _DayIndex, list[_Item]]:
    """The first pass, over the dated items in order: each joins its best cluster
    (``_best_dated_cluster``) or opens one.  Returns the clusters, their day index and the items left
    for the second pass, in order: the undated ones, and a bare dated "the parties will meet on
    Saturday", which should rather join a round reported elsewhere than open one."""
    clusters: list[_Cluster] = []
    index = _DayIndex()
    leftovers: list[_Item] = []
    for item in items:
        if not item.dated:
            leftovers.append(item)
            continue
        best = _best_dated_cluster(item, clusters, index, resolution)
        if best is None:
            if not item.people and not item.place and item.kind in ("encounter", "call"):
                leftovers.append(item)  # a bare "the parties will meet on Saturday": attach later if it fits
                continue
            clusters.append(_Cluster(item.kind))
            best = len(clusters) - 1
        clusters[best].add(item)
        index.add(best, clusters[best].kind, clusters[best].first, clusters[best].last)
    return clusters, index, leftovers


def _best_dated_cluster(item: _Item, clusters: list[_Cluster], index: _DayIndex, resolution: Resolution) -> int | None:
    """The cluster a dated item joins: among those within ``ROUND_GAP_DAYS`` of it, the best scoring
    (``_compatible``) of those its dates overlap or whose round it continues (``_continues_round``)."""
    best, best_score, ties = None, 0, 0
    for ci in sorted(index.near(item.kind, item.first - timedelta(days=ROUND_GAP_DAYS),
                                item.last + timedelta(days=ROUND_GAP_DAYS))):
        cluster = clusters[ci]
        if (not _overlaps(cluster.first, cluster.last, item.first, item.last)
                and not _continues_round(cluster, item, resolution)):
            continue
        score = _compatible(cluster, item, resolution)
        if score > best_score:
            best, best_score, ties = ci, score, 1
        elif score == best_score and score > 0:
            ties += 1
    if ties > 1 and not item.people and not item.place:
        return None  # a report naming nobody and no place fits two events of its day: it joins neither
    return best


def _continues_round(cluster: _Cluster, item: _Item, resolution: Resolution) -> bool:
    """An encounter on a day next to the cluster's continues its round when it is at the same city
    (with a shared person, or nobody named), or when its report names two of the cluster's people and
    is one of the cluster's reports: "met on Dec 4 ... meet again on Dec 5"."""
    adjacent = (_overlaps(cluster.first, cluster.last, item.first, item.last, slack=ROUND_GAP_DAYS)
                and item.kind == "encounter")
    if not adjacent:
        return False
    same_city = item.place and item.place_kind in ("city", "unknown") and any(
        _places_agree(item.place, p, resolution) for p in cluster.places) and (
        bool(item.people & set(cluster.people)) or not item.people)
    same_report = (len(item.people & set(cluster.people)) >= 2
                   and item.article in {i.article for i in cluster.items})
    return bool(same_city or same_report)


def _attach_leftovers(leftovers: list[_Item], clusters: list[_Cluster], index: _DayIndex,
                      resolution: Resolution) -> None:
    """The second pass: a leftover without a date joins the cluster its own article links it to
    (``_linked_in_article``); a bare dated one the dated cluster it fits best within its time window
    (``_best_leftover_cluster``); neither changes the cluster's dates or people.  Else it opens a
    cluster of its own if it names somebody or a place or has a date.  Such new clusters are not
    indexed: a later leftover never joins another leftover."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for ci, cluster in enumerate(clusters):
        for article in {i.article for i in cluster.items}:
            by_article[article].append(ci)
    for item in leftovers:
        if item.first and item.last:  # a date of its own, if a vague one ("on Sunday", "in early December")
            best = _best_leftover_cluster(item, clusters, index, resolution)
        else:
            best = _linked_in_article(item, clusters, by_article.get(item.article, []), resolution)
            if best is not None:
                clusters[best].people.update(sorted(item.people - set(clusters[best].people)))
            if best is None:
                best = _matched_cluster(item, clusters, index, resolution)
                if best is not None:
                    item.matched = True
                    if item.place and not clusters[best].places:
                        clusters[best].places[item.place] += 1  # the place this sentence states
        if best is not None:
            clusters[best].attach(item)
            continue
        if item.people or item.place or item.dated:
            # a dated report with nobody named stays, thin, for cross-checking dates
            cluster = _Cluster(item.kind)
            cluster.add(item)
            clusters.append(cluster)


def _linked_in_article(item: _Item, clusters: list[_Cluster], candidates: list[int],
                       resolution: Resolution) -> int | None:
    """The cluster an undated mention's own article ties it to: one holding a dated report of the same
    kind from this article within ``IN_ARTICLE_REACH`` sentences ("They met in Saltmere on Monday. The
    talks lasted five hours."), when the mention names nobody and no place the cluster lacks and
    clashes with it in nothing (``_compatible``).  The nearest such report wins.  Names shared with
    other articles never link: that is how unrelated sentences once made phantom events."""
    best, best_key = None, None
    for ci in candidates:
        cluster = clusters[ci]
        if cluster.kind != item.kind:
            continue
        # a report of what happened never links to the announcement of what will ("will reconvene tomorrow")
        distances = [abs(i.mention.sentence - item.mention.sentence) for i in cluster.items
                     if i.article == item.article and i.dated and i is not item
                     and (i.mention.status == "scheduled") == (item.mention.status == "scheduled")]
        if not distances or min(distances) > IN_ARTICLE_REACH:
            continue
        same_place = bool(item.place and any(_places_agree(item.place, p, resolution) for p in cluster.places))
        if item.place and not same_place:
            continue
        # it may name people the event lacks ("the talks were attended by A and B") when it shares one of
        # its people or its place: they are the event's, stated by a sentence of the same report
        if not (item.people <= set(cluster.people) or item.people & set(cluster.people) or same_place):
            continue
        if (item.people or item.place) and not _compatible(cluster, item, resolution):
            continue
        key = (min(distances), -len(item.people & set(cluster.people)))
        if best_key is None or key < best_key:
            best, best_key = ci, key
    return best


MATCH_BEFORE_PUBLICATION = 3  # days: an undated "met" in the news is a report of the last few days
MATCH_AFTER_PUBLICATION = 14  # days: an undated "will meet" looks this far ahead


def _matched_cluster(item: _Item, clusters: list[_Cluster], index: _DayIndex,
                     resolution: Resolution) -> int | None:
    """The one dated encounter or call of the item's story that an undated report names fully: two of
    its people (or one and its city), nobody and no place it lacks, on a day in the report's window
    (the last few days before a "met", the next two weeks after a "will meet", on a publication date
    of the article's own).  Such a report ("Hrodna and Vrastek held talks in Saltmere", published the next
    day) supports the event's record without counting as a source of its date or as an independent
    source; with two candidates it joins neither."""
    if item.kind not in ("encounter", "call") or not item.people or not item.published_known or not item.published:
        return None
    if item.mention.status == "scheduled":
        window = (item.published, item.published + timedelta(days=MATCH_AFTER_PUBLICATION))
    else:
        window = (item.published - timedelta(days=MATCH_BEFORE_PUBLICATION), item.published)
    fits = []
    for ci in sorted(index.near(item.kind, *window)):
        cluster = clusters[ci]
        if item.story is None or item.story not in {i.story for i in cluster.items}:
            continue
        if not item.people <= set(cluster.people):
            continue
        same_place = bool(item.place and any(_places_agree(item.place, p, resolution) for p in cluster.places))
        if item.place and cluster.places and not same_place:
            continue
        city = same_place and item.place_kind in ("city", "unknown")
        if len(item.people) >= 2 or city:
            fits.append(ci)
    if len(fits) > 1 and _one_happening([clusters[ci] for ci in fits], resolution):
        # two reports of one day that arrival order kept apart (merged later): the fullest stands for them
        return max(fits, key=lambda ci: (len(clusters[ci].items), -ci))
    return fits[0] if len(fits) == 1 else None


def _one_happening(candidates: list[_Cluster], resolution: Resolution) -> bool:
    """Whether clusters are one happening's: the same days, and places that agree where both have one."""
    days = {(c.first, c.last) for c in candidates}
    if len(days) != 1:
        return False
    places = [p for c in candidates for p in c.places]
    return all(_places_agree(a, b, resolution) for a, b in combinations(places, 2))


def _best_leftover_cluster(item: _Item, clusters: list[_Cluster], index: _DayIndex,
                           resolution: Resolution) -> int | None:
    """The best scoring cluster in the item's window (``_window``) that it fits strongly
    (``_fits_strongly``); None without a window."""
    window = _window(item)
    best, best_score, ties = None, 0, 0
    if window:
        for ci in sorted(index.near(item.kind, *window)):
            cluster = clusters[ci]
            score = _compatible(cluster, item, resolution)
            if not _fits_strongly(cluster, item, score):
                continue
            if score > best_score:
                best, best_score, ties = ci, score, 1
            elif score == best_score:
                ties += 1
    if ties > 1 and not item.people and not item.place:
        return None  # fits two events equally and names nothing to choose: joins neither
    return best


def _fits_strongly(cluster: _Cluster, item: _Item, score: int) -> bool:
    """A mention without a day is too vague to join on one shared name: it takes two shared people,
    or one and the place; a dated item, or a bare one with a date, needs only to be compatible."""
    shared = len(set(cluster.people) & item.people)
    same_place = bool(item.place and item.place in cluster.places)
    return bool(shared >= 2 or (shared >= 1 and same_place) or (item.dated and score > 0) or (
        not item.people and not item.place and score > 0 and item.first is not None))


def _merge_clusters(clusters: list[_Cluster], resolution: Resolution) -> list[_Cluster]:
    """Join clusters that arrival order kept apart: "talks in Saltmere on Monday" (a place, no names)
    and "Dunca met Vrastek on Monday" (names, no place) are the same round once a third report
    gives both.  Blocked by kind and day like the first pass."""
    merged = True
    while merged:
        merged = False
        by_day: dict[tuple[str, date], list[int]] = defaultdict(list)
        for index, cluster in enumerate(clusters):
            if cluster.first is None:
                continue
            day = cluster.first
            while day <= cluster.last:
                by_day[(cluster.kind, day)].append(index)
                day += timedelta(days=1)
        gone: set[int] = set()
        for indices in by_day.values():
            for a_pos, a in enumerate(indices):
                for b in indices[a_pos + 1:]:
                    if a in gone or b in gone or a == b:
                        continue
                    if _clusters_agree(clusters[a], clusters[b], resolution):
                        for item in clusters[b].items:
                            clusters[a].add(item)
                        gone.add(b)
                        merged = True
        clusters = [c for i, c in enumerate(clusters) if i not in gone]
    return clusters


def _clusters_agree(a: _Cluster, b: _Cluster, resolution: Resolution) -> bool:
    if (a.visit_days and b.meeting_day) or (a.meeting_day and b.visit_days):
        return False  # see _visit_and_meeting
    shared = set(a.people) & set(b.people)
    if len(a.people) >= 2 and len(b.people) >= 2 and len(shared) < 2:
        return False  # two pairs that share one person are two meetings (see _compatible)
    places_a, places_b = set(a.places), set(b.places)
    same_place = any(_places_agree(x, y, resolution) for x in places_a for y in places_b)
    known = lambda places: [p for p in places if _gazetteer_place(resolution, p)]  # noqa: E731
    if places_a and places_b and not same_place and known(places_a) and known(places_b):
        return False
    probe = _Item("", b.items[0].mention, b.kind, b.first, b.last, True, frozenset(b.people),
                  None, "", None, "", "", None)
    if _other_sides(a, probe, resolution):
        return False
    # one side brings the names, the other the place, and no third report contradicts it
    return bool(shared) and (same_place or not (places_a and places_b)) or same_place and not (a.people and b.people)


def _substantial(cluster: _Cluster, resolution: Resolution) -> bool:
    """An encounter needs two people, or one and a place, unless several articles report it:
    "Vrastek held several closed-door meetings" alone says too little to be a timeline entry."""
    if not cluster.people and cluster.kind in ("encounter", "call"):
        # nobody named: a round with a venue ("talks in Vienna", "negotiations in California"), not
        # "a meeting in Russia"
        return any(_place_kind(resolution, p) not in ("country", "") for p in cluster.places)
    # several reports make it a timeline entry, but a copy is no other report
    if cluster.kind not in ("encounter", "call") or len({i.original for i in cluster.items if not i.matched}) >= 2:
        return True
    people = len(cluster.people)
    return (people >= 2 or (people >= 1 and bool(cluster.places))
            or (cluster.kind == "encounter" and bool(cluster.places)))


def _window(item: _Item) -> tuple[date, date] | None:
    if item.first and item.last:
        return item.first, item.last
    if item.published is None:
        return None
    if item.mention.status == "scheduled":
        return item.published, item.published + timedelta(days=WINDOW_AFTER_PUBLICATION)
    return item.published - timedelta(days=WINDOW_BEFORE_PUBLICATION), item.published


def _event_date(cluster: _Cluster) -> tuple[date | None, date | None]:
    dated = [i for i in cluster.items if i.dated]
    if not dated:
        return None, None
    # a day only floated ("talks could continue on Monday") neither dates nor stretches the round
    dated = [i for i in dated
             if i.mention.status != "scheduled" or not _HEDGED.search(i.mention.sentence_text)] or dated
    spans = Counter((i.first, i.last) for i in dated)
    (first, last), count = max(spans.items(), key=lambda kv: (kv[1], (kv[0][1] - kv[0][0]).days, kv[0]))
    # consecutive days reported of one round ("met on Dec 4 ... met again on Dec 5"): the whole span
    days: set[date] = set()
    for i in dated:
        if (i.last - i.first).days <= 3:
            days.update(i.first + timedelta(days=n) for n in range((i.last - i.first).days + 1))
    if len(days) > 1 and (max(days) - min(days)).days <= ROUND_GAP_DAYS + 1:
        return min(days), max(days)
    return first, last


def _status(cluster: _Cluster, first: date | None) -> str:
    statuses = Counter(i.mention.status for i in cluster.items)
    if statuses.get("cancelled") and not any(
            i.mention.status == "happened" and i.published and first and i.published > first for i in cluster.items):
        return "cancelled"
    if any(i.mention.status == "happened" and (first is None or i.published is None or i.published >= first)
           for i in cluster.items):
        return "happened"
    if statuses.get("scheduled"):
        return "scheduled"
    return "unknown"


def _to_event(cluster: _Cluster, resolution: Resolution, articles: dict[str, Article]) -> Event:
    """The event a cluster of mentions describes: its date (``_event_date``), commonest type, people
    (most mentioned first), place (``_event_place``), parties (``_event_parties``), one source per
    sentence (``_event_sources``), independent outlets (``_independent_outlets``), what each source
    said of its place, date and ordinal (``_event_reports``), and an id (``_event_id``)."""
    first, last = _event_date(cluster)
    types = Counter(i.mention.type for i in cluster.items)
    type_ = max(types, key=lambda t: (types[t], t == "meeting"))
    people = [pid for pid, _ in cluster.people.most_common()]
    participants = [resolution.by_id[p].name for p in people if p in resolution.by_id]
    place = _event_place(cluster, resolution)
    parties = _event_parties(cluster, people, resolution)
    sources = _event_sources(cluster)
    independent = _independent_outlets(cluster, articles)
    stories = Counter(i.story for i in cluster.items if i.story)
    plovers = Counter(i.mention.plover for i in cluster.items if i.mention.plover)
    place_reports, date_reports, ordinal_reports = _event_reports(cluster, resolution)
    status = _status(cluster, first)
    # an encounter reads as what the sources agree on ("A and B met in C"); a statement, proposal or
    # agreement as its shortest source sentence, which says more than "A made a statement"
    summary = (_summary(type_, participants, place, first, last, cluster)
               if type_ in ("statement", "proposal", "agreement")
               else one_line(type_, participants, place, first, last, status))
    ident = _event_id(cluster, first, people, place)
    return Event(ident, type_, plovers.most_common(1)[0][0] if plovers else "", first, last,
                 status, place, participants, parties, summary, sources,
                 independent_sources=independent, story=stories.most_common(1)[0][0] if stories else None,
                 place_reports=place_reports, date_reports=date_reports, ordinal_reports=ordinal_reports,
                 confidence=_confidence(cluster, first, last, articles))


def _event_place(cluster: _Cluster, resolution: Resolution) -> str | None:
    """The most precise place reported (a city before a state before a country), then the most
    reported: "talks in Vienna" says more than "talks in Austria".  Of two cities next to each other
    (a big city and the smaller one beside it where the talks were), the smaller says more."""
    if not cluster.places:
        return None
    ranked = sorted(cluster.places.items(), key=lambda kv: (
        {"city": 3, "unknown": 2, "state": 1, "country": 0}.get(_place_kind(resolution, kv[0]), 1), kv[1]),
        reverse=True)
    best = ranked[0][0]
    chosen = _gazetteer_place(resolution, best)
    if chosen is not None and chosen.kind == "city":
        for other, _ in ranked[1:]:
            place = _gazetteer_place(resolution, other)
            if (place is not None and place.kind == "city" and place.population < chosen.population
                    and _places_agree(best, other, resolution)):
                best, chosen = other, place
    return resolution.by_id[best].name


def _event_parties(cluster: _Cluster, people: list[str], resolution: Resolution) -> list[str]:
    """The sides involved, in order of first appearance: those the mentions name, then the
    affiliations of the people (most mentioned first)."""
    parties: list[str] = []
    for item in cluster.items:
        for party in item.mention.parties:
            if party not in parties:
                parties.append(party)
    for pid in people:
        entity = resolution.by_id.get(pid)
        if entity and entity.affiliation and entity.affiliation not in parties:
            parties.append(entity.affiliation)
    return parties


def _event_sources(cluster: _Cluster) -> list[EventSource]:
    """One source per reporting sentence (two mentions in one sentence are one report), by article
    and sentence."""
    sources: list[EventSource] = []
    seen = set()
    for item in sorted(cluster.items, key=lambda i: (i.article, i.mention.sentence)):
        key = (item.article, item.mention.sentence)
        if key in seen:
            continue
        seen.add(key)
        sources.append(EventSource(item.article, item.mention.sentence, item.mention.sentence_text,
                                   item.mention.date_text, item.mention.status, item.mention.attribution,
                                   _span_text(item.first, item.last) if item.dated else None,
                                   date_basis=item.date_basis))
    return sources


def _independent_outlets(cluster: _Cluster, articles: dict[str, Article]) -> int:
    """How many outlets report the event: a copy counts as its original's outlet, so syndication
    never adds a source, and a report that joined only by what it names (``_matched_cluster``) is
    not one."""
    return len({_outlet_of(i, articles) for i in cluster.items if not i.matched})


# how much each basis of a date counts as evidence that the event happened on that day
_BASIS_WEIGHT = {"stated": 1.0, "relative": 0.9, "borrowed": 0.6, "relative_inferred": 0.35, "none": 0.0}


def _confidence(cluster: _Cluster, first: date | None, last: date | None,
                articles: dict[str, Article]) -> float:
    """How far the event's record can be trusted, in [0, 1], from its evidence.

    Each outlet counts once (copies fold into their original), with its best report of the event's
    date weighed by what that date stands on (``_BASIS_WEIGHT``); outlets add up as independent
    witnesses (1 - prod(1 - w)).  An event without a date gets at most 0.2; dated reports that give
    other days than the event's lower it by the share of outlets that disagree."""
    if first is None or last is None:
        return round(min(0.2, 0.1 * len(_outlets(cluster, articles))), 2)
    support: dict[str, float] = {}
    disagree: set[str] = set()
    for item in cluster.items:
        outlet = _outlet_of(item, articles)
        if item.dated and _overlaps(item.first, item.last, first, last):
            support[outlet] = max(support.get(outlet, 0.0), _BASIS_WEIGHT.get(item.date_basis, 0.0))
        elif item.dated:
            disagree.add(outlet)
    doubt = 1.0
    for weight in support.values():
        doubt *= 1.0 - min(weight, 0.95)
    disagreeing = len(disagree - set(support))
    share = disagreeing / max(1, disagreeing + len(support))
    return round((1.0 - doubt) * (1.0 - 0.5 * share), 2)


def _outlet_of(item: _Item, articles: dict[str, Article]) -> str:
    return articles[item.original].outlet if item.original in articles else item.outlet


def _outlets(cluster: _Cluster, articles: dict[str, Article]) -> set[str]:
    return {_outlet_of(i, articles) for i in cluster.items}


def _event_reports(cluster: _Cluster, resolution: Resolution) -> tuple[dict, dict, dict]:
    """Which articles give which place, which date and which ordinal ("the third meeting"), each
    article once per value: the material for spotting outlets that disagree."""
    place_reports: dict[str, list[str]] = defaultdict(list)
    date_reports: dict[str, list[str]] = defaultdict(list)
    ordinal_reports: dict[int, list[str]] = defaultdict(list)
    for item in cluster.items:
        if item.place and item.place in resolution.by_id:
            _add_once(place_reports[resolution.by_id[item.place].name], item.article)
        if item.dated:
            _add_once(date_reports[_span_text(item.first, item.last)], item.article)
        if item.mention.ordinal:
            _add_once(ordinal_reports[item.mention.ordinal], item.article)
    return dict(place_reports), dict(date_reports), dict(ordinal_reports)


def _event_id(cluster: _Cluster, first: date | None, people: list[str], place: str | None) -> str:
    """A new event's id, from its kind, date, people, place and earliest report (corpus.rebuild
    keeps an existing event's id across rebuilds)."""
    anchor = min(cluster.items, key=lambda i: (i.published or date.max, i.article, i.mention.sentence))
    return "v" + hashlib.sha1("|".join([cluster.kind, str(first), ",".join(sorted(people)), place or "",
                                        anchor.article, str(anchor.mention.sentence)]).encode()).hexdigest()[:10]


def _add_once(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def _span_text(first: date | None, last: date | None) -> str | None:
    if first is None or last is None:
        return None
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


_VERB = {"meeting": "Meeting", "visit": "Visit", "call": "Call", "statement": "Statement",
         "proposal": "Proposal", "agreement": "Agreement"}


def _summary(type_: str, participants: list[str], place: str | None, first: date | None, last: date | None,
             cluster: _Cluster) -> str:
    if type_ in ("statement", "proposal", "agreement"):
        text = min((i.mention.sentence_text for i in cluster.items), key=len)
        return _shorten(text)
    who = ", ".join(participants[:4]) + (" and others" if len(participants) > 4 else "")
    parts = [_VERB[type_]]
    if who:
        parts.append(("between " if type_ == "call" else "of ") + who)
    if place:
        parts.append(f"in {place}")
    return " ".join(parts)


def _shorten(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
