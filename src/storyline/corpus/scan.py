"""Find known names the model missed.

After a first resolution, every alias of a resolved entity is looked for in
every article (a hash lookup over word n-grams, linear in the text), and
where an occurrence is not already a mention it becomes one (``source =
"known"``).  A known surname preceded by capitalised words not yet covered
("Kyrylo Budanov" when only "Budanov" was known) becomes a full-name
mention.  In a language whose names inflect (Russian, Ukrainian: ``inflected_names``
in storyline/lang/), capitalised words are matched through their lemma and
transliteration key, so "Уиткоффом" is found as Witkoff.
Parenthesised acronyms ("... Defense Council (NSDC)") become mentions too.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import replace
from itertools import pairwise

from storyline.article.nlp_slavic import morph, name_lemma, surname_nominative
from storyline.budget import OverBudget, time_budget
from storyline.common.names import fold, is_cyrillic, token_key
from storyline.corpus.resolve import Resolution
from storyline.lang import get as lang_of
from storyline.models import Analysis, Article, Fact, Mention

MAX_ALIAS_WORDS = 5
MIN_ALIAS_CHARS = 3
FUZZY_KEY_MIN = 5  # Cyrillic matches through keys only for keys this long
MAX_NAME_WORD = 60  # characters: a longer word is never (part of) a name
_WORD = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
# "National Security and Defense Council (NSDC)".  The expansion starts at the start of a word (the
# lookbehind) and its words are taken whole (possessive ``++``): without both, a long capitalised run
# ("AAAA...") was re-scanned from every one of its letters -- quadratic, minutes on one article.
_ACRONYM = re.compile(
    r"(?<![\w'’\-])((?:[A-ZА-ЯІЇЄҐ][\w'’\-]++)(?:\s+(?:of|and|for|the|on|in|[A-ZА-ЯІЇЄҐ][\w'’\-]++|і|та|и|по|з)){1,9})"
    r"\s*\(([A-ZА-ЯІЇЄҐ]{2,8})\)")


class _Sentences:
    """The sentence holding an offset: by bisection when the sentences are in order and disjoint (as the
    parsers give them), else by a scan (one scan per added mention made long lists quadratic)."""

    def __init__(self, analysis: Analysis):
        self.sentences = analysis.sentences
        self.starts = [s.start for s in self.sentences]
        self.ordered = all(a.end <= b.start for a, b in pairwise(self.sentences))

    def of(self, offset: int) -> int:
        if self.ordered:
            position = bisect.bisect_right(self.starts, offset) - 1
            if position >= 0 and self.sentences[position].start <= offset < self.sentences[position].end:
                return self.sentences[position].index
            return -1
        return _sentence_of(self.sentences, offset)


def _sentence_of(sentences, offset: int) -> int:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return -1


class _Coverage:
    """Which spans of a text mentions already cover.  ``free(start, end)`` tells whether [start, end)
    overlaps none of them in time linear in the span, not in the number of mentions (a list of
    thousands of names made that quadratic)."""

    def __init__(self, size: int, spans: list[tuple[int, int]]):
        self.chars = bytearray(max([size] + [e for _, e in spans]) + 1)
        self.points: list[int] = []  # empty spans: they overlap a span strictly around them
        self.odd: list[tuple[int, int]] = []  # before the text, or ending before they start: never made
        self.spans = list(spans)
        for start, end in spans:
            self._mark(start, end)

    def _mark(self, start: int, end: int) -> None:
        if 0 <= start < end:
            if end > len(self.chars):
                self.chars.extend(bytes(end - len(self.chars)))
            self.chars[start:end] = b"\x01" * (end - start)
        elif 0 <= start == end:
            bisect.insort(self.points, start)
        else:
            self.odd.append((start, end))

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        self._mark(start, end)

    def free(self, start: int, end: int) -> bool:
        if start >= end:  # an empty query: the plain test
            return not any(s < end and start < e for s, e in self.spans)
        if self.chars.find(1, max(start, 0), max(end, 0)) >= 0:
            return False
        position = bisect.bisect_right(self.points, start)
        if position < len(self.points) and self.points[position] < end:
            return False
        return not any(s < end and start < e for s, e in self.odd)


def _alias_index(resolution: Resolution) -> tuple[dict[str, tuple[str, str, str]], dict[str, tuple[str, str]]]:
    """exact alias text -> (entity id, type, lemma); surname key -> (entity id, canonical name) for people."""
    exact: dict[str, tuple[str, str, str]] = {}
    ambiguous: set[str] = set()
    surnames: dict[str, set[str]] = defaultdict(set)
    names = {}
    for entity in resolution.entities:
        if len(entity.mentions) < 1:
            continue
        names[entity.id] = entity.name
        for alias in set(entity.aliases) | {entity.name}:
            if (len(alias) < MIN_ALIAS_CHARS or len(alias.split()) > MAX_ALIAS_WORDS
                    or not any(c.isupper() for c in alias)):
                continue
            if alias in exact and exact[alias][0] != entity.id:
                ambiguous.add(alias)
            exact[alias] = (entity.id, entity.type, alias)
            if entity.type == "PERSON":
                key = token_key(alias.split()[-1])
                if len(key) >= FUZZY_KEY_MIN:
                    surnames[key].add(entity.id)
    for alias in ambiguous:
        exact.pop(alias, None)
    unique_surnames = {k: (next(iter(v)), names[next(iter(v))]) for k, v in surnames.items() if len(v) == 1}
    return exact, unique_surnames


class KnownNames:
    """The aliases of resolved entities, indexed for scanning articles."""

    def __init__(self, resolution: Resolution):
        self.exact, self.surnames = _alias_index(resolution)
        # the first word of each alias, as _WORD finds words: a span can only be an alias from such a word
        self.first_words = {m.group() for m in map(_WORD.match, self.exact) if m}


def scan_known(articles: dict[str, Article], analyses: dict[str, Analysis], resolution: Resolution,
               budget: float = 0.0, skip: Collection[str] = (),
               over_budget: Callable[[str, OverBudget], None] | None = None) -> dict[str, Analysis]:
    """Analyses with the missed occurrences of known names (and parenthesised acronyms) added.

    Each article is scanned within ``budget`` seconds; one over it keeps its analysis as it was and is
    reported to ``over_budget``.  Articles in ``skip`` (over budget in an earlier rebuild) are not scanned.
    """
    known = KnownNames(resolution)
    out = {}
    for article_id, analysis in analyses.items():
        article = articles.get(article_id)
        if article is None or article_id in skip:
            out[article_id] = analysis
            continue
        try:
            with time_budget(budget):
                out[article_id] = scan_article(article, analysis, known)
        except OverBudget as over:
            out[article_id] = analysis
            if over_budget:
                over_budget(article_id, over)
    return out


def scan_article(article: Article, analysis: Analysis, known: KnownNames) -> Analysis:
    """One article's analysis with the known names and parenthesised acronyms the model missed added."""
    exact, surnames, first_words = known.exact, known.surnames, known.first_words
    inflected = lang_of(article.language).inflected_names  # names found through their lemma
    text = article.text
    coverage = _Coverage(len(text), [(m.start, m.end) for m in analysis.mentions])
    free = coverage.free
    sentence_of = _Sentences(analysis).of

    added: list[Mention] = []
    facts: list[Fact] = []
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        hit = None
        first = words[i].group()
        if not (first in first_words or first.endswith(("'s", "’s")) and first[:-2] in first_words):
            n_max = 0  # no alias starts with this word: no span from it can be one
        else:
            n_max = min(MAX_ALIAS_WORDS, len(words) - i)
        for n in range(n_max, 0, -1):
            start, end = words[i].start(), words[i + n - 1].end()
            span = text[start:end]
            if "\n" in span:
                continue
            # (the possessive: re.sub(r"['’]s$", "", span) once, a regex call per word n-gram)
            found = exact.get(span) or (exact.get(span[:-2]) if span.endswith(("'s", "’s")) else None)
            if found and free(start, end):
                if span.endswith(("'s", "’s")) and span not in exact:
                    end -= 2
                hit = (start, end, found, n)
                break
        if hit:
            start, end, (entity_id, type_, lemma), n = hit
            if type_ == "PERSON" and len(lemma.split()) == 1:
                start = _extend_left(text, words, i, start, free)
            label = {"PLACE": "PLACE", "ORG": "ORG"}.get(type_, "PERSON")
            span_text = text[start:end]
            mention_lemma = lemma if span_text.endswith(lemma) and span_text == lemma else ""
            added.append(Mention(start, end, span_text, label, sentence_of(start),
                                 lemma=mention_lemma, source="known"))
            coverage.add(start, end)
            i += n
            continue
        word = words[i]
        if inflected and word.group()[:1].isupper() \
                and len(word.group()) <= MAX_NAME_WORD and is_cyrillic(word.group()) \
                and free(word.start(), word.end()):
            found = _cyrillic_known(word.group(), article.language, exact, surnames)
            if found:
                label, lemma = found
                added.append(Mention(word.start(), word.end(), word.group(), label,
                                     sentence_of(word.start()), lemma=lemma, source="known"))
                coverage.add(word.start(), word.end())
        i += 1
    for match in _ACRONYM.finditer(text):
        expansion, short = match.group(1), match.group(2)
        if acronym_fits(expansion, short):
            facts.append(Fact(sentence_of(match.start()), "acronym", short, expansion,
                              match.start(1), match.end(1)))
            if free(match.start(2), match.end(2)):
                added.append(Mention(match.start(2), match.end(2), short, "ORG",
                                     sentence_of(match.start(2)), source="rule"))
                coverage.add(match.start(2), match.end(2))
    if not (added or facts):
        return analysis
    # appended, not re-sorted: event mentions refer to mentions by index
    return replace(analysis, mentions=analysis.mentions + tuple(added), facts=analysis.facts + tuple(facts))


def acronym_fits(expansion: str, short: str) -> bool:
    """'National Security and Defense Council' (NSDC): the acronym's letters are the initials, in order."""
    initials = [w[0].upper() for w in expansion.split() if w[:1].isupper()]
    letters = list(short.upper())
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return len(letters) >= 2


def _extend_left(text: str, words, index: int, start: int, free) -> int:
    """'Kyrylo Budanov' from a known 'Budanov': take one or two capitalised words right before it."""
    taken = 0
    new_start = start
    j = index - 1
    while j >= 0 and taken < 2:
        word = words[j]
        between = text[word.end():new_start]
        if between.strip() or not word.group()[:1].isupper() or not free(word.start(), word.end()):
            break
        if fold(word.group()) in _NOT_GIVEN:
            break
        new_start = word.start()
        taken += 1
        j -= 1
    return new_start


_NOT_GIVEN = {"the", "a", "an", "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "envoy", "general",
              "gen", "according", "says", "said", "and", "but", "while", "when", "in", "on", "at", "of", "by", "with"}


def _lemma_form(word: str, language: str) -> str:
    return name_lemma(word, language, "PERSON")


def _cyrillic_known(word: str, language: str, exact: dict[str, tuple[str, str, str]],
                    surnames: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(label, lemma) when an inflected Cyrillic word is a known name: 'Берліна' -> Берлін, 'Уиткоффом' -> Witkoff."""
    forms = [p.normal_form for p in morph(language).parse(word)[:3]]
    for form in forms:
        cased = form[:1].upper() + form[1:]
        if cased in exact and len(cased) >= 4:
            entity_type = exact[cased][1]
            return {"PLACE": "PLACE", "ORG": "ORG"}.get(entity_type, "PERSON"), cased
    candidates = {token_key(word), token_key(_lemma_form(word, language)), token_key(surname_nominative(word.lower()))}
    for key in candidates:
        if len(key) >= FUZZY_KEY_MIN and key in surnames:
            return "PERSON", _lemma_form(word, language)
    return None
