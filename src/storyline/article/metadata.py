"""Recover an article's title and publication date.

Publication date, in order of trust: what the source gave (manifest, feed),
HTML metadata, a date line in the text (scraper header, timestamp line,
dateline such as "Dec. 4 (UPI)" or "KYIV, Nov 21:"), a date in the URL path
(including a Unix timestamp), and only then -- in the corpus pass, see
``infer_publication`` -- the latest date the article itself mentions.  Today's
date is never used.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import dateparser

from storyline.article.date_rules import nearest_year
from storyline.article.timex import find_times, lexicon

# Dates beyond these are typos or traps, not publication dates.
EARLIEST = date(1990, 1, 1)


def _latest_allowed() -> date:
    return date.today() + timedelta(days=2)


def plausible(value: date | None) -> date | None:
    if value is None or not (EARLIEST <= value <= _latest_allowed()):
        return None
    return value


def parse_date_string(text: str | None) -> date | None:
    """A date given as a string by a manifest, feed or HTML header."""
    if not text:
        return None
    text = str(text).strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return plausible(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return None
    parsed = dateparser.parse(text, languages=["en", "uk", "ru", "de", "fr", "pt", "ro", "pl", "es", "it"],
                              settings={"RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True})
    return plausible(parsed.date()) if parsed else None


_META_DATE = re.compile(
    r"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|publish-date|publication_date|date|dc\.date|dc\.date\.issued|"""
    r"""sailthru\.date|parsely-pub-date)["'][^>]*>""", re.IGNORECASE)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TIME_TAG = re.compile(r"""<time[^>]*\bdatetime\s*=\s*["']([^"']+)["'][^>]*\bpubdate""", re.IGNORECASE)


def date_from_html_meta(html: str) -> str | None:
    """The publication date a page declares: meta tags, JSON-LD, <time pubdate>."""
    head = html[:200_000]
    for match in _META_DATE.finditer(head):
        content = _CONTENT.search(match.group())
        value = parse_date_string(content.group(1)) if content else None
        if value:
            return value.isoformat()
    for pattern in (_JSONLD_DATE, _TIME_TAG):
        match = pattern.search(head)
        value = parse_date_string(match.group(1)) if match else None
        if value:
            return value.isoformat()
    return None


def title_from_text(text: str, limit: int = 160) -> str:
    """The first line, cut at a word boundary: scrapes without a title start with the lede."""
    first = text.strip().split("\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


_DATELINE = re.compile(
    r"^\s*(?:[A-ZА-ЯІЇЄҐ][\w.'’\- ]{1,40},\s*)?"
    r"(?P<date>(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,9}\.?(?:\s+\d{4})?))"
    r"\s*(?:\([A-Z][\w ]{1,20}\)|[:–—\-])")


_INLINE_STAMP = re.compile(
    r"\b\d{1,2}:\d{2}\s*(?:GMT|UTC|MSK|EET|EEST|CET|CEST|[+-]\d{2}:?\d{2})?,?\s+(\d{1,2}[./]\d{1,2}[./]20\d{2})\b"
    r"|\b(\d{1,2}[./]\d{1,2}[./]20\d{2}),?\s+\d{1,2}:\d{2}\b")


def date_from_inline_stamp(text: str) -> date | None:
    """A time-and-date stamp inside the first paragraphs ("00:21 GMT 06.12.2025")."""
    match = _INLINE_STAMP.search(text[:600])
    if not match:
        return None
    return date_from_stamps([match.group(1) or match.group(2)])


def date_from_stamps(stamps: list[str]) -> date | None:
    for stamp in stamps:
        times = find_times(stamp, "en", None)
        for found in times:
            if not found.relative:
                return plausible(found.first)
    return None


def date_from_dateline(text: str) -> tuple[date | None, tuple[int, int] | None]:
    """A dateline at the start of the first paragraphs: (full date, or (month, day) without a year)."""
    for paragraph in text.split("\n")[:4]:
        match = _DATELINE.match(paragraph)
        if not match:
            continue
        found = find_times(match.group("date"), "en", None)
        if found and not found[0].relative:
            return plausible(found[0].first), None
        months = lexicon("en").months
        words = re.findall(r"[A-Za-z]+", match.group("date"))
        days = re.findall(r"\d{1,2}", match.group("date"))
        if words and days and words[0].lower() in months:
            return None, (months[words[0].lower()], int(days[0]))
    return None, None


_URL_PATTERNS = (
    re.compile(r"(?<!\d)(20\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"),
    re.compile(r"/(20\d{2})/([a-z]{3,9})/(\d{1,2})/", re.IGNORECASE),
    re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(20\d{2})(?!\d)"),
)
_UNIX = re.compile(r"(?<!\d)(1[5-9]\d{8})(?!\d)")


def date_from_url(url: str | None) -> date | None:
    if not url:
        return None
    for index, pattern in enumerate(_URL_PATTERNS):
        for match in pattern.finditer(url):
            a, b, c = match.groups()
            try:
                if index == 2:
                    month = lexicon("en").months.get(b.lower())
                    if not month:
                        continue
                    value = date(int(a), month, int(c))
                elif index == 3:
                    value = date(int(c), int(a), int(b))
                else:
                    value = date(int(a), int(b), int(c))
            except ValueError:
                continue
            if plausible(value):
                return value
    match = _UNIX.search(url)
    if match:
        value = datetime.fromtimestamp(int(match.group(1)), tz=UTC).date()
        return plausible(value)
    return None


def publication_date(given: str | None, html_date: str | None, header: str | None,
                     stamps: list[str], text: str, url: str | None) -> tuple[date | None, str]:
    """(date, where it came from); (None, "unknown") when nothing trustworthy is found."""
    value = parse_date_string(given)
    if value:
        return value, "manifest"
    value = parse_date_string(html_date)
    if value:
        return value, "html"
    value = parse_date_string(header) or date_from_stamps(stamps) or date_from_inline_stamp(text)
    if value:
        return value, "text"
    value, _ = date_from_dateline(text)
    if value:
        return value, "text"
    value = date_from_url(url)
    if value:
        return value, "url"
    return None, "unknown"


def infer_publication(text: str, language: str, reference: date | None) -> date | None:
    """The latest absolute date an undated article mentions (marked 'inferred' by the caller).

    Year-less dates ("Dec. 4") take the year nearest the corpus's reference
    date (the median of the known publication dates).  A dateline without a
    year is the strongest hint and wins when present.
    """
    _, partial = date_from_dateline(text)
    if partial and reference:
        value = nearest_year(partial[0], partial[1], reference)
        if value:
            return plausible(value)
    candidates = [t for t in find_times(text, language, None, reference=reference)
                  if t.certain and t.first is not None and t.first == t.last]
    dated = [t.last for t in candidates if plausible(t.last)]
    return max(dated) if dated else None
