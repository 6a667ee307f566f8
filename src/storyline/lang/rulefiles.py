"""The bundled YAML rule files, each checked against its schema when it is loaded.

``load(name)`` reads ``storyline/data/<name>``, checks it against its pydantic model (every key
known, every value of its type) and returns the data as YAML gave it.  A file that does not fit
stops the program with one line naming the file, the key path and the problem::

    .../storyline/lang/uk.yaml: rule file is not valid (dates.relative_dayz: unknown key) [S025]

The language files (``storyline/lang/<code>.yaml``) are read the same way by ``storyline.lang``.
"""
from __future__ import annotations

import re
import warnings
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from storyline.errors import E, StorylineError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A schema: unknown keys are errors, values are never coerced ("1" is no number)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _compiles(pattern: str) -> str:
    try:
        with warnings.catch_warnings():  # a FutureWarning ("possible nested set") is the loader's to give
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return pattern


Word = Annotated[str, StringConstraints(min_length=1)]
Regex = Annotated[str, StringConstraints(min_length=1), AfterValidator(_compiles)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
EventType = Literal["meeting", "visit", "call", "statement", "proposal", "agreement"]
Plover = Annotated[str, StringConstraints(pattern=r"^[A-Z]*$")]


# ---------------------------------------------------------------- reading


class _UniqueKeys(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser where built
    """YAML's safe loader, except that a key given twice in one mapping is an error, not a silent overwrite."""


def _mapping_without_duplicates(loader: _UniqueKeys, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def bundled(name: str) -> Traversable:
    """A file of the package: ``bundled("data/events.yaml")``."""
    return resources.files("storyline").joinpath(name)


def read_yaml(source: Traversable | Path) -> Any:
    """The data of a YAML file; a file that cannot be read or parsed is a one-line error naming it."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StorylineError(E.BAD_RULE_FILE, str(source), f"cannot be read: {type(exc).__name__}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeys)  # noqa: S506 -- a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise StorylineError(E.BAD_RULE_FILE, str(source), f"not valid YAML: {where}{problem}") from None


# A key given where another was expected is a typo more often than a missing key is: say it first.
_FIRST = {"extra_forbidden": 0, "missing": 2}
# pydantic's names for the branch of a union or validator in a location ("function-after[...]")
_SCHEMA_STEP = re.compile(r"^[\w-]+\[.*\]$")


def _describe(error: ValidationError) -> str:
    """The first problem as 'key.path: what is wrong', and how many more there are."""
    problems = sorted(error.errors(include_url=False), key=lambda p: _FIRST.get(p["type"], 1))
    first = problems[0]
    loc = [str(part) for part in first["loc"] if not _SCHEMA_STEP.match(str(part))]
    bad_key = loc[-1:] == ["[key]"] or (first["type"] == "string_pattern_mismatch" and [first.get("input")] == loc[-1:])
    where = ".".join(loc[:-1] if loc[-1:] == ["[key]"] else loc) or "(top level)"
    if bad_key:  # a mapping's key, not its value, is wrong
        what = f"unknown key ({first['msg']})"
    else:
        what = {"extra_forbidden": "unknown key", "missing": "required key missing"}.get(first["type"], first["msg"])
        if first["type"] not in ("extra_forbidden", "missing") and "input" in first:
            what += f", not {_short(first['input'])}"
    more = f"; {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return f"{where}: {what}{more}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: type[M], data: Any, where: str) -> M:
    """``data`` checked against ``model``; a mismatch is a one-line error naming ``where`` and the key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise StorylineError(E.BAD_RULE_FILE, where, _describe(exc)) from None


def load_file(source: Traversable | Path, model: type[M]) -> tuple[M, Any]:
    """(the checked model, the data as YAML gave it) of one rule file."""
    data = read_yaml(source)
    return validate(model, data, str(source)), data


# ---------------------------------------------------------------- the schemas of data/*.yaml


class EventsFile(Strict):
    """data/events.yaml: what events.py needs besides each language's words (storyline/lang/)."""

    plover: dict[EventType, Plover]  # the PLOVER category of each event type ("" for none)
    call_context: list[Word]
    weak_meeting: list[Word]


class DayJoiners(Strict):
    span: list[Word]
    list_: list[Word] = Field(alias="list")


class CalendarFile(Strict):
    """data/calendar.yaml: date words shared by every language."""

    day_joiners: DayJoiners


class NoiseFile(Strict):
    """data/noise.yaml: regular expressions over scraped lines, in every language at once."""

    language_switcher: Regex
    counters: list[Regex]
    photo: list[Regex]
    crumbs: list[Regex]
    timestamp: list[Regex]
    ticker: Regex
    date_header: Regex
    byline: Annotated[list[Regex], Field(min_length=1)]
    caption_starts: list[Word]

    @field_validator("byline")
    @classmethod
    def _bylines_after_the_first_have_a_space(cls, byline: list[str]) -> list[str]:
        # clean.py keeps what follows the first r"\s+" of these, under a case-sensitive "by"
        for index, pattern in enumerate(byline[1:], 1):
            if r"\s+" not in pattern:
                raise ValueError(rf"pattern {index} needs '\s+' after its opening word")
        return byline


class FramingCategory(Strict):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    description: str
    __pydantic_extra__: dict[LanguageCode, list[Word]]  # terms per language


class FramingFile(Strict):
    """data/framing.yaml: loaded vocabulary by category, then by language."""

    version: Literal[1]
    lexicon: dict[Word, FramingCategory]


class OutletProfile(Strict):
    name: str | None = None
    country: str | None = None
    state_affiliated: bool | None = None
    notes: str = ""


class TopLevelDomains(Strict):
    aliases: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], Annotated[
        str, StringConstraints(pattern=r"^[A-Z]{2}$")]]
    generic: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]]


class OutletsFile(Strict):
    """data/outlets.yaml: defaults for outlet profiles and the country of a top-level domain."""

    version: Literal[1]
    defaults: OutletProfile
    outlets: dict[Word, OutletProfile]
    tld: TopLevelDomains


class DirectoryOutlet(Strict):
    name: Word
    aliases: list[Word] = []
    domains: list[Word] = []
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    ownership: Literal["state", "public", "private"]
    state_affiliated: bool | None = None
    group: Word | None = None
    kind: Literal["agency", "broadcaster", "newspaper", "online", "magazine", "aggregator"]
    languages: list[LanguageCode] = []


class OutletDirectoryFile(Strict):
    """data/outlet_directory.yaml: each outlet's country, ownership and group."""

    version: Literal[1]
    outlets: list[DirectoryOutlet]


SCHEMAS: dict[str, type[Strict]] = {
    "events.yaml": EventsFile,
    "calendar.yaml": CalendarFile,
    "noise.yaml": NoiseFile,
    "framing.yaml": FramingFile,
    "outlets.yaml": OutletsFile,
    "outlet_directory.yaml": OutletDirectoryFile,
}


@cache
def load(name: str) -> Any:
    """The data of ``storyline/data/<name>``, checked against its schema (cached: treat it as read-only)."""
    _, data = load_file(bundled(f"data/{name}"), SCHEMAS[name])
    return data
