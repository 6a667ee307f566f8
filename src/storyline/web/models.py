"""Response models of the JSON API: they document /openapi.json and shape every .json response.

Models allow extra keys so that a column added to the store shows up in the
API without a second codebase to update.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(Item):
    total: int = Field(description="Rows matching the filters, before paging.")
    limit: int
    offset: int


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="S0xx for store errors (see errors.py), bad_parameter, not_found, ...")
    message: str
    details: list[dict[str, Any]] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter has a value that cannot be used."},
    404: {"model": ErrorBody, "description": "No such item in the store."},
    422: {"model": ErrorBody, "description": "A parameter has the wrong type or is out of range."},
}


# ------------------------------------------------------------------ stories
class StoryRow(Item):
    id: str
    title: str
    first_seen: str | None = None
    last_seen: str | None = None
    size: int = Field(description="Articles in the story.")
    updated_at: str | None = None
    events: int = Field(description="Dated events of the story: as many as its timeline lists.")
    outlets: int = Field(description="Distinct outlets reporting it.")


class StoryList(Page):
    items: list[StoryRow]


class ArticleRow(Item):
    id: str
    title: str
    outlet: str
    published: str | None = None
    language: str | None = None
    url: str | None = None
    story: str | None = None
    duplicate_of: str | None = None


class ArticleList(Page):
    items: list[ArticleRow]


class OutletCount(Item):
    outlet: str
    articles: int


# ------------------------------------------------------------------ events
class EventMention(Item):
    article_id: str
    sentence: int
    text: str
    date_text: str = ""
    status: str = "unknown"
    attribution: str = ""
    date_basis: str = Field("none", description=(
        "What this sentence's date stands on: stated, relative (on a known publication date), "
        "relative_inferred (on an inferred one), borrowed (from an earlier sentence) or none."))
    outlet: str = ""
    title: str = ""
    duplicate_of: str | None = None


class ClaimSentence(Item):
    article: str
    sentence: int | None = None
    text: str = ""


class Claim(Item):
    id: str
    subject: str
    attribute: str
    value: str
    status: str = Field(description="corroborated, single_source, contested or superseded.")
    articles: list[str]
    sentences: list[ClaimSentence]
    story: str | None = None


class Event(Item):
    id: str
    type: str
    plover: str | None = None
    first: str | None = None
    last: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD, or first/last for a span; null when undated.")
    status: str = Field(description="happened, scheduled, cancelled or unknown.")
    place: str | None = None
    participants: list[str]
    participant_ids: list[str | None]
    parties: list[Any]
    summary: str
    independent_sources: int
    story: str | None = None
    confidence: float = Field(0.0, description=(
        "0-1, from the evidence: outlets stating the date, dates resting on guesses, disagreement."))
    mentions: list[EventMention]


class EventList(Page):
    filters: dict[str, Any]
    items: list[Event]


class EventDetail(Event):
    claims: list[Claim]


class CoverageSegment(Item):
    key: str = Field(description="ISO country code (or the country as the user's outlet file gives it), or "
                                 "state, public, private; 'unknown' for outlets the outlet directory does not know.")
    label: str
    articles: int = Field(description="Articles, each syndicated copy folded into its original.")
    copies: int = Field(description="Syndicated copies folded into these articles.")
    share: float = Field(description="Percent of the story's articles.")
    outlets: list[str] = Field(description="The outlets of the segment, most articles first.")
    short: str | None = Field(None, description="A shorter label (the country code), for narrow segments.")


class Coverage(Item):
    articles: int = Field(description="The story's articles, syndicated copies folded into their originals.")
    copies: int
    outlets: int
    known_ownership: int = Field(description="Outlets whose ownership the outlet directory knows.")
    known_share: float = Field(description="Percent of the story's outlets whose ownership is known.")
    by_country: list[CoverageSegment] = Field(description="Articles by the outlet's country.")
    by_ownership: list[CoverageSegment] = Field(description="Articles by ownership: state, public, private, unknown.")
    profiles: list[dict[str, Any]] = Field(description="Each outlet of the story as the outlet directory knows it.")


class StoryDetail(Item):
    id: str
    title: str
    first_seen: str | None = None
    last_seen: str | None = None
    size: int
    updated_at: str | None = None
    sources: list[OutletCount] = Field(description="Outlets with their article counts in this story.")
    people: list[dict[str, Any]] = Field(description="The story's most mentioned people.")
    articles: ArticleList
    timeline: EventList
    claims: int
    conflicts: int
    coverage: Coverage | None = Field(None, description="Coverage by outlet country and by ownership.")


# ------------------------------------------------------------------ entities
class Role(Item):
    role: str
    article: str | None = None


class Entity(Item):
    id: str
    name: str
    type: str
    affiliation: str | None = None
    affiliation_inferred: bool = True
    external_id: str | None = None
    aliases: list[str]
    roles: list[Role]
    mention_count: int
    article_count: int


class EntityList(Page):
    items: list[Entity]


class EntityMention(Item):
    article: str
    title: str
    outlet: str
    text: str
    start: int
    end: int
    before: str
    match: str
    after: str


class EntityDetail(Entity):
    mentions: list[EntityMention]
    events: list[Event]


# ------------------------------------------------------------------ articles, outlets, search
class ArticleMention(Item):
    entity_id: str
    start: int
    end: int
    text: str
    type: str
    name: str


class ArticleEvent(Item):
    event_id: str
    sentence: int
    text: str
    type: str
    summary: str
    first: str | None = None
    last: str | None = None


class ArticleDetail(Item):
    id: str
    title: str
    outlet: str
    url: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str
    language: str
    text: str
    story: str | None = None
    duplicate_of: str | None = None
    mentions: list[ArticleMention] = Field(description="Entity mentions; start/end index into text.")
    events: list[ArticleEvent] = Field(description="The article's sentences that report events.")
    copies: list[str]


class Outlet(Item):
    outlet: str
    articles: int
    first: str | None = None
    last: str | None = None
    country: str | None = Field(None, description="The outlet's country (from the outlet directory); null: unknown.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the country.")
    ownership: str = Field("unknown", description="state, public, private, or unknown (not in the outlet "
                                                  "directory: never guessed from a web address).")
    group: str | None = Field(None, description="Parent group or owner.")
    state_affiliated: bool | None = None
    listed_as: str | None = Field(None, description="The outlet's name in the outlet directory.")


class OutletList(Page):
    items: list[Outlet]


class Problem(Item):
    at: str = Field(description="When it was recorded (UTC, ISO 8601).")
    source: str = Field(description="The file, URL, feed item or article concerned.")
    code: str = Field(description="The error code (S0xx, see the error catalogue).")
    message: str


class ProblemList(Page):
    items: list[Problem]


class OutletDetail(Outlet):
    stories: int
    items: ArticleList


class SearchHit(Item):
    id: str
    title: str
    outlet: str
    published: str | None = None
    story: str | None = None
    snippet: str = Field(description="Plain text around the matches.")
    highlights: list[list[int]] = Field(description="[start, end) offsets of the matches in snippet.")


class SearchResults(Page):
    q: str
    items: list[SearchHit]


class ClaimRow(Claim):
    subject: str = Field(description="What the claim is about, by name: an event's summary, a speaker, a story.")
    subject_id: str = Field(description="Its id: an event id, an entity id (a quote's speaker) or story:<id>; "
                                        "'unknown speaker' for a quote nobody is named for.")
    subject_type: str = Field(description="event, entity, story or other.")


class ClaimList(Page):
    items: list[ClaimRow]


class ConflictSource(Item):
    article: str
    outlet: str = ""
    title: str = ""
    sentences: list[str] = []


class ConflictSide(Item):
    value: str
    articles: list[str]
    sources: list[ConflictSource]


class Conflict(Item):
    id: str
    topic: str
    subject: str | None = None
    attribute: str | None = None
    story: str | None = None
    note: str = ""
    values: list[ConflictSide] = Field(description="Each value with the articles and sentences that state it.")


class RevisionStep(Item):
    value: str
    first_seen: str | None = Field(None, description="Earliest publication date of an article stating it.")
    last_seen: str | None = Field(None, description="Latest publication date of an article stating it.")
    articles: list[str]
    status: str = Field(description="superseded, or the standing value's own status.")


class Revision(Item):
    subject: str
    attribute: str
    topic: str
    story: str | None = None
    steps: list[RevisionStep] = Field(description="The values in the order they were first reported.")


class ConflictList(Page):
    items: list[Conflict]
    revisions: list[Revision] = Field([], description=(
        "Facts whose value changed over time (successive versions, not contradictions): not counted in total."))


class Change(Item):
    id: int
    at: str
    kind: str
    item: str
    story: str | None = None
    detail: dict[str, Any]


class ApiParameter(Item):
    name: str
    # ``in`` is a Python keyword: the field is read from the JSON key "in"
    location: str = Field(alias="in")


class ApiRoute(Item):
    path: str
    method: str
    summary: str
    description: str
    parameters: list[ApiParameter]


class ApiIndex(Item):
    title: str
    version: str
    description: str
    openapi: str = Field(description="The full OpenAPI 3 description.")
    routes: list[ApiRoute]


class ChangeList(Page):
    story: str
    since: str
    items: list[Change]
