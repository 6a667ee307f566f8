"""Content words of a text in its language: spaCy's stop lists, no model loaded."""
from __future__ import annotations

import re

from spacy.util import get_lang_class

_STOP_WORDS_CACHE: dict[str, frozenset[str]] = {}


def stop_words(language: str) -> frozenset[str]:
    if language not in _STOP_WORDS_CACHE:
        try:
            words = get_lang_class(language).Defaults.stop_words
        except Exception:  # spaCy has no stop list for this language code
            words = set()
        _STOP_WORDS_CACHE[language] = frozenset(w.lower() for w in words)
    return _STOP_WORDS_CACHE[language]


_CONTENT_WORD = re.compile(r"^[^\W\d_]{4,}$")


def content_words(lemmas: list[str], language: str) -> list[str]:
    stops = stop_words(language)
    return [w for w in (lemma.lower() for lemma in lemmas) if _CONTENT_WORD.match(w) and w not in stops]
