"""Every read function in one import: ``from storyline.read import queries``, then ``queries.timeline(store, ...)``.

The functions live in the modules of their topic (see ``storyline.read``); each returns records
(``storyline.read.records``), counts, or dicts of records by id.
"""
from __future__ import annotations

from storyline.read.articles import (
    articles_by_id,
    articles_metadata,
    get_article,
    list_articles,
    outlet_summary,
    outlet_urls,
    outlets,
)
from storyline.read.base import count, exists
from storyline.read.changes import changes_since, last_change_id, problems
from storyline.read.claims import claim_subjects, claims, claims_by_id, conflicts, revisions
from storyline.read.entities import (
    count_entities,
    entities,
    entities_by_id,
    entities_in_story,
    entity_types,
    get_entity,
    mention_counts,
    mention_spans,
)
from storyline.read.events import count_events, events_by_id, get_event, timeline, timeline_points
from storyline.read.framing import article_lengths, entity_articles, event_articles, story_events, story_texts
from storyline.read.search import count_search, parse_query, search, search_terms
from storyline.read.stories import get_story, list_stories, story_outlets, story_row

__all__ = [
    # stories
    "list_stories", "get_story", "story_row", "story_outlets",
    # events
    "timeline", "count_events", "timeline_points", "get_event", "events_by_id",
    # entities
    "entities", "count_entities", "entity_types", "get_entity", "entities_by_id", "entities_in_story",
    "mention_counts", "mention_spans",
    # articles and outlets
    "get_article", "list_articles", "articles_by_id", "articles_metadata", "outlets", "outlet_summary",
    "outlet_urls",
    # full-text search
    "search", "count_search", "parse_query", "search_terms",
    # claims and conflicts
    "claims", "claims_by_id", "claim_subjects", "conflicts", "revisions",
    # changes and problems
    "changes_since", "last_change_id", "problems",
    # what the framing report reads
    "story_texts", "story_events", "event_articles", "entity_articles", "article_lengths",
    # any table
    "count", "exists",
]
