"""Tables of the store (SQLAlchemy Core), shared by SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table,
                        Text, UniqueConstraint)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(200), primary_key=True),
    Column("seq", Integer, nullable=False, index=True),  # arrival order
    Column("url", Text),
    Column("outlet", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("author", Text),
    Column("published", String(10), index=True),
    Column("published_source", String(40), nullable=False, default="unknown"),
    Column("language", String(12), nullable=False, default="und"),
    Column("language_source", String(60), nullable=False, default="detected"),
    Column("paragraph_languages", Text, nullable=False, default="[]"),
    Column("source", Text, nullable=False, default=""),
    Column("fingerprint", String(40), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("original", Text, nullable=False),
    Column("offsets", Text, nullable=False, default="[]"),
    Column("raw", Text),  # the HTML a page came as, when it was HTML
    Column("ingested_at", String(32), nullable=False),
    Column("story", String(40), index=True),
    Column("duplicate_of", String(200), index=True),
    Column("duplicate_score", Float),
)

analyses = Table(
    "analyses", metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String(40), nullable=False),
    Column("data", Text, nullable=False),
)

features = Table(
    "features", metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("names", Text, nullable=False),
    Column("words", Text, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("paragraphs", Text, nullable=False, default="[]"),
    Column("meaning", LargeBinary),  # sentence embedding of title and lede (float16)
    Column("deduped", Boolean, nullable=False, default=False),
    Column("clustered", Boolean, nullable=False, default=False),
)

stories = Table(
    "stories", metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("size", Integer, nullable=False, default=0),
    Column("updated_at", String(32)),
)

entities = Table(
    "entities", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(12), nullable=False, index=True),
    Column("affiliation", Text),
    Column("affiliation_inferred", Boolean, nullable=False, default=True),
    Column("external_id", String(60)),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("roles", Text, nullable=False, default="[]"),
    Column("mention_count", Integer, nullable=False, default=0),
    Column("article_count", Integer, nullable=False, default=0),
)

entity_mentions = Table(
    "entity_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", String(40), ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("sentence", Integer, nullable=False, default=-1),
)

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(20), nullable=False, index=True),
    Column("plover", String(20), nullable=False, default=""),
    Column("first", String(10), index=True),
    Column("last", String(10)),
    Column("status", String(12), nullable=False, default="unknown"),
    Column("place", Text),
    Column("participants", Text, nullable=False, default="[]"),
    Column("participant_ids", Text, nullable=False, default="[]"),
    Column("parties", Text, nullable=False, default="[]"),
    Column("summary", Text, nullable=False, default=""),
    Column("independent_sources", Integer, nullable=False, default=0),
    Column("story", String(40), index=True),
)

event_mentions = Table(
    "event_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sentence", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("date_text", Text, nullable=False, default=""),
    Column("status", String(12), nullable=False, default="unknown"),
    Column("attribution", Text, nullable=False, default=""),
)

claims = Table(
    "claims", metadata,
    Column("id", String(40), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("attribute", String(60), nullable=False),
    Column("value", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("articles", Text, nullable=False, default="[]"),
    Column("sentences", Text, nullable=False, default="[]"),
    Column("story", String(40), index=True),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", String(40), primary_key=True),
    Column("topic", Text, nullable=False),
    Column("subject", Text),
    Column("attribute", String(60)),
    Column("values", Text, nullable=False, default="[]"),
    Column("story", String(40), index=True),
    Column("note", Text, nullable=False, default=""),
)

# What changed and when: the basis of "what's new since T".
changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("item", String(200), nullable=False),
    Column("story", String(40), index=True),
    Column("detail", Text, nullable=False, default="{}"),
)

problems = Table(
    "problems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("code", String(10), nullable=False),
    Column("message", Text, nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)

migrations = Table(
    "migrations", metadata,
    Column("name", String(120), primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

Index("ix_articles_url", articles.c.url)
Index("ix_articles_story_outlet", articles.c.story, articles.c.outlet)
UniqueConstraint(entity_mentions.c.entity_id, entity_mentions.c.article_id, entity_mentions.c.start)
