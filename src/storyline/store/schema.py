"""Tables of the store (SQLAlchemy Core), shared by SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def varchar(length: int):
    """A string column: VARCHAR(length) on SQLite, which never enforces the length, TEXT on PostgreSQL,
    which would -- so both stores accept the same values (an id from a dump may be long)."""
    return String(length).with_variant(Text(), "postgresql")


articles = Table(
    "articles", metadata,
    Column("id", varchar(200), primary_key=True),
    Column("seq", Integer, nullable=False, index=True),  # arrival order
    Column("url", Text),
    Column("outlet", Text, nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("author", Text),
    Column("published", varchar(10), index=True),
    Column("published_source", varchar(40), nullable=False, default="unknown"),
    Column("language", varchar(12), nullable=False, default="und"),
    Column("language_source", varchar(60), nullable=False, default="detected"),
    Column("paragraph_languages", Text, nullable=False, default="[]"),
    Column("source", Text, nullable=False, default=""),
    Column("fingerprint", varchar(40), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("original", Text, nullable=False),
    Column("offsets", Text, nullable=False, default="[]"),
    Column("raw", Text),  # the HTML a page came as, when it was HTML
    Column("ingested_at", varchar(32), nullable=False),
    Column("story", varchar(40), index=True),
    Column("duplicate_of", varchar(200), index=True),
    Column("duplicate_score", Float),
)

analyses = Table(
    "analyses", metadata,
    Column("article_id", varchar(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", varchar(40), nullable=False),
    Column("data", Text, nullable=False),
)

features = Table(
    "features", metadata,
    Column("article_id", varchar(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
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
    Column("id", varchar(40), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_seen", varchar(10)),
    Column("last_seen", varchar(10)),
    Column("size", Integer, nullable=False, default=0),
    Column("updated_at", varchar(32)),
)

entities = Table(
    "entities", metadata,
    Column("id", varchar(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", varchar(12), nullable=False, index=True),
    Column("affiliation", Text),
    Column("affiliation_inferred", Boolean, nullable=False, default=True),
    Column("external_id", varchar(60)),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("roles", Text, nullable=False, default="[]"),
    Column("mention_count", Integer, nullable=False, default=0),
    Column("article_count", Integer, nullable=False, default=0),
)

entity_mentions = Table(
    "entity_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", varchar(40), ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", varchar(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("sentence", Integer, nullable=False, default=-1),
)

events = Table(
    "events", metadata,
    Column("id", varchar(40), primary_key=True),
    Column("type", varchar(20), nullable=False, index=True),
    Column("plover", varchar(20), nullable=False, default=""),
    Column("first", varchar(10), index=True),
    Column("last", varchar(10)),
    Column("status", varchar(12), nullable=False, default="unknown"),
    Column("place", Text),
    Column("participants", Text, nullable=False, default="[]"),
    Column("participant_ids", Text, nullable=False, default="[]"),
    Column("parties", Text, nullable=False, default="[]"),
    Column("summary", Text, nullable=False, default=""),
    Column("independent_sources", Integer, nullable=False, default=0),
    Column("story", varchar(40), index=True),
    Column("confidence", Float, nullable=False, default=0.0),
)

event_mentions = Table(
    "event_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", varchar(40), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", varchar(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sentence", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("date_text", Text, nullable=False, default=""),
    Column("status", varchar(12), nullable=False, default="unknown"),
    Column("attribution", Text, nullable=False, default=""),
    Column("date_basis", varchar(20), nullable=False, default="none"),
)

claims = Table(
    "claims", metadata,
    Column("id", varchar(40), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("attribute", varchar(60), nullable=False),
    Column("value", Text, nullable=False),
    Column("status", varchar(20), nullable=False),
    Column("articles", Text, nullable=False, default="[]"),
    Column("sentences", Text, nullable=False, default="[]"),
    Column("story", varchar(40), index=True),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", varchar(40), primary_key=True),
    Column("topic", Text, nullable=False),
    Column("subject", Text),
    Column("attribute", varchar(60)),
    Column("values", Text, nullable=False, default="[]"),
    Column("story", varchar(40), index=True),
    Column("note", Text, nullable=False, default=""),
)

# What changed and when: the basis of "what's new since T".
changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", varchar(32), nullable=False, index=True),
    Column("kind", varchar(40), nullable=False),
    Column("item", varchar(200), nullable=False),
    Column("story", varchar(40), index=True),
    Column("detail", Text, nullable=False, default="{}"),
)

problems = Table(
    "problems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", varchar(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("code", varchar(10), nullable=False),
    Column("message", Text, nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", varchar(80), primary_key=True),
    Column("value", Text, nullable=False),
)

migrations = Table(
    "migrations", metadata,
    Column("name", varchar(120), primary_key=True),
    Column("applied_at", varchar(32), nullable=False),
)

Index("ix_articles_url", articles.c.url)
Index("ix_articles_story_outlet", articles.c.story, articles.c.outlet)
UniqueConstraint(entity_mentions.c.entity_id, entity_mentions.c.article_id, entity_mentions.c.start)
