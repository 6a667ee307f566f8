"""Find known names the model missed.

After a first resolution, every alias of a resolved entity is looked for in
every article (a hash lookup over word n-grams, linear in the text), and
where an occurrence is not already a mention it becomes one (``source =
"known"``).  A known surname preceded by capitalised words not yet covered
("Kyrylo Budanov" when only "Budanov" was known) becomes a full-name
mention.  In Russian and Ukrainian, capitalised words are matched through
their lemma and transliteration key, so "Уиткоффом" is found as Witkoff.
Parenthesised acronyms ("... Defense Council (NSDC)") become mentions too.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from ..models import Analysis, Article, Fact, Mention
from .names import fold, is_cyrillic, token_key
from .resolve import Resolution

MAX_ALIAS_WORDS = 5
MIN_ALIAS_CHARS = 3
FUZZY_KEY_MIN = 5  # Cyrillic matches through keys only for keys this long
_WORD = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
_ACRONYM = re.compile(
    r"((?:[A-ZА-ЯІЇЄҐ][\w'’\-]+)(?:\s+(?:of|and|for|the|on|in|[A-ZА-ЯІЇЄҐ][\w'’\-]+|і|та|и|по|з)){1,9})\s*\(([A-ZА-ЯІЇЄҐ]{2,8})\)")


def _sentence_of(analysis: Analysis, offset: int) -> int:
    for sentence in analysis.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return -1


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
            if len(alias) < MIN_ALIAS_CHARS or len(alias.split()) > MAX_ALIAS_WORDS or not any(c.isupper() for c in alias):
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


def scan_known(articles: dict[str, Article], analyses: dict[str, Analysis],
               resolution: Resolution) -> dict[str, Analysis]:
    """Analyses with the missed occurrences of known names (and parenthesised acronyms) added."""
    exact, surnames = _alias_index(resolution)
    out = {}
    for article_id, analysis in analyses.items():
        article = articles.get(article_id)
        if article is None:
            out[article_id] = analysis
            continue
        text = article.text
        covered = [(m.start, m.end) for m in analysis.mentions]

        def free(start: int, end: int) -> bool:
            return not any(s < end and start < e for s, e in covered)

        added: list[Mention] = []
        facts: list[Fact] = []
        words = list(_WORD.finditer(text))
        i = 0
        while i < len(words):
            hit = None
            for n in range(min(MAX_ALIAS_WORDS, len(words) - i), 0, -1):
                start, end = words[i].start(), words[i + n - 1].end()
                span = text[start:end]
                if "\n" in span:
                    continue
                found = exact.get(span) or exact.get(re.sub(r"['’]s$", "", span))
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
                added.append(Mention(start, end, span_text, label, _sentence_of(analysis, start),
                                     lemma=mention_lemma, source="known"))
                covered.append((start, end))
                i += n
                continue
            word = words[i]
            if article.language in ("ru", "uk") and word.group()[:1].isupper() and is_cyrillic(word.group()) \
                    and free(word.start(), word.end()):
                found = _cyrillic_known(word.group(), article.language, exact, surnames)
                if found:
                    label, lemma = found
                    added.append(Mention(word.start(), word.end(), word.group(), label,
                                         _sentence_of(analysis, word.start()), lemma=lemma, source="known"))
                    covered.append((word.start(), word.end()))
            i += 1
        for match in _ACRONYM.finditer(text):
            expansion, short = match.group(1), match.group(2)
            if acronym_fits(expansion, short):
                facts.append(Fact(_sentence_of(analysis, match.start()), "acronym", short, expansion,
                                  match.start(1), match.end(1)))
                if free(match.start(2), match.end(2)):
                    added.append(Mention(match.start(2), match.end(2), short, "ORG",
                                         _sentence_of(analysis, match.start(2)), source="rule"))
                    covered.append((match.start(2), match.end(2)))
        if added or facts:
            # appended, not re-sorted: event mentions refer to mentions by index
            out[article_id] = replace(analysis, mentions=analysis.mentions + tuple(added),
                                      facts=analysis.facts + tuple(facts))
        else:
            out[article_id] = analysis
    return out


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


_NOT_GIVEN = {"the", "a", "an", "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "envoy", "general", "gen",
              "according", "says", "said", "and", "but", "while", "when", "in", "on", "at", "of", "by", "with"}


def _lemma_form(word: str, language: str) -> str:
    from .nlp_slavic import name_lemma

    return name_lemma(word, language, "PERSON")


def _cyrillic_known(word: str, language: str, exact: dict[str, tuple[str, str, str]],
                    surnames: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(label, lemma) when an inflected Cyrillic word is a known name: 'Берліна' -> Берлін, 'Уиткоффом' -> Witkoff."""
    from .nlp_slavic import morph, surname_nominative

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
