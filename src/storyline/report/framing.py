"""Framing: how the outlets covering one story differ.

Three readings of the stored record, all plain functions over a Store:

- outlet profiles: country and state affiliation from a user-editable YAML
  file (``data/outlets.yaml`` holds only defaults), else the country inferred
  from the URL's country-code domain and marked ``inferred``;
- loaded terms: (a) a multilingual lexicon of evaluative vocabulary
  (``data/framing.yaml``) matched by lemma, and (b) the words and word pairs
  an outlet uses far more than the story's other outlets writing in the same
  language, by the log-odds ratio with an informative Dirichlet prior
  (Monroe, Colaresi and Quinn 2008), each with the sentences that use it;
- omissions: facts most outlets report (events with several independent
  sources, entities most outlets name) that an outlet leaves out although it
  covered the story after the fact happened.

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
from typing import Any
from urllib.parse import urlsplit

import yaml

from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.read.records import ArticleMeta, ArticleText
from storyline.store import Store

VERSION = "framing-1"
SLAVIC = ("ru", "uk")


# ---------------------------------------------------------------- data files


def _data_file(name: str) -> dict:
    text = resources.files("storyline").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _user_file(path: str | Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise StorylineError(E.NOT_FOUND, str(path), exc.strerror) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise StorylineError(E.BAD_PROFILE_FILE, str(path), f"not valid YAML: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise StorylineError(E.BAD_PROFILE_FILE, str(path), "expected a mapping at the top level")
    return data


def _mapping(data: dict, key: str, where: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise StorylineError(E.BAD_PROFILE_FILE, where, f"'{key}' must be a mapping")
    return value


# ---------------------------------------------------------------- outlet profiles


def load_profiles(path: str | Path | None = None) -> dict:
    """The bundled defaults, extended and overridden by the user's profile file."""
    sources = [("data/outlets.yaml", _data_file("outlets.yaml"))]
    if path:
        sources.append((str(path), _user_file(path)))
    defaults: dict = {}
    outlets: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    generic: set[str] = set()
    for where, data in sources:
        defaults.update(_mapping(data, "defaults", where))
        for key, entry in _mapping(data, "outlets", where).items():
            entry = entry or {}
            if not isinstance(entry, dict):
                raise StorylineError(E.BAD_PROFILE_FILE, where, f"profile {key!r} must be a mapping")
            norm = str(key).strip().casefold()
            outlets[norm] = {**outlets.get(norm, {}), **entry, "key": str(key)}
        tld = _mapping(data, "tld", where)
        aliases.update({str(k).lower(): str(v).upper() for k, v in (tld.get("aliases") or {}).items()})
        generic.update(str(g).lower() for g in tld.get("generic") or [])
    return {"defaults": defaults, "outlets": outlets, "tld_aliases": aliases, "tld_generic": generic}


def host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    return name.lower().rstrip(".") if name else None


def _country(value: Any) -> tuple[str | None, str | None]:
    """(name, ISO alpha-2 code) for a country given as a code or a name; unknown names are kept as given."""
    if value is False:
        value = "NO"  # YAML 1.1 reads an unquoted `country: NO` (Norway) as false
    if value in (None, "") or value is True:
        return None, None
    import pycountry  # deferred: its country tables load only when a profile names a country

    text = str(value).strip()
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return text, None
    return getattr(found, "common_name", None) or found.name, found.alpha_2


def tld_country(hostname: str | None, profiles: dict | None = None) -> tuple[str | None, str | None]:
    """The country a host's country-code top-level domain names, or (None, None)."""
    if not hostname or "." not in hostname:
        return None, None
    profiles = profiles or load_profiles()
    tld = hostname.rsplit(".", 1)[1]
    if len(tld) != 2 or not tld.isalpha() or tld in profiles["tld_generic"]:
        return None, None
    import pycountry  # deferred: its country tables load only when a domain names a country

    code = profiles["tld_aliases"].get(tld, tld.upper())
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return None, None
    return getattr(found, "common_name", None) or found.name, found.alpha_2


def _domain_entry(hosts: list[str], outlets: dict[str, dict]) -> dict | None:
    for name in hosts:
        parts = name.split(".")
        for i in range(len(parts) - 1):
            entry = outlets.get(".".join(parts[i:]))
            if entry is not None:
                return entry
    return None


def profile_for(outlet: str, urls: Iterable[str | None], profiles: dict | None = None) -> dict:
    """One outlet's profile: from the profile file by name or domain, else inferred from its URLs."""
    profiles = profiles or load_profiles()
    hosts = sorted({h for h in (host(u) for u in urls) if h})
    entry = profiles["outlets"].get(outlet.strip().casefold())
    matched = "name" if entry is not None else None
    if entry is None:
        entry = _domain_entry(hosts, profiles["outlets"])
        matched = "domain" if entry is not None else None
    merged = {**profiles["defaults"], **(entry or {})}
    name, code = _country(merged.get("country"))
    source = "profile" if name else None
    if name is None:
        guesses = Counter(c for c in (tld_country(h, profiles) for h in hosts) if c[0])
        if guesses:
            (name, code), _ = guesses.most_common(1)[0]
            source = "tld"
    state = merged.get("state_affiliated")
    return {"outlet": outlet, "display_name": merged.get("name") or outlet, "domains": hosts,
            "country": name, "country_code": code, "country_source": source,
            "country_inferred": source == "tld",
            "state_affiliated": None if state is None else bool(state),
            "notes": str(merged.get("notes") or ""), "profile": entry["key"] if entry else None,
            "matched_by": matched}


def outlet_profiles(store: Store, story: str | None = None, profiles: dict | None = None) -> list[dict]:
    """Every outlet of the store (or of one story) with its profile and coverage counts."""
    profiles = profiles or load_profiles()
    grouped: dict[str, list[ArticleMeta]] = defaultdict(list)
    for row in queries.articles_metadata(store, story or None):
        grouped[row.outlet or ""].append(row)
    out = []
    for outlet, rows in grouped.items():
        profile = profile_for(outlet, [r.url for r in rows], profiles)
        dates = sorted(r.published for r in rows if r.published)
        profile.update({"articles": len(rows), "copies": sum(1 for r in rows if r.duplicate_of),
                        "languages": sorted({r.language for r in rows if r.language}),
                        "first": dates[0] if dates else None, "last": dates[-1] if dates else None})
        out.append(profile)
    out.sort(key=lambda p: (-p["articles"], p["outlet"].casefold()))
    return out


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
    masked: bool = False  # part of a name or a date: not vocabulary


@dataclass
class Doc:
    id: str
    outlet: str
    language: str
    published: str | None
    duplicate_of: str | None
    sentences: list[tuple[int, str, list[Token]]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(1 for _, _, tokens in self.sentences for tok in tokens if _WORD.match(tok.surface))


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


def tokenize(text: str, language: str, masks: Iterable[tuple[int, int]] = ()) -> list[Token]:
    spans = list(masks)
    mask = _Mask(len(text), spans)
    tokens = []
    for m in _TOKEN.finditer(text):
        masked = mask.overlaps(m.start(), m.end())
        tokens.append(Token(m.group().lower().replace("’", "'"), lemma(m.group(), language), m.start(), m.end(),
                            masked))
    return tokens


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def _document(article: ArticleText) -> Doc:
    doc = Doc(article.id, article.outlet or "", article.language or "und", article.published, article.duplicate_of)
    analysis = article.analysis
    if analysis is not None and analysis.sentences:
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
            first = bisect.bisect_right(reach, s.start)  # before it, every span ends by the sentence's start
            last = max(first, bisect.bisect_left(starts, s.end))  # the spans starting before its end
            local = [(a - s.start, b - s.start) for a, b in spans[first:last] if a < s.end and s.start < b]
            doc.sentences.append((s.index, s.text, tokenize(s.text, doc.language, local)))
    else:
        pieces = [p for p in _SENTENCE_END.split(article.text or "") if p.strip()]
        doc.sentences = [(i, p, tokenize(p, doc.language)) for i, p in enumerate(pieces)]  # no offsets to mask
    return doc


def documents(store: Store, story: str) -> list[Doc]:
    """The story's articles as tokenised sentences, names and dates masked (from each article's analysis)."""
    return [_document(article) for article in queries.story_texts(store, story)]


# ---------------------------------------------------------------- (a) the lexicon


def load_lexicon(path: str | Path | None = None) -> dict[str, dict]:
    """Categories of loaded terms; a user file's category replaces the bundled one of the same name."""
    lexicon = dict(_mapping(_data_file("framing.yaml"), "lexicon", "data/framing.yaml"))
    if path:
        lexicon.update(_mapping(_user_file(path), "lexicon", str(path)))
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


def _loaded(docs: list[Doc], lexicon: dict[str, dict], examples: int) -> dict:
    compiled = _compile(lexicon)
    per_outlet: dict[str, dict] = {}
    total_words = total_hits = 0
    for doc in docs:
        if doc.duplicate_of:
            continue
        entry = per_outlet.setdefault(doc.outlet, {"articles": 0, "words": 0, "hits": 0,
                                                   "categories": Counter(), "terms": {}})
        entry["articles"] += 1
        entry["words"] += doc.words
        total_words += doc.words
        for index, text, tokens in doc.sentences:
            for term, start, end in _find_terms(tokens, compiled.get(doc.language, [])):
                entry["hits"] += 1
                total_hits += 1
                entry["categories"][term.category] += 1
                hit = entry["terms"].setdefault((term.category, term.text), {
                    "term": term.text, "category": term.category, "language": doc.language,
                    "count": 0, "forms": Counter(), "articles": [], "examples": []})
                hit["count"] += 1
                hit["forms"][text[start:end].lower()] += 1
                if doc.id not in hit["articles"]:
                    hit["articles"].append(doc.id)
                if len(hit["examples"]) < examples:
                    hit["examples"].append(_example(doc, index, text, start, end))
    average = 1000.0 * total_hits / total_words if total_words else 0.0
    outlets = {}
    for outlet, entry in per_outlet.items():
        rate = 1000.0 * entry["hits"] / entry["words"] if entry["words"] else 0.0
        terms = sorted(entry["terms"].values(), key=lambda h: (-h["count"], h["term"]))
        for hit in terms:
            hit["forms"] = [f for f, _ in hit["forms"].most_common()]
        outlets[outlet] = {"articles": entry["articles"], "words": entry["words"], "hits": entry["hits"],
                           "per_1000_words": round(rate, 2),
                           "vs_story": round(rate / average, 2) if average else None,
                           "categories": dict(entry["categories"].most_common()), "terms": terms}
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


# ---------------------------------------------------------------- omissions


def omissions(store: Store, story: str, min_sources: int = 2, share: float = 0.5) -> dict:
    """Facts reported by more than ``share`` of the story's outlets (and by at least ``min_sources``) that an
    outlet leaves out.  An outlet is only faulted if it published on the story on or after the fact's date;
    one writing in none of the reporters' languages is listed in ``other_language`` too (the names may only
    have failed to match across languages)."""
    arts = {r.id: r for r in queries.articles_metadata(store, story)}
    events = queries.story_events(store, story)
    event_articles = queries.event_articles(store, story)
    entity_articles = queries.entity_articles(store, story)
    last: dict[str, str] = {}
    languages: dict[str, set[str]] = defaultdict(set)
    outlets = sorted({a.outlet for a in arts.values()}, key=str.casefold)
    for a in arts.values():
        languages[a.outlet].add(a.language)
        if a.published and a.published > last.get(a.outlet, ""):
            last[a.outlet] = a.published
    needed = max(min_sources, math.floor(len(outlets) * share) + 1)
    facts = []

    def add(kind: str, item_id: str, label: str, date: str | None, ids: set[str], extra: dict) -> None:
        ids = {i for i in ids if i in arts}
        reporting = sorted({arts[i].outlet for i in ids}, key=str.casefold)
        if len(reporting) < needed:
            return
        missing, too_early = [], []
        for outlet in outlets:
            if outlet in reporting:
                continue
            if date and last.get(outlet, "") < date:
                too_early.append(outlet)  # had nothing on the story after the fact: not an omission
            else:
                missing.append(outlet)
        # an outlet writing in none of the reporters' languages may only lack a cross-language match
        spoken = {arts[i].language for i in ids}
        unsure = [o for o in missing if not languages[o] & spoken]
        facts.append({"kind": kind, "id": item_id, "label": label, "date": date, "outlets": reporting,
                      "articles": sorted(ids), "missing": missing, "not_yet_covering": too_early,
                      "other_language": unsure, **extra})

    for event in events:
        if event.independent_sources < min_sources:
            continue
        add("event", event.id, event.summary, event.date, event_articles.get(event.id, set()),
            {"type": event.type, "place": event.place, "independent_sources": event.independent_sources})
    for entity in entity_articles:
        add("entity", entity.id, entity.name, None, entity.articles, {"type": entity.type})
    facts.sort(key=lambda f: (f["kind"] != "event", f["date"] or "9999", -len(f["outlets"]), f["label"]))
    by_outlet: dict[str, list[dict]] = {o: [] for o in outlets}
    for fact in facts:
        for outlet in fact["missing"]:
            by_outlet[outlet].append({k: fact[k] for k in ("kind", "id", "label", "date", "type", "articles")}
                                     | {"reported_by": len(fact["outlets"]),
                                        "other_language": outlet in fact["other_language"]})
    return {"story": story, "outlets": outlets, "needed": needed, "min_sources": min_sources, "share": share,
            "facts": facts, "by_outlet": by_outlet}


# ---------------------------------------------------------------- all of it


def framing(store: Store, story: str, *, profiles: dict | None = None, lexicon: dict[str, dict] | None = None,
            top: int = 10, min_sources: int = 2, examples: int = 3) -> dict:
    """Profiles, loaded terms (lexicon and log-odds) and omissions of one story, as one dict."""
    docs = documents(store, story)
    return {"story": story, "version": VERSION,
            "profiles": outlet_profiles(store, story, profiles),
            "loaded_terms": _loaded(docs, lexicon or load_lexicon(), examples),
            "distinctive_terms": _distinctive(docs, top, 2, 1.96, 2, 500.0, examples),
            "omissions": omissions(store, story, min_sources)}
