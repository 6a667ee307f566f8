"""Framing: how the outlets covering one story differ.

Four readings of the stored record, all plain functions over a Store:

- outlet profiles: country, ownership (state, public, private) and parent group from the outlet
  directory (``common/outlets.py``: ``data/outlet_directory.yaml`` and the user's file); an outlet the
  directory does not know stays unknown (``report/outlets.py``);
- loaded terms: (a) a multilingual lexicon of evaluative vocabulary
  (``data/framing.yaml``) matched by lemma, and (b) the words and word pairs
  an outlet uses far more than the story's other outlets writing in the same
  language, by the log-odds ratio with an informative Dirichlet prior
  (Monroe, Colaresi and Quinn 2008), each with the sentences that use it.
  A term inside quotation marks is the words of whom the outlet quotes, not
  the outlet's own: it is listed apart, with that speaker.  Photo credits,
  bylines and page furniture ("Getty Images", "All rights reserved", "Read
  more") are nobody's framing and are not counted;
- omissions: facts most outlets report that an outlet leaves out although it
  had an article of similar date and length (``report/omissions.py``);
- sides: the story's state-owned outlets against its independent ones (the
  loaded terms and the dated events each side reports).

Syndicated copies are left out of the word counts: their words belong to the
outlet that wrote them.  They do count as reporting a fact, since the
copying outlet's readers saw it.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from storyline.common.outlets import Directory, host, load_directory, read_user_mapping
from storyline.errors import E, StorylineError
from storyline.models import Analysis, Mention
from storyline.read import queries
from storyline.read.records import ArticleText
from storyline.report.omissions import omissions, sides
from storyline.report.outlets import outlet_profiles, profile
from storyline.store import Store

__all__ = ["VERSION", "Directory", "distinctive_terms", "documents", "framing", "host", "lemma", "load_lexicon",
           "load_profiles", "loaded_terms", "log_odds", "omissions", "outlet_profiles", "profile", "sides",
           "tokenize"]

VERSION = "framing-2"
SLAVIC = ("ru", "uk")


# ---------------------------------------------------------------- data files


def _data_file(name: str) -> dict:
    text = resources.files("storyline").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _mapping(data: dict, key: str, where: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise StorylineError(E.BAD_PROFILE_FILE, where, f"'{key}' must be a mapping")
    return value


# ---------------------------------------------------------------- outlet profiles


def load_profiles(path: str | Path | None = None) -> Directory:
    """The outlet directory, extended and overridden by the user's file (``--outlets``, the ``outlets`` setting)."""
    return load_directory(path)


# ---------------------------------------------------------------- texts and tokens

_TOKEN = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$", re.UNICODE)


def _en_lemma(word: str) -> str:
    """Plural nouns to singular: enough to count 'occupiers' with 'occupier'; verbs are left to wildcards."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s")):
        return word[:-1]
    return word


def lemma(word: str, language: str) -> str:
    word = word.lower().replace("’", "'")
    if language in SLAVIC:
        from storyline.article.nlp_slavic import word_lemma  # deferred: its lemmatiser loads for ru/uk text only

        return word_lemma(word, language)
    if language == "en":
        return _en_lemma(word)
    return word


@dataclass
class Token:
    surface: str  # lower-cased
    lemma: str
    start: int  # offsets in the sentence
    end: int
    masked: bool = False  # part of a name or a date, or page furniture: not vocabulary
    furniture: bool = False  # part of a photo credit, a byline or a call to read on: nobody's words


@dataclass
class Doc:
    id: str
    outlet: str
    language: str
    published: str | None
    duplicate_of: str | None
    sentences: list[tuple[int, str, list[Token]]] = field(default_factory=list)
    # sentence index -> (start, end, speaker) of the quoted passages in it, offsets in the sentence; the
    # speaker is whom the outlet quotes (a name of the article), None when the article names nobody
    quoted: dict[int, list[tuple[int, int, str | None]]] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(1 for _, _, tokens in self.sentences for tok in tokens
                   if _WORD.match(tok.surface) and not tok.furniture)


class _Mask:
    """Which characters of a text the masked spans cover: whether a token overlaps one of them, in time
    linear in the token (a test of every span for every token was quadratic in a sentence of many names)."""

    def __init__(self, size: int, spans: list[tuple[int, int]]):
        self.chars = bytearray(size)
        self.points = sorted(s for s, e in spans if s == e)  # empty spans: inside a token, they mask it
        self.reversed = [(s, e) for s, e in spans if s > e]  # never made, but tested as they always were
        for s, e in spans:
            low, high = max(s, 0), min(e, size)
            if low < high:
                self.chars[low:high] = b"\x01" * (high - low)

    def overlaps(self, start: int, end: int) -> bool:
        if self.chars.find(1, start, end) >= 0:
            return True
        position = bisect.bisect_right(self.points, start)
        if position < len(self.points) and self.points[position] < end:
            return True
        return any(s < end and start < e for s, e in self.reversed)


# Page furniture inside a sentence (whole furniture lines are dropped by article/clean.py, with the
# patterns of data/noise.yaml): photo and video credits, agency credits, copyright notices, bylines and
# calls to read on or subscribe.  Their words are nobody's framing.
_FURNITURE = re.compile(
    r"\b(?:photos?|photograph|images?|pictures?|video|illustration|credits?|фото|відео|видео|foto|zdjęcie)"
    r"\s*(?::|/|©|\bby\b|\bvia\b)[^.;\n]{0,80}"
    r"|\((?:photos?|images?|фото|foto|file)\b[^)\n]{0,80}\)"
    r"|©[^.;\n]{0,80}|\bcopyright\b[^.;\n]{0,80}"
    r"|\b(?:afp\s+via\s+)?getty\s+images\b|\bshutterstock\b|\bap\s+photo\b"
    # (a credit's name starts where no word character is before it, and is short: scanning a long run of
    # word characters from each of its letters was quadratic)
    r"|(?<![\w.-])[\w.-]{1,40}\s*/\s*(?:reuters|afp|ap|epa|getty\s+images|tass|тасс|anadolu|sipa|ria\s+novosti)\b"
    r"|\ball\s+rights\s+reserved\b|\bвсі\s+права\s+захищені\b|\bвсе\s+права\s+защищены\b"
    r"|\btous\s+droits\s+réservés\b|\balle\s+rechte\s+vorbehalten\b|\btodos\s+los\s+derechos\s+reservados\b"
    r"|\b(?:read|see)\s+(?:more|also)\b[^.\n]{0,120}|\bчитайте\s+(?:також|также)\b[^.\n]{0,120}"
    r"|\b(?:subscribe|sign\s+up|follow\s+us|click\s+here|share\s+this)\b[^.\n]{0,80}"
    r"|\b(?:additional\s+)?(?:reporting|writing|editing)\s+by\b[^.;\n]{0,120}"
    r"|^\s*(?:by|author|автор|авторка)\s*:?\s+(?-i:[A-ZА-ЯІЇЄҐ][\w.'’-]+)(?:\s+(?-i:[A-ZА-ЯІЇЄҐ][\w.'’-]+)){0,3}",
    re.IGNORECASE)
# A passage in quotation marks, marks excluded: “…”, "…", «…», „…“, ‘…’ (short: ’ is also an apostrophe), 「…」.
_QUOTED = re.compile(r"“([^”“\n]{1,600})”|\"([^\"\n]{1,600})\"|«([^»«\n]{1,600})»|„([^“”„\n]{1,600})[“”]"
                     r"|‘([^’‘\n]{1,60})’|「([^」\n]{1,600})」|『([^』\n]{1,600})』|‹([^›\n]{1,600})›")


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """The spans of a sentence that are photo credits, bylines, copyright notices or calls to read on."""
    return [m.span() for m in _FURNITURE.finditer(text)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The passages of a text inside quotation marks (the marks excluded)."""
    out = []
    for m in _QUOTED.finditer(text):
        group = next(i for i in range(1, len(m.groups()) + 1) if m.group(i) is not None)
        out.append(m.span(group))
    return out


def tokenize(text: str, language: str, masks: Iterable[tuple[int, int]] = (),
             furniture: Iterable[tuple[int, int]] = ()) -> list[Token]:
    spans = list(masks)
    mask = _Mask(len(text), spans)
    noise = _Mask(len(text), list(furniture))
    tokens = []
    for m in _TOKEN.finditer(text):
        junk = noise.overlaps(m.start(), m.end())
        masked = junk or mask.overlaps(m.start(), m.end())
        tokens.append(Token(m.group().lower().replace("’", "'"), lemma(m.group(), language), m.start(), m.end(),
                            masked, junk))
    return tokens


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_SPEAKER_LABELS = ("PERSON", "ORG")


def _speaker(analysis: Analysis, start: int, end: int) -> str | None:
    """Whom an article quotes in ``text[start:end]``: the speaker the analysis gave the quote, else a person (or
    organisation) of the sentence with a speech verb beside it ("Vrastek said"), else the nearest person of the
    sentence, else one speaking in the sentence before; None when the article names nobody."""
    for quote in analysis.quotes:
        if quote.start < end and start < quote.end and quote.speaker is not None \
                and 0 <= quote.speaker < len(analysis.mentions):
            return analysis.mentions[quote.speaker].text
    sentence = next((s for s in analysis.sentences if s.start <= start < s.end), None)
    if sentence is None:
        return None
    from storyline.article.events import speaker_at  # deferred: the article stages load only when a story is read

    def outside(index: int) -> list[Mention]:
        return [m for m in analysis.mentions if m.sentence == index and m.label in _SPEAKER_LABELS
                and not (start <= m.start < end)]

    def speaking(index: int, mentions: list[Mention]) -> list[Mention]:
        found = next((s for s in analysis.sentences if s.index == index), None)
        return [m for m in mentions if found and speaker_at(found.text, m.start - found.start, m)]

    here = outside(sentence.index)
    pool = (speaking(sentence.index, here) or [m for m in here if m.label == "PERSON"] or here
            or speaking(sentence.index - 1, outside(sentence.index - 1)))
    if not pool:
        return None
    return min(pool, key=lambda m: min(abs(m.start - end), abs(start - m.end))).text


def _quotes_by_sentence(article: ArticleText, analysis: Analysis) -> dict[int, list[tuple[int, int, str | None]]]:
    """The article's quoted passages, each with whom it quotes, cut to the sentences they run through."""
    found: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
    for start, end in quoted_spans(article.text or ""):
        speaker = _speaker(analysis, start, end)
        for s in analysis.sentences:
            if s.start < end and start < s.end:
                found[s.index].append((max(start, s.start) - s.start, min(end, s.end) - s.start, speaker))
    return found


def _analysed(doc: Doc, article: ArticleText, analysis: Analysis) -> None:
    from storyline.article.clean import noise_kind  # deferred: the article stages load only when a story is read

    spans = sorted([(m.start, m.end) for m in analysis.mentions] + [(x.start, x.end) for x in analysis.times]
                   + article.names)
    # the spans overlapping each sentence, by bisection over the spans in order (with the
    # furthest end so far, for long spans): a scan of all of them per sentence was quadratic
    starts = [a for a, _ in spans]
    reach, furthest = [], None
    for _, b in spans:
        furthest = b if furthest is None else max(furthest, b)
        reach.append(furthest)
    for s in analysis.sentences:
        if noise_kind(s.text.strip()):
            continue  # a credit, crumb or counter standing as a sentence of its own
        first = bisect.bisect_right(reach, s.start)  # before it, every span ends by the sentence's start
        last = max(first, bisect.bisect_left(starts, s.end))  # the spans starting before its end
        local = [(a - s.start, b - s.start) for a, b in spans[first:last] if a < s.end and s.start < b]
        doc.sentences.append((s.index, s.text, tokenize(s.text, doc.language, local, furniture_spans(s.text))))
    doc.quoted = dict(_quotes_by_sentence(article, analysis))


def _document(article: ArticleText) -> Doc:
    from storyline.article.clean import noise_kind  # deferred: the article stages load only when a story is read

    doc = Doc(article.id, article.outlet or "", article.language or "und", article.published, article.duplicate_of)
    analysis = article.analysis
    if analysis is not None and analysis.sentences:
        _analysed(doc, article, analysis)
        return doc
    pieces = [p for p in _SENTENCE_END.split(article.text or "") if p.strip() and not noise_kind(p.strip())]
    for i, piece in enumerate(pieces):  # no offsets to mask names with, no names to attribute quotes to
        doc.sentences.append((i, piece, tokenize(piece, doc.language, (), furniture_spans(piece))))
        doc.quoted[i] = [(a, b, None) for a, b in quoted_spans(piece)]
    return doc


def documents(store: Store, story: str) -> list[Doc]:
    """The story's articles as tokenised sentences, names and dates masked (from each article's analysis)."""
    return [_document(article) for article in queries.story_texts(store, story)]


# ---------------------------------------------------------------- (a) the lexicon


def load_lexicon(path: str | Path | None = None) -> dict[str, dict]:
    """Categories of loaded terms; a user file's category replaces the bundled one of the same name."""
    lexicon = dict(_mapping(_data_file("framing.yaml"), "lexicon", "data/framing.yaml"))
    if path:
        lexicon.update(_mapping(read_user_mapping(path), "lexicon", str(path)))
    for name, entry in lexicon.items():
        if not isinstance(entry, dict) or not all(isinstance(v, list) for k, v in entry.items() if k != "description"):
            raise StorylineError(E.BAD_PROFILE_FILE, str(path or "data/framing.yaml"),
                                 f"lexicon category {name!r}: expected lists of terms per language")
    return lexicon


@dataclass(frozen=True)
class _Term:
    category: str
    text: str
    words: tuple[tuple[bool, str], ...]  # (is_prefix, lemma or prefix)


def _compile(lexicon: dict[str, dict]) -> dict[str, list[_Term]]:
    by_language: dict[str, list[_Term]] = defaultdict(list)
    for category, entry in lexicon.items():
        for language, terms in entry.items():
            if language == "description":
                continue
            for term in terms:
                words = []
                for word in str(term).split():
                    if word.endswith("*"):
                        words.append((True, word[:-1].lower().replace("’", "'")))
                    else:
                        words.append((False, lemma(word, language)))
                if words:
                    by_language[language].append(_Term(category, str(term), tuple(words)))
    return by_language


def _matches(token: Token, word: tuple[bool, str]) -> bool:
    if token.furniture:
        return False
    prefix, value = word
    if prefix:
        return token.surface.startswith(value) or token.lemma.startswith(value)
    return token.lemma == value or token.surface == value


def _find_terms(tokens: list[Token], terms: list[_Term]) -> list[tuple[_Term, int, int]]:
    found = []
    for i in range(len(tokens)):
        for term in terms:
            n = len(term.words)
            if i + n <= len(tokens) and all(_matches(tokens[i + k], term.words[k]) for k in range(n)):
                found.append((term, tokens[i].start, tokens[i + n - 1].end))
    return found


def _example(doc: Doc, index: int, text: str, start: int = -1, end: int = -1) -> dict:
    example = {"article": doc.id, "sentence": index, "text": text}
    if start >= 0:
        example.update({"start": start, "end": end})
    return example


def _hit(found: dict, doc: Doc, term: _Term, index: int, text: str, start: int, end: int, examples: int) -> dict:
    """Count one use of a term in ``found`` (keyed by category and term), with its form, article and example."""
    hit = found.setdefault((term.category, term.text), {
        "term": term.text, "category": term.category, "language": doc.language,
        "count": 0, "forms": Counter(), "articles": [], "examples": []})
    hit["count"] += 1
    hit["forms"][text[start:end].lower()] += 1
    if doc.id not in hit["articles"]:
        hit["articles"].append(doc.id)
    if len(hit["examples"]) < examples:
        hit["examples"].append(_example(doc, index, text, start, end))
    return hit


def _quote_around(doc: Doc, index: int, start: int, end: int) -> tuple[int, int, str | None] | None:
    return next((q for q in doc.quoted.get(index, ()) if q[0] <= start and end <= q[1]), None)


def _ranked(found: dict) -> list[dict]:
    terms = sorted(found.values(), key=lambda h: (-h["count"], h["term"]))
    for hit in terms:
        hit["forms"] = [f for f, _ in hit["forms"].most_common()]
        if "speakers" in hit:
            hit["unattributed"] = hit["speakers"].pop(None, 0)
            hit["speakers"] = [name for name, _ in hit["speakers"].most_common()]
    return terms


def _loaded(docs: list[Doc], lexicon: dict[str, dict], examples: int) -> dict:
    """Lexicon terms per outlet in its own words; a term inside quotation marks goes to ``quoted``, with whom
    the outlet quotes (``speakers``; ``unattributed`` counts the uses whose speaker the article does not name)."""
    compiled = _compile(lexicon)
    per_outlet: dict[str, dict] = {}
    total_words = total_hits = 0
    for doc in docs:
        if doc.duplicate_of:
            continue
        entry = per_outlet.setdefault(doc.outlet, {"articles": 0, "words": 0, "hits": 0,
                                                   "categories": Counter(), "terms": {}, "quoted": {}})
        entry["articles"] += 1
        entry["words"] += doc.words
        total_words += doc.words
        for index, text, tokens in doc.sentences:
            for term, start, end in _find_terms(tokens, compiled.get(doc.language, [])):
                quote = _quote_around(doc, index, start, end)
                if quote is not None:  # someone else's word: the outlet reports it, it does not use it
                    hit = _hit(entry["quoted"], doc, term, index, text, start, end, examples)
                    hit.setdefault("speakers", Counter())[quote[2]] += 1
                    continue
                entry["hits"] += 1
                total_hits += 1
                entry["categories"][term.category] += 1
                _hit(entry["terms"], doc, term, index, text, start, end, examples)
    average = 1000.0 * total_hits / total_words if total_words else 0.0
    outlets = {}
    for outlet, entry in per_outlet.items():
        rate = 1000.0 * entry["hits"] / entry["words"] if entry["words"] else 0.0
        outlets[outlet] = {"articles": entry["articles"], "words": entry["words"], "hits": entry["hits"],
                           "per_1000_words": round(rate, 2),
                           "vs_story": round(rate / average, 2) if average else None,
                           "categories": dict(entry["categories"].most_common()), "terms": _ranked(entry["terms"]),
                           "quoted": _ranked(entry["quoted"])}
    descriptions = {name: entry.get("description", "") for name, entry in lexicon.items()}
    return {"per_1000_words": round(average, 2), "categories": descriptions, "outlets": outlets}


def loaded_terms(store: Store, story: str, lexicon: dict[str, dict] | None = None, examples: int = 3) -> dict:
    """Lexicon terms per outlet: counts, rate per 1,000 words against the story's, and example sentences."""
    return _loaded(documents(store, story), lexicon or load_lexicon(), examples)


# ---------------------------------------------------------------- (b) log-odds


def log_odds(focus: Counter, rest: Counter, prior: Counter,
             prior_scale: float = 500.0) -> dict[str, tuple[float, float]]:
    """Monroe et al. (2008), eq. 22: log-odds ratio of each word in ``focus`` vs ``rest``, smoothed by an
    informative Dirichlet prior (``prior`` counts scaled to ``prior_scale`` pseudo-counts), and its z-score."""
    n_i, n_j, n_p = sum(focus.values()), sum(rest.values()), sum(prior.values())
    if not n_i or not n_p:
        return {}
    a0 = float(prior_scale)
    out = {}
    for word, y_i in focus.items():
        a_w = a0 * prior.get(word, 0) / n_p
        if a_w <= 0:
            a_w = a0 / (n_p + len(prior))  # a word missing from the prior still gets a little mass
        y_j = rest.get(word, 0)
        delta = (math.log((y_i + a_w) / (n_i + a0 - y_i - a_w))
                 - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w)))
        variance = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
        out[word] = (delta, delta / math.sqrt(variance))
    return out


def _grams(text: str, tokens: list[Token], stops: frozenset[str], banned: set[str],
           ngram: int) -> list[tuple[str, str]]:
    """(key, surface) of the content words of a sentence and of runs of up to ``ngram`` adjacent ones."""
    keep = [(i, tok) for i, tok in enumerate(tokens)
            if not tok.masked and len(tok.surface) >= 3 and _WORD.match(tok.surface)
            and tok.surface not in stops and tok.lemma not in stops and tok.surface not in banned]
    grams = []
    for k, (i, tok) in enumerate(keep):
        grams.append((tok.lemma, text[tok.start:tok.end]))
        run = [(i, tok)]
        for j, nxt in keep[k + 1:k + ngram]:
            if j != run[-1][0] + 1:
                break
            run.append((j, nxt))
            grams.append((" ".join(x.lemma for _, x in run), text[run[0][1].start:run[-1][1].end]))
    return grams


def _distinctive(docs: list[Doc], top: int, min_count: int, min_z: float, ngram: int, prior_scale: float,
                 examples: int) -> dict:
    from storyline.common.words import stop_words  # deferred: it imports spaCy, needed here only

    outlet_words = {w for d in docs for w in _TOKEN.findall(d.outlet.lower())}
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (language, outlet) -> key counts
    forms: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    where: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    articles: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for doc in docs:
        if doc.duplicate_of:
            continue
        stops = stop_words(doc.language)
        for index, text, tokens in doc.sentences:
            seen = set()
            for key, surface in _grams(text, tokens, stops, outlet_words, ngram):
                counts[(doc.language, doc.outlet)][key] += 1
                slot = (doc.language, doc.outlet, key)
                forms[slot][surface.lower()] += 1
                articles[slot].add(doc.id)
                if key not in seen and len(where[slot]) < examples:
                    where[slot].append(_example(doc, index, text))
                seen.add(key)
    languages: dict[str, list[str]] = defaultdict(list)
    for language, outlet in counts:
        languages[language].append(outlet)
    result: dict[str, dict] = {}
    for language, outlets in sorted(languages.items()):
        pooled = Counter()
        for outlet in outlets:
            pooled.update(counts[(language, outlet)])
        for outlet in sorted(outlets):
            entry = result.setdefault(outlet, {"terms": [], "compared": {}, "not_compared": []})
            others = [o for o in outlets if o != outlet]
            if not others:
                entry["not_compared"].append(language)
                continue
            focus = counts[(language, outlet)]
            rest = pooled - focus
            entry["compared"][language] = sorted(others)
            scored = log_odds(focus, rest, pooled, prior_scale)
            chosen = [(k, d, z) for k, (d, z) in scored.items() if focus[k] >= min_count and z >= min_z]
            chosen.sort(key=lambda x: (-x[2], x[0]))
            # a word that (nearly) only occurs inside a chosen longer term says nothing more: keep the longer one
            chosen = [(k, d, z) for k, d, z in chosen if not any(
                other != k and f" {k} " in f" {other} " and focus[other] >= 0.75 * focus[k] for other, _, _ in chosen)]
            for key, delta, z in chosen[:top]:
                slot = (language, outlet, key)
                entry["terms"].append({"term": key, "form": forms[slot].most_common(1)[0][0], "language": language,
                                       "count": focus[key], "rest_count": rest.get(key, 0),
                                       "articles": sorted(articles[slot]), "delta": round(delta, 3),
                                       "z": round(z, 2), "examples": where[slot]})
    for entry in result.values():
        entry["terms"].sort(key=lambda x: -x["z"])
        del entry["terms"][top:]
    return {"method": "log-odds ratio, informative Dirichlet prior (Monroe et al. 2008)",
            "prior_scale": prior_scale, "min_z": min_z, "min_count": min_count, "outlets": result}


def distinctive_terms(store: Store, story: str, top: int = 10, min_count: int = 2, min_z: float = 1.96,
                      ngram: int = 2, prior_scale: float = 500.0, examples: int = 3) -> dict:
    """Words and word pairs (lemmas) each outlet uses far more than the story's other outlets in its language."""
    return _distinctive(documents(store, story), top, min_count, min_z, ngram, prior_scale, examples)


# ---------------------------------------------------------------- all of it


def framing(store: Store, story: str, *, profiles: Directory | None = None,
            lexicon: dict[str, dict] | None = None, top: int = 10, min_sources: int = 2, examples: int = 3) -> dict:
    """Profiles, loaded terms (lexicon and log-odds), omissions and the state-owned against independent
    comparison of one story, as one dict."""
    docs = documents(store, story)
    found = outlet_profiles(store, story, profiles)
    loaded = _loaded(docs, lexicon or load_lexicon(), examples)
    outlet_of = {a.id: a.outlet for a in queries.articles_metadata(store, story)}
    return {"story": story, "version": VERSION, "profiles": found, "loaded_terms": loaded,
            "distinctive_terms": _distinctive(docs, top, 2, 1.96, 2, 500.0, examples),
            "omissions": omissions(store, story, min_sources),
            "sides": sides(found, loaded, queries.story_events(store, story), queries.event_articles(store, story),
                           outlet_of)}
