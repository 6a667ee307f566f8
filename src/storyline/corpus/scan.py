"""Find known names the model missed.

After a first resolution, every alias of a resolved entity is looked for in
every article (a hash lookup over word n-grams, linear in the text), and
where an occurrence is not already a mention it becomes one (``source =
"known"``).  A known surname preceded by capitalised words not yet covered
("Pavel Hrodna" when only "Hrodna" was known) becomes a full-name
mention.  In a language whose names inflect (Russian, Ukrainian: ``inflected_names``
in storyline/lang/), capitalised words are matched through their lemma and
transliteration key, so "Врастеком" is found as Vrastek.
Parenthesised acronyms ("... Defense Council (NSDC)") become mentions too.

In Chinese, Japanese, Korean, Arabic and Hebrew text (``scan_sounds``), names are found by sound: runs
of romanised units (common/romanise.py) whose consonant skeleton is that of a known name's Latin
alias, and whose romanisation sounds close to it; a short or loose match counts only when the
entity shares articles with another entity of this article (the corpus's co-occurrence).
Countries, capitals and large cities are found by their names in those scripts (the gazetteer's
``script_names``), known to the corpus or not.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from itertools import pairwise

from rapidfuzz import fuzz

from storyline.article.nlp_slavic import morph, name_lemma, surname_nominative
from storyline.article.script_places import Coverage, SentenceFinder, script_places
from storyline.budget import OverBudget, time_budget
from storyline.common.names import fold, is_cyrillic, is_latin, token_key
from storyline.common.romanise import Unit, has_sound_script, script_of, skeleton, sound, units
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
        self.resolution = resolution
        self._sounds: SoundIndex | None = None

    @property
    def sounds(self) -> SoundIndex:
        """The known names by sound, built when a text in a script read by sound first needs them."""
        if self._sounds is None:
            self._sounds = SoundIndex(self.resolution)
        return self._sounds


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
    coverage = Coverage(len(text), [(m.start, m.end) for m in analysis.mentions])
    free = coverage.free
    sentence_of = SentenceFinder(analysis.sentences).of

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
    added.extend(scan_sounds(article, analysis, known, coverage, sentence_of))
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
    """'Pavel Hrodna' from a known 'Hrodna': take one or two capitalised words right before it."""
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
    """(label, lemma) when an inflected Cyrillic word is a known name: 'Берліна' -> Берлін, 'Врастеком' -> Vrastek."""
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


# ---------------------------------------------------------------- names found by sound

MIN_SKELETON = 3  # consonant classes: a shorter skeleton matches too much
SURE_SKELETON = 4  # this long and close in sound, a match needs no other evidence
SURE_SOUND = 80  # rapidfuzz ratio of the sounds (common/romanise.sound) for a match without other evidence
LOOSE_SOUND = 85  # the least ratio for a shorter match, which the corpus's co-occurrence must support
MAX_UNITS = {"han": 4, "kana": 3, "hangul": 4, "arabic": 3, "hebrew": 3}  # units in one name
MIN_SPELT = 5  # letters: a shorter romanisation spelt as an alias is still too common
MIN_SOUNDED_UNITS = 3  # Han characters or Hangul syllables of a name matched by sound, not as spelt
MIN_UNITS = {"han": 2, "hangul": 2}  # one Han character or Hangul syllable is too short to tell a name


@dataclass(frozen=True)
class Voiced:
    """A known name by sound: its entity, the entity's type and name, and the sound of the alias."""

    entity: str
    type: str
    name: str
    sound: str
    weight: int  # the entity's mentions in the corpus: of several entities that sound alike, the most written
    letters: str  # the alias's letters, lower-case ("xijinping"): a romanisation spelt the same is sure


class SoundIndex:
    """Known entities' Latin aliases by consonant skeleton, and which entities share articles."""

    def __init__(self, resolution: Resolution):
        self.by_skeleton: dict[str, list[Voiced]] = defaultdict(list)
        self.article_entities: dict[str, set[str]] = defaultdict(set)
        self.entity_articles: dict[str, set[str]] = defaultdict(set)
        for entity in resolution.entities:
            for ref in entity.mentions:
                self.article_entities[ref.article].add(entity.id)
                self.entity_articles[entity.id].add(ref.article)
            latin = {re.sub(r"['’]s$", "", a) for a in {entity.name, *entity.aliases}}
            latin = [a for a in latin
                     if is_latin(a) and any(c.isalpha() for c in a) and len(a.split()) <= MAX_ALIAS_WORDS]
            if not latin:
                continue
            latin.sort()  # sets iterate in an order that differs per process: ties below must not depend on it
            name = entity.name if is_latin(entity.name) else max(latin, key=len)
            forms = set(latin)
            if entity.type == "PERSON":  # the surname ("Kim Min-jun": a hyphenated given name is not one)
                forms |= {a.split()[-1] for a in latin if len(a.split()) > 1 and "-" not in a.split()[-1]}
            seen = set()
            for form in sorted(forms):
                key = skeleton(form)
                if len(key) >= MIN_SKELETON and (key, entity.id) not in seen:
                    seen.add((key, entity.id))
                    weight = len(entity.mentions)
                    letters = "".join(ch for ch in fold(form) if ch.isalpha())
                    self.by_skeleton[key].append(Voiced(entity.id, entity.type, name, sound(form), weight, letters))

    def supported(self, entity: str, present: set[str], article: str) -> bool:
        """Whether another article names this entity together with one of the entities ``present`` here."""
        return any(self.article_entities[a] & present for a in self.entity_articles.get(entity, ()) if a != article)


def scan_sounds(article: Article, analysis: Analysis, known: KnownNames, coverage: Coverage,
                sentence_of: Callable[[int], int]) -> list[Mention]:
    """Mentions of places by their names in the scripts read by sound, and of known names by sound
    (none in a text without letters of those scripts)."""
    text = article.text
    if not has_sound_script(text):
        return []
    index = known.sounds
    pieces = units(text, article.language)
    added = script_places(text, pieces, coverage, sentence_of)
    present = set(index.article_entities.get(article.id, ()))
    weak: list[tuple[int, int, Voiced]] = []
    for start, end, voiced, sure in _sound_matches(pieces, index):
        if sure:
            if coverage.free(start, end):
                added.append(_sound_mention(text, start, end, voiced, sentence_of))
                coverage.add(start, end)
                present.add(voiced.entity)
        else:
            weak.append((start, end, voiced))
    titles = tuple(lang_of(article.language).roles.role_words or ())
    for start, end, voiced in weak:  # after the sure ones: they are evidence too
        if script_of(text[start]) in SYLLABIC and not _titled(text, start, end, titles):
            continue  # a few syllables sound like some known name; a title beside them says they are one
        if coverage.free(start, end) and index.supported(voiced.entity, present, article.id):
            added.append(_sound_mention(text, start, end, voiced, sentence_of))
            coverage.add(start, end)
            present.add(voiced.entity)
    return added


SYLLABIC = ("han", "hangul")
SOUNDED = ("hangul",)  # syllabic scripts whose names are matched by sound beside a title
TITLE_REACH = 2  # characters of space or punctuation between a name and its title ("트럼프 대통령", "特朗普總統")


def _titled(text: str, start: int, end: int, titles: tuple[str, ...]) -> bool:
    """Whether a title of the language stands right after the name or right before it ("國家主席習近平")."""
    after = text[end:end + TITLE_REACH + 8].lstrip(" \u3000·")
    before = text[max(0, start - TITLE_REACH - 8):start].rstrip(" \u3000·")
    return any(after.startswith(t) or before.endswith(t) for t in titles)


def _sound_mention(text: str, start: int, end: int, voiced: Voiced, sentence_of) -> Mention:
    label = {"PLACE": "PLACE", "ORG": "ORG"}.get(voiced.type, "PERSON")
    return Mention(start, end, text[start:end], label, sentence_of(start), lemma=voiced.name, source="known")


def _sound_matches(pieces: list[Unit], index: SoundIndex):
    """(start, end, voiced, sure) for the longest run of units from each unit whose skeleton is a known name's."""
    i = 0
    while i < len(pieces):
        best = _best_run(pieces, i, index)
        if best is None:
            i += 1
            continue
        count, voiced, sure = best
        yield pieces[i].start, pieces[i + count - 1].end, voiced, sure
        i += count


def _best_run(pieces: list[Unit], i: int, index: SoundIndex) -> tuple[int, Voiced, bool] | None:
    """The run of units from unit ``i`` that sounds most like a known name (a sure match first, then the closest,
    then the longer)."""
    first = pieces[i]
    if first.script == "hangul" and not first.word_start:
        return None  # a Korean name starts a written word (particles follow it)
    best = None
    for count in range(MIN_UNITS.get(first.script, 1), min(MAX_UNITS.get(first.script, 1), len(pieces) - i) + 1):
        run = pieces[i:i + count]
        if any(u.script != first.script for u in run) or any(a.end != b.start for a, b in pairwise(run)
                                                               if first.script not in ("arabic", "hebrew")):
            break
        if first.script == "hangul" and any(u.word_start for u in run[1:]):
            break
        found = _voiced(run, index)
        # of two runs that sound alike, the longer, except in syllabic scripts, where a name written by sound
        # runs on into the next word's syllable (a surname, then the first syllable of "meet")
        length = (-count if first.script in SYLLABIC and not found[1] else count) if found else 0
        if found and (best is None or (found[1], found[2], length) >= best[0]):
            best = ((found[1], found[2], length), count, found[0], found[1])
    return best[1:] if best else None


def _voiced(run: list[Unit], index: SoundIndex) -> tuple[Voiced, bool, int] | None:
    """The known name a run of units sounds like, and whether the match is sure without other evidence."""
    roman = "".join(u.roman for u in run)
    semitic = run[0].script in ("arabic", "hebrew")
    if semitic:  # consonants only: the skeleton is all there is to compare
        heard = [(_joined(u.consonants for u in run), "")]
    else:
        heard = [(skeleton(roman), sound(roman))]
        if run[0].script == "hangul" and roman[:1] in "iy":
            # Korean drops an initial l or n before i and y (the initial-sound law): 이 is Lee, Rhee or Yi
            heard += [(skeleton(p + roman), sound(p + roman)) for p in ("l", "n")]
    for key, voice in heard:
        if len(key) < MIN_SKELETON:
            continue
        scored = [(100 if semitic else fuzz.ratio(voice, v.sound), v) for v in index.by_skeleton.get(key, ())]
        scored = [(score, v) for score, v in scored if score >= min(SURE_SOUND, LOOSE_SOUND)]
        if not scored:
            continue
        score, voiced = max(scored, key=lambda sv: (sv[0], sv[1].weight, sv[1].entity))
        others = sum({v.entity: v.weight for _, v in scored if v.entity != voiced.entity}.values())
        dominant = voiced.weight >= 2 * others  # the others that sound alike are rarely written
        spelt = [v for _, v in scored if v.letters == roman and len(roman) >= MIN_SPELT]
        if spelt:  # romanised exactly as the alias is written: 北京 beijing, 東京 toukyou, 서울 seoul
            return max(spelt, key=lambda v: (v.weight, v.entity)), True, 100
        return _verdict(run, key, voiced, score, dominant, semitic)
    return None


def _verdict(run: list[Unit], key: str, voiced: Voiced, score: float, dominant: bool,
             semitic: bool) -> tuple[Voiced, bool, int] | None:
    """A match by sound (not as spelt): sure, a candidate the corpus must support, or none."""
    if run[0].script in SYLLABIC:
        # syllabic scripts: any two syllables sound like some known name; a foreign name written by sound in
        # Hangul (three syllables or more, four consonants) that sounds close is a candidate, taken only beside a
        # title and when the corpus's co-occurrence supports it (``scan_sounds``); Han only as spelt
        if (run[0].script in SOUNDED and len(run) >= MIN_SOUNDED_UNITS and len(key) >= SURE_SKELETON and dominant
                and score >= SURE_SOUND):
            return voiced, False, score
        return None
    if run[0].script == "kana" and not _katakana(run):
        return None  # katakana writes foreign names; kanji and hiragana only as spelt
    if dominant and score >= SURE_SOUND and len(key) >= SURE_SKELETON + semitic:
        return voiced, True, score
    return (voiced, False, score) if score >= LOOSE_SOUND else None


def _katakana(run: list[Unit]) -> bool:
    return all(0x30A0 <= ord(ch) <= 0x30FF for u in run for ch in u.text)


def _joined(keys) -> str:
    out = ""
    for key in keys:
        out += key[1:] if out and key and out[-1] == key[0] else key
    return out
