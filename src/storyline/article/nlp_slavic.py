"""Russian and Ukrainian: natasha for sentences and names, pymorphy3 for lemmas.

natasha's NER is trained on Russian news; on Ukrainian it finds most names
but mislabels some places as people and glues neighbouring words onto spans,
so spans are trimmed and split here, and their type is checked against
pymorphy3's grammatical animacy and the gazetteer.  Name lemmas come from
pymorphy3's name tags (Name, Surn, Patr, Geox) in the article's language, with
suffix rules for surnames the dictionary does not know (Врастеком -> Врастек).
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache

from storyline.article.parsed import Parsed, SentenceIndex, Token
from storyline.article.roles import is_role_word
from storyline.common.gazetteer import gazetteer
from storyline.lang import get as lang_of
from storyline.models import Mention, Sentence

# (?<!\s): a separator starts where a run of spaces starts (the greedy \s+ takes the whole run
# anyway); from each space of a long run the run was scanned again.
_SPLIT = re.compile(r"(?<!\s)(?:\s+(?:і|й|та|и|а также|и также)\s+|\s*,\s*|\s*\n\s*)|[()]")
_EDGE = " \t\n,.;:!?\"'“”«»()[]{}—–-‘’"
NAME_TAGS = ("Name", "Surn", "Patr")
# Case endings of surnames declined like adjectives or short-form nouns, longest first:
# (ending, replacement) pairs that give the nominative masculine form.
_SURNAME_RULES = (
    ("ськими", "ський"), ("ським", "ський"), ("ського", "ський"), ("ському", "ський"), ("ській", "ська"),
    ("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ской", "ская"),
    ("овим", "ов"), ("евим", "ев"), ("євим", "єв"), ("ївим", "їв"), ("иним", "ин"), ("іним", "ін"),
    ("овым", "ов"), ("евым", "ев"), ("ёвым", "ёв"), ("иным", "ин"), ("ыным", "ын"),
    ("ового", "ов"), ("ова", "ов"), ("ову", "ов"), ("ові", "ов"), ("ове", "ов"), ("ева", "ев"), ("еву", "ев"),
    ("єва", "єв"), ("єву", "єв"), ("єві", "єв"), ("ина", "ин"), ("ину", "ин"), ("іна", "ін"), ("іну", "ін"),
    ("іні", "ін"), ("ине", "ин"), ("ове", "ов"), ("еве", "ев"),
    ("ом", ""), ("ем", ""), ("ым", ""), ("им", ""), ("ові", ""), ("еві", ""), ("у", ""), ("а", ""), ("ю", ""),
)


@lru_cache(maxsize=1)
def _natasha():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # deferred: natasha loads its models on import; only Slavic articles need them
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        return Segmenter(), NewsNERTagger(embedding)


@lru_cache(maxsize=2)
def morph(language: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pymorphy3  # deferred: its dictionaries take a second to load; Slavic articles only

        # a language without a dictionary of its own (storyline/lang/: morphology) is read with Russian's
        return pymorphy3.MorphAnalyzer(lang=lang_of(language).morphology or "ru")


@lru_cache(maxsize=100_000)
def _parses(word: str, language: str):
    return morph(language).parse(word)


def word_lemma(word: str, language: str) -> str:
    parses = _parses(word, language)
    return parses[0].normal_form if parses else word.lower()


def name_lemma(word: str, language: str, label: str) -> str:
    """Nominative form of one word of a name, keeping its capitalisation."""
    if not re.search(r"[а-яіїєґё]", word.lower()) or (word.isupper() and len(word) > 1):
        return word  # Latin words and abbreviations (РФПИ, СНБО) are not inflected here
    parses = _parses(word, language)
    wanted = ("Geox",) if label == "PLACE" else NAME_TAGS if label == "PERSON" else ("Orgn", "Abbr", "Geox")
    chosen = None
    for parse in parses:
        if _has(parse, *wanted):
            chosen = parse
            break
    if chosen is not None:
        lemma = chosen.normal_form
    elif label == "PERSON":
        lemma = surname_nominative(word.lower())
    else:
        nouns = [p for p in parses if _has(p, "NOUN") and p.score >= 0.1]
        lemma = nouns[0].normal_form if nouns else word.lower()
    return _recase(lemma, word)


# Endings a name may carry in an oblique case; stripping them gives candidate base forms.
_CASE_ENDINGS = ("ами", "ями", "ом", "ем", "ою", "ею", "ой", "ей", "ам", "ям", "ах", "ях",
                 "а", "я", "у", "ю", "е", "і", "и", "ы")
MAX_VARIANTS = 8


def word_variants(word: str, language: str, label: str) -> list[str]:
    """Candidate base forms of one word of a name: the dictionary's guesses, the surface itself,
    surname rules and bare stems.  Which is right is decided across the corpus: the form that
    other articles write as it is."""
    options = [name_lemma(word, language, label), word]
    for parse in _parses(word, language)[:3]:
        options.append(_recase(parse.normal_form, word))
    if label == "PERSON":
        options.append(_recase(surname_nominative(word.lower()), word))
    lowered = word.lower()
    for ending in _CASE_ENDINGS:
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 3:
            options.append(word[: len(word) - len(ending)])
            break
    seen: list[str] = []
    for option in options:
        if option and option not in seen:
            seen.append(option)
    return seen[:5]


def name_variants(words: list[str], language: str, label: str, lemma: str) -> tuple[str, ...]:
    per_word = [word_variants(w, language, label) for w in words]
    variants = [lemma]
    for index, options in enumerate(per_word):
        for option in options:
            candidate = lemma.split()
            if len(candidate) != len(words):
                candidate = [o[0] for o in per_word]
            candidate[index] = option
            joined = " ".join(candidate)
            if joined not in variants:
                variants.append(joined)
    return tuple(variants[:MAX_VARIANTS])


def surname_nominative(word: str) -> str:
    for ending, replacement in _SURNAME_RULES:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + replacement
    return word


def _recase(lemma: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return lemma.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in lemma.split("-"))
    return lemma


def _is_name_word(word: str, language: str) -> bool:
    """A capitalised word that is a name (or unknown to the dictionary), not a common word."""
    if not word[:1].isupper():
        return False
    if not re.search(r"[а-яіїєґё]", word.lower()):
        return True
    for parse in _parses(word, language)[:3]:
        if _has(parse, "Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "UNKN"):
            return True
    top = _parses(word, language)[0]
    return _has(top, "NOUN") and _has(top, "anim") or top.tag.POS is None


# Parts of speech no name takes: a capitalised verb, adverb or particle opening a line ("Читать далее").
_NOT_NAME_POS = frozenset({"INFN", "VERB", "GRND", "ADVB", "CONJ", "PREP", "PRCL", "INTJ", "PRED"})


def _function_word(word: str, language: str) -> bool:
    """A Cyrillic word whose likeliest reading is a verb, adverb or particle, and no reading a name."""
    if not re.search(r"[а-яіїєґё]", word.lower()):
        return False
    parses = _parses(word, language)
    if not parses or any(_has(p, "Name", "Surn", "Patr", "Geox", "Orgn", "Abbr") for p in parses[:3]):
        return False
    return parses[0].tag.POS in _NOT_NAME_POS


def _has(parse, *grammemes: str) -> bool:
    """Grammeme test that tolerates grammemes a language's dictionary does not define."""
    present = parse.tag.grammemes
    return any(g in present for g in grammemes)


def _animate(word: str, language: str) -> bool | None:
    for parse in _parses(word, language)[:2]:
        if _has(parse, "anim") and not _has(parse, "inan"):
            return True
        if _has(parse, "inan"):
            return False
    return None


def _clean_pieces(text: str, start: int, language: str):
    """Split a NER span on conjunctions/commas/newlines; trim common words off its edges."""
    pieces = []
    position = 0
    for part in _SPLIT.split(text):
        index = text.find(part, position)
        if index < 0 or not part:
            continue
        position = index + len(part)
        stripped = part.strip(_EDGE)
        offset = start + index + (len(part) - len(part.lstrip(_EDGE)))
        words = stripped.split()
        while len(words) > 1 and not _is_name_word(words[0], language):
            offset += stripped.find(words[1], len(words[0]))
            stripped = stripped[stripped.find(words[1], len(words[0])):]
            words = stripped.split()
        while len(words) > 1 and not words[-1][:1].isupper() and not words[-1][:1].isdigit():
            stripped = stripped[:stripped.rfind(words[-1])].rstrip()  # "Associated Press із": a preposition
            words = stripped.split()
        for run, run_start in _capitalised_parts(stripped):
            if len(run) >= 2 and run[:1].isupper():
                pieces.append((run, offset + run_start))
    return pieces


# lower-case words that may stand inside a name ("Урсула фон дер Ляйен", "Абу аль-Хасан")
_NAME_PARTICLES = frozenset({"фон", "дер", "ван", "де", "да", "ди", "дель", "ла", "ле", "аль", "эль", "ель", "ибн",
                             "бин", "бен", "абу", "ал", "эд", "ад", "ас", "ат"})
_WORD_RUN = re.compile(r"\S+")


def _capitalised_parts(text: str) -> list[tuple[str, int]]:
    """A span cut at the lower-case words inside it that are no name particle: the model's span may run
    over a verb or a preposition ("Врастек зустрівся з Томасом Еббінгом" is two names)."""
    parts: list[tuple[str, int]] = []
    first = last = None
    for match in _WORD_RUN.finditer(text):
        word = match.group()
        if word[:1].islower() and word.lower() not in _NAME_PARTICLES:
            if first is not None:
                parts.append((text[first:last], first))
            first = last = None
            continue
        first = match.start() if first is None else first
        last = match.end()
    if first is not None:
        parts.append((text[first:last], first))
    return parts


def parse_slavic(text: str, language: str) -> Parsed:
    from natasha import Doc  # deferred with the rest of natasha (see above)

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    parsed = Parsed()
    for index, sent in enumerate(doc.sents):
        parsed.sentences.append(Sentence(index, sent.start, sent.stop, sent.text))
    parsed.tokens = [Token(t.start, t.stop, t.text,
                           word_lemma(t.text, language) if t.text.isalpha() else t.text.lower())
                     for t in doc.tokens]
    gaz = gazetteer()
    sentence_index = SentenceIndex(parsed.sentences)
    for span in doc.spans:
        label = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}.get(span.type)
        if not label:
            continue
        for piece, start in _clean_pieces(span.text, span.start, language):
            words = piece.split()
            piece_label = label
            if label == "PERSON" and len(words) == 1 and (is_role_word(words[0], language)
                                                          or _function_word(words[0], language)):
                continue  # a title ("Спецпосланник") or a verb ("Читать") alone names no one
            lemma = " ".join(name_lemma(w, language, piece_label) for w in words)
            if piece_label == "PERSON" and len(words) == 1:
                place = gaz.lookup(piece, name_lemma(words[0], language, "PLACE"))
                if place is not None and _animate(words[0], language) is not True:
                    piece_label = "PLACE"
                    lemma = name_lemma(words[0], language, "PLACE")
            parsed.mentions.append(Mention(start, start + len(piece), piece, piece_label,
                                           sentence_index(start), lemma=lemma,
                                           variants=name_variants(words, language, piece_label, lemma)))
    # Country adjectives ("українська делегація", "российский") become NORP mentions.
    for token in parsed.tokens:
        if len(token.text) < 5 or not token.text.isalpha():
            continue
        parses = _parses(token.text, language)
        if not parses or not _has(parses[0], "ADJF"):
            continue
        country = _country_of_adjective(parses[0].normal_form)
        if country:
            parsed.mentions.append(Mention(token.start, token.end, token.text, "NORP",
                                           sentence_index(token.start), lemma=country))
    parsed.mentions.sort(key=lambda m: m.start)
    return parsed


@lru_cache(maxsize=20_000)
def _country_of_adjective(lemma: str) -> str | None:
    place = gazetteer().country_of_demonym(lemma)
    return place.name if place else None
