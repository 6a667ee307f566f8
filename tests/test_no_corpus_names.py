"""No code or data file names a person or place of the evaluation corpora.

The corpora (``../shared/corpus/*/gold.json``) are the yardstick the pipeline is measured against;
code, comments, docstrings and test fixtures that name their people and places teach to the test
and make a rule look general when it was fitted to one story.  Examples use the invented names of
the demo corpus (Tomas Ebbing, Pavel Vrastek, Mirela Dunca; Saltmere, Norrholm, Valdoria...).

The names are taken from the gold files by rule, not listed by hand:

* people: every name of a PERSON entity written in Latin or Cyrillic letters that has two words or
  more, and the last word of each name, or the name itself when it is one word, when that word has
  four letters or more and is not in ``SHARED_WORDS`` (a title, or a name borne by too many people
  to point at one).  Were Pavel Vrastek in the gold with the aliases "Павел Врастек" and
  "Врастеком", the names looked for would be "Pavel Vrastek", "Павел Врастек", "Vrastek",
  "Врастек" and "Врастеком";
* places: every name, in Latin or Cyrillic letters, of a PLACE entity that the gazetteer knows as
  nothing larger than a town: countries, continents, capitals and cities of a million people may
  be named, as the gazetteer and the country data hold them whatever the news is about.

Names are found as whole words, in any case ("VRASTEK", "saltmere"), except the names in
``ENGLISH_WORDS``, which are found capitalised only: in lower case they are the English word.
This file is read too: it names only words the rule leaves out (``SHARED_WORDS``, and
``ENGLISH_WORDS`` in lower case).
The lists of real outlets are data, not corpus text, and are not read (``OUTLET_LISTS``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

import storyline
from storyline.common.gazetteer import gazetteer
from storyline.common.names import fold

SRC = Path(storyline.__file__).resolve().parent
ROOT = SRC.parents[1]
TESTS = ROOT / "tests"
CORPORA = ROOT.parent / "shared" / "corpus"

SRC_SUFFIXES = {".py", ".yaml", ".html", ".j2", ".txt", ".json", ".css", ".js"}
# real outlets' names ("Kyiv Independent", "The Washington Post") are what these files are for
OUTLET_LISTS = {SRC / "data" / "outlet_directory.yaml", SRC / "data" / "outlets.yaml"}
# Last words of the gold's names that do not point at one person of the corpora: "Emperor" is a title
# the gold lists as an alias (and an English noun in the title-word lists); the others are names borne
# by very many people ("Silva", "Miller", "Powell", "Huang", "Chung", "Anwar", "Ibrahim" and its
# Russian form), or a German city before a surname ("Bonn").  Their full names are still looked for.
SHARED_WORDS = {"emperor", "silva", "miller", "powell", "huang", "chung", "anwar", "ibrahim", "ибрагимом", "bonn"}
# Names that are English words in lower case ("a trump card", "a tramp", "her wiles"): found capitalised only.
ENGLISH_WORDS = {"trump", "tramp", "wiles"}
MIN_LETTERS = 4  # "Xi", "Lee", "Hun" are too short to be told from other words


def _latin_or_cyrillic(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and all(any(script in unicodedata.name(ch, "") for script in ("LATIN", "CYRILLIC"))
                                 for ch in letters)


def _gold_entities() -> list[dict]:
    files = sorted(CORPORA.glob("*/gold.json"))
    if not files:
        pytest.skip(f"no corpora at {CORPORA}")
    return [entity for path in files for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]]


def _names(entity: dict) -> list[str]:
    return [n.strip() for n in dict.fromkeys([entity["canonical"], *entity.get("aliases", [])]) if n.strip()]


def person_names(entities: list[dict]) -> set[str]:
    """Full names of two words or more, and the distinctive last word of each name."""
    found = set()
    for entity in entities:
        if entity["type"] != "PERSON":
            continue
        for name in filter(_latin_or_cyrillic, _names(entity)):
            words = name.split()
            if len(words) > 1:
                found.add(name)
            last = words[-1]
            if sum(ch.isalpha() for ch in last) >= MIN_LETTERS and last.casefold() not in SHARED_WORDS:
                found.add(last)
    return found


def _plain(name: str) -> str:
    """'Washington, D.C.' as the gazetteer keeps capitals: folded, letters and digits only."""
    return re.sub(r"[\W_]+", "", fold(name))


def _large(name: str) -> bool:
    """Does the gazetteer know this name as a country, a continent, a capital or a city of a million?"""
    gaz = gazetteer()
    if any(_plain(name) == capital for capital, _ in gaz.capitals):
        return True
    for place_id in gaz.main.get(fold(name), []) + gaz.exact.get(fold(name), []):
        place = gaz.places[place_id]
        if place.kind in ("country", "continent"):
            return True
        if place.kind == "city" and (place.population >= 1_000_000 or gaz.is_capital(place)):
            return True
    return False


def place_names(entities: list[dict]) -> set[str]:
    """The names of the places no larger than a town (all the corpora's names of one place together)."""
    by_place: dict[str, set[str]] = {}
    for entity in entities:
        if entity["type"] == "PLACE":
            by_place.setdefault(entity["canonical"], set()).update(_names(entity))
    return {name for names in by_place.values() if not any(map(_large, names))
            for name in names if _latin_or_cyrillic(name)}


def _pattern(names, flags=0) -> re.Pattern:
    ordered = sorted(names, key=len, reverse=True)  # "Pavel Vrastek" before "Vrastek"
    if not ordered:
        return re.compile(r"(?!)")  # matches nothing (an empty alternation would match everywhere)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)", flags)


def _files() -> list[Path]:
    """Code and data of the package, the tests' code, and the tests' JSON snapshots (they hold rule
    words and transliterations, not only digests)."""
    package = [p for p in SRC.rglob("*") if p.suffix in SRC_SUFFIXES and p.is_file() and p not in OUTLET_LISTS]
    tests = [p for p in TESTS.rglob("*.py") if p.is_file()] + sorted((TESTS / "data").glob("*.json"))
    return sorted(p for p in package + tests if "__pycache__" not in p.parts)


def test_the_rule_reads_the_gold_names():
    entities = _gold_entities()
    people, places = person_names(entities), place_names(entities)
    full = {e["canonical"] for e in entities
            if e["type"] == "PERSON" and len(e["canonical"].split()) > 1 and _latin_or_cyrillic(e["canonical"])}
    assert full and full <= people
    assert all(len(n.split()) > 1 or sum(ch.isalpha() for ch in n) >= MIN_LETTERS for n in people)
    large = {e["canonical"] for e in entities if e["type"] == "PLACE" and _large(e["canonical"])}
    assert places and large and not large & places  # countries and capitals may be named, towns may not
    invented = {"Ebbing", "Vrastek", "Dunca", "Hrodna", "Varga", "Korte", "Vasse", "Holmsen", "Saltmere", "Norrholm",
                "Port Velin", "Valdoria", "Kestland", "Lessary"}
    assert not invented & (people | places)  # the names to write instead are free


def test_no_file_names_a_person_or_place_of_the_corpora():
    entities = _gold_entities()
    names = person_names(entities) | place_names(entities)
    any_case = _pattern({n for n in names if n.casefold() not in ENGLISH_WORDS}, re.IGNORECASE)
    capitalised = _pattern({n for n in names if n.casefold() in ENGLISH_WORDS})
    hits = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = [m.group() for pattern in (any_case, capitalised) for m in pattern.finditer(line)]
            if found:
                hits.append(f"{path.relative_to(ROOT)}:{number}: {', '.join(dict.fromkeys(found))}")
    assert not hits, "names of the corpora in code or data (use the demo corpus's invented names):\n" + "\n".join(hits)
