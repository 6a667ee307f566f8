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
from importlib import import_module, resources
from itertools import pairwise

import yaml

from ..models import TimeExpr

VERSION = "timex-4"
LANGUAGES = ("en", "uk", "ru", "pt", "ro", "fr", "de", "es", "it", "pl")
MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Slavic weekday nouns take the accusative after "в/у" ("в среду", "у п'ятницю");
# a few case endings make dateparser's nominative forms match.
SLAVIC = {"uk", "ru", "pl", "be", "bg", "sr", "hr", "cs", "sk"}


@lru_cache(maxsize=1)
def calendar_data() -> dict:
    return yaml.safe_load(resources.files("storyline").joinpath("data/calendar.yaml").read_text(encoding="utf-8"))


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
            variants = _slavic_forms(form, True) if language in SLAVIC and len(form) > 4 else {form}
            for variant in variants:
                months.setdefault(variant, number)
    weekdays: dict[str, int] = {}
    for number, key in enumerate(WEEKDAY_KEYS):
        for form in info.get(key, []):
            form = form.lower().rstrip(".")
            # Abbreviations ("tu", "sun", "пн") collide with ordinary words; keep full names.
            if len(form) < 5 and not (language != "en" and len(form) >= 4):
                continue
            variants = _slavic_forms(form, False) if language in SLAVIC else {form}
            for variant in variants:
                weekdays.setdefault(variant, number)
    if language == "pt":  # "sábado (20)", "segunda-feira": also the short weekday forms
        for number, key in enumerate(WEEKDAY_KEYS):
            for form in info.get(key, []):
                if "-" in form:
                    weekdays.setdefault(form.split("-")[0].lower(), number)
    return Lexicon(language, months, weekdays, case_sensitive=language == "en")


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


# ---------------------------------------------------------------- resolution


def nearest_year(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day nearest the anchor.

    News looks back more than ahead, so a future date counts as twice as far:
    "May 5" in a December story is last May, "December 28" is this month.
    """
    def distance(candidate: date) -> int:
        days = (candidate - anchor).days
        return 2 * days if days > 0 else -days

    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or distance(candidate) < distance(best):
            best = candidate
    return best


def resolve_weekday(weekday: int, anchor: date, direction: int) -> date:
    """direction -1: on or before the anchor; +1: on or after; -2/+2: strictly before/after."""
    delta = (anchor.weekday() - weekday) % 7
    if direction == -1:
        return anchor - timedelta(days=delta)
    if direction == -2:
        return anchor - timedelta(days=delta or 7)
    ahead = (weekday - anchor.weekday()) % 7
    if direction == 2:
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_bounds(anchor: date) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday())
    return monday, monday + timedelta(days=6)


def _period(unit: str, offset: int, part: str, anchor: date) -> tuple[date, date]:
    if unit == "days":
        return (anchor + timedelta(days=1), anchor + timedelta(days=offset)) if part == "after" else (
            anchor - timedelta(days=offset), anchor)
    if unit == "week":
        start, end = _week_bounds(anchor + timedelta(days=7 * offset))
        if part == "before":
            return start, min(end, anchor)
        if part == "after":
            return max(start, anchor), end
        if part == "weekend":
            return end - timedelta(days=1), end
        if part == "weekend_past":
            # "over the weekend" in a story published early in a week is the one just gone
            saturday = end - timedelta(days=1)
            if saturday > anchor:
                saturday -= timedelta(days=7)
            return saturday, saturday + timedelta(days=1)
        if part == "start":
            return start, start + timedelta(days=1)
        if part == "end":
            return end - timedelta(days=2), end
        return start, end
    month_index = anchor.year * 12 + anchor.month - 1 + offset
    first, last = _month_span(month_index // 12, month_index % 12 + 1)
    if part == "before":
        return first, min(last, anchor)
    if part == "after":
        return max(first, anchor), last
    return first, last


def _future_words(language: str) -> list[str]:
    return calendar_data()["future_markers"].get(language, [])


@cache
def _marker_regex(kind: str, language: str) -> re.Pattern | None:
    words = calendar_data()[kind].get(language, [])
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)", re.IGNORECASE)


# A headline's "X to meet Y on Sunday" announces; "arrived to meet" (a verb before "to") does not.
_HEADLINE_FUTURE = re.compile(
    r"^\W*(?:[A-Z][\w.'’\-]*\s+){1,5}(?:and\s+(?:[A-Z][\w.'’\-]*\s+){1,4})?to\s+"
    r"(?:meet|visit|hold|host|travel|sign|attend|call|talk|receive)\b")


def is_future(clause: str, language: str) -> bool:
    regex = _marker_regex("future_markers", language)
    return bool(regex and regex.search(clause)) or bool(language == "en" and _HEADLINE_FUTURE.search(clause))


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
# ("U.S. special envoy", "Dec. 4", "Mr. Witkoff").  A break starts at the first or second mark of a
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

    Relative expressions carry their ``rule`` ("wd|1|-1": the Tuesday on or
    before the anchor), so a corpus stage that learns the publication date
    later can resolve them; without an anchor their dates stay None.
    """
    lang = language if language in LANGUAGES else "en"
    grams = [grammar(lang)] + ([grammar("en")] if lang != "en" else [])
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
                                                   or rule.startswith("md")),
                                      rule=rule))
    found.extend(_connectives(text, lang, sentence_spans, found))
    found.sort(key=lambda t: (t.start, t.first or date.min))
    return _forward_weekdays(_resolve_anaphors(found, published, year_anchor), published, year_anchor)


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
                                certain=False, rule=f"{ANAPHOR}|0", borrowed=True))
    return out


ANAPHOR = "anaphor"  # placeholder rule of "the same day", replaced once its antecedent is known


def _resolve_anaphors(found: list[TimeExpr], published: date | None, year_anchor: date | None) -> list[TimeExpr]:
    """'On December 2 ... On the same day': the day the text last named, shifted by the phrase's offset.

    The antecedent is the nearest earlier expression naming a single day; a stated date shifts to
    another stated date, a relative one to a rule ("after|1|md|12|2|2") that re-anchors with it.
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
        if not t.rule.startswith(ANAPHOR + "|"):
            keep(t)
            continue
        offset = int(t.rule.split("|")[1])
        before = bisect.bisect_left(single_starts, t.start)
        antecedent = singles[before - 1] if before else None
        if antecedent is None:
            continue
        if not antecedent.rule:
            value = antecedent.first + timedelta(days=offset)
            keep(replace(t, first=value, last=value, relative=False, rule="", certain=antecedent.certain))
            continue
        rule = f"after|{offset}|{antecedent.rule}"
        resolved = apply_rule(rule, published, year_anchor)
        first, last = resolved if resolved else (None, None)
        keep(replace(t, first=first, last=last, rule=rule, certain=antecedent.certain))
    return out


def _single_day(expr: TimeExpr) -> bool:
    if expr.rule:
        kind = rule_kind(expr.rule)
        return kind in ("day", "wd", "wdday") or (kind == "md" and expr.rule.split("|")[-1] == expr.rule.split("|")[-2])
    return expr.first is not None and expr.first == expr.last


def rule_kind(rule: str) -> str:
    """The kind of a rule, looking through anaphoric shifts and durations: 'after|1|wd|1|-1' -> 'wd'."""
    parts = rule.split("|")
    while parts and parts[0] in ("after", "lasting"):
        parts = parts[2:]
    return parts[0] if parts else ""


# Rules that can only point ahead of the publication date.
_AHEAD = re.compile(r"^(?:day\|[1-9]|period\|week\|[1-9]|period\|week\|0\|(?:after|weekend)"
                    r"|period\|days\|\d+\|after|period\|month\|[1-9])")


def _forward_weekdays(found: list[TimeExpr], published: date | None, year_anchor: date | None) -> list[TimeExpr]:
    """'Leaders are descending on Miami this weekend ... Dmitriev on Saturday': a bare weekday in a
    sentence that elsewhere points ahead ("this weekend", "tomorrow", "next week") points ahead too."""
    ahead = {t.sentence for t in found if t.rule and _AHEAD.match(t.rule) and t.sentence >= 0}
    if not ahead:
        return found
    out = []
    for t in found:
        if t.sentence in ahead and t.rule.startswith("wd|") and t.rule.endswith("|-1"):
            rule = t.rule.rsplit("|", 1)[0] + "|1"
            resolved = apply_rule(rule, published, year_anchor)
            t = replace(t, rule=rule, first=resolved[0] if resolved else None, last=resolved[1] if resolved else None)
        out.append(t)
    return out


def apply_rule(rule: str, anchor: date | None, year_anchor: date | None = None) -> tuple[date, date] | None:
    """Resolve a relative rule against a publication date (and a year anchor for year-less dates)."""
    kind, *args = rule.split("|")
    year_anchor = year_anchor or anchor
    if kind == "after":
        inner = apply_rule("|".join(args[1:]), anchor, year_anchor)
        if inner is None or inner[0] != inner[1]:
            return None
        value = inner[0] + timedelta(days=int(args[0]))
        return value, value
    if kind == "lasting":  # "arrived on Monday for a two-day visit": the days from the start
        inner = apply_rule("|".join(args[1:]), anchor, year_anchor)
        if inner is None or inner[0] != inner[1]:
            return inner
        return inner[0], inner[0] + timedelta(days=int(args[0]) - 1)
    if kind == "md":
        if year_anchor is None:
            return None
        month, first_day, last_day = int(args[0]), int(args[1]), int(args[2])
        first = nearest_year(month, first_day, year_anchor)
        if first is None:
            return None
        try:
            last = date(first.year, month, last_day) if last_day >= first_day else nearest_year(month, last_day, first)
        except ValueError:
            return None
        return (first, last) if last and last >= first else (first, first)
    if kind == "part":
        if year_anchor is None:
            return None
        month, lo, hi = int(args[0]), int(args[1]), int(args[2])
        middle = nearest_year(month, 15, year_anchor)
        if middle is None:
            return None
        last_day = calendar.monthrange(middle.year, month)[1]
        return date(middle.year, month, lo), date(middle.year, month, min(hi, last_day))
    if kind == "month":
        if year_anchor is None:
            return None
        middle = nearest_year(int(args[0]), 15, year_anchor)
        return _month_span(middle.year, int(args[0])) if middle else None
    if kind == "wdday":
        if year_anchor is None:
            return None
        number, day = int(args[0]), int(args[1])
        candidates = [nearest_year(m, day, year_anchor) for m in range(1, 13)]
        best = [c for c in candidates if c and c.weekday() == number]
        if not best:
            return None
        value = min(best, key=lambda c: abs((c - year_anchor).days))
        return value, value
    if anchor is None:
        return None
    if kind == "day":
        value = anchor + timedelta(days=int(args[0]))
        return value, value
    if kind == "period":
        return _period(args[0], int(args[1]), args[2], anchor)
    if kind == "wd":
        value = resolve_weekday(int(args[0]), anchor, int(args[1]))
        return value, value
    return None


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


def _parse(match: re.Match, lex: Lexicon, text: str,
           bounds: tuple[int, int] | None = None) -> tuple[list[tuple[date, date]], list[str], bool]:
    """(absolute spans, relative rules, certain) of one matched expression."""
    groups = match.groupdict()
    try:
        if groups.get("iso"):
            value = date.fromisoformat(groups["iso"])
            return ([(value, value)] if _plausible(value) else []), [], True
        if groups.get("num"):
            d, m, y = re.split(r"[./]", groups["num"])
            year = int(y) + (2000 if len(y) == 2 else 0)
            value = date(year, int(m), int(d))
            return [(value, value)], [], True
        if groups.get("usnum"):
            m, d, y = groups["usnum"].split("-")
            value = date(int(y), int(m), int(d))
            return [(value, value)], [], True
    except ValueError:
        return [], [], True
    if groups.get("dm") or groups.get("md"):
        body = groups.get("dm") or groups.get("md") or ""
        wd_name = groups.get("wd1") or groups.get("wd2")
        if wd_name:
            body = body[body.lower().find(wd_name.lower()) + len(wd_name):]
        month = _month_of(body, lex)
        if month is None:
            return [], [], True
        body_wo_year, year = _strip_years(body)
        days = _day_numbers(body_wo_year)
        if year:
            return _spans_from_days(days, month, year), [], True
        rules = []
        for first, last in _day_groups(days):
            rules.append(f"md|{month}|{first}|{last}")
        return [], rules, True
    if groups.get("rel"):
        phrase = groups["rel"].lower()
        data = calendar_data()
        for lang in (lex.language, "en"):
            offset = data["relative_days"].get(lang, {}).get(phrase)
            if offset is not None:
                return [], [f"day|{offset}"], True
            offset = {k.lower(): v for k, v in data["anaphoric_days"].get(lang, {}).items()}.get(phrase)
            if offset is not None:
                return [], [f"{ANAPHOR}|{offset}"], True
            period = data["relative_periods"].get(lang, {}).get(phrase)
            if period:
                return [], [f"period|{period[0]}|{period[1]}|{period[2]}"], False
        return [], [], True
    if groups.get("part"):
        phrase = groups["part"]
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
        return [], [f"part|{month}|{lo}|{hi}"], False
    if groups.get("wd"):
        number = lex.weekdays.get(groups["wdname"].lower())
        if number is None:
            return [], [], True
        if groups.get("wdday"):
            return [], [f"wdday|{number}|{int(groups['wdday'])}"], True
        modifier = (groups.get("mod") or "").lower()
        mods = calendar_data()["weekday_modifiers"]
        direction_word = mods.get(lex.language, {}).get(modifier, mods["en"].get(modifier))
        if direction_word == -1:
            direction = -2
        elif direction_word == 1:
            direction = 2
        else:
            left, right = clause_bounds(text, match.start(), match.end(), bounds)
            direction = 1 if _future_clause(text, left, right, lex.language) else -1
        return [], [f"wd|{number}|{direction}"], True
    if groups.get("month"):
        phrase = groups["month"]
        month = _month_of(phrase, lex)
        if month is None:
            return [], [], False
        _, year = _strip_years(phrase)
        if year:
            return [_month_span(year, month)], [], False
        return [], [f"month|{month}"], False
    return [], [], True


def _day_groups(days: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Day numbers of one month as (first, last) groups: spans joined, consecutive listed days joined."""
    groups: list[tuple[int, int]] = []
    for day, kind in days:
        if kind == "span" and groups or kind == "list" and groups and day - groups[-1][1] == 1:
            groups[-1] = (groups[-1][0], day)
        else:
            groups.append((day, day))
    return groups
