"""Find date expressions and resolve them to calendar spans.

Month and weekday names for every language come from dateparser's own
language data; our grammar finds candidate spans ("Tuesday, 2 December",
"4-5 декабря", "23 and 30 November", "on Sunday", "earlier this week") and
resolves them against the publication date.  A weekday resolves backwards in a
past-tense clause and forwards in a future one; a day and month without a year
take the year that puts them nearest the publication date.  Without a
publication date, relative expressions stay unresolved rather than guessed.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import import_module
from itertools import pairwise

from storyline.article.date_rules import (
    Anaphor,
    DateRule,
    Month,
    MonthDays,
    MonthDayWeekday,
    MonthPart,
    RelativeDay,
    RelativePeriod,
    Shifted,
    Weekday,
    WeekdayOnDay,
    apply_rule,
    month_span,
    parse_rule,
    weekday_checked,
)
from storyline.lang import calendar_rules
from storyline.lang import get as lang_of
from storyline.models import TimeExpr

VERSION = "timex-5"
MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Slavic weekday nouns take the accusative after "в/у" ("в среду", "у п'ятницю"): for a language
# with ``dates.slavic_forms`` (storyline/lang/), a few case endings make dateparser's nominative forms match.


@lru_cache(maxsize=1)
def calendar_data() -> dict:
    """data/calendar.yaml and each language's ``dates`` words (storyline/lang/), checked against their schemas."""
    return calendar_rules()


def _slavic_forms(word: str, is_month: bool) -> set[str]:
    forms = {word}
    if is_month:
        if word.endswith("ь"):
            forms |= {word[:-1] + "е", word[:-1] + "і", word[:-1] + "я"}
        elif word.endswith("й"):
            forms |= {word[:-1] + "е", word[:-1] + "я"}
        elif word[-1:].isalpha() and word[-1] not in "аяоеиіуюы":
            forms |= {word + "е", word + "і", word + "а", word + "у"}
    else:
        if word.endswith("а"):
            forms.add(word[:-1] + "у")
        if word.endswith("я"):
            forms.add(word[:-1] + "ю")
        if word.endswith("к"):
            forms |= {word[:-2] + "ка" if word.endswith("ок") else word + "а"}
    return forms


@dataclass(frozen=True)
class Lexicon:
    language: str
    months: dict[str, int]
    weekdays: dict[str, int]
    case_sensitive: bool


@cache
def lexicon(language: str) -> Lexicon:
    """Month and weekday word forms of a language, from dateparser's data."""
    try:
        info = import_module(f"dateparser.data.date_translation_data.{language}").info
    except ModuleNotFoundError:
        info = import_module("dateparser.data.date_translation_data.en").info
        language = "en"
    months: dict[str, int] = {}
    for number, key in enumerate(MONTH_KEYS, 1):
        for form in info.get(key, []):
            form = form.lower().rstrip(".")
            if len(form) < 3:
                continue
            variants = _slavic_forms(form, True) if lang_of(language).dates.slavic_forms and len(form) > 4 else {form}
            for variant in variants:
                months.setdefault(variant, number)
    weekdays: dict[str, int] = {}
    for number, key in enumerate(WEEKDAY_KEYS):
        for form in info.get(key, []):
            form = form.lower().rstrip(".")
            # Abbreviations ("tu", "sun", "пн") collide with ordinary words; keep full names.
            if len(form) < lang_of(language).dates.min_weekday_chars:
                continue
            variants = _slavic_forms(form, False) if lang_of(language).dates.slavic_forms else {form}
            for variant in variants:
                weekdays.setdefault(variant, number)
    if lang_of(language).dates.weekday_first_word:  # "sábado (20)", "segunda-feira": also the short weekday forms
        for number, key in enumerate(WEEKDAY_KEYS):
            for form in info.get(key, []):
                if "-" in form:
                    weekdays.setdefault(form.split("-")[0].lower(), number)
    return Lexicon(language, months, weekdays, case_sensitive=lang_of(language).dates.case_sensitive)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    regex: re.Pattern
    lex: Lexicon


_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|-?го|-?е|-?ого|º)?"
# Day numbers listed before one month name ("4, 5 and 6 December"): a month has no more.  Unbounded,
# a long run of numbers without a month ("1, 2, 3, ...") was re-scanned from each of its numbers.
MAX_LISTED_DAYS = 30
_YEAR = r"(?:19|20)\d{2}"


@cache
def grammar(language: str) -> _Grammar:
    lex = lexicon(language)
    data = calendar_data()
    # English month names are matched with a capital (so "may" the verb is skipped).
    month_words = sorted(lex.months)
    if lex.case_sensitive:
        month_alt = "(?:" + "|".join(
            f"{re.escape(w[:1].upper() + w[1:])}\\.?" for w in sorted(month_words, key=len, reverse=True)) + ")"
    else:
        month_alt = "(?i:" + "|".join(
            f"{re.escape(w)}\\.?" for w in sorted(month_words, key=len, reverse=True)) + ")"
    weekday_alt = _alternation(lex.weekdays)
    span_join = _alternation(data["day_joiners"]["span"])
    list_join = _alternation([j for j in data["day_joiners"]["list"] if j != ","])
    joiner = rf"(?:\s*(?:{span_join})\s*|\s*,\s*|\s+(?:{list_join})\s+)"
    modifiers = data["weekday_modifiers"].get(language, {})
    modifier_alt = _alternation(modifiers) if modifiers else "(?!x)x"
    periods = data["relative_periods"].get(language, {})
    days = dict(data["relative_days"].get(language, {}))
    days.update(data["anaphoric_days"].get(language, {}))
    parts = data["month_parts"].get(language, {})
    part_alt = _alternation(parts) if parts else "(?!x)x"
    def weekday_prefix(name: str) -> str:
        return rf"(?:(?P<{name}>{weekday_alt})\s*,?\s+(?:the\s+)?)?" if weekday_alt else ""

    wd_ci = "(?i:" if lex.case_sensitive else "(?:"
    listed_days = rf"{_DAY}(?:{joiner}{_DAY}){{0,{MAX_LISTED_DAYS}}}"
    year_after = rf"(?:\s+(?:de\s+)?(?:{_YEAR}))?(?:\s*(?:р\.|г\.|року|года|рік|год))?"
    wd_day = r"(?:\s*\((?P<wdday>[0-3]?\d)\))?"
    pattern = rf"""
      (?P<iso>\b{_YEAR}-[01]\d-[0-3]\d\b)
    | (?P<num>\b[0-3]?\d[./][01]?\d[./](?:{_YEAR}|\d{{2}})\b)
    | (?P<usnum>\b[01]?\d-[0-3]?\d-{_YEAR}\b)
    | (?P<dm>\b{wd_ci}{weekday_prefix('wd1')}){listed_days}\s+(?:de\s+)?{month_alt}{year_after})
    | (?P<md>\b{wd_ci}{weekday_prefix('wd2')}){month_alt}\s+{_DAY}(?:{joiner}{_DAY})*(?:,?\s+{_YEAR})?)(?![\d:])
    | (?P<rel>\b(?i:{_alternation(list(periods) + list(days)) or "(?!x)x"})\b)
    | (?P<part>\b(?i:{part_alt})[\s-]+(?:of\s+)?{month_alt}(?:\s+{_YEAR})?)
    | (?P<wd>\b(?i:(?:(?P<mod>{modifier_alt})\s+)?(?P<wdname>{weekday_alt or "(?!x)x"}))\b{wd_day})
    | (?P<month>\b(?i:in|since|until|by|during|throughout|of|в|у|з|с|до|em|în|w)\s+{month_alt}(?:\s+{_YEAR})?\b)
    """
    return _Grammar(re.compile(pattern, re.VERBOSE | re.UNICODE), lex)


# ---------------------------------------------------------------- clauses
# (calendar arithmetic and the resolution of relative rules: date_rules)


def _future_words(language: str) -> list[str]:
    return calendar_data()["future_markers"].get(language, [])


@cache
def _marker_regex(kind: str, language: str) -> re.Pattern | None:
    words = calendar_data()[kind].get(language, [])
    if not words:
        return None
    if lang_of(language).script in ("cjk", "hangul"):
        # written without spaces between words, or with endings joined to them: a marker inside a word
        return re.compile(f"(?:{_alternation(words)})")
    return re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)", re.IGNORECASE)


# A headline's "X to meet Y on Sunday" announces; "arrived to meet" (a verb before "to") does not.
_HEADLINE_FUTURE = re.compile(
    r"^\W*(?:[A-Z][\w.'’\-]*\s+){1,5}(?:and\s+(?:[A-Z][\w.'’\-]*\s+){1,4})?to\s+"
    r"(?:meet|visit|hold|host|travel|sign|attend|call|talk|receive)\b")


def is_future(clause: str, language: str) -> bool:
    regex = _marker_regex("future_markers", language)
    return bool(regex and regex.search(clause)) or bool(
        lang_of(language).dates.headline_future and _HEADLINE_FUTURE.search(clause))


@lru_cache(maxsize=256)
def _future_clause(text: str, left: int, right: int, language: str) -> bool:
    """Whether text[left:right] is a future clause, once per clause: every weekday of a long clause
    ("Monday Monday ...") searched the whole clause again."""
    clause = text[left:right]
    return is_future(clause, language) or is_future(clause, "en")


def is_cancelled(clause: str, language: str) -> bool:
    regex = _marker_regex("cancel_markers", language)
    return bool(regex and regex.search(clause))


_CLAUSE_BREAK = re.compile(r"[;:—–]|,\s+(?:but|while|although|after|before|as|which|who|when|where|and)\b"
                           r"|\bthat\b|\bafter\b|\bbefore\b"
                           r"|, (?:а|але|но|однак|однако|після|после|коли|когда|який|которы\w*|що|что)\b",
                           re.IGNORECASE)


# A sentence ends at . ! ? before a capital, but not after an initial or a short abbreviation
# ("U.S. special envoy", "Dec. 4", "Mr. Ebbing").  A break starts at the first or second mark of a
# run of marks ("U.S.? No": the second), never later: every later start ends the same way, and trying
# each one re-scanned a long run ("......") from each of its characters.
_SENTENCE_BREAK = re.compile(
    r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])(?<!\bSept)(?<![.!?…][.!?…])[.!?…]+[\"”»']?\s+(?=[\"“«'‘(]?[A-ZА-ЯІЇЄҐ0-9])|\n")


def clause_around(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> str:
    """The clause holding [start, end): the text between the nearest breaks in its sentence
    (the sentence's bounds, when the parser gave them)."""
    left, right = clause_bounds(text, start, end, bounds)
    return text[left:right]


def clause_bounds(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> tuple[int, int]:
    """Where ``clause_around``'s clause starts and ends in ``text``."""
    # The breaks of a sentence (of the text) are found once and looked up for each expression in it:
    # scanning from the sentence's start for each one was quadratic in a long sentence full of them.
    if bounds:
        left, right = bounds
    else:
        breaks = _breaks(_SENTENCE_BREAK, text, 0, len(text), 2)
        left, right = breaks.last_end_before(start, 0), breaks.first_start_from(end, len(text))
    if not left <= start <= end <= right:  # an expression outside the bounds it was given: scan as is
        for match in _CLAUSE_BREAK.finditer(text, left, start):
            left = match.end()
        right_match = _CLAUSE_BREAK.search(text, end, right)
        return left, right_match.start() if right_match else right
    breaks = _breaks(_CLAUSE_BREAK, text, left, right, 1)
    return breaks.last_end_before(start, left), breaks.first_start_from(end, right)


class _Breaks:
    """The matches of a break pattern over text[lo:hi], answering what the scans clause_around made
    for each expression gave: ``pattern.finditer(text, lo, start)``'s last match and
    ``pattern.search(text, end, hi)``, exactly, with a bisection and a few characters of scanning.

    A scan cut off at ``start`` finds the same matches as the whole scan up to the last one whose
    matching read nothing at or after ``start`` (``reach``: how far past its end a match reads, its
    lookahead); cutting the text only takes matches away, except where a match would end exactly at
    ``start`` (a word boundary there).  What the cut scan finds after that is looked for again near
    ``start`` only.  A search from ``end`` finds what the whole scan finds unless a match of the whole
    scan runs across ``end``: then the positions under it are tried one by one.
    """

    def __init__(self, pattern: re.Pattern, text: str, lo: int, hi: int, reach: int):
        self.pattern, self.text, self.lo, self.hi, self.reach = pattern, text, lo, hi, reach
        matches = [(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
        self.starts = [a for a, _ in matches]
        self.ends = [b for _, b in matches]

    def last_end_before(self, start: int, default: int) -> int:
        """The end of the last match of ``pattern.finditer(text, lo, start)``, else ``default``."""
        count = bisect.bisect_right(self.ends, start - self.reach)  # whole-scan matches the cut leaves alone
        found = self.ends[count - 1] if count else default
        resume = self.ends[count - 1] if count else self.lo
        # a match that ends exactly at start (a word boundary at the cut) starts no earlier than the
        # word and the spaces and two characters before start
        position = start
        while position > resume and (self.text[position - 1].isalnum() or self.text[position - 1] == "_"):
            position -= 1
        while position > resume and self.text[position - 1].isspace():
            position -= 1
        position -= 2
        if count < len(self.starts):
            position = min(position, self.starts[count])
        for match in self.pattern.finditer(self.text, max(resume, position), start):
            found = match.end()
        return found

    def first_start_from(self, end: int, default: int) -> int:
        """The start of ``pattern.search(text, end, hi)``, else ``default``."""
        index = bisect.bisect_right(self.ends, end)  # whole-scan matches ending after end
        if index < len(self.starts) and self.starts[index] < end:
            for position in range(end, self.ends[index]):
                if self.pattern.match(self.text, position, self.hi):
                    return position
            index += 1
        return self.starts[index] if index < len(self.starts) else default


@lru_cache(maxsize=64)
def _breaks(pattern: re.Pattern, text: str, lo: int, hi: int, reach: int) -> _Breaks:
    return _Breaks(pattern, text, lo, hi, reach)


def _day_numbers(text: str) -> list[tuple[int, str]]:
    """Day numbers in a 'dm'/'md' match with the joiner kind before each ('', 'span', 'list')."""
    out = []
    span_words = calendar_data()["day_joiners"]["span"]
    previous_end = None
    for match in re.finditer(r"(?<![\d])([0-3]?\d)(?![\d])", text):
        value = int(match.group(1))
        if previous_end is None:
            out.append((value, ""))
        else:
            between = text[previous_end:match.start()].strip().lower()
            kind = "span" if between in span_words else "list"
            out.append((value, kind))
        previous_end = match.end()
    return out


def _strip_years(text: str) -> tuple[str, int | None]:
    match = re.search(_YEAR, text)
    if not match:
        return text, None
    return text[:match.start()] + text[match.end():], int(match.group())


def _month_of(text: str, lex: Lexicon) -> int | None:
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in lex.months:
            return lex.months[word]
    return None


def _spans_from_days(days: list[tuple[int, str]], month: int, year: int) -> list[tuple[date, date]]:
    """'14 and 15 December 2014' is one two-day span; '23 and 30 November' two days."""
    spans: list[tuple[date, date]] = []
    for first, last in _day_groups(days):
        try:
            spans.append((date(year, month, first), date(year, month, max(first, last))))
        except ValueError:
            continue
    return spans


def find_times(text: str, language: str, published: date | None,
               sentence_spans: list[tuple[int, int]] | None = None,
               reference: date | None = None) -> list[TimeExpr]:
    """Every date expression in ``text``, resolved to a calendar span where possible.

    Relative expressions carry their rule (a ``date_rules`` record, kept as its text: "wd|1|-1", the
    Tuesday on or before the anchor), so a corpus stage that learns the publication date later can
    resolve them; without an anchor their dates stay None.
    """
    fallback = lang_of(language).fallback
    lang = language if lang_of(language).dates.grammar else fallback
    grams = [grammar(lang)] + ([grammar(fallback)] if fallback and fallback != lang else [])
    # Without a publication date, a year-less "Dec. 4" still takes the year
    # nearest the corpus's reference date; relative words stay unresolved.
    year_anchor = published or reference
    found: list[TimeExpr] = []
    taken = _Taken()
    sentences = _SentenceSpans(sentence_spans)
    for gram in grams:
        for match in gram.regex.finditer(text):
            start, end = match.span()
            if taken.overlaps(start, end):
                continue
            spans, rules, certain = _parse(match, gram.lex, text, sentences.bounds_of(start))
            if not spans and not rules:
                continue
            taken.add(start, end)
            sentence = sentences.index_of(start)
            for first, last in spans:
                found.append(TimeExpr(start, end, match.group().strip(), first, last, False, sentence, certain))
            for rule in rules:
                resolved = apply_rule(rule, published, year_anchor)
                first, last = resolved if resolved else (None, None)
                found.append(TimeExpr(start, end, match.group().strip(), first, last, True, sentence,
                                      certain and (resolved is None or resolved[0] == resolved[1]
                                                   or isinstance(rule, MonthDays)),
                                      rule=str(rule)))
    found.extend(_cjk_times(text, language, published, year_anchor, sentences, taken))
    found.extend(_connectives(text, lang, sentence_spans, found))
    found.sort(key=lambda t: (t.start, t.first or date.min))
    return _forward_weekdays(_resolve_anaphors(found, published, year_anchor), published, year_anchor)


# ---------------------------------------------------------------- dates in scripts without spaces

# Chinese, Japanese and Korean write dates with counters after the numbers ("10月30日", "２８日",
# "8월 25일") and weekdays as one of seven day characters after a fixed word ("周四", "木曜日", "목요일").
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CJK_SCRIPTS = ("cjk", "hangul")
_CJK_DATE = re.compile(
    r"(?:(?P<year>\d{4})\s?[年년]\s?)?(?:(?P<month>\d{1,2})\s?[月월]\s?)?(?P<day>\d{1,2})\s?[日일](?![本])(?:\s?[(（][^()（）\d]{1,5}[)）])?"
    r"|(?:星期|週|周)(?P<zhwd>[一二三四五六日天])"
    r"|(?P<jawd>[月火水木金土日])曜日?"
    r"|(?P<kowd>[월화수목금토일])요일")


def _cjk_weekday(groups: dict) -> int | None:
    if groups["zhwd"]:
        return min("一二三四五六日天".index(groups["zhwd"]), 6)
    if groups["jawd"]:
        return "月火水木金土日".index(groups["jawd"])
    return "월화수목금토일".index(groups["kowd"])


def _cjk_day(groups: dict, published: date | None, year_anchor: date | None) -> _Reading:
    """'2025年10月30日' a stated day; '10月30日' that day of the month in the anchor's year; '28日' that
    day of the publication's month (of the month before, when it lies well after publication)."""
    day, month = int(groups["day"]), groups["month"] and int(groups["month"])
    try:
        if groups["year"] and month:
            value = date(int(groups["year"]), month, day)
            return [(value, value)], [], True
        if month:
            return [], [MonthDays(month, day, day)], True
        if published is None:
            return [], [], True
        value = published.replace(day=day)
        if value > published + timedelta(days=7):
            value = (published.replace(day=1) - timedelta(days=1)).replace(day=day)
        return [(value, value)], [], True
    except ValueError:
        return [], [], True


def _cjk_times(text: str, language: str, published: date | None, year_anchor: date | None,
               sentences: _SentenceSpans, taken: _Taken) -> list[TimeExpr]:
    """The dates of a text in Chinese, Japanese or Korean script: stated and month-less days, weekdays
    (read back from publication) and the language's relative days ("明日", "오늘")."""
    if lang_of(language).script not in _CJK_SCRIPTS:
        return []
    plain = text.translate(_FULL_WIDTH)  # the same length: offsets stay
    relative = calendar_data().get("relative_days", {}).get(language, {})
    words = re.compile("|".join(re.escape(w) for w in sorted(relative, key=len, reverse=True))) if relative else None
    found = []
    matches = [(m.start(), m.end(), m.groupdict()) for m in _CJK_DATE.finditer(plain)]
    if words is not None:
        matches += [(m.start(), m.end(), {"relative": m.group()}) for m in words.finditer(plain)]
    for start, end, groups in sorted(matches, key=lambda m: m[0]):
        if taken.overlaps(start, end):
            continue
        if "relative" in groups:
            spans, rules = [], [RelativeDay(relative[groups["relative"]])]
        elif groups["day"]:
            spans, rules, _ = _cjk_day(groups, published, year_anchor)
        else:
            spans, rules = [], [Weekday(_cjk_weekday(groups), -1)]
        if not spans and not rules:
            continue
        taken.add(start, end)
        sentence = sentences.index_of(start)
        for first, last in spans:
            found.append(TimeExpr(start, end, text[start:end], first, last, False, sentence, True))
        for rule in rules:
            resolved = apply_rule(rule, published, year_anchor)
            first, last = resolved if resolved else (None, None)
            found.append(TimeExpr(start, end, text[start:end], first, last, True, sentence, True, rule=str(rule)))
    return found


@cache
def _connective_regex(language: str) -> re.Pattern | None:
    words = calendar_data().get("connectives", {}).get(language, [])
    if not words:
        return None
    return re.compile(rf"(?:{_alternation(words)})(?!\w)", re.IGNORECASE)


# What may stand before a sentence's connective: matched on its own, once per sentence (as a prefix of
# the connective pattern, a long run of it was re-scanned from each of its characters by search).
_CONNECTIVE_LEAD = re.compile(r"[\s\"“«'‘(]*")


def _connectives(text: str, language: str, sentence_spans: list[tuple[int, int]] | None,
                 found: list[TimeExpr]) -> list[TimeExpr]:
    """Borrowed dates for sentences that open on a connective and name no date themselves."""
    regex = _connective_regex(language)
    if regex is None or not sentence_spans:
        return []
    dated = {t.sentence for t in found}
    out = []
    for index, (start, end) in enumerate(sentence_spans):
        if index in dated:
            continue
        match = regex.match(text, _CONNECTIVE_LEAD.match(text, start, end).end(), end)
        if match:
            lead = text[start:match.end()]
            begin = start + len(lead) - len(lead.lstrip(" \t\n\"“«'‘("))
            out.append(TimeExpr(begin, match.end(), text[begin:match.end()], None, None, True, index,
                                certain=False, rule=str(Anaphor(0)), borrowed=True))
    return out


def _resolve_anaphors(found: list[TimeExpr], published: date | None, year_anchor: date | None) -> list[TimeExpr]:
    """'On December 2 ... On the same day': the day the text last named, shifted by the phrase's offset.

    The antecedent is the nearest earlier expression naming a single day; a stated date shifts to
    another stated date, a relative one to a ``Shifted`` rule ("after|1|md|12|2|2") that re-anchors with it.
    Without an antecedent the phrase says nothing and is dropped.
    """
    out: list[TimeExpr] = []
    # the single days of ``out`` and their starts, in order (``found`` is in order of start): the
    # antecedent is found by bisection, not by a scan back through everything before it
    singles: list[TimeExpr] = []
    single_starts: list[int] = []

    def keep(expr: TimeExpr) -> None:
        out.append(expr)
        if _single_day(expr):
            singles.append(expr)
            single_starts.append(expr.start)

    for t in found:
        anaphor = parse_rule(t.rule)
        if not isinstance(anaphor, Anaphor):
            keep(t)
            continue
        offset = anaphor.offset
        before = bisect.bisect_left(single_starts, t.start)
        antecedent = singles[before - 1] if before else None
        if antecedent is None:
            continue
        # a day named in an earlier sentence: this one's date is borrowed
        borrowed = t.borrowed or antecedent.sentence != t.sentence
        if not antecedent.rule:
            value = antecedent.first + timedelta(days=offset)
            keep(replace(t, first=value, last=value, relative=False, rule="", certain=antecedent.certain,
                         borrowed=borrowed))
            continue
        rule = Shifted(offset, parse_rule(antecedent.rule))
        resolved = apply_rule(rule, published, year_anchor)
        first, last = resolved if resolved else (None, None)
        keep(replace(t, first=first, last=last, rule=str(rule), certain=antecedent.certain, borrowed=borrowed))
    return out


def _single_day(expr: TimeExpr) -> bool:
    """Whether an expression names one day: a stated one, or a rule for one (a weekday, a relative day,
    one day of a month), shifted or not."""
    if expr.rule:
        rule = parse_rule(expr.rule)
        base = rule.base if rule is not None else None
        return (isinstance(base, (RelativeDay, Weekday, WeekdayOnDay, MonthDayWeekday))
                or (isinstance(base, MonthDays) and base.first == base.last))
    return expr.first is not None and expr.first == expr.last


def _forward_weekdays(found: list[TimeExpr], published: date | None, year_anchor: date | None) -> list[TimeExpr]:
    """'Leaders are descending on Saltmere this weekend ... Holmsen on Saturday': a bare weekday in a
    sentence that elsewhere points ahead ("this weekend", "tomorrow", "next week") points ahead too."""
    ahead = {t.sentence for t in found if t.rule and _points_ahead(t.rule) and t.sentence >= 0}
    if not ahead:
        return found
    out = []
    for t in found:
        rule = parse_rule(t.rule) if t.sentence in ahead else None
        if isinstance(rule, Weekday) and rule.direction == -1:
            rule = rule.read_forwards()
            resolved = apply_rule(rule, published, year_anchor)
            t = replace(t, rule=str(rule), first=resolved[0] if resolved else None,
                        last=resolved[1] if resolved else None)
        out.append(t)
    return out


def _points_ahead(rule: str) -> bool:
    """Whether a rule's text is that of a rule that can only point ahead of the publication date."""
    record = parse_rule(rule)
    return record is not None and record.points_ahead()


class _Taken:
    """Spans already taken by an expression; each new one overlaps none of them.  ``overlaps`` bisects
    (a scan of all of them made a text full of dates quadratic)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # in order, pairwise apart: the ends are in order too
        self.empty = False

    def overlaps(self, start: int, end: int) -> bool:
        if start >= end or self.empty:  # an empty span: the plain test
            return any(s < end and start < e for s, e in self.spans)
        index = bisect.bisect_left(self.spans, (end,))  # the spans starting before end
        return index > 0 and self.spans[index - 1][1] > start

    def add(self, start: int, end: int) -> None:
        self.empty = self.empty or start >= end
        bisect.insort(self.spans, (start, end))


class _SentenceSpans:
    """The sentence holding an offset, by bisection when the spans are in order and apart (as parsers
    give them), else by a scan (one scan per expression made a text full of dates quadratic)."""

    def __init__(self, spans: list[tuple[int, int]] | None):
        self.spans = spans or []
        self.starts = [start for start, _ in self.spans]
        self.ordered = all(a[1] <= b[0] for a, b in pairwise(self.spans))

    def index_of(self, offset: int) -> int:
        if not self.ordered:
            return _sentence_of(offset, self.spans)
        index = bisect.bisect_right(self.starts, offset) - 1
        return index if index >= 0 and self.spans[index][0] <= offset < self.spans[index][1] else -1

    def bounds_of(self, offset: int) -> tuple[int, int] | None:
        if not self.ordered:
            return _bounds_of(offset, self.spans)
        index = self.index_of(offset)
        return (self.spans[index][0], self.spans[index][1]) if index >= 0 else None


def _bounds_of(offset: int, sentence_spans: list[tuple[int, int]] | None) -> tuple[int, int] | None:
    for start, end in sentence_spans or ():
        if start <= offset < end:
            return start, end
    return None


def _sentence_of(offset: int, sentence_spans: list[tuple[int, int]] | None) -> int:
    if not sentence_spans:
        return -1
    for index, (start, end) in enumerate(sentence_spans):
        if start <= offset < end:
            return index
    return -1


def _plausible(value: date) -> bool:
    return 1900 <= value.year <= 2100


# (absolute spans, relative rules, certain) of one matched expression
_Reading = tuple[list[tuple[date, date]], list[DateRule], bool]


def _parse(match: re.Match, lex: Lexicon, text: str, bounds: tuple[int, int] | None = None) -> _Reading:
    """(absolute spans, relative rules, certain) of one matched expression, as the reader of the grammar's
    alternative that matched reads it."""
    groups = match.groupdict()
    if groups.get("iso") or groups.get("num") or groups.get("usnum"):
        return _read_numeric(groups)
    if groups.get("dm") or groups.get("md"):
        return _read_day_month(groups, lex)
    if groups.get("rel"):
        return _read_relative(groups["rel"], lex)
    if groups.get("part"):
        return _read_month_part(groups["part"], lex)
    if groups.get("wd"):
        return _read_weekday(match, lex, text, bounds)
    if groups.get("month"):
        return _read_month(groups["month"], lex)
    return [], [], True


def _read_numeric(groups: dict) -> _Reading:
    """'2014-03-04', '4.3.2014', '3-4-2014': a stated day (nothing when the numbers make no date)."""
    try:
        if groups.get("iso"):
            value = date.fromisoformat(groups["iso"])
            return ([(value, value)] if _plausible(value) else []), [], True
        if groups.get("num"):
            d, m, y = re.split(r"[./]", groups["num"])
            year = int(y) + (2000 if len(y) == 2 else 0)
            value = date(year, int(m), int(d))
            return [(value, value)], [], True
        m, d, y = groups["usnum"].split("-")
        value = date(int(y), int(m), int(d))
        return [(value, value)], [], True
    except ValueError:
        return [], [], True


def _read_day_month(groups: dict, lex: Lexicon) -> _Reading:
    """'Tuesday, 2 December', '4-5 декабря', 'March 4 and 6': days of a month, as spans when a year is
    stated, else as rules that take the year nearest the anchor (one per run of days)."""
    body = groups.get("dm") or groups.get("md") or ""
    wd_name = groups.get("wd1") or groups.get("wd2")
    if wd_name:
        body = body[body.lower().find(wd_name.lower()) + len(wd_name):]
    month = _month_of(body, lex)
    if month is None:
        return [], [], True
    body_wo_year, year = _strip_years(body)
    days = _day_numbers(body_wo_year)
    weekday = lex.weekdays.get(wd_name.lower()) if wd_name else None
    if weekday is not None and len(days) == 1:
        # "jeudi 29 octobre": the weekday checks the day (a mismatch leaves a doubt, MonthDayWeekday)
        if year:
            try:
                span = weekday_checked(date(year, month, days[0][0]), weekday)
            except ValueError:
                return [], [], True
            return [span], [], span[0] == span[1]
        return [], [MonthDayWeekday(month, days[0][0], weekday)], True
    if year:
        return _spans_from_days(days, month, year), [], True
    return [], [MonthDays(month, first, last) for first, last in _day_groups(days)], True


def _read_relative(phrase: str, lex: Lexicon) -> _Reading:
    """'tomorrow', 'the same day', 'earlier this week': a day counted from the anchor, a day counted from
    the day named before (an anaphor), or a period (not certain)."""
    phrase = phrase.lower()
    data = calendar_data()
    for lang in (lex.language, lang_of(lex.language).fallback or lex.language):
        offset = data["relative_days"].get(lang, {}).get(phrase)
        if offset is not None:
            return [], [RelativeDay(offset)], True
        offset = {k.lower(): v for k, v in data["anaphoric_days"].get(lang, {}).items()}.get(phrase)
        if offset is not None:
            return [], [Anaphor(offset)], True
        period = data["relative_periods"].get(lang, {}).get(phrase)
        if period:
            return [], [RelativePeriod(period[0], period[1], period[2])], False
    return [], [], True


def _read_month_part(phrase: str, lex: Lexicon) -> _Reading:
    """'early December', 'mid-March 2014': part of a month (not certain)."""
    month = _month_of(phrase, lex)
    if month is None:
        return [], [], False
    _, year = _strip_years(phrase)
    parts = calendar_data()["month_parts"].get(lex.language, {})
    lowered = phrase.lower()
    lo, hi = next((v for k, v in sorted(parts.items(), key=lambda kv: -len(kv[0])) if lowered.startswith(k)),
                  (1, 31))
    if year:
        last_day = calendar.monthrange(year, month)[1]
        return [(date(year, month, lo), date(year, month, min(hi, last_day)))], [], False
    return [], [MonthPart(month, lo, hi)], False


def _read_weekday(match: re.Match, lex: Lexicon, text: str, bounds: tuple[int, int] | None) -> _Reading:
    """'on Tuesday', 'last Tuesday', 'sábado (20)': a weekday read ahead or back (``_weekday_direction``),
    or with its day of the month."""
    groups = match.groupdict()
    number = lex.weekdays.get(groups["wdname"].lower())
    if number is None:
        return [], [], True
    if groups.get("wdday"):
        return [], [WeekdayOnDay(number, int(groups["wdday"]))], True
    return [], [Weekday(number, _weekday_direction(match, lex, text, bounds))], True


def _weekday_direction(match: re.Match, lex: Lexicon, text: str, bounds: tuple[int, int] | None) -> int:
    """A weekday's direction (``Weekday.direction``): strictly back or ahead after a modifier ("last",
    "next"), else on or after the anchor in a future clause and on or before it in any other."""
    modifier = (match.groupdict().get("mod") or "").lower()
    mods = calendar_data()["weekday_modifiers"]
    direction_word = mods.get(lex.language, {}).get(modifier, mods["en"].get(modifier))
    if direction_word == -1:
        return -2
    if direction_word == 1:
        return 2
    left, right = clause_bounds(text, match.start(), match.end(), bounds)
    return 1 if _future_clause(text, left, right, lex.language) else -1


def _read_month(phrase: str, lex: Lexicon) -> _Reading:
    """'in December', 'since March 2014': a month (not certain)."""
    month = _month_of(phrase, lex)
    if month is None:
        return [], [], False
    _, year = _strip_years(phrase)
    if year:
        return [month_span(year, month)], [], False
    return [], [Month(month)], False


def _day_groups(days: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Day numbers of one month as (first, last) groups: spans joined, consecutive listed days joined."""
    groups: list[tuple[int, int]] = []
    for day, kind in days:
        if kind == "span" and groups or kind == "list" and groups and day - groups[-1][1] == 1:
            groups[-1] = (groups[-1][0], day)
        else:
            groups.append((day, day))
    return groups
