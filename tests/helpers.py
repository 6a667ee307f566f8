"""Build Articles by hand for stage tests."""
from __future__ import annotations

from datetime import date

from storyline.article.clean import clean
from storyline.models import RawDoc


def article(text: str, published: str | None = "2014-03-05", article_id: str = "a1", outlet: str = "Harbour Times",
            language: str = "en"):
    return clean(RawDoc(source=f"test:{article_id}", content=text, kind="text", doc_id=article_id,
                        outlet=outlet, published=published, language=language))


def day(text: str) -> date:
    return date.fromisoformat(text)
