"""The rows the read layer hands out: one frozen dataclass per shape of result, grouped by topic.

Fields come in the order of the columns they are read from (JSON answers list them in that order);
JSON columns arrive decoded (lists and dicts), everything else as stored.  A record also answers
``row["field"]`` and ``row.get("field")`` as the dicts it replaced did, so templates, the CLI's tables
and older callers read it unchanged; ``plain`` turns records (also nested ones) back into JSON data.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.models import Analysis

# An event whose confidence (corpus/event_merge.py, _confidence) is below this is marked on every
# page and left out by the timeline's "hide low confidence" filter: one outlet's relative date
# resolved on a guessed publication date, say, or no date at all.
LOW_CONFIDENCE = 0.4


@dataclass(frozen=True, slots=True)
class Record:
    """Base of every record: read-only, typed, and readable by key."""

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self.__dataclass_fields__ else default


def plain(value: Any) -> Any:
    """Records, also inside lists, tuples and dicts, as dicts (fields in order): data JSON can carry."""
    if isinstance(value, Record):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


# ------------------------------------------------------------------ stories


@dataclass(frozen=True, slots=True)
class Story(Record):
    """A row of ``stories``."""
    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    size: int
    updated_at: str | None


@dataclass(frozen=True, slots=True)
class StorySummary(Story):
    """A story in the list of stories, with how many events and outlets it has."""
    events: int
    outlets: int


@dataclass(frozen=True, slots=True)
class StoryArticle(Record):
    """An article as the story lists it."""
    id: str
    title: str
    outlet: str
    published: str | None
    language: str
    url: str | None
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class StoryWithArticles(Story):
    """A story and every article of it, by publication date."""
    articles: list[StoryArticle]


@dataclass(frozen=True, slots=True)
class OutletCount(Record):
    """An outlet and how many articles it has in one story."""
    outlet: str
    articles: int


# ------------------------------------------------------------------ articles and outlets


@dataclass(frozen=True, slots=True)
class ArticleRow(Record):
    """An article in a list (no text): what lists, labels of sources and digests show."""
    id: str
    title: str
    outlet: str
    published: str | None
    published_source: str
    language: str
    url: str | None
    story: str | None
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class ArticleMeta(Record):
    """An article's metadata, in the order of the export's ``articles``."""
    id: str
    url: str | None
    outlet: str
    published: str | None
    published_source: str
    language: str
    title: str
    author: str | None
    story: str | None
    duplicate_of: str | None
    duplicate_score: float | None


@dataclass(frozen=True, slots=True)
class ArticleMention(Record):
    """An entity mention in an article: offsets into its text, and the entity's type and name."""
    entity_id: str
    start: int
    end: int
    text: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class ArticleEvent(Record):
    """A sentence of an article that reports an event, with the event's type, summary and dates."""
    event_id: str
    sentence: int
    text: str
    type: str
    summary: str
    first: str | None
    last: str | None


@dataclass(frozen=True, slots=True)
class ArticleDetail(Record):
    """One article: every column but the HTML it came as, with its mentions, event sentences and copies."""
    id: str
    seq: int
    url: str | None
    outlet: str
    title: str
    author: str | None
    published: str | None
    published_source: str
    language: str
    language_source: str
    paragraph_languages: list[Any]
    source: str
    fingerprint: str
    text: str
    original: str
    offsets: list[Any]
    ingested_at: str
    story: str | None
    duplicate_of: str | None
    duplicate_score: float | None
    mentions: list[ArticleMention]
    events: list[ArticleEvent]
    copies: list[str]


@dataclass(frozen=True, slots=True)
class ArticleText(Record):
    """An article's text with what its analysis found: sentences (``analysis``) and the spans of names."""
    id: str
    outlet: str
    language: str
    published: str | None
    duplicate_of: str | None
    text: str
    analysis: Analysis | None
    names: list[tuple[int, int]]  # spans of the resolved entity mentions, in the store's order


@dataclass(frozen=True, slots=True)
class Outlet(Record):
    """An outlet with its number of articles and first and last publication dates."""
    outlet: str
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True, slots=True)
class OutletSummary(Outlet):
    """An outlet, also with the number of stories it reported on."""
    stories: int


@dataclass(frozen=True, slots=True)
class SearchHit(Record):
    """An article matching a search; ``snippet`` marks the matches with \\x02 (start) and \\x03 (stop)."""
    id: str
    title: str
    outlet: str
    published: str | None
    story: str | None
    snippet: str


# ------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class EventMention(Record):
    """A sentence reporting an event, with the outlet and title of its article."""
    id: int
    event_id: str
    article_id: str
    sentence: int
    text: str
    date_text: str
    status: str
    attribution: str
    date_basis: str
    outlet: str
    title: str
    duplicate_of: str | None
    original_outlet: str | None = None  # for a syndicated copy, the outlet of its original


@dataclass(frozen=True, slots=True)
class SourceOutlet(Record):
    """An outlet reporting an event, with its articles and the outlets that ran syndicated copies of them."""
    outlet: str
    articles: list[str]
    copies: list[str]


@dataclass(frozen=True, slots=True)
class Event(Record):
    """A row of ``events``; ``date`` is ``first``, or ``first/last`` for a span, or None when undated."""
    id: str
    type: str
    plover: str
    first: str | None
    last: str | None
    status: str
    place: str | None
    participants: list[str]
    participant_ids: list[str | None]
    parties: list[Any]
    summary: str
    independent_sources: int
    story: str | None
    confidence: float
    date: str | None

    @property
    def low_confidence(self) -> bool:
        """Below LOW_CONFIDENCE: shown marked, and hidden by the timeline's confidence filter."""
        return self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True, slots=True)
class EventWithMentions(Event):
    """An event with every sentence reporting it."""
    mentions: list[EventMention]

    @property
    def outlets(self) -> list[SourceOutlet]:
        """The outlets reporting it, each once, in the order of the mentions; a syndicated copy is folded
        under the outlet of its original (and adds no outlet of its own)."""
        found: dict[str, SourceOutlet] = {}
        for m in self.mentions:
            head = (m.original_outlet or m.outlet) if m.duplicate_of else m.outlet
            entry = found.setdefault(head, SourceOutlet(head, [], []))
            if not m.duplicate_of and m.article_id not in entry.articles:
                entry.articles.append(m.article_id)
            elif m.duplicate_of and m.outlet != head and m.outlet not in entry.copies:
                entry.copies.append(m.outlet)
        return list(found.values())


@dataclass(frozen=True, slots=True)
class TimelinePoint(Record):
    """A dated event as the timeline chart draws it (no mentions)."""
    id: str
    type: str
    first: str | None
    last: str | None
    status: str
    summary: str
    place: str | None
    independent_sources: int


# ------------------------------------------------------------------ claims, conflicts


@dataclass(frozen=True, slots=True)
class Claim(Record):
    """A row of ``claims``: a value stated for an attribute of a subject (an event id, ``story:<id>``, or for a
    quote the speaker's entity id or ``unknown speaker``)."""
    id: str
    subject: str
    attribute: str
    value: str
    status: str
    articles: list[str]
    sentences: list[dict[str, Any]]
    story: str | None


@dataclass(frozen=True, slots=True)
class ClaimSubject(Record):
    """What a claim is about, named: ``type`` is event, entity, story, or other (``unknown speaker``)."""
    id: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class Conflict(Record):
    """A row of ``conflicts``: the values outlets disagree on, each with its articles."""
    id: str
    topic: str
    subject: str | None
    attribute: str | None
    values: list[dict[str, Any]]
    story: str | None
    note: str


@dataclass(frozen=True, slots=True)
class RevisionStep(Record):
    """One value of a fact that changed over time, with when it was reported (publication dates of the
    articles stating it) and by which articles."""
    value: str
    first_seen: str | None
    last_seen: str | None
    articles: list[str]
    status: str  # superseded, or the latest value's own status


@dataclass(frozen=True, slots=True)
class Revision(Record):
    """A fact whose value changed over time (a plan of 28, then 19, then 20 points): successive versions,
    not a contradiction.  ``steps`` are in the order the values were first reported."""
    subject: str
    attribute: str
    topic: str
    story: str | None
    steps: list[RevisionStep]


@dataclass(frozen=True, slots=True)
class EventDetail(EventWithMentions):
    """An event with its mentions and the claims about it."""
    claims: list[Claim]


# ------------------------------------------------------------------ entities


@dataclass(frozen=True, slots=True)
class Entity(Record):
    """A row of ``entities``."""
    id: str
    name: str
    type: str
    affiliation: str | None
    affiliation_inferred: bool
    external_id: str | None
    aliases: list[str]
    roles: list[dict[str, Any]]
    mention_count: int
    article_count: int


@dataclass(frozen=True, slots=True)
class EntityMention(Record):
    """A mention of an entity in context: the text before it, the match and the text after it."""
    article: str
    title: str
    outlet: str
    text: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True, slots=True)
class EntityDetail(Entity):
    """An entity with its mentions in context and its events."""
    mentions: list[EntityMention]
    events: list[EventWithMentions]


@dataclass(frozen=True, slots=True)
class MentionSpan(Record):
    """Where an article names an entity."""
    entity_id: str
    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EntityArticles(Record):
    """An entity and the articles of one story naming it."""
    id: str
    name: str
    type: str
    articles: set[str]


# ------------------------------------------------------------------ changes and problems


@dataclass(frozen=True, slots=True)
class Change(Record):
    """A row of ``changes``: what happened to an item, when (``detail`` says more, kind by kind)."""
    id: int
    at: str
    kind: str
    item: str
    story: str | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Problem(Record):
    """Something that could not be read or was left out."""
    at: str
    source: str
    code: str
    message: str
