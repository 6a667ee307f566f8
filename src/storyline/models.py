"""Typed records passed between pipeline stages.

Per-article records (RawDoc -> Article -> Analysis) are produced without the
store; corpus records (Entity, Event, Story, Claim, Conflict) are built by the
corpus stages from everything stored.  Offsets are character offsets into
``Article.text`` (the cleaned text) unless a name says otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

ENTITY_TYPES = ("PERSON", "ORG", "PLACE")
EVENT_TYPES = ("meeting", "visit", "call", "statement", "proposal", "agreement")
ENCOUNTER_TYPES = ("meeting", "visit", "call")
DATE_STATUSES = ("happened", "scheduled", "cancelled", "unknown")
CLAIM_STATUSES = ("corroborated", "single_source", "contested", "superseded")


@dataclass(frozen=True)
class RawDoc:
    """One article as a source delivered it, before cleaning."""

    source: str  # file path or URL, for messages and provenance
    content: str  # decoded text (plain text or HTML)
    kind: str  # "text" or "html"
    doc_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # as given by the source (ISO date or free text)
    language: str | None = None
    title: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned article with recovered metadata.

    ``offsets`` maps the cleaned text back to ``original``: each triple
    ``(clean_start, original_start, length)`` is a run of characters copied
    unchanged.
    """

    id: str
    text: str
    original: str
    offsets: tuple[tuple[int, int, int], ...]
    title: str = ""
    url: str | None = None
    outlet: str = ""
    author: str | None = None
    published: date | None = None
    published_source: str = "unknown"  # manifest, html, text, url, inferred, unknown
    language: str = "und"
    language_source: str = "detected"
    source: str = ""
    fingerprint: str = ""
    paragraph_languages: tuple[str, ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a cleaned-text span to the original text, when it lies in one run."""
        for clean_start, orig_start, length in self.offsets:
            if clean_start <= start and end <= clean_start + length:
                return orig_start + start - clean_start, orig_start + end - clean_start
        return None


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A name found in an article: the surface form and what the NLP thought of it."""

    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, PLACE (model label mapped), or NORP for adjectives
    sentence: int
    lemma: str = ""  # base form for inflected languages (Врастеком -> Врастек)
    role: str = ""  # a title next to the name: "Secretary of the NSDC"
    affiliation_hint: str = ""  # "Ukrainian" in "Ukrainian negotiator X"
    source: str = "model"  # model, rule, gazetteer, known
    variants: tuple[str, ...] = ()  # other candidate base forms (inflected languages): chosen across the corpus

    @property
    def key_text(self) -> str:
        return self.lemma or self.text


@dataclass(frozen=True)
class TimeExpr:
    """A date expression and the calendar span it resolves to (None until an anchor is known)."""

    start: int
    end: int
    text: str
    first: date | None
    last: date | None
    relative: bool = False  # resolved against the publication date
    sentence: int = -1
    certain: bool = True  # False for vague windows ("in the coming days")
    rule: str = ""  # how to resolve it against another anchor, for relative expressions
    borrowed: bool = False  # no date of its own: "Shortly before ...", "During the talks" take an earlier one


@dataclass(frozen=True)
class EventMention:
    """One sentence reporting a happening."""

    sentence: int
    sentence_text: str
    type: str
    plover: str
    trigger: str
    trigger_start: int
    first: date | None = None
    last: date | None = None
    date_text: str = ""
    date_certain: bool = True
    status: str = "unknown"
    place: int | None = None  # index into Analysis.mentions
    participants: tuple[int, ...] = ()  # indices into Analysis.mentions
    parties: tuple[str, ...] = ()  # country names from adjectives / delegations
    attribution: str = ""
    ordinal: int | None = None  # "the sixth meeting"
    date_rule: str = ""  # the relative rule behind first/last, to re-anchor when the publication date changes
    future: bool = False  # the clause speaks of the future (announced, not yet held)
    # what the date stands on: "stated" (the sentence names the day), "relative" (resolved on the
    # publication date), "borrowed" (from an earlier sentence of the article), "" (no date)
    date_basis: str = ""


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    sentence: int
    speaker: int | None = None  # index into Analysis.mentions
    meaning: str = ""  # base64 float16 sentence embedding, computed once at analysis


@dataclass(frozen=True)
class Fact:
    """A checkable value stated in a sentence: '28-point plan', a count, a date."""

    sentence: int
    attribute: str  # plan_points, ...
    value: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Analysis:
    """Everything the per-article stages derived from one article."""

    article_id: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    events: tuple[EventMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    facts: tuple[Fact, ...] = ()
    version: str = ""
    skipped: str = ""  # why the per-article stages left the article out (over its time budget), or ""
    limited: str = ""  # what the per-article stages left out of an article they kept (too many names), or ""


# ---------------------------------------------------------------- corpus level


@dataclass
class EntityMentionRef:
    article: str
    text: str
    start: int
    end: int
    sentence: int = -1


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[EntityMentionRef] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role, article id)
    affiliation: str | None = None
    affiliation_inferred: bool = True
    external_id: str | None = None  # gazetteer id for places
    derived_aliases: list[str] = field(default_factory=list)  # names not seen alone, e.g. a bare surname


@dataclass
class EventSource:
    article: str
    sentence: int
    text: str
    date_text: str = ""
    status: str = "unknown"
    attribution: str = ""
    date: str | None = None  # the day or span this sentence gives
    # stated, relative, relative_inferred (on an inferred publication date), borrowed, none
    date_basis: str = "none"


@dataclass
class Event:
    id: str
    type: str
    plover: str
    first: date | None
    last: date | None
    status: str
    place: str | None
    participants: list[str]
    parties: list[str]
    summary: str
    mentions: list[EventSource]
    independent_sources: int = 0
    story: str | None = None
    # what each article says, for cross-checking: place name / date / ordinal -> article ids
    place_reports: dict[str, list[str]] = field(default_factory=dict)
    date_reports: dict[str, list[str]] = field(default_factory=dict)
    ordinal_reports: dict[int, list[str]] = field(default_factory=dict)
    thin: bool = False  # too little said to show on a timeline (kept for cross-checking)
    confidence: float = 0.0  # from the evidence: outlets stating the date, guessed dates, disagreement

    @property
    def date_text(self) -> str | None:
        if self.first is None or self.last is None:
            return None
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


@dataclass
class Story:
    id: str
    title: str
    articles: list[str]
    first_seen: date | None = None
    last_seen: date | None = None


@dataclass
class Claim:
    id: str
    subject: str  # event id, entity id or a topic
    attribute: str
    value: str
    status: str
    articles: list[str]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    story: str | None = None


@dataclass
class Conflict:
    id: str
    topic: str
    values: list[dict[str, Any]]
    subject: str | None = None
    attribute: str | None = None
    story: str | None = None
    note: str = ""
