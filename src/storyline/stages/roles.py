"""Titles and roles next to a person's name, and the country they point to.

"Secretary of the National Security and Defense Council Rustem Umerov",
"Rustem Umerov, the secretary of Ukraine's national security council",
"US special envoy Steve Witkoff", "помощник президента РФ Юрий Ушаков": the
role phrase is the run of title words, capitalised words and connectors that
touches the name (before it, or as an appositive after it) and contains at
least one role word from ``data/roles.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from .names import fold, is_cyrillic

_CONNECTORS = {"of", "the", "for", "and", "to", "on", "in", "at", "de", "da", "do", "dos", "&", "'s", "’s",
               "з", "із", "у", "в", "по", "и", "і", "та", "с", "для"}
_STOP_BEFORE = {"said", "says", "told", "met", "with", "by", "and", "while", "as", "that", "when", "from",
                "including", "between", "whom", "who", "was", "is", "were", "are", "has", "had", "have", "after",
                "before", "about", "than", "also", "then", "but", "или", "и", "і", "та", "що", "что", "із", "з"}
_WORD = re.compile(r"[\w][\w'’\-.]*|,|\(|\)", re.UNICODE)


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("storyline").joinpath("data/roles.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def role_words(language: str) -> frozenset[str]:
    data = _data()["role_words"]
    words = set(data.get("en", []))
    words |= set(data.get(language, []))
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=None)
def _honorific_regex() -> re.Pattern:
    words = set()
    for values in _data()["honorifics"].values():
        words |= {w for w in values if w not in ("he", "she")}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{alternation})\.?\s+)+", re.IGNORECASE)


def strip_honorifics(name: str) -> tuple[str, int]:
    """('Mr Steve Witkoff' -> 'Steve Witkoff', offset 3); a lone honorific is kept as is."""
    match = _honorific_regex().match(name)
    if not match or match.end() >= len(name):
        return name, 0
    rest = name[match.end():]
    if not rest[:1].isupper():
        return name, 0
    return rest, match.end()


@lru_cache(maxsize=None)
def org_words(language: str) -> frozenset[str]:
    data = _data()["org_words"]
    return frozenset(fold(w) for w in set(data.get("en", [])) | set(data.get(language, [])))


def _is_role_word(word: str, language: str, lemma: str | None = None) -> bool:
    roles = role_words(language)
    folded = fold(word).strip(".")
    if folded in roles or (lemma and fold(lemma) in roles):
        return True
    # compounds: "son-in-law", "vice-president", "спецпосланець"
    return any(part in roles for part in folded.split("-") if len(part) > 3)


def role_before(sentence: str, name_start: int, language: str, lemmas: dict[int, str] | None = None) -> str:
    """The role phrase that ends right before the name (offsets relative to the sentence)."""
    words = [(m.group(), m.start()) for m in _WORD.finditer(sentence, 0, name_start)]
    kept: list[tuple[str, int]] = []
    saw_comma = False
    for word, start in reversed(words[-14:]):
        lowered = fold(word)
        if word == ",":
            if kept or saw_comma:
                break
            saw_comma = True  # "..., the Secretary of the NSDC, Rustem Umerov"
            continue
        if word in "()":
            continue
        lemma = (lemmas or {}).get(start)
        if lowered in _STOP_BEFORE and not kept:
            break
        if _is_role_word(word, language, lemma) or word[:1].isupper() or lowered in _CONNECTORS or (
                language in ("uk", "ru") and word.isalpha() and len(kept) < 6):
            if lowered in _STOP_BEFORE:
                break
            kept.append((word, start))
            continue
        break
    kept.reverse()
    while kept and fold(kept[0][0]) in _CONNECTORS:
        kept.pop(0)
    while kept and fold(kept[-1][0]) in _CONNECTORS:
        kept.pop()
    if not kept or not any(_is_role_word(w, language, (lemmas or {}).get(s)) for w, s in kept):
        return ""
    start = kept[0][1]
    end = kept[-1][1] + len(kept[-1][0])
    phrase = sentence[start:end].strip(" ,")
    return phrase if len(phrase.split()) <= 14 else ""


_APPOSITIVE = re.compile(r"^\s*,\s+(?:the\s+|a\s+|an\s+|who\s+is\s+(?:the\s+)?|who\s+was\s+(?:the\s+)?)?([^,;.()]{3,120}?)(?=\s*(?:,|;|\.|\)|$))")


def role_after(sentence: str, name_end: int, language: str) -> str:
    """An appositive after the name: 'Rustem Umerov, the secretary of Ukraine's national security council,'."""
    match = _APPOSITIVE.match(sentence[name_end:])
    if not match:
        return ""
    phrase = match.group(1).strip()
    words = phrase.split()
    if not words or not any(_is_role_word(w, language) for w in words[:4]):
        return ""
    if any(fold(w) in {"said", "says", "told", "met", "added", "noted", "заявив", "заявил", "сказав", "сказал"} for w in words):
        return ""
    return phrase


def roles_for(sentence: str, start: int, end: int, language: str, lemmas: dict[int, str] | None = None) -> str:
    return role_before(sentence, start, language, lemmas) or role_after(sentence, end, language)


def country_in_phrase(phrase: str) -> str | None:
    """The country a role phrase points to: 'US special envoy' -> United States, 'Ukraine's' -> Ukraine."""
    from .gazetteer import gazetteer

    gaz = gazetteer()
    for word in re.findall(r"[\w.’'\-]+", phrase):
        word = re.sub(r"['’]s$", "", word)
        if len(word) < 2 or not (word[:1].isupper() or len(word) > 4):
            continue
        if not word[:1].isupper() and not is_cyrillic(word):
            continue  # "special", "senior": lower-case Latin words are no demonyms
        place = gaz.lookup(word) if word[:1].isupper() else None
        if place is not None and place.kind == "country":
            return place.name
        if place is not None and place.kind == "city" and place.population >= 1_000_000 and place.country:
            return place.country  # "Kyiv's armed forces"
        country = gaz.country_of_demonym(word)
        if country is not None:
            return country.name
    return None
