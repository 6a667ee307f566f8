"""How long a meeting lasted, as the sentences reporting it say: "the 87-minute summit", "the talks
lasted nearly two hours", "a duré une heure et quarante minutes", "продлились чуть более полутора
часов", "歷時約1小時40分鐘", "87분간 회담".

``stated_durations(text, language)`` finds the durations attached to a meeting (after a verb of
lasting, "met for ...", or before a meeting noun: "two hours of talks"), never one of something else
("a two-hour flight", "within 24 hours"), and gives each in minutes with its qualifier (about,
nearly, less than, more than).  ``Duration.span`` is the range of minutes each allows, and
``compatible`` says whether two statements can both be true.

The words of each language are the ``durations:`` section of ``storyline/lang/<code>.yaml``
(``lang.DurationWords``); a language without one is read with its fallback's.
The meeting nouns are the languages' meeting and call triggers (``lang/<code>.yaml``
``events.triggers``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from storyline import lang
from storyline.lang import DurationWords, Qualifier

# each language's words: the ``durations:`` section of its file in storyline/lang (``lang.DurationWords``)
DURATION_WORDS: dict[str, DurationWords] = {code: words for code in lang.codes()
                                            if (words := lang.get(code).durations) is not None}


# ---------------------------------------------------------------- the patterns of a language

CLAUSE_END = "。！？；;!?\n"  # a duration attaches to a meeting word only within its clause
WINDOW = 60  # characters looked at before and after a duration for what it is the duration of


def _alternation(words) -> str:
    # longest first: "hours" before "hour", "чуть более" before "более"
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _spaced(code: str) -> bool:
    return lang.get(code).script not in ("cjk", "hangul")


def _meeting_words(code: str) -> list[str]:
    triggers = lang.events_rules()["triggers"].get(code) or {}
    return [w.lower() for kind in ("meeting", "call") for w in triggers.get(kind, ())]


def _duration_pattern(words: DurationWords, spaced: bool) -> re.Pattern:
    start = r"(?<![\w.,])" if spaced else r"(?<![\d.,])"
    end = r"(?!\w)" if spaced else ""
    gap = r"[\s-]?" if spaced else r"\s?"
    amount = r"\d{1,3}(?:[.,]\d{1,2})?"
    if words.numbers:
        amount += f"|{_alternation(words.numbers)}"
    unit = _alternation(words.units)
    qualifier = f"(?:(?P<q>{_alternation(words.qualifiers)})\\s*)?" if words.qualifiers else ""
    joined = f"(?:(?:{_alternation(words.conjunctions)})\\s+)?" if words.conjunctions else ""
    second = f"(?:\\s*,?\\s*{joined}(?P<a2>{amount}){gap}(?P<u2>{unit}){end})?"
    half = f"(?P<half>\\s*(?:{_alternation(words.half)}){end})?" if words.half else ""
    post = f"(?:\\s*(?P<pq>{_alternation(words.post_qualifiers)}))?" if words.post_qualifiers else ""
    fixed = f"|(?P<fixed>{_alternation(words.fixed)}){end}" if words.fixed else ""
    return re.compile(f"{start}{qualifier}(?:(?P<a1>{amount}){gap}(?P<u1>{unit}){end}{half}{second}{fixed}){post}",
                      re.IGNORECASE)


def _before_pattern(words: DurationWords, meeting: list[str], spaced: bool) -> re.Pattern | None:
    """What a clause says right before a duration of the meeting: a verb of lasting ("lasted only"),
    or a meeting word and a joiner ("talks for", "entretien de")."""
    options = []
    if words.lasting:
        options.append(f"(?:{_alternation(words.lasting)})")
    if meeting and words.before_joiners:
        options.append(f"(?:{_alternation(meeting)})\\w*\\s*(?:{_alternation(words.before_joiners)})")
    if not options:
        return None
    filler = f"(?:\\s+[^\\W\\d]+){{0,{words.fillers}}}\\s*" if spaced else r"[^\W\d]{0,2}\s*"
    lead = r"(?<!\w)" if spaced else ""
    return re.compile(f"{lead}(?:{'|'.join(options)}){filler}$", re.IGNORECASE)


def _after_pattern(words: DurationWords, meeting: list[str], spaced: bool) -> re.Pattern | None:
    """What follows a duration of the meeting: a meeting word, after a joiner and at most one other
    word ("87-minute summit", "two hours of closed-door talks", "87분간 회담")."""
    if not meeting:
        return None
    joiner = f"(?:(?:{_alternation(words.after_joiners)})[\\s-]+)?" if words.after_joiners else ""
    if spaced:
        return re.compile(f"^[\\s-]*{joiner}(?:[\\w-]+\\s+)?(?:{_alternation(meeting)})", re.IGNORECASE)
    joiner = f"(?:{_alternation(words.after_joiners)})?" if words.after_joiners else ""
    return re.compile(f"^\\s?{joiner}\\s?(?:{_alternation(meeting)})")


def _patterns(code: str) -> dict[str, re.Pattern]:
    words, spaced, meeting = DURATION_WORDS[code], _spaced(code), _meeting_words(code)
    out = {"duration": _duration_pattern(words, spaced)}
    for name, pattern in (("before", _before_pattern(words, meeting, spaced)),
                          ("after", _after_pattern(words, meeting, spaced))):
        if pattern is not None:
            out[name] = pattern
    return out


# Built once, at import: module-level patterns are what tests/test_patterns_linear.py times.
PATTERNS: dict[str, dict[str, re.Pattern]] = {code: _patterns(code) for code in DURATION_WORDS}


# ---------------------------------------------------------------- reading and comparing


@dataclass(frozen=True)
class Duration:
    """A stated length: ``minutes`` with a qualifier; ``precision`` is the rounding the wording allows
    ("two hours" is a round figure, "87 minutes" is not)."""

    minutes: float
    qualifier: Qualifier
    precision: float
    text: str
    start: int = 0

    @property
    def span(self) -> tuple[float, float]:
        """The minutes this statement allows (bounds of "less than" and "more than" are open: half a minute in)."""
        m, slack = self.minutes, max(self.precision, 0.15 * self.minutes)
        if self.qualifier == "about":
            return m - slack, m + slack
        if self.qualifier == "nearly":
            return m - max(self.precision, 0.2 * m), m - 0.5
        if self.qualifier == "less than":
            return 0.0, m - 0.5
        if self.qualifier == "more than":
            return m + 0.5, m + max(self.precision, 0.5 * m)
        return m - self.precision, m + self.precision

    @property
    def label(self) -> str:
        minutes = f"{self.minutes:g} minutes"
        return f"{self.qualifier} {minutes}" if self.qualifier else minutes


def compatible(a: Duration, b: Duration) -> bool:
    """Can both statements be true of one meeting?"""
    (lo_a, hi_a), (lo_b, hi_b) = a.span, b.span
    return lo_a <= hi_b and lo_b <= hi_a


def _number(text: str, words: DurationWords) -> float:
    folded = text.lower()
    if folded in words.numbers:
        return words.numbers[folded]
    return float(folded.replace(",", "."))


def _unit(text: str, words: DurationWords) -> int:
    return words.units[text.lower()]


def _qualifier(match: re.Match, words: DurationWords) -> Qualifier:
    before = match.groupdict().get("q")
    if before:
        return words.qualifiers[before.lower()]
    post = match.groupdict().get("pq")
    return words.post_qualifiers[post.lower()] if post else ""


def _read(match: re.Match, words: DurationWords) -> Duration:
    qualifier = _qualifier(match, words)
    fixed = match.groupdict().get("fixed")
    if fixed:
        return Duration(float(words.fixed[fixed.lower()]), qualifier, 5.0, match.group(0), match.start())
    unit = _unit(match.group("u1"), words)
    minutes = _number(match.group("a1"), words) * unit
    precision = 10.0 if unit == 60 else 2.0  # a count of hours is a round figure
    if match.groupdict().get("half"):
        minutes, precision = minutes + unit / 2, 8.0
    if match.group("a2"):
        minutes, precision = minutes + _number(match.group("a2"), words) * _unit(match.group("u2"), words), 2.0
    return Duration(minutes, qualifier, precision, match.group(0).strip(), match.start())


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - WINDOW):start]
    cut = max(before.rfind(c) for c in CLAUSE_END)
    return before[cut + 1:]


def _clause_after(text: str, end: int) -> str:
    after = text[end:end + WINDOW]
    cuts = [i for i in (after.find(c) for c in CLAUSE_END) if i >= 0]
    return after[:min(cuts)] if cuts else after


_RANGE_BEFORE = re.compile(r"(?:\d\s*(?:[-–~至到]|to|bis|à|a|до)\s*)$", re.IGNORECASE)


def _of_the_meeting(text: str, match: re.Match, patterns: dict[str, re.Pattern]) -> bool:
    """Is the duration the meeting's own: after a verb of lasting or a meeting word, or before a meeting word?
    The upper end of a range ("3至4小時", "two to three hours") is left out: a forecast, not a report."""
    before = _clause_before(text, match.start())
    if _RANGE_BEFORE.search(before[-8:]):
        return False
    if "before" in patterns and patterns["before"].search(before):
        return True
    return "after" in patterns and bool(patterns["after"].search(_clause_after(text, match.end())))


def stated_durations(text: str, language: str | None) -> list[Duration]:
    """The lengths of a meeting that ``text`` states, in the words of ``language`` (or of its fallback)."""
    code = language if language in PATTERNS else lang.get(language).fallback
    patterns = PATTERNS.get(code or "")
    if patterns is None:
        return []
    words = DURATION_WORDS[code]
    return [_read(match, words) for match in patterns["duration"].finditer(text)
            if _of_the_meeting(text, match, patterns)]
