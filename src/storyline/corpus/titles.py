"""Story titles from what several sources agree on, never one article's byline or section label.

A story's title is the most representative headline among its articles: one that names the
names most of the story's articles name (the *core*: named by at least half of its independent
articles, weighted by how widely they are named and how particular they are to this story), and
nothing only a few of them name.  A headline that is a byline ("Greta Holmsen Harbour Times"), a
section label ("WAR IN KESTLAND", "World"), or a lead sentence cut short ("Senior officials said…")
is no headline.  When no headline is representative (a story of many happenings over weeks, each
headline about one of them), the title is composed from the story's most reported place and
people, with the noun its headlines use most: "Valdoria talks: Dunca, Vrastek and Ebbing".

Everything here is a pure function of typed inputs (``Headline``, ``StoryName``), so it can be
tested alone; ``build.py`` gathers them from the store and the entity resolution.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from storyline.common.names import is_latin
from storyline.corpus.summaries import joined
from storyline.models import Entity

CORE_SHARE = 0.5  # a name is core when at least this share of the story's independent articles name it
TOP_NAMES = 4  # the core names a headline is measured against
COVERAGE = 0.5  # share of the top core names' weight a representative headline names
PEOPLE = 3  # people named in a composed title
MAX_NAMES = 200  # the weightiest names of a story a headline is read against
MAX_HEADLINES = 500  # headlines of a story read as candidates
MIN_WORDS = 3  # fewer words make a label, not a headline
MIN_CHARS = 15
# Nouns that say what kind of story it is, most particular first; a composed title takes the one its
# headlines use most ("Kestland ceasefire: ...").  English, as composed titles are.
STORY_NOUNS = ("ceasefire", "truce", "talks", "negotiations", "summit", "peace deal", "deal", "agreement", "accord",
               "plan", "election", "strike", "fire", "earthquake", "floods", "protests", "trial", "sanctions",
               "attack", "visit", "crisis", "war")
_CUT = ("…", "...")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_BYLINE = re.compile(r"^\s*(?i:by)\s+[A-Z]")
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff]")  # Thai, Burmese, kana, CJK


@dataclass(frozen=True)
class Headline:
    """An article's title as a candidate for its story's title."""

    article: str
    title: str
    outlet: str = ""
    language: str = ""
    published: date | None = None
    copy_of: str | None = None  # the article this one is a syndicated copy of


@dataclass(frozen=True)
class StoryName:
    """A name (person, place, organisation) as one story's articles use it."""

    name: str
    type: str
    forms: tuple[str, ...]  # the name and its aliases, as written in the articles
    articles: frozenset[str]  # the story's independent articles naming it (a copy counts as its original)
    mentions: int = 0  # how often the story's independent articles name it
    other_stories: int = 0  # how many other stories name it
    written: tuple[str, ...] = ()  # the forms articles write, most written first (empty: take ``forms``)
    known_place: bool = False  # a place the gazetteer knows (not a name the model took for a place)


# ---------------------------------------------------------------- what a headline is


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _outlet_words(outlet: str) -> set[str]:
    return {w.casefold() for w in _words(outlet.replace("-", " "))} | {w.casefold() for w in _words(outlet)}


def is_headline(title: str, outlet: str = "") -> bool:
    """Whether ``title`` reads as a headline: not a lead cut short, a section label (all capitals, a
    word or two), or a byline (a person's name, perhaps with the outlet's: "Greta Holmsen Harbour Times")."""
    text = " ".join((title or "").split())
    words = _words(text)
    letters = [c for c in text if c.isalpha()]
    if not text or text.endswith(_CUT):
        return False
    if _UNSPACED.search(text):  # Chinese, Japanese, Thai...: words are not spaced, so count letters
        return len(letters) >= MIN_CHARS // 2
    if len(words) < MIN_WORDS or len(text) < MIN_CHARS:
        return False
    if letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return False  # "WAR IN KESTLAND": a section label, or shouting
    if _BYLINE.match(text):
        return False
    rest = [w for w in words if w.casefold() not in _outlet_words(outlet)] if outlet else words
    if not rest:
        return False  # the outlet's name
    if len(rest) < len(words) and len(rest) <= 3 and all(w[:1].isupper() for w in rest):
        return False  # a name beside the outlet's: a byline
    # nothing but capitalised words and no sentence mark: a name, or a label
    return not (all(w[:1].isupper() for w in words) and len(words) <= 5 and not re.search(r"[:;,!?\d]", text))


# ---------------------------------------------------------------- names of a story


def story_names(entities: Iterable[Entity], members: Mapping[str, Sequence[str]],
                originals: Mapping[str, str]) -> dict[str, list[StoryName]]:
    """For each story (id -> its article ids), the names its articles use: which independent articles
    name each (copies fold into their originals), how often, and in how many other stories."""
    story_of = {a: story for story, ids in members.items() for a in ids}
    by_story: dict[str, list[tuple[Entity, set[str], int, tuple[str, ...]]]] = defaultdict(list)
    for entity in entities:
        articles: dict[str, set[str]] = defaultdict(set)
        mentions: Counter[str] = Counter()
        # what the corpus writes, not a romanisation made for matching ("Vrastek" for Врастек)
        surfaces = Counter(" ".join(m.text.split()) for m in entity.mentions if m.text.strip())
        written = tuple(form for form, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0])))
        for mention in entity.mentions:
            story = story_of.get(mention.article)
            if story is None:
                continue
            articles[story].add(originals.get(mention.article, mention.article))
            if mention.article not in originals:
                mentions[story] += 1
        for story, ids in articles.items():
            by_story[story].append((entity, ids, mentions[story], written))
    in_stories = Counter(entity.id for rows in by_story.values() for entity, *_ in rows)
    return {story: [StoryName(entity.name, entity.type, tuple(dict.fromkeys([entity.name, *entity.aliases])),
                              frozenset(ids), count, in_stories[entity.id] - 1, written,
                              entity.type == "PLACE" and entity.external_id is not None)
                    for entity, ids, count, written in rows]
            for story, rows in by_story.items()}


def _pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for form in sorted({f.strip() for f in forms if f and len(f.strip()) >= 2}, key=len, reverse=True):
        escaped = re.escape(form)
        # short forms ("US", "EU") only as written: "us" is a word, not a country
        parts.append(escaped if len(form) <= 3 else f"(?i:{escaped})")
    if not parts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


@dataclass(frozen=True)
class _Weighed:
    name: StoryName
    share: float
    weight: float
    pattern: re.Pattern[str] | None


def _weigh(names: Sequence[StoryName], independent: int, stories: int, outlets: set[str]) -> list[_Weighed]:
    """The story's names (not its outlets'), most weighty first: at most ``MAX_NAMES`` of them, so that a
    story of thousands of articles and names is titled as fast as a small one."""
    scored = []
    for name in names:
        if name.name.casefold() in outlets:
            continue  # an outlet naming itself ("told Harbour Wire") is no name of the story
        share = len(name.articles) / max(independent, 1)
        particular = max(0.5, 1 + math.log(max(stories, 1) / (1 + name.other_stories)))
        scored.append((share * particular, share, name))
    scored.sort(key=lambda row: (-row[0], -row[2].mentions, row[2].name))
    return [_Weighed(name, share, weight, _pattern(name.forms)) for weight, share, name in scored[:MAX_NAMES]]


# ---------------------------------------------------------------- the title


def story_title(headlines: Sequence[Headline], names: Sequence[StoryName], stories: int = 1) -> str:
    """The title of a story: its most representative headline, or one composed from its core names.
    ``stories`` is how many stories the corpus holds (names found in many are less particular)."""
    if not headlines:
        return ""
    independent = len({h.copy_of or h.article for h in headlines})
    # candidates: the originals' headlines before the copies', at most MAX_HEADLINES (earliest first)
    candidates = sorted(headlines, key=lambda h: (h.copy_of is not None, h.published or date.max, h.article))
    valid = [h for h in candidates if is_headline(h.title, h.outlet)][:MAX_HEADLINES]
    weighed = _weigh(names, independent, stories, {h.outlet.casefold() for h in headlines if h.outlet})
    chosen, central = _representative(valid, weighed, independent)
    if chosen is not None:
        return _clean(chosen.title)
    composed = _composed(candidates[:MAX_HEADLINES], weighed, independent)
    if composed:
        return composed
    if central is not None:  # nothing to compose in English (names written in another script only)
        return _clean(central.title)
    fallback = valid or headlines
    return _clean(min(fallback, key=lambda h: (h.published or date.max, h.article)).title)


def _clean(title: str) -> str:
    return " ".join(title.split())


def _majority_language(headlines: Sequence[Headline]) -> str:
    counts = Counter(h.language for h in headlines if h.language and not h.copy_of)
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""


def _representative(valid: Sequence[Headline], weighed: list[_Weighed],
                    independent: int) -> tuple[Headline | None, Headline | None]:
    """(the representative headline, the most central one).  Representative: it names enough of the top
    core names and no name only a few articles use; with one independent article, its headline (there
    is nothing to agree on).  The most central names the most of them, whatever else it names."""
    if not valid:
        return None, None
    if independent == 1:
        only = min(valid, key=lambda h: (h.copy_of is not None, h.published or date.max, h.article))
        return only, only
    core = [w for w in weighed if w.share >= CORE_SHARE and len(w.name.articles) >= 2][:TOP_NAMES]
    total = sum(w.weight for w in core) or 1.0
    language = _majority_language(valid)
    best = central = None
    best_key = central_key = None
    for headline in valid:
        named = [w for w in weighed if w.pattern is not None and w.pattern.search(headline.title)]
        coverage = sum(w.weight for w in core if w in named) / total
        key = (headline.language == language, round(coverage, 6), -(headline.published or date.max).toordinal(),
               headline.copy_of is None, headline.article)
        if central_key is None or key[1:] > central_key[1:]:
            central, central_key = headline, key
        if coverage < COVERAGE or any(w.share < CORE_SHARE for w in named):
            continue  # names too little of the story, or one part of it (a name only a few articles use)
        if best_key is None or key > best_key:
            best, best_key = headline, key
    return best, central


def _display(name: StoryName) -> str | None:
    """The name as an English title writes it: as the story's articles write it, in Latin letters; None
    when they write it in another script only (a romanisation nobody wrote is no name to show)."""
    written = name.written or name.forms
    if is_latin(name.name) and (name.name in written or name.type == "PLACE" and name.known_place):
        return name.name
    return next((f for f in written if is_latin(f)), None)


def _people(weighed: list[_Weighed], independent: int) -> list[str]:
    """The story's most reported people, by the surname its articles call them by ("Ebbing" for Tomas
    Ebbing, where they write "Ebbing" alone), else by their full name ("Kim Min-jun": the surname is first)."""
    needed = 2 if independent >= 2 else 1
    people = []
    for w in weighed:
        if w.name.type != "PERSON" or len(w.name.articles) < needed or w.share < 1 / 3:
            continue
        full = _display(w.name)
        if full is None or len(full.split()) < 2:
            continue  # a single word is as often a title or a place the model took for a person
        last = full.split()[-1]
        people.append((full, last if last in (w.name.written or w.name.forms) else full))
        if len(people) == PEOPLE:
            break
    shorts = [short for _, short in people]
    return [short if shorts.count(short) == 1 else full for full, short in people]


def _noun(headlines: Sequence[Headline]) -> str:
    counts: Counter[str] = Counter()
    for headline in headlines:
        text = headline.title.casefold()
        counts.update({noun for noun in STORY_NOUNS if re.search(rf"\b{re.escape(noun)}\b", text)})
    if not counts:
        return ""
    return min(counts, key=lambda n: (-counts[n], STORY_NOUNS.index(n)))


def _composed(headlines: Sequence[Headline], weighed: list[_Weighed], independent: int) -> str:
    """"<place> <noun>: <people>" from the most reported place and people and the headlines' noun."""
    places = [w for w in weighed if w.name.type == "PLACE" and _display(w.name)]
    core_places = [w for w in places if w.share >= CORE_SHARE] or places[:1]
    # a place the gazetteer knows, and the headlines name too: what the story is about, more than where
    # its people come from (or a name the model took for a place)
    in_titles = {id(w): sum(1 for h in headlines if w.pattern and w.pattern.search(h.title)) / len(headlines)
                 for w in core_places}
    core_places.sort(key=lambda w: (not w.name.known_place, -w.weight * (1 + in_titles[id(w)]), -w.name.mentions,
                                    w.name.name))
    place = _display(core_places[0].name) if core_places else ""
    people = _people(weighed, independent)
    noun = _noun(headlines)
    if not people and not (place and noun):
        return ""  # a place alone says too little
    head = f"{place} {noun}".strip() if place else noun[:1].upper() + noun[1:]
    if head and people:
        return f"{head}: {joined(people)}"
    return head or joined(people)


__all__ = ["Headline", "StoryName", "is_headline", "story_names", "story_title", "STORY_NOUNS"]
