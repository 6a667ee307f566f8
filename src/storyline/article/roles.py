"""Titles and roles next to a person's name, and the country they point to.

"Secretary of the National Security and Defense Council Anna Varga",
"Anna Varga, the secretary of Valdoria's national security council",
"US special envoy Tomas Ebbing", "помощник президента РФ Павел Врастек": the
role phrase is the run of title words, capitalised words and connectors that
touches the name (before it, or as an appositive after it) and contains at
least one role word of the language (``storyline/lang/<code>.yaml``, section ``roles``).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from storyline.common.gazetteer import gazetteer
from storyline.common.names import fold, is_cyrillic
from storyline.lang import get as lang_of
from storyline.lang import roles_rules

_CONNECTORS = {"of", "the", "for", "and", "to", "on", "in", "at", "de", "da", "do", "dos", "&", "'s", "’s",
               "з", "із", "у", "в", "по", "и", "і", "та", "с", "для"}
_STOP_BEFORE = {"said", "says", "told", "met", "with", "by", "and", "while", "as", "that", "when", "from",
                "including", "between", "whom", "who", "was", "is", "were", "are", "has", "had", "have", "after",
                "before", "about", "than", "also", "then", "but", "или", "и", "і", "та", "що", "что", "із", "з"}
_WORD = re.compile(r"[\w][\w'’\-.]*|,|\(|\)", re.UNICODE)


@lru_cache(maxsize=1)
def _data() -> dict:
    """Honorifics, role and organisation words by language (storyline/lang/), checked against their schema."""
    return roles_rules()


@cache
def role_words(language: str) -> frozenset[str]:
    data = _data()["role_words"]
    words = set(data.get("en", []))
    words |= set(data.get(language, []))
    return frozenset(fold(w) for w in words)


@cache
def _honorific_regex() -> re.Pattern:
    words = set()
    for values in _data()["honorifics"].values():
        words |= {w for w in values if w not in ("he", "she")}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # a title may carry a short prefix of letters and a hyphen: "US-Präsident", "Ex-President"
    return re.compile(rf"^(?:(?:[^\W\d_]{{1,6}}-)?(?:{alternation})\.?\s+)+", re.IGNORECASE)


def strip_honorifics(name: str) -> tuple[str, int]:
    """('Mr Tomas Ebbing' -> 'Tomas Ebbing', offset 3); a lone honorific is kept as is."""
    match = _honorific_regex().match(name)
    if not match or match.end() >= len(name):
        return name, 0
    rest = name[match.end():]
    if not rest[:1].isupper():
        return name, 0
    return rest, match.end()


@cache
def org_words(language: str) -> frozenset[str]:
    data = _data()["org_words"]
    return frozenset(fold(w) for w in set(data.get("en", [])) | set(data.get(language, [])))


@cache
def facility_words() -> tuple[tuple[str, ...], ...]:
    """The facility words of every language, each as its folded words ("convention centre" -> ("convention",
    "centre")), longest first."""
    words = {tuple(fold(w).split()) for values in _data().get("facility_words", {}).values() for w in values}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def is_facility(name: str) -> bool:
    """Whether a name of several words names a venue: it starts or ends with a facility word ("Gimhae
    International Airport", "Musée du Louvre", "аэропорт Внуково")."""
    words = fold(name).replace("-", " ").split()
    if len(words) < 2:
        return False
    return any(words[:len(f)] == list(f) or words[-len(f):] == list(f) for f in facility_words() if len(f) < len(words))


def is_role_word(word: str, language: str, lemma: str | None = None) -> bool:
    roles = role_words(language)
    folded = fold(word).strip(".")
    if folded in roles or (lemma and fold(lemma) in roles):
        return True
    # compounds: "son-in-law", "vice-president", "спецпосланець"
    return any(part in roles for part in folded.split("-") if len(part) > 3)


# A character no word token holds: the scan of _WORD from the start of the sentence and a scan from
# just after such a character find the same tokens from there on.
_OUTSIDE_WORDS = re.compile(r"[^\w'’\-.]")


def _words_before(sentence: str, end: int, count: int) -> list[tuple[str, int]]:
    """The last ``count`` tokens (_WORD) before ``end``, as a scan from the sentence's start finds them.

    Only the text just before ``end`` is scanned: a sentence with thousands of names in it (a list)
    was scanned from its start once for each name.
    """
    window = 32 * count
    while True:
        low = max(0, end - window)
        boundary = 0 if low == 0 else _OUTSIDE_WORDS.search(sentence, low, end)
        if boundary is not None:
            start = boundary if low == 0 else boundary.end()
            words = [(m.group(), m.start()) for m in _WORD.finditer(sentence, start, end)]
            if low == 0 or len(words) >= count:
                return words[-count:]
        window *= 4


def role_before(sentence: str, name_start: int, language: str, lemmas: dict[int, str] | None = None) -> str:
    """The role phrase that ends right before the name (offsets relative to the sentence)."""
    kept: list[tuple[str, int]] = []
    saw_comma = False
    edge = name_start  # where the words kept so far begin: a line break between ends the phrase
    for word, start in reversed(_words_before(sentence, name_start, 14)):
        if "\n" in sentence[start + len(word):edge]:
            break  # "... продуктивно\n\nСпецпосланник X": a heading or paragraph is no part of the title
        edge = start
        lowered = fold(word)
        if word == ",":
            if kept or saw_comma:
                break
            saw_comma = True  # "..., the Secretary of the NSDC, Anna Varga"
            continue
        if word in "()":
            continue
        lemma = (lemmas or {}).get(start)
        if lowered in _STOP_BEFORE and not kept:
            break
        if is_role_word(word, language, lemma) or word[:1].isupper() or lowered in _CONNECTORS or (
                lang_of(language).roles.lowercase_phrases and word.isalpha() and len(kept) < 6):
            if lowered in _STOP_BEFORE:
                break
            kept.append((word, start))
            continue
        break
    kept.reverse()
    if len(kept) >= 2 and _given_name_like(kept[-1][0], language, (lemmas or {}).get(kept[-1][1])):
        kept.pop()  # "head of the Office of the President of Valdoria Pavel" before a surname alone
    while kept and fold(kept[0][0]) in _CONNECTORS:
        kept.pop(0)
    while kept and fold(kept[-1][0]) in _CONNECTORS:
        kept.pop()
    if not kept or not any(is_role_word(w, language, (lemmas or {}).get(s)) for w, s in kept):
        return ""
    start = kept[0][1]
    end = kept[-1][1] + len(kept[-1][0])
    phrase = sentence[start:end].strip(" ,")
    return phrase if len(phrase.split()) <= 14 else ""


def _given_name_like(word: str, language: str, lemma: str | None) -> bool:
    """The last capitalised word of a title run touching a surname is the person's given name, not part of
    the title, unless it is a role or organisation word, an acronym, a place or a country's adjective."""
    if not word[:1].isupper() or word.isupper() or not word.isalpha():
        return False
    folded = fold(word)
    if is_role_word(word, language, lemma) or folded in org_words(language) or folded in _CONNECTORS:
        return False
    gaz = gazetteer()
    return gaz.lookup(word) is None and gaz.country_of_demonym(word) is None


# An appositive: ", the secretary of ...," after a name.  It was one pattern,
# r"^\s*,\s+(?:the\s+|...)?([^,;.()]{3,120}?)(?=...)", matched on the rest of the sentence (a copy
# of it for every name), whose \s+ and phrase both take spaces: after a long run of spaces it tried
# every split of the run.  Now the comma is found first, and the phrase is tried after the whole run
# of spaces and after giving back 1, 2 or 3 of them ("Jane Roe, MP, said": the phrase " MP" needs one),
# in that order, as the pattern's backtracking did; giving back more never finds another phrase.
_NOT_SPACE = re.compile(r"\S")
_SPACES = re.compile(r"\s*")
# The phrase ends on a letter (or whatever is not a space), or is three characters not all spaces: a
# longer phrase ending on a space would have matched one character shorter, and three spaces say
# nothing.  So the look past its end, over any spaces, is made from the end of a word only, not from
# every space of a long run.
_APPOSITIVE = re.compile(r"(?:the\s+|a\s+|an\s+|who\s+is\s+(?:the\s+)?|who\s+was\s+(?:the\s+)?)?"
                         r"([^,;.()]{3}(?<!\s\s\s)|[^,;.()]{2,119}?[^,;.()\s])(?=\s*(?:,|;|\.|\)|$))")


def _appositive(sentence: str, name_end: int) -> re.Match | None:
    comma = _NOT_SPACE.search(sentence, name_end)
    if comma is None or comma.group() != ",":
        return None
    after = comma.end()
    run = _SPACES.match(sentence, after).end() - after
    for taken in range(run, max(run - 4, 0), -1):
        match = _APPOSITIVE.match(sentence, after + taken)
        if match:
            return match
    return None


def role_after(sentence: str, name_end: int, language: str) -> str:
    """An appositive after the name: 'Anna Varga, the secretary of Valdoria's national security council,'."""
    match = _appositive(sentence, name_end)
    if not match:
        return ""
    phrase = match.group(1).strip()
    words = phrase.split()
    if not words or not any(is_role_word(w, language) for w in words[:4]):
        return ""
    if any(fold(w) in {"said", "says", "told", "met", "added", "noted", "заявив", "заявил", "сказав", "сказал"}
           for w in words):
        return ""
    return phrase


def roles_for(sentence: str, start: int, end: int, language: str, lemmas: dict[int, str] | None = None) -> str:
    return role_before(sentence, start, language, lemmas) or role_after(sentence, end, language)


def country_in_phrase(phrase: str) -> str | None:
    """The country a role phrase points to: 'US special envoy' -> United States, 'Ukraine's' -> Ukraine."""
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
