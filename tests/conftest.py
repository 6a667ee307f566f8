"""Shared fixtures: stores are real SQLite files in a temporary folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.models import Analysis, Mention, Sentence

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def make_analysis(article_id: str, names: list[tuple[str, str]], text: str | None = None,
                  roles: dict[str, str] | None = None) -> Analysis:
    """An Analysis built by hand: one sentence holding the given (name, label) mentions."""
    roles = roles or {}
    body = text or " ; ".join(n for n, _ in names)
    mentions = []
    position = 0
    for name, label in names:
        start = body.find(name, position)
        if start < 0:
            start = body.find(name)
        position = start + len(name)
        mentions.append(Mention(start, start + len(name), name, label, 0, role=roles.get(name, "")))
    return Analysis(article_id, (Sentence(0, 0, len(body), body),), tuple(mentions))


def shared_corpus(name: str) -> Path:
    path = SHARED / name
    if not (path / "articles.jsonl").is_file():
        pytest.skip(f"shared corpus {name} is not available here")
    return path


@pytest.fixture(autouse=True, scope="session")
def _quiet_environment():
    os.environ.setdefault("STORYLINE_PROGRESS", "0")
    yield
