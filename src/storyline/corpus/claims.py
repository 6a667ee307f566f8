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

import base64
import hashlib
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from storyline import lang
from storyline.common.encoder import embed, embedding_from_bytes
from storyline.common.gazetteer import gazetteer
from storyline.common.names import first_names_compatible, is_cyrillic, token_key
from storyline.corpus.durations import Duration, compatible, stated_durations
from storyline.corpus.quotes import checked_quotes
from storyline.models import Analysis, Article, Claim, Conflict, Event

VERSION = "claims-3"


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
            if fact.attribute not in TOPICS:
                continue  # acronyms and other bookkeeping facts are not claims
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
                status = "superseded" if any(_moved_on(entry, e, articles) for _, e in later) else "contested"
            claims.append(Claim(_id("c", story, attribute, value), f"story:{story}", attribute, value, status,
                                sorted(entry["articles"]), entry["sentences"], None if story == "?" else story))
        if contested:
            revision = all(c.status == "superseded" for c in claims[-len(ordered):-1])
            if revision:  # the latest value stands: its status is what its sources make it
                claims[-1].status = _status(ordered[-1][1]["articles"], articles, originals)
            conflicts.append(Conflict(
                _id("k", story, attribute), TOPICS.get(attribute, attribute),
                [{"value": v, "articles": sorted(e["articles"])} for v, e in ordered],
                subject=f"story:{story}", attribute=attribute, story=None if story == "?" else story,
                note=REVISION_NOTE if revision else ""))
    return claims, conflicts


TOPICS = {"plan_points": "number of points in the plan"}
REVISION_NOTE = "changed over time: each value was reported until a later one replaced it"


def _moved_on(old: dict, new: dict, articles: dict[str, Article]) -> bool:
    """Reports moved from the old value to the new one: from the day the new value first appears,
    more articles state it than the old one (the old may still be recalled: "cut from 12 to 9")."""
    since = _first_seen(new["articles"], articles)
    if since <= _first_seen(old["articles"], articles):
        return False
    after = lambda ids: sum(  # noqa: E731
        1 for a in ids if a in articles and articles[a].published and articles[a].published >= since)
    return after(new["articles"]) > after(old["articles"])


def _first_seen(article_ids: set[str], articles: dict[str, Article]) -> date:
    dates = [articles[a].published for a in article_ids if a in articles and articles[a].published]
    return min(dates) if dates else date.max


def _last_seen(article_ids: set[str], articles: dict[str, Article]) -> date:
    dates = [articles[a].published for a in article_ids if a in articles and articles[a].published]
    return max(dates) if dates else date.min


# ---------------------------------------------------------------- conflicts between reports

# Two reports of what looks like one event, days apart: how far apart they may be to be compared.
DATE_CONFLICT_DAYS = 45


def _conflict(topic: str, values: dict[str, list[str]], subject: str, attribute: str, story: str | None,
              note: str = "", sentences: dict[str, list[dict]] | None = None) -> Conflict:
    """``sentences``, where given, keeps for each value the sentences stating it (values that are
    not claims of their own, such as counts, have nowhere else to keep their provenance)."""
    ordered = sorted(values.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
    sides = []
    for value, article_ids in ordered:
        side = {"value": str(value), "articles": sorted(article_ids)}
        if sentences is not None:
            side["sentences"] = sentences.get(value, [])
        sides.append(side)
    return Conflict(_id("k", subject, attribute, *[str(v) for v, _ in ordered]), topic, sides,
                    subject=subject, attribute=attribute, story=story, note=note)


def _add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def _outlets_of(article_ids: list[str], articles: dict[str, Article], originals: dict[str, str]) -> set[str]:
    return _outlets(set(article_ids), articles, originals)


def event_conflicts(events: list[Event], all_events: list[Event], articles: dict[str, Article],
                    originals: dict[str, str], analyses: dict[str, Analysis] | None = None) -> list[Conflict]:
    """Where outlets disagree about one happening: its place, its day, which meeting of a round it
    was, how many took part ("40 delegates" / "25 delegates")."""
    conflicts: list[Conflict] = []
    counts_by_sentence: dict[tuple[str, int], list] = defaultdict(list)
    for article_id, analysis in (analyses or {}).items():
        for fact in analysis.facts:
            if fact.attribute.startswith("count:"):
                counts_by_sentence[(article_id, fact.sentence)].append(fact)
    texts: dict[str, dict[int, str]] = {}  # article -> sentence index -> text, made once per article

    def sentence_text(article_id: str, index: int) -> str | None:
        if article_id not in texts:
            texts[article_id] = {}
            for sentence in (analyses or {})[article_id].sentences if article_id in (analyses or {}) else ():
                texts[article_id].setdefault(sentence.index, sentence.text)
        return texts[article_id].get(index)

    for event in events:
        label = event.summary or event.type
        counts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        stating: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        stated: set[tuple] = set()
        for mention in event.mentions:
            # a count in the report's sentence or the one before or after it ("Some 40 delegates attended")
            for sentence in (mention.sentence, mention.sentence - 1, mention.sentence + 1):
                for fact in counts_by_sentence.get((mention.article, sentence), ()):
                    _add_unique(counts[fact.attribute][fact.value], mention.article)
                    said = {"article": mention.article, "sentence": fact.sentence,
                            "text": sentence_text(mention.article, fact.sentence) or fact.text}
                    key = (fact.attribute, fact.value, mention.article, fact.sentence, said["text"])
                    if key not in stated:  # (a list's ``in`` made this quadratic in an event's reports)
                        stated.add(key)
                        stating[fact.attribute][fact.value].append(said)
        for attribute, values in counts.items():
            if len(values) > 1 and len(_outlets_of([a for v in values.values() for a in v], articles, originals)) > 1:
                noun = attribute.split(":", 1)[1]
                conflicts.append(_conflict(f"number of {noun}: {label}", values, event.id, attribute, event.story,
                                           sentences=stating[attribute]))
        places = {p: a for p, a in event.place_reports.items() if a and not _country(p)}
        if _places_clash(places) and len(_outlets_of([x for a in places.values() for x in a], articles, originals)) > 1:
            conflicts.append(_conflict(f"place of: {label}", places, event.id, "place", event.story,
                                       "the places may be nested or neighbouring; each outlet names a different one"))
        if len(event.ordinal_reports) > 1:
            ordinals = {f"meeting number {n}": a for n, a in event.ordinal_reports.items()}
            conflicts.append(_conflict(f"which meeting of the round: {label}", ordinals, event.id, "ordinal",
                                       event.story, "counts may differ in what they count (days of a round, rounds)"))
    conflicts.extend(duration_conflicts(events, all_events, articles, originals, analyses or {}))
    conflicts.extend(_date_conflicts(all_events, articles, originals))
    return conflicts


def _country(name: str) -> bool:
    """A country is the frame, not the venue: 'Russia' does not contradict 'Moscow'."""
    place = gazetteer().lookup(name)
    return bool(place and place.kind in ("country", "continent"))


# Words that make a place name an area around cities (the gazetteer knows the states of one country only).
REGION_WORDS = ("province", "region", "prefecture", "county", "state", "oblast", "governorate", "district",
                "territory", "department")


def _words(name: str) -> list[str]:
    return re.findall(r"\w+", name.casefold())


def _contains_words(outer: str, inner: str) -> bool:
    """'Lisbon International Airport' holds 'Lisbon' word for word."""
    big, small = _words(outer), _words(inner)
    return bool(small) and any(big[i:i + len(small)] == small for i in range(len(big) - len(small) + 1))


@lru_cache(maxsize=1)
def _facility_words() -> frozenset[str]:
    """Venue words of every language (lang files' ``roles.facility_words``): '... Airport', 'аэропорт ...'."""
    return frozenset(w.casefold() for words in lang.roles_rules()["facility_words"].values() for w in words)


def _kind_words(name: str) -> tuple[bool, bool]:
    """(a venue, a region): by the first or last words of the name."""
    words = _words(name)
    edges = {" ".join(words[:2]), " ".join(words[-2:]), words[0], words[-1]} if words else set()
    return bool(edges & _facility_words()), bool(edges & set(REGION_WORDS))


def _within(outer, inner) -> bool:
    """The gazetteer's containment (not its neighbourhood): one place, a city in its state, or in its country."""
    if outer.id == inner.id or outer.kind == "country" and inner.country == outer.name:
        return True
    return outer.kind == "state" and inner.kind == "city" and bool(inner.region) and inner.region == outer.region


def _place_of(name: str):
    """The gazetteer's place for a name, or for the name without its venue or region words ('Lisbon Airport')."""
    found = gazetteer().lookup(name)
    if found is not None:
        return found
    words = name.split()
    kinds = _facility_words() | set(REGION_WORDS)
    while len(words) > 1 and words[-1].casefold() in kinds:
        words = words[:-1]
    while len(words) > 1 and words[0].casefold() in kinds:
        words = words[1:]
    return gazetteer().lookup(" ".join(words)) if " ".join(words) != name else None


def _nested(a: str, b: str) -> bool:
    """Can two reported places both be right, one inside the other?  A venue inside a city, a city inside
    its state or province: by words ('Lisbon International Airport' / 'Lisbon'), by the
    gazetteer, or because one is a venue or a region the gazetteer cannot place (nothing says it is elsewhere)."""
    if _contains_words(a, b) or _contains_words(b, a):
        return True
    found_a, found_b = _place_of(a), _place_of(b)
    if found_a is not None and found_b is not None:
        return _within(found_a, found_b) or _within(found_b, found_a)
    unplaced = a if found_a is None else b
    return any(_kind_words(unplaced)) and (found_a is not None or found_b is not None)


def _places_clash(places: dict[str, list[str]]) -> bool:
    """Two reported places that cannot both be right (two cities, two venues in two cities)."""
    names = list(places)
    return any(not _nested(a, b) for i, a in enumerate(names) for b in names[i + 1:])


_NUMBER = re.compile(r"\b\d{1,3}\b")


def _people_overlap(a: Event, b: Event) -> bool:
    shared = set(a.participants) & set(b.participants)
    if len(shared) >= 2:
        return True
    # one person in common is the same event only in the same place: a lone envoy has many meetings
    return bool(shared) and a.place == b.place and a.place is not None


def _date_conflicts(events: list[Event], articles: dict[str, Article], originals: dict[str, str]) -> list[Conflict]:
    """Two events that are the same people (or the same place, parties and day of the month) on different
    days: one outlet has the date wrong, or the plan changed.  "23 October" where others say
    "23 November" is the classic slip of a month.  Events are compared in date order, each only with
    those starting within ``DATE_CONFLICT_DAYS`` of its end (``_date_conflict``)."""
    found: list[tuple[Event, Event, Conflict]] = []
    dated = sorted((e for e in events if e.first), key=lambda e: e.first)
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            if (b.first - a.last).days > DATE_CONFLICT_DAYS:
                break
            if a.place and b.place and _places_clash({a.place: [], b.place: []}):
                continue  # two places: two meetings of the same people, not one misdated
            conflict = _date_conflict(a, b)
            if conflict is not None:
                found.append((a, b, conflict))
    # a report that would be a misdating of two different events is a misdating of neither: the same
    # envoys meet many counterparts, and one thin mention naming them is no evidence against any one date
    partners: Counter = Counter()
    for a, b, _ in found:
        partners[_thinner(a, b).id] += 1
    return [conflict for a, b, conflict in found if partners[_thinner(a, b).id] == 1]


def _thinner(a: Event, b: Event) -> Event:
    return min((a, b), key=lambda e: (not e.thin, len(e.mentions), e.id))


def _may_be_one_event(a: Event, b: Event) -> bool:
    """Could two events on different days be one misdated event?  Only of one type and story, on days
    that do not overlap, and only meetings, visits, calls and statements."""
    if a.type != b.type or a.story != b.story or _overlap(a, b):
        return False
    return a.type in ("meeting", "visit", "call", "statement")


def _month_slip(a: Event, b: Event, same_people: bool) -> bool:
    """The same day of consecutive months, the same parties, no two different places and no two
    different sets of people: "23 October" for "23 November"."""
    return bool(a.first.day == b.first.day
                and abs((b.first.year * 12 + b.first.month) - (a.first.year * 12 + a.first.month)) == 1
                and set(a.parties) & set(b.parties) and (a.place == b.place or not a.place or not b.place)
                and (not a.participants or not b.participants or same_people))


def _date_conflict(a: Event, b: Event) -> Conflict | None:
    """The conflict between two events (``a`` starting first) if they look like one event on two dates.

    A statement repeats only with the same figures a day or two apart (a person says many things).
    Otherwise the same people count when one event rests on little (thin, or one mention) -- two
    well-reported meetings of the same people on two days are two meetings -- and a slip of a month
    (``_month_slip``) always does.  The two must not rest on exactly the same articles: articles
    that report both days tell of two days."""
    if not _may_be_one_event(a, b):
        return None
    same_people = _people_overlap(a, b)
    if a.type == "statement" and not (same_people and (b.first - a.last).days <= 2 and _same_numbers(a, b)):
        return None  # a person says many things: only the same figures a day or two apart
    slip = _month_slip(a, b, same_people)
    if not (same_people and (a.thin or b.thin or min(len(a.mentions), len(b.mentions)) == 1) or slip):
        return None
    if not (set(m.article for m in a.mentions) ^ set(m.article for m in b.mentions)):
        return None
    values = {a.date_text: sorted({m.article for m in a.mentions}),
              b.date_text: sorted({m.article for m in b.mentions})}
    note = "a month apart on the same day of the month: likely a slip" if slip else \
        "the same people on different days: a mistaken date, or a plan that changed"
    return _conflict(f"date of: {b.summary if len(b.mentions) >= len(a.mentions) else a.summary}",
                     values, f"{a.id}+{b.id}", "date", a.story or b.story, note)


def _same_numbers(a: Event, b: Event) -> bool:
    numbers_a = {n for m in a.mentions for n in _NUMBER.findall(m.text)}
    numbers_b = {n for m in b.mentions for n in _NUMBER.findall(m.text)}
    return bool(numbers_a & numbers_b)


def _overlap(a: Event, b: Event) -> bool:
    return a.first <= b.last and b.first <= a.last


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Honorifics and role words of every language: 'PM Ebbing' names a title, not a first name."""
    rules = lang.roles_rules()
    return frozenset(w.casefold() for key in ("honorifics", "role_words") for words in rules[key].values()
                     for w in words)


class _Surnames:
    """The surnames (last words, one-word aliases) of the people of a corpus, by key, less any word that is
    someone's given name: is a word another person's surname ('Vrastek' before 'Tomas Ebbing' in a
    sentence naming both)?"""

    def __init__(self, people: list) -> None:
        self.own: dict[str, set[str]] = {}
        self.holders: dict[str, int] = defaultdict(int)  # key -> how many people have it as a surname
        given: set[str] = set()
        for entity in people:
            names = [entity.name, *entity.aliases]
            self.own[entity.id] = {token_key(n.split()[-1]) for n in names if n.split()} - {""}
            for key in self.own[entity.id]:
                self.holders[key] += 1
            if len(entity.name.split()) >= 2:
                given.add(token_key(entity.name.split()[0]))
        for key in given:
            self.holders.pop(key, None)

    def of_another(self, word: str, entity_id: str) -> bool:
        key = token_key(word)
        holders = self.holders.get(key, 0)
        return holders > (1 if key in self.own.get(entity_id, ()) else 0)


def _may_be_first_name(word: str, entity_id: str, surnames: _Surnames) -> bool:
    """Not an abbreviation ('PM', 'US'), a title or role ('President'), nor another person's surname."""
    letters = word.strip(".")
    if letters.isalpha() and letters.isupper() and len(letters) <= 4 and "." not in word:
        return False
    return word.casefold() not in _title_words() and not surnames.of_another(word, entity_id)


def name_conflicts(resolution, stories: dict[str, str]) -> list[Conflict]:
    """One person, given two different first names by different articles ("Olga" / "Oksana")."""
    conflicts = []
    people = [e for e in resolution.entities if e.type == "PERSON"]
    surnames = _Surnames(people)
    for entity in people:
        by_given: dict[str, set[str]] = defaultdict(set)
        for mention in entity.mentions:
            words = mention.text.split()
            if len(words) >= 2 and not is_cyrillic(mention.text) and _may_be_first_name(words[0], entity.id, surnames):
                by_given[words[0]].add(mention.article)
        names = list(by_given)
        clash = [n for n in names if any(not first_names_compatible(n, m) for m in names if m != n)]
        if len(clash) >= 2:
            story = next((stories.get(a) for n in clash for a in by_given[n] if stories.get(a)), None)
            conflicts.append(_conflict(f"first name of {entity.name}", {n: sorted(by_given[n]) for n in clash},
                                       entity.id, "first_name", story))
    return conflicts


def mark_contested(claims: list[Claim], conflicts: list[Conflict]) -> None:
    """Claims about a subject and attribute that a conflict covers become contested (unless superseded)."""
    contested = {(k.subject, k.attribute) for k in conflicts if k.note != REVISION_NOTE}
    for claim in claims:
        if (claim.subject, claim.attribute) in contested and claim.status != "superseded":
            claim.status = "contested"


# ---------------------------------------------------------------- quotes across outlets

QUOTE_MATCH = 85  # rapidfuzz partial ratio above which two quotes in one language are the same words
QUOTE_TRANSLATION = 0.72  # embedding similarity above which quotes in two languages say the same
QUOTE_SAME_LANGUAGE = 0.82  # ... and in one language, for renderings that differ in wording


GROUP_SAMPLE = 4  # quotes of a group a new quote is compared with
FUZZY_CANDIDATES = 50  # nearest quotes (by meaning) whose words are compared with a new quote


def _quote_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def quote_claims(analyses: dict[str, Analysis], articles: dict[str, Article], originals: dict[str, str],
                 stories: dict[str, str], resolution) -> list[Claim]:
    """The same quotation recognised across outlets, trimmed or translated: one claim per quote.

    Only quotes and speakers ``quotes.checked_quotes`` keeps count: no fragment, no speaker the quote's
    sentence does not name.  Quotes of one speaker are joined when one is (nearly) contained in the other, or when their
    multilingual sentence embeddings agree (a translation, a paraphrased rendering); a quote
    whose speaker is not known may join any speaker's quote it matches.
    """
    quotes: list[dict] = []
    for article_id, analysis in analyses.items():
        article = articles.get(article_id)
        if article is None:
            continue
        # fragments left out, and each quote given to the speaker its own sentence names, or to no one
        for quote, speaker in checked_quotes(article, analysis, resolution):
            quotes.append({"article": article_id, "text": quote.text, "sentence": quote.sentence,
                           "language": article.language, "key": _quote_key(quote.text), "speaker": speaker,
                           "meaning": quote.meaning})
    if not quotes:
        return []
    vectors = _quote_vectors(quotes)
    for index, quote in enumerate(quotes):
        quote["index"] = index

    # Each quote joins the earliest group of its story holding a quote it matches.  Candidates are
    # checked all at once (one matrix product, one rapidfuzz call) and only within the story: the
    # corpus-wide pairwise loop was quadratic in Python and dominated the corpus stage at 10,000 articles.
    pool = _QuotePool(vectors)
    by_speaker: dict[tuple, list[int]] = defaultdict(list)  # (story, speaker) -> group ids
    speakers_groups: dict[str | None, list[int]] = defaultdict(list)  # story -> groups with a speaker
    loose: dict[str | None, list[int]] = defaultdict(list)  # story -> groups without one
    groups: list[list[dict]] = []
    speaker_of: dict[int, str] = {}
    for quote in quotes:
        quote["story"] = stories.get(quote["article"])
    for quote in (q for q in quotes if q["speaker"] is not None):
        key = (quote["story"], quote["speaker"])
        home = pool.match(quote, by_speaker[key])
        if home is None:
            home = len(groups)
            groups.append([])
            by_speaker[key].append(home)
            speakers_groups[quote["story"]].append(home)
            speaker_of[home] = quote["speaker"]
        groups[home].append(quote)
        pool.add(quote, home)
    for quote in (q for q in quotes if q["speaker"] is None):
        home = pool.match(quote, speakers_groups[quote["story"]])
        if home is None:
            home = pool.match(quote, loose[quote["story"]])
        if home is None:
            home = len(groups)
            groups.append([])
            loose[quote["story"]].append(home)
            speaker_of[home] = "unknown speaker"
        groups[home].append(quote)
        pool.add(quote, home)
    claims: list[Claim] = []
    for home, group in enumerate(groups):
        speaker = speaker_of[home]
        articles_of = {q["article"] for q in group}
        text = max((q["text"] for q in group), key=len)
        story = next((stories.get(q["article"]) for q in group if stories.get(q["article"])), None)
        claims.append(Claim(_id("c", "quote", speaker, group[0]["story"] or "", _quote_key(text)[:200]),
                            speaker, "quote", text,
                            _status(articles_of, articles, originals), sorted(articles_of),
                            [{"article": q["article"], "sentence": q["sentence"], "text": q["text"]} for q in group],
                            story))
    return claims


class _QuotePool:
    """The quotes placed so far, by group, for matching a new quote against whole groups at once."""

    def __init__(self, vectors):
        self.vectors = vectors
        self.members: dict[int, list[dict]] = defaultdict(list)

    def add(self, quote: dict, group: int) -> None:
        # a group's first few quotes stand for it: a quote repeated by hundreds of articles would
        # otherwise be compared hundreds of times with every new one
        if len(self.members[group]) < GROUP_SAMPLE:
            self.members[group].append(quote)

    def match(self, quote: dict, group_ids: list[int]) -> int | None:
        """The first of ``group_ids`` (in their order) holding a quote that says what ``quote`` says."""
        candidates = [(g, other) for g in group_ids for other in self.members.get(g, ())]
        if not candidates:
            return None
        matched: set[int] = set()
        rows = np.fromiter((other["index"] for _, other in candidates), dtype=np.int64, count=len(candidates))
        scores = self.vectors[rows] @ self.vectors[quote["index"]]
        same_language = np.fromiter((other["language"] == quote["language"] for _, other in candidates), dtype=bool,
                                    count=len(candidates))
        thresholds = np.where(same_language, QUOTE_SAME_LANGUAGE, QUOTE_TRANSLATION)
        matched.update(candidates[i][0] for i in np.nonzero(scores >= thresholds)[0])
        # the same words, one trimmed: only within one language
        keyed = [i for i in np.nonzero(same_language)[0] if candidates[i][0] not in matched]
        if len(keyed) > FUZZY_CANDIDATES:
            # a trimmed copy of a quote is also among the nearest in meaning: align words only with those
            keyed = sorted(keyed, key=lambda i: -scores[i])[:FUZZY_CANDIDATES]
        if keyed:
            found = process.extract(quote["key"], [candidates[i][1]["key"] for i in keyed], scorer=fuzz.partial_ratio,
                                    score_cutoff=QUOTE_MATCH, limit=None)
            matched.update(candidates[keyed[position]][0] for _, _, position in found)
        return next((g for g in group_ids if g in matched), None)


def _quote_vectors(quotes: list[dict]):
    """Stored vectors; the encoder only runs for quotes analysed before vectors were kept."""
    vectors = np.zeros((len(quotes), 512), dtype=np.float32)
    missing = []
    for index, quote in enumerate(quotes):
        stored = embedding_from_bytes(base64.b64decode(quote["meaning"])) if quote["meaning"] else None
        if stored is not None and stored.shape == (512,):
            vectors[index] = stored
        else:
            missing.append(index)
    if missing:
        vectors[missing] = embed([quotes[i]["text"] for i in missing])
    return vectors


# ---------------------------------------------------------------- how long a meeting lasted

DURATION_NOTE = ("outlets may time different parts (a welcome ceremony, a lunch) or round differently; "
                 "the value more outlets give comes first")
_CJK_SENTENCE_END = re.compile(r"(?<=[。！？])")  # a sentence the splitter left whole holds several of these


class _Sentences:
    """Sentence texts and dated expressions of the analysed articles, looked up per (article, sentence)."""

    def __init__(self, analyses: dict[str, Analysis]) -> None:
        self.analyses = analyses
        self._by_article: dict[str, dict[int, object]] = {}

    def sentence(self, article_id: str, index: int):
        if article_id not in self._by_article:
            analysis = self.analyses.get(article_id)
            self._by_article[article_id] = {s.index: s for s in analysis.sentences} if analysis else {}
        return self._by_article[article_id].get(index)

    def days_in(self, article_id: str, index: int, start: int, end: int) -> list[tuple[date, date]]:
        """The days named between character offsets ``start`` and ``end`` of the article."""
        analysis = self.analyses.get(article_id)
        if analysis is None:
            return []
        return [(t.first, t.last) for t in analysis.times
                if t.sentence == index and t.first and t.last and start <= t.start < end]


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each sentence inside ``text``: a Chinese or Japanese paragraph the splitter left
    whole tells of several happenings, and a duration belongs to its own sentence's."""
    pieces, offset = [], 0
    for piece in _CJK_SENTENCE_END.split(text):
        if piece:
            pieces.append((offset, piece))
        offset += len(piece)
    return pieces


def _other_day(days: list[tuple[date, date]], event: Event) -> bool:
    if event.first is None or event.last is None:
        return False
    return any(last < event.first or first > event.last for first, last in days)


def _reports_of(all_events: list[Event]) -> dict[tuple[str, int], set[str]]:
    reports: dict[tuple[str, int], set[str]] = defaultdict(set)
    for event in all_events:
        for mention in event.mentions:
            reports[(mention.article, mention.sentence)].add(event.id)
    return reports


def _stating_sentences(event: Event, reports: dict[tuple[str, int], set[str]]) -> list[tuple[str, int, str]]:
    """(article, sentence, text) of each report of the event, and of the sentence right after one when that
    reports no other event: "Vrastek met Dunca in Saltmere. The talks lasted two hours." """
    said = {(m.article, m.sentence): m.text for m in event.mentions}
    out = [(a, i, text) for (a, i), text in said.items()]
    for article_id, index in list(said):
        after = (article_id, index + 1)
        if after not in said and not reports.get(after, set()) - {event.id}:
            out.append((article_id, index + 1, ""))
    return out


def _durations_of(event: Event, article_id: str, index: int, text: str, language: str | None,
                  sentences: _Sentences) -> list[Duration]:
    """The durations a sentence states of the event, leaving out any in a part of it dated another day."""
    stored = sentences.sentence(article_id, index)
    text = text or (stored.text if stored else "")
    base = stored.start if stored is not None and stored.text == text else None
    found = []
    for offset, piece in _pieces(text):
        if base is not None and _other_day(sentences.days_in(article_id, index, base + offset,
                                                             base + offset + len(piece)), event):
            continue  # "met Dunca on Wednesday, talks of 87 minutes" inside a report of Thursday's meeting
        found.extend(stated_durations(piece, language))
    return found


def _clash(stated: list[tuple[Duration, str]], articles: dict[str, Article], originals: dict[str, str]) -> bool:
    """Two durations from two independent outlets that cannot both be true."""
    outlet = {a: next(iter(_outlets({a}, articles, originals))) for _, a in stated}
    return any(not compatible(d1, d2) and outlet[a1] != outlet[a2]
               for i, (d1, a1) in enumerate(stated) for d2, a2 in stated[i + 1:])


def _undated_doubles(events: list[Event], all_events: list[Event]) -> dict[str, list[Event]]:
    """event id -> the undated events of the same story that name two or more of its participants and could be
    no other dated event: "Dunca and Vrastek held talks ... The talks lasted two hours" in an article without
    a date is a report of their one dated meeting, kept apart only for want of a date."""
    dated = [e for e in events if e.first is not None and e.type in ("meeting", "call")]
    doubles: dict[str, list[Event]] = defaultdict(list)
    for undated in (e for e in all_events if e.first is None and e.type in ("meeting", "call")):
        fits = [e for e in dated if e.story == undated.story
                and len(set(e.participants) & set(undated.participants)) >= 2]
        if len(fits) == 1:
            doubles[fits[0].id].append(undated)
    return doubles


def duration_conflicts(events: list[Event], all_events: list[Event], articles: dict[str, Article],
                       originals: dict[str, str], analyses: dict[str, Analysis]) -> list[Conflict]:
    """How long a meeting or call lasted, where independent outlets state lengths that cannot both be true
    ("the 87-minute summit" / "the talks lasted nearly two hours"; "about 1 h 40" and "less than two hours"
    agree)."""
    sentences, reports = _Sentences(analyses), _reports_of(all_events)
    doubles = _undated_doubles(events, all_events)
    conflicts = []
    for event in events:
        if event.type not in ("meeting", "call"):
            continue
        said = _stating_sentences(event, reports)
        for double in doubles.get(event.id, ()):
            said += _stating_sentences(double, reports)
        values: dict[str, list[str]] = defaultdict(list)
        stating: dict[str, list[dict]] = defaultdict(list)
        stated: list[tuple[Duration, str]] = []
        for article_id, index, text in dict.fromkeys(said):
            language = articles[article_id].language if article_id in articles else None
            for duration in _durations_of(event, article_id, index, text, language, sentences):
                stated.append((duration, article_id))
                _add_unique(values[duration.label], article_id)
                stating[duration.label].append({"article": article_id, "sentence": index, "text": duration.text})
        if len(values) > 1 and _clash(stated, articles, originals):
            conflicts.append(_conflict(f"length of: {event.summary or event.type}", values, event.id, "duration",
                                       event.story, DURATION_NOTE, sentences=stating))
    return conflicts
