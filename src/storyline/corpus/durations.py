"""How long a meeting lasted, as the sentences reporting it say: "the 87-minute summit", "the talks
lasted nearly two hours", "a duré une heure et quarante minutes", "продлились чуть более полутора
часов", "歷時約1小時40分鐘", "87분간 회담".

``stated_durations(text, language)`` finds the durations attached to a meeting (after a verb of
lasting, "met for ...", or before a meeting noun: "two hours of talks"), never one of something else
("a two-hour flight", "within 24 hours"), and gives each in minutes with its qualifier (about,
nearly, less than, more than).  ``Duration.span`` is the range of minutes each allows, and
``compatible`` says whether two statements can both be true.

The words of each language are in ``DURATION_WORDS`` below, one ``DurationWords`` record per
language, in the shape of the ``durations:`` section they are meant to take in
``storyline/lang/<code>.yaml`` (the language schema, ``lang.Language``, has no such section yet).
The meeting nouns are the languages' meeting and call triggers (``lang/<code>.yaml``
``events.triggers``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from storyline import lang
from storyline.lang.rulefiles import Strict, Word

Qualifier = Literal["", "about", "nearly", "less than", "more than"]


class DurationWords(Strict):
    """One language's words for stated durations (all lower-case; matched without regard to case)."""

    numbers: dict[Word, float] = {}  # number words: "two" 2, "полтора" 1.5, "兩" 2
    units: dict[Word, int] = {}  # unit forms -> minutes: "hours" 60, "минут" 1, "分鐘" 1
    fixed: dict[Word, int] = {}  # whole phrases -> minutes: "half an hour" 30, "полчаса" 30
    half: list[Word] = []  # after a unit, adds half of it: "and a half", "et demie"
    conjunctions: list[Word] = []  # between hours and minutes: "and", "et"
    qualifiers: dict[Word, Qualifier] = {}  # before the amount: "nearly", "moins de", "約"
    post_qualifiers: dict[Word, Qualifier] = {}  # after the unit: "넘게", "余り", "左右"
    lasting: list[Word] = []  # right before the duration: "lasted", "a duré", "продлились", "歷時"
    before_joiners: list[Word] = []  # a meeting word, this, the duration: "talks for", "entretien de"
    after_joiners: list[Word] = []  # the duration, this, a meeting word: "two hours of talks", "-long"
    fillers: int = 2  # words allowed between a lasting word and the duration ("lasted only about")


_EN = DurationWords(
    numbers={"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10,
             "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60,
             "ninety": 90},
    units={"hours": 60, "hour": 60, "hrs": 60, "minutes": 1, "minute": 1, "mins": 1, "min": 1},
    fixed={"half an hour": 30, "half-hour": 30, "an hour and a half": 90},
    half=["and a half"], conjunctions=["and"],
    qualifiers={"about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
                "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just under": "nearly",
                "less than": "less than", "under": "less than", "more than": "more than", "over": "more than",
                "just over": "more than", "upwards of": "more than", "little more than": "about"},
    lasting=["lasted", "lasting", "lasts", "ran for", "went on for", "ended after", "concluded after",
             "finished after", "wrapped up after", "broke up after", "met for", "spoke for", "talked for",
             "sat down for", "conferred for", "held talks for"],
    before_joiners=["for"], after_joiners=["of", "long"])

_FR = DurationWords(
    numbers={"une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10, "quinze": 15,
             "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt-dix": 90},
    units={"heures": 60, "heure": 60, "h": 60, "minutes": 1, "minute": 1, "min": 1},
    fixed={"une demi-heure": 30, "une heure et demie": 90},
    half=["et demie"], conjunctions=["et"],
    qualifiers={"environ": "about", "près de": "nearly", "presque": "nearly", "quelque": "about",
                "moins de": "less than", "plus de": "more than", "un peu plus de": "more than",
                "un peu moins de": "nearly"},
    lasting=["a duré", "ont duré", "avait duré", "avaient duré", "durée de", "d'une durée de",
             "se sont entretenus pendant", "se sont entretenus durant", "s'est achevée après",
             "s'est terminée après", "a pris fin après"],
    before_joiners=["de", "pendant", "durant"], after_joiners=["de"])

_DE = DurationWords(
    numbers={"eine": 1, "einer": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "zehn": 10,
             "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
             "neunzig": 90, "anderthalb": 1.5, "eineinhalb": 1.5},
    units={"stunden": 60, "stunde": 60, "std": 60, "minuten": 1, "minute": 1, "min": 1},
    fixed={"eine halbe stunde": 30, "einer halben stunde": 30},
    conjunctions=["und"],
    qualifiers={"etwa": "about", "rund": "about", "ungefähr": "about", "circa": "about", "ca.": "about",
                "knapp": "nearly", "fast": "nearly", "beinahe": "nearly", "weniger als": "less than",
                "mehr als": "more than", "über": "more than", "gut": "more than", "gute": "more than"},
    lasting=["dauerte", "dauerten", "dauert", "endete nach", "endeten nach", "gingen nach", "ging nach"],
    before_joiners=["von", "über"], after_joiners=["lang", "langen", "lange"])

_IT = DurationWords(
    numbers={"un": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "dieci": 10, "quindici": 15,
             "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "novanta": 90},
    units={"ore": 60, "ora": 60, "minuti": 1, "minuto": 1},
    fixed={"mezz'ora": 30, "mezz’ora": 30, "un'ora e mezza": 90, "un’ora e mezza": 90},
    half=["e mezza", "e mezzo"], conjunctions=["e"],
    qualifiers={"circa": "about", "quasi": "nearly", "meno di": "less than", "più di": "more than",
                "oltre": "more than", "poco più di": "more than", "poco meno di": "nearly"},
    lasting=["durato", "durata", "durati", "durate", "è durato", "è durata", "sono durati", "si è concluso dopo",
             "terminato dopo"],
    before_joiners=["di", "per"], after_joiners=["di"])

_RU = DurationWords(
    numbers={"один": 1, "одного": 1, "одна": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
             "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "десять": 10, "десяти": 10,
             "пятнадцать": 15, "пятнадцати": 15, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30,
             "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "полтора": 1.5, "полутора": 1.5},
    units={"часов": 60, "часа": 60, "час": 60, "минут": 1, "минуты": 1, "минуту": 1, "минута": 1},
    fixed={"полчаса": 30, "получаса": 30},
    conjunctions=["и"],
    qualifiers={"около": "about", "примерно": "about", "порядка": "about", "почти": "nearly", "менее": "less than",
                "меньше": "less than", "более": "more than", "больше": "more than", "свыше": "more than",
                "чуть более": "more than", "чуть больше": "more than", "чуть менее": "nearly",
                "чуть меньше": "nearly"},
    lasting=["продлились", "продлилась", "продлился", "продлилось", "длились", "длилась", "длился", "длилось",
             "продолжались", "продолжалась", "продолжался", "заняли", "заняла", "занял"],
    before_joiners=["в течение", "на протяжении"], after_joiners=[])

_UK = DurationWords(
    numbers={"один": 1, "одна": 1, "одну": 1, "однієї": 1, "два": 2, "дві": 2, "двох": 2, "три": 3, "трьох": 3,
             "чотири": 4, "п'ять": 5, "десять": 10, "двадцять": 20, "тридцять": 30, "сорок": 40, "п'ятдесят": 50,
             "півтори": 1.5, "півтора": 1.5},
    units={"годин": 60, "години": 60, "годину": 60, "година": 60, "хвилин": 1, "хвилини": 1, "хвилину": 1},
    fixed={"пів години": 30, "півгодини": 30},
    conjunctions=["і", "й", "та"],
    qualifiers={"близько": "about", "приблизно": "about", "майже": "nearly", "менше": "less than",
                "менш ніж": "less than", "понад": "more than", "більше": "more than", "більш ніж": "more than"},
    lasting=["тривали", "тривала", "тривав", "тривало", "тривала понад", "продовжувалися", "продовжувалася",
             "зайняли", "зайняла"],
    before_joiners=["протягом", "впродовж"], after_joiners=[])

_ZH = DurationWords(
    numbers={"一": 1, "兩": 2, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "十": 10, "半": 0.5},
    units={"個小時": 60, "个小时": 60, "小時": 60, "小时": 60, "個鐘頭": 60, "个钟头": 60, "分鐘": 1, "分钟": 1},
    fixed={"半小時": 30, "半小时": 30, "一個半小時": 90, "一个半小时": 90},
    qualifiers={"約": "about", "约": "about", "大約": "about", "大约": "about", "近": "nearly", "將近": "nearly",
                "将近": "nearly", "接近": "nearly", "超過": "more than", "超过": "more than", "逾": "more than",
                "不到": "less than", "不足": "less than"},
    post_qualifiers={"左右": "about", "多": "more than"},
    lasting=["歷時", "历时", "持續", "持续", "長達", "长达", "會談了", "会谈了", "會晤了", "会晤了", "會面了",
             "会面了", "談了", "谈了", "進行了", "进行了"],
    before_joiners=["了"], after_joiners=["的"])

_JA = DurationWords(
    numbers={"一": 1, "二": 2, "三": 3},
    units={"時間": 60, "分間": 1, "分": 1},
    fixed={"半時間": 30},
    half=["半"],
    qualifiers={"約": "about", "およそ": "about", "おおよそ": "about", "ほぼ": "about"},
    post_qualifiers={"余り": "more than", "余": "more than", "あまり": "more than", "以上": "more than",
                     "近く": "nearly", "弱": "nearly", "強": "more than", "ほど": "about"},
    lasting=["にわたり", "続いた"],
    before_joiners=["は", "は約"], after_joiners=["にわたって", "にわたり", "にわたった", "の"])

_KO = DurationWords(
    numbers={"한": 1, "두": 2, "세": 3, "네": 4},
    units={"시간": 60, "분": 1},
    half=["반"],
    qualifiers={"약": "about", "대략": "about", "거의": "nearly"},
    post_qualifiers={"넘게": "more than", "이상": "more than", "가량": "about", "정도": "about", "여": "more than",
                     "가까이": "nearly", "미만": "less than"},
    lasting=["진행됐", "이어졌", "이어진", "진행된"],
    before_joiners=["은", "는"], after_joiners=["간", "동안", "간의", "동안의", "간 진행된", "동안 진행된"])

DURATION_WORDS: dict[str, DurationWords] = {"en": _EN, "fr": _FR, "de": _DE, "it": _IT, "ru": _RU, "uk": _UK,
                                            "zh": _ZH, "ja": _JA, "ko": _KO}


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
