"""Clean a RawDoc into an Article: strip page noise, keep an offset map.

HTML goes through trafilatura first (its text becomes ``Article.original``);
plain-text scrapes are cleaned line by line with the patterns in
``data/noise.yaml``.  Every kept run of characters is copied unchanged, so a
span of the cleaned text maps back to the original (``Article.original_span``).
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from storyline.article import language as language_stage
from storyline.article import metadata
from storyline.errors import E, StorylineError
from storyline.lang import rulefiles
from storyline.models import Article, RawDoc

VERSION = "clean-3"

# A paragraph that ends one of these characters is complete; a following line
# that starts lower-case is otherwise its continuation (a scrape's hard wrap).
_SENTENCE_END = tuple('.!?:;"”»)…’\'')
_BULLET = re.compile(r"^[\s•·▪●◦‣*\-–—]+(?=\S)")
# "MOSCOW (Sputnik) - ", "KYIV, Nov 21: ": a dateline in front of a repeated paragraph.
_DATELINE_PREFIX = re.compile(r"^[A-ZА-ЯІЇЄҐ][\w .,'’()]{1,50}?\s*[-–—:]\s+")


@lru_cache(maxsize=1)
def noise_patterns() -> dict:
    raw = rulefiles.load("noise.yaml")  # checked against its schema (lang/rulefiles.py)

    def compile_all(value):
        items = value if isinstance(value, list) else [value]
        return [re.compile(p, re.IGNORECASE) for p in items]

    return {
        "language_switcher": compile_all(raw["language_switcher"]),
        "counters": compile_all(raw["counters"]),
        "photo": compile_all(raw["photo"]),
        "crumbs": compile_all(raw["crumbs"]),
        "timestamp": compile_all(raw["timestamp"]),
        "ticker": compile_all(raw["ticker"]),
        "date_header": re.compile(raw["date_header"], re.IGNORECASE),
        # case matters for bylines: "By Jane Roe" is one, "By Monday, ..." is not
        "byline": [re.compile(raw["byline"][0], re.IGNORECASE)]
        + [re.compile("(?i:by|автор|autor)" + p[p.index(r"\s+"):]) for p in raw["byline"][1:]],
        "caption_starts": tuple(raw["caption_starts"]),
    }


def caption_starts() -> tuple[str, ...]:
    """Words that start a photo caption or credit ("photo", "фото"): data/noise.yaml."""
    return noise_patterns()["caption_starts"]


@dataclass
class _Line:
    start: int  # offset in the original
    text: str  # stripped line, text == original[start:start+len(text)]


def _lines(original: str) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\n]+", original):
        raw = match.group().rstrip("\r")
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        lines.append(_Line(match.start() + lead, stripped))
    return lines


def normalize_for_compare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def noise_kind(line: str, outlet: str = "", host: str = "") -> str | None:
    """Why a stripped line is page furniture, or None when it is content."""
    p = noise_patterns()
    lowered = line.casefold()
    if len(line) <= 80:
        for kind in ("language_switcher", "counters", "timestamp", "crumbs"):
            if any(pattern.fullmatch(line) for pattern in p[kind]):
                return kind
        if outlet and normalize_for_compare(line) in {normalize_for_compare(outlet)}:
            return "outlet"
        if host and lowered.replace("www.", "") == host:
            return "outlet"
    if len(line) <= 250:
        if any(pattern.fullmatch(line) for pattern in p["photo"]):
            return "photo"
        amounts = sum(len(pattern.findall(line)) for pattern in p["ticker"])
        words = len(re.findall(r"[a-zA-Zа-яА-ЯіїєґІЇЄҐ]{4,}", line))
        if amounts >= 2 and words <= 3 or amounts and not words and not line.rstrip().endswith("."):
            return "ticker"
    return None


def _byline(line: str) -> str | None:
    if len(line) > 100:
        return None
    for pattern in noise_patterns()["byline"]:
        match = pattern.fullmatch(line)
        if match and len(match.group(1).split()) <= 8:
            return match.group(1).strip(" ,")
    return None


def _caption_remainder(rest: str) -> bool:
    lowered = rest.strip().casefold()
    return not lowered or lowered.startswith(noise_patterns()["caption_starts"])


class _Builder:
    """Accumulates kept runs of the original into the cleaned text.

    It also keeps each paragraph's ``normalize_for_compare`` form, and finds the first paragraph whose
    form (of 20 characters or more) a new line's form starts with by looking up the new form's
    prefixes of those lengths: normalising and comparing every earlier paragraph for every line made a
    scrape of many short lines quadratic (minutes for a few thousand lines).
    """

    REPEAT_MIN = 20  # characters of a paragraph's form for a line starting with it to repeat it

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets: list[tuple[int, int, int]] = []
        self.length = 0
        self.paragraphs: list[str] = []
        self.norms: list[str] = []  # normalize_for_compare(paragraph), paragraph by paragraph
        self._first: dict[str, int] = {}  # a form -> the first paragraph that has it
        self._lengths: list[int] = []  # the lengths of those forms, in order

    def add(self, orig_start: int, text: str, join: str, norm: str | None = None) -> None:
        """``norm``: normalize_for_compare(text), when the caller has it."""
        norm = normalize_for_compare(text) if norm is None else norm
        if self.parts:
            self.parts.append(join)
            self.length += len(join)
        self.offsets.append((self.length, orig_start, len(text)))
        self.parts.append(text)
        self.length += len(text)
        if join == " " and self.paragraphs:
            self.paragraphs[-1] += " " + text
            # a space between them: the form of the joined paragraph is the forms joined
            old = self.norms[-1]
            self._forget(len(self.norms) - 1)
            self.norms[-1] = f"{old} {norm}" if old and norm else old or norm
        else:
            self.paragraphs.append(text)
            self.norms.append(norm)
        self._remember(len(self.norms) - 1)

    def _remember(self, index: int) -> None:
        norm = self.norms[index]
        if len(norm) >= self.REPEAT_MIN and norm not in self._first:
            self._first[norm] = index
            position = bisect.bisect_left(self._lengths, len(norm))
            if position == len(self._lengths) or self._lengths[position] != len(norm):
                self._lengths.insert(position, len(norm))

    def _forget(self, index: int) -> None:
        """The paragraph ``index``, the last one, is about to change."""
        if self._first.get(self.norms[index]) == index:
            del self._first[self.norms[index]]  # no earlier paragraph has its form: no other has

    def repeated(self, norm: str) -> int | None:
        """The first paragraph whose form (REPEAT_MIN characters or more) ``norm`` starts with and is
        longer than."""
        first = None
        for length in self._lengths[:bisect.bisect_left(self._lengths, len(norm))]:
            index = self._first.get(norm[:length])
            if index is not None and (first is None or index < first):
                first = index
        return first

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Cleaning:
    """What ``clean_lines`` keeps as it reads a page: the cleaned text (``builder``), what it recovers
    (``found``: date header, author, timestamps, first line), the forms of the paragraphs kept, and
    whether the line before was a timestamp."""

    def __init__(self, outlet: str, host: str) -> None:
        self.outlet, self.host = outlet, host
        self.found: dict = {"date_header": None, "author": None, "stamps": [], "first_line": None}
        self.builder = _Builder()
        self.seen_text = ""  # normalized kept text, to spot repeated paragraphs
        self.kept_norms: set[str] = set()
        self.after_stamp = False

    def date_header(self, start: int, text: str) -> tuple[int, str]:
        """The first line without the date header it may start with (the header is recorded)."""
        header = noise_patterns()["date_header"].match(text)
        if header:
            self.found["date_header"] = header.group(1)
            start, text = start + header.end(), text[header.end():]
        return start, text

    def furniture(self, text: str) -> bool:
        """Whether a line is a byline, page noise (``noise_kind``) or the reporter's name under a timestamp:
        the author and the timestamps are recorded, the line is dropped."""
        found = self.found
        author = _byline(text)
        if author:
            found["author"] = found["author"] or author
            return True
        kind = noise_kind(text, self.outlet, self.host)
        if kind:
            if kind == "timestamp":
                found["stamps"].append(text)
            self.after_stamp = kind == "timestamp"
            return True
        if self.after_stamp and found["author"] is None and _looks_like_name_line(text):
            found["author"] = text  # "20:51 21.11.2025" then the reporter's name
            self.after_stamp = False
            return True
        self.after_stamp = False
        return False

    def new_part(self, start: int, text: str, norm: str) -> tuple[int, str, str]:
        """(start, text, form) of what a line adds: a line that starts by repeating an earlier paragraph
        (a title echoed above its photo caption) keeps only what is new, and nothing (an empty form) when
        that is a caption or noise."""
        repeated = self.builder.repeated(norm)
        if repeated is None:
            return start, text, norm
        previous = self.builder.paragraphs[repeated]
        if not text.startswith(previous):
            return start, text, norm
        rest = text[len(previous):]
        if _caption_remainder(rest) or noise_kind(rest.strip(), self.outlet, self.host):
            return start, text, ""
        lead = len(rest) - len(rest.lstrip())
        text = rest.strip()
        return start + len(previous) + lead, text, normalize_for_compare(text)

    def repeats(self, text: str, norm: str) -> bool:
        """Whether a paragraph (or a title) repeats one already kept, perhaps under a dateline."""
        undated = normalize_for_compare(_DATELINE_PREFIX.sub("", text, count=1))
        return norm in self.kept_norms or (len(norm) >= 40 and norm in self.seen_text) or (
            len(undated) >= 40 and undated in self.seen_text)

    def keep(self, start: int, text: str, norm: str, is_item: bool) -> None:
        """Keep a paragraph: a new one, or (a scrape's hard wrap) the rest of the one before when that
        one ends mid-sentence and this starts lower-case, unless this is a list item."""
        if self.found["first_line"] is None:
            self.found["first_line"] = text
        builder = self.builder
        previous = builder.paragraphs[-1] if builder.paragraphs else ""
        join = "\n\n"
        if previous and not is_item and not previous.endswith(_SENTENCE_END) and text[:1].islower():
            join = " "
        builder.add(start, text, join, norm)
        self.seen_text += " " + norm
        self.kept_norms.add(norm)

    def closing_byline(self) -> None:
        """A lone name on the last line is the byline of many scrapes: it becomes the author."""
        builder = self.builder
        if builder.paragraphs and self.found["author"] is None:
            last = builder.paragraphs[-1]
            if _looks_like_name_line(last) and len(builder.paragraphs) > 2:
                self.found["author"] = last
                _drop_last(builder)


def _without_bullet(start: int, text: str) -> tuple[int, str, bool]:
    """A line without its bullet, and whether it is a list item of its own: a bulleted line is, a dash
    line ("- the statement said") continues the paragraph before."""
    bullet = _BULLET.match(text)
    if bullet:
        start, text = start + bullet.end(), text[bullet.end():]
    return start, text, bool(bullet) and any(ch in "•·▪●◦‣*" for ch in bullet.group())


def clean_lines(original: str, outlet: str = "", host: str = "") -> tuple[str, tuple, dict]:
    """Line rules for plain text: (cleaned text, offsets, recovered metadata).

    Line by line: a date header is read off the first line (``_Cleaning.date_header``); bylines, page
    furniture and the reporter's name under a timestamp are recorded and dropped (``furniture``); a
    bullet is taken off (``_without_bullet``); a line that repeats an earlier paragraph keeps only what
    is new (``new_part``); a paragraph repeated later in the page is dropped (``repeats``); the rest is
    kept, joined to the paragraph it continues (``keep``).  A lone name on the last line is the byline
    (``closing_byline``).
    """
    cleaning = _Cleaning(outlet, host)
    for index, line in enumerate(_lines(original)):
        start, text = line.start, line.text
        if index == 0:
            start, text = cleaning.date_header(start, text)
            if not text.strip():
                continue
        if cleaning.furniture(text):
            continue
        start, text, is_item = _without_bullet(start, text)
        norm = normalize_for_compare(text)
        if norm:
            start, text, norm = cleaning.new_part(start, text, norm)
        if norm and not cleaning.repeats(text, norm):
            cleaning.keep(start, text, norm, is_item)
    cleaning.closing_byline()
    builder = cleaning.builder
    return builder.text, tuple(builder.offsets), cleaning.found


def _looks_like_name_line(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 3 and len(text) <= 40 and all(w[:1].isupper() and w.isalpha() for w in words))


def _drop_last(builder: _Builder) -> None:
    _, _, length = builder.offsets.pop()
    builder.parts.pop()
    builder.length -= length
    builder._forget(len(builder.paragraphs) - 1)
    builder.paragraphs.pop()
    builder.norms.pop()
    if builder.parts:
        sep = builder.parts.pop()
        builder.length -= len(sep)


def _html_to_text(doc: RawDoc) -> tuple[str, dict]:
    import trafilatura  # deferred: ~0.5 s to import, and plain-text articles never need it

    try:
        # no extensive date search: it falls back to a footer's copyright year
        result = trafilatura.bare_extraction(doc.content, url=doc.url, with_metadata=True,
                                             include_comments=False, include_tables=False,
                                             date_extraction_params={"extensive_search": False, "original_date": True,
                                                                     "outputformat": "%Y-%m-%d"})
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise StorylineError(E.BAD_HTML, doc.source, type(exc).__name__) from None
    if result is None:
        raise StorylineError(E.BAD_HTML, doc.source)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        raise StorylineError(E.BAD_HTML, doc.source)
    meta = {k: data.get(k) for k in ("title", "author", "date", "sitename", "language", "url")}
    published = metadata.date_from_html_meta(doc.content)
    if published:
        meta["date"] = published  # the page's own publication metadata beats any guess
    elif meta.get("date") and doc.url and meta["date"] == (metadata.date_from_url(doc.url) or date.min).isoformat():
        meta["date"] = None  # trafilatura read it off the URL: let the URL rule label it as such
    return text, meta


def outlet_from_url(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # "http://[::1/x" from a feed item's link
        return ""
    return host[4:] if host.startswith("www.") else host


def article_id(doc: RawDoc, text: str) -> str:
    if doc.doc_id:
        return str(doc.doc_id)
    basis = doc.url or text
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def fingerprint(text: str) -> str:
    return hashlib.sha1(normalize_for_compare(text).encode("utf-8")).hexdigest()


# Control characters other than tab and newlines: never content, and they confuse
# everything downstream (search snippets mark highlights with \x02 and \x03).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates (JSON can escape them) cannot be encoded to store or hash: they become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
# An article needs at least one word of two letters to have a sentence.
_WORD = re.compile(r"[^\W\d_]{2}")


def _valid_unicode(doc: RawDoc) -> RawDoc:
    fixed = {name: _SURROGATE.sub("\ufffd", value) for name, value in vars(doc).items()
             if isinstance(value, str) and _SURROGATE.search(value)}
    return dataclasses.replace(doc, **fixed) if fixed else doc


def clean(doc: RawDoc, max_chars: int = 200_000) -> Article:
    """RawDoc -> Article; raises StorylineError when nothing readable is left."""
    doc = _valid_unicode(doc)
    html_meta: dict = {}
    if doc.kind == "html":
        original, html_meta = _html_to_text(doc)
    else:
        original = doc.content
    # replaced one for one, so offsets into the original stay valid
    original = _CONTROL.sub(" ", original[:max_chars])
    url = doc.url or html_meta.get("url")
    host = outlet_from_url(url)
    outlet = doc.outlet or html_meta.get("sitename") or host or ""
    text, offsets, found = clean_lines(original, outlet, host)
    if not text.strip():
        raise StorylineError(E.EMPTY if doc.kind == "text" else E.BAD_HTML, doc.source,
                             "nothing left after removing page noise")
    if not _WORD.search(text):
        raise StorylineError(E.NO_SENTENCES, doc.source, "no words, only digits, symbols or single letters")
    title = (doc.title or html_meta.get("title") or "").strip()
    if not title:
        title = metadata.title_from_text(found["first_line"] or text)
    published, published_source = metadata.publication_date(
        given=doc.published, html_date=html_meta.get("date"), header=found["date_header"],
        stamps=found["stamps"], text=text, url=url)
    lang, lang_source, paragraph_langs = language_stage.identify(
        text, given=doc.language or html_meta.get("language"))
    return Article(
        id=article_id(doc, text), text=text, original=original, offsets=offsets, title=title,
        url=url, outlet=outlet, author=doc.author or html_meta.get("author") or found["author"],
        published=published, published_source=published_source, language=lang,
        language_source=lang_source, source=doc.source, fingerprint=fingerprint(text),
        paragraph_languages=paragraph_langs,
    )
