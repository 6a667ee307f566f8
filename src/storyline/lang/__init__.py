"""One home per language: what storyline knows of each language, in ``storyline/lang/<code>.yaml``.

``get(code)`` gives a language's ``Language`` record: its facts (which parser reads it, its
script, its romanisation scheme for names, whether its event triggers are lemmas, how its dates
are read, ...) and its words (event triggers, statement categories, date words, honorifics, role
and organisation words).  A code without a file gets the defaults of the record: read by rules,
Latin script, no words of its own, English words tried as well.  ``codes()`` lists the codes
with a file.  The stages read the words through the loaders they always had
(``events._data()``, ``timex.calendar_data()``, ``roles._data()``), which get the same
structures as before, assembled from these files by ``events_rules()``, ``calendar_rules()`` and
``roles_rules()``; words shared by all languages stay in ``storyline/data/``.

Adding a language
-----------------
Create ``src/storyline/lang/<code>.yaml``, named by the ISO 639-1 code that language
identification gives (``py3langid``: "pt", "uk", ...).  Copy the file of the nearest language
(``ro.yaml`` for a language read by rules, ``uk.yaml`` for one read by natasha and pymorphy3)
and change what differs.  Every key is optional except ``name``; a key left out takes the
default shown here.

Top level:
  ``name``              the language's English name
  ``script``            ``latin`` (default) | ``cyrillic`` | ``greek`` | ``arabic`` | ``hebrew`` | ``cjk`` | ``hangul``
                        | ``other``
  ``parser``            ``rules`` (default: sentencizer and capitalised names) | ``spacy`` (spaCy's English
                        model) | ``natasha`` (natasha's NER with pymorphy3 lemmas)
  ``morphology``        pymorphy3 dictionary for lemmas: ``uk`` | ``ru`` | null (default; natasha then uses ``ru``)
  ``romanisation``      scheme for Latin spellings of its Cyrillic names: ``uk`` | ``ru`` | null (default: guessed)
  ``romaniser``         how names in its own (non-Latin) script are romanised to be matched with the known
                        names (common/romanise.py): ``pinyin`` | ``kakasi`` | ``hangul`` | ``skeleton`` (Arabic
                        and Hebrew consonants) | ``anyascii`` | null (default: by the script of the text)
  ``inflected_names``   names inflect: known names are found in its text through their lemma (default false)
  ``name_suffixes``     case endings written onto names (agglutinative languages: "Məmmədovla", "Ebbing'in"): the
                        name without one is a candidate base form, chosen across the corpus (default none)
  ``fallback``          the language whose words are also tried in its text, and whose date grammar reads it
                        when it has none (default ``en``; null for English itself)
``events:`` (article/events.py)
  ``lemmas``            triggers are lemmas; else word stems matched at the start of a lower-cased word (or of a
                        part of a hyphenated word: "APEC-Gipfel")
  ``substrings``        triggers are matched anywhere inside a word (scripts written without spaces; default: true
                        for the ``cjk`` script)
  ``pos_filter``, ``call_checks``   English's part-of-speech and phone-call rules (default false)
  ``triggers``          words per event type: meeting, visit, call, statement, proposal, agreement
  ``statement_plover``  statement verb -> PLOVER category (ACCUSE, REJECT, REQUEST, THREATEN, SUPPORT)
  ``meeting_with_object``, ``proposal_verbs``, ``agreement_verbs``, ``delegation_lists`` (a regular expression)
``dates:`` (article/timex.py; month and weekday names come from dateparser's data)
  ``grammar``           read dates with its own month and weekday names (default false: with the fallback's)
  ``case_sensitive``, ``slavic_forms``, ``min_weekday_chars`` (4), ``weekday_first_word``, ``headline_future``
  ``relative_days``, ``anaphoric_days``, ``connectives``, ``relative_periods``, ``weekday_modifiers``,
  ``month_parts``, ``future_markers``, ``cancel_markers``
``roles:`` (article/roles.py)
  ``lowercase_phrases`` a role phrase runs on through lower-case words ("помощник президента РФ")
  ``honorifics``, ``role_words``, ``org_words``
  ``facility_words``    words that make a name a venue, a place (first or last words: "... Airport", "Musée ...",
                        "аэропорт ..."), whatever the model called it

``durations:`` (corpus/durations.py: how long a meeting lasted, "the talks lasted nearly two hours")
  ``numbers``, ``units`` (minutes), ``fixed`` (whole phrases, minutes), ``half``, ``conjunctions``,
  ``qualifiers`` (before the amount: about, nearly, less than, more than), ``post_qualifiers`` (after the unit),
  ``lasting`` (right before the duration), ``before_joiners``, ``after_joiners``, ``fillers``

Every file is checked against the ``Language`` schema when first read: an unknown key or a value
of the wrong type stops the program with one line naming the file and the key (error S025).
Run ``pytest tests/test_lang.py`` after adding a file.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from storyline.errors import E, StorylineError
from storyline.lang import rulefiles
from storyline.lang.rulefiles import EventType, LanguageCode, Plover, Regex, Strict, Word

Phrase = Annotated[str, Field(min_length=1)]
_UNITS = ("week", "month", "days")
_PARTS = ("all", "before", "after", "weekend", "weekend_past", "start", "end")


def _period(value: list) -> list:
    unit, offset, part = value if len(value) == 3 else (None, None, None)
    if unit not in _UNITS or not isinstance(offset, int) or isinstance(offset, bool) or part not in _PARTS:
        raise ValueError(f"expected [unit, offset, part]: unit one of {', '.join(_UNITS)}, offset a whole number, "
                         f"part one of {', '.join(_PARTS)}")
    return value


def _day_range(value: list) -> list:
    if len(value) != 2 or not 1 <= value[0] <= value[1] <= 31:
        raise ValueError("expected [first day, last day] within 1..31")
    return value


Period = Annotated[list[str | int], AfterValidator(_period)]
DayRange = Annotated[list[int], AfterValidator(_day_range)]


class EventWords(Strict):
    """Event triggers and what qualifies them (article/events.py)."""

    lemmas: bool = False
    substrings: bool | None = None
    pos_filter: bool = False
    call_checks: bool = False
    triggers: dict[EventType, list[Word]] | None = None
    statement_plover: dict[Word, Plover] | None = None
    meeting_with_object: list[Word] | None = None
    proposal_verbs: list[Word] | None = None
    agreement_verbs: list[Word] | None = None
    delegation_lists: Regex | None = None


class DateWords(Strict):
    """How dates are read (article/timex.py)."""

    grammar: bool = False
    case_sensitive: bool = False
    slavic_forms: bool = False
    min_weekday_chars: Annotated[int, Field(ge=1)] = 4
    weekday_first_word: bool = False
    headline_future: bool = False
    relative_days: dict[Phrase, int] | None = None
    anaphoric_days: dict[Phrase, int] | None = None
    connectives: list[Phrase] | None = None
    relative_periods: dict[Phrase, Period] | None = None
    weekday_modifiers: dict[Phrase, Literal[-1, 0, 1]] | None = None
    month_parts: dict[Phrase, DayRange] | None = None
    future_markers: list[Phrase] | None = None
    cancel_markers: list[Phrase] | None = None


class RoleWords(Strict):
    """Titles, roles and organisation words (article/roles.py)."""

    lowercase_phrases: bool = False
    honorifics: list[Word] | None = None
    role_words: list[Word] | None = None
    org_words: list[Word] | None = None
    facility_words: list[Word] | None = None


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


class Language(Strict):
    """What storyline knows of one language; the defaults are those of a language without a file."""

    code: LanguageCode | Literal[""]
    name: Word
    script: Literal["latin", "cyrillic", "greek", "arabic", "hebrew", "cjk", "hangul", "other"] = "latin"
    parser: Literal["rules", "spacy", "natasha"] = "rules"
    morphology: Literal["uk", "ru"] | None = None
    romanisation: Literal["uk", "ru"] | None = None
    romaniser: Literal["pinyin", "kakasi", "hangul", "skeleton", "anyascii"] | None = None
    inflected_names: bool = False
    name_suffixes: list[Word] | None = None
    fallback: LanguageCode | None = "en"
    events: EventWords = EventWords()
    dates: DateWords = DateWords()
    roles: RoleWords = RoleWords()
    durations: DurationWords | None = None

    @model_validator(mode="after")
    def _dates_readable(self) -> Language:
        if not self.dates.grammar and self.fallback is None:
            raise ValueError("fallback: a language without its own date grammar (dates.grammar) needs one")
        return self


def load_language(source: Traversable | Path) -> Language:
    """The language of one file (its code is the file's name), checked against the schema."""
    code = source.name.removesuffix(".yaml")
    data = rulefiles.read_yaml(source)
    if isinstance(data, dict) and "code" in data:
        raise StorylineError(E.BAD_RULE_FILE, str(source), "code: unknown key (the file's name is the code)")
    return rulefiles.validate(Language, {"code": code, **data} if isinstance(data, dict) else data, str(source))


@lru_cache(maxsize=1)
def _languages() -> dict[str, Language]:
    folder = rulefiles.bundled("lang")
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".yaml")), key=lambda e: e.name)
    languages = {}
    for entry in files:
        language = load_language(entry)
        languages[language.code] = language
    for entry in files:
        language = languages[entry.name.removesuffix(".yaml")]
        if language.fallback is not None and language.fallback not in languages:
            raise StorylineError(E.BAD_RULE_FILE, str(entry), f"fallback: no language file for {language.fallback!r}")
    return languages


_defaults: dict[str, Language] = {}


def get(code: str | None) -> Language:
    """The language of ``code``; a code without a file (or none) gets the defaults."""
    code = code or ""
    found = _languages().get(code)
    if found is None:
        found = _defaults.get(code)
        if found is None:
            # not validated: any code the language identification or a source gives gets the defaults
            found = _defaults[code] = Language.model_construct(code=code, name=code or "unknown")
    return found


def codes() -> tuple[str, ...]:
    """The codes of the languages with a file, in alphabetical order."""
    return tuple(_languages())


@lru_cache(maxsize=1)
def check_rule_files() -> None:
    """Read and check every language file and every rule file now: a bad one stops the caller with one line
    (the pipeline calls this before it cleans or analyses anything, rather than fail in each article or worker)."""
    _languages()
    for name in rulefiles.SCHEMAS:
        rulefiles.load(name)


# ---------------------------------------------------------------- the structures the stages read


def _by_language(section: str, key: str) -> dict[str, Any]:
    """{code: value} of one key of one section, for the languages whose file gives it."""
    out = {}
    for code, language in _languages().items():
        value = getattr(getattr(language, section), key)
        if value is not None:
            out[code] = getattr(language, section).model_dump(include={key})[key]
    return out


_EVENT_WORDS = ("statement_plover", "triggers", "meeting_with_object", "proposal_verbs", "agreement_verbs",
                "delegation_lists")
_DATE_WORDS = ("relative_days", "anaphoric_days", "connectives", "relative_periods", "weekday_modifiers",
               "month_parts", "future_markers", "cancel_markers")
_ROLE_WORDS = ("honorifics", "role_words", "org_words", "facility_words")


def events_rules() -> dict:
    """What data/events.yaml held before the languages had a file each: shared data, then words by language."""
    data = dict(rulefiles.load("events.yaml"))
    data.update({key: _by_language("events", key) for key in _EVENT_WORDS})
    return data


def calendar_rules() -> dict:
    """What data/calendar.yaml held: date words by language, and the day joiners shared by all."""
    data = dict(rulefiles.load("calendar.yaml"))
    data.update({key: _by_language("dates", key) for key in _DATE_WORDS})
    return data


def roles_rules() -> dict:
    """What data/roles.yaml held (honorifics, role words and organisation words by language), and the
    facility words added since."""
    return {key: _by_language("roles", key) for key in _ROLE_WORDS}
