"""Name normalisation: folding, transliteration and phonetic keys.

The key of a name is what stays the same across romanisation schemes and
scripts: Cyrillic is romanised, then the letter correspondences that
schemes disagree on are collapsed (h/g, kh/h, i/y/ii/iy/yi, e/ye/ie, ya/ia,
yu/iu, w/v/u-before-a-vowel, ks/x, ph/f, doubled letters).  "Vrastek",
"Врастек" and "Wrastek" share a key; "Vrastik" differs by one letter, which the
resolver's fuzzy match allows when the first names agree.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from storyline.lang import get as lang_of

# One romanisation of the Ukrainian and Russian alphabets; the key collapses
# what other schemes spell differently, so the choice of scheme here matters little.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "yu", "я": "ya", "ё": "yo", "ъ": "", "ы": "y", "э": "e", "'": "", "’": "", "ʼ": "",
    "ў": "w", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}
# Russian "г" is g, Ukrainian "г" is h; the key maps both to g anyway.
_APOSTROPHES = "'’ʼ`´‘"


@lru_cache(maxsize=200_000)  # names are folded again and again at every rebuild (by form, by entity, by alias)
def fold(text: str) -> str:
    """Case-fold, drop diacritics (not Cyrillic letters), unify apostrophes and spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join("'" if ch in _APOSTROPHES else ch for ch in text)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            # й and ї are letters in their own right: keep their marks
            if kept and kept[-1] in "иі" and ch in "\u0306\u0308":
                kept.append(ch)
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1 << 17)  # asked of every mention's text, and the same names recur
def is_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


@lru_cache(maxsize=1 << 17)  # asked of every mention's text, and the same names recur
def is_latin(text: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


# Ukrainian iotated letters are written with y- only at the start of a word ("Yevhen", "Kyiv").
_WORD_INITIAL = {"є": ("ye", "ie"), "ї": ("yi", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia"), "й": ("y", "i")}


def romanize(text: str) -> str:
    """Cyrillic letters to Latin (other characters untouched), lower-cased."""
    folded = fold(text)
    ukrainian = any(ch in folded for ch in "єїіґ")
    out = []
    for index, ch in enumerate(folded):
        if ukrainian and ch in _WORD_INITIAL:
            initial = index == 0 or not folded[index - 1].isalpha()
            out.append(_WORD_INITIAL[ch][0 if initial else 1])
        else:
            out.append(_CYRILLIC.get(ch, ch))
    return "".join(out)


# Applied in order.  Upper-case letters are placeholders for sounds that
# schemes write with several letters (S = ш/sh/sch, C = ч/ch, J = ж/zh,
# Z = ц/ts/tz, which German writes z), so later rules cannot split them again.
_KEY_RULES = (
    (r"wh", "w"), (r"^j(?=[aeiou])", "J"), (r"dzh|dj", "J"), (r"shch|sch", "S"), (r"tsch|tch|ch|cz", "C"),
    (r"sh|sz", "S"), (r"zh", "J"), (r"kh", "h"),
    (r"ts|tz|z", "Z"), (r"ph", "f"), (r"ck", "k"), (r"x", "ks"), (r"q", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"),
    (r"w", "v"), (r"^u(?=[aeiouy])", "v"), (r"(?<=[aeiouy])u(?=[aeiouy])", "v"), (r"v", "f"),
    (r"[yj]", "i"), (r"i+", "i"), (r"iu", "u"), (r"ia", "a"), (r"ie", "e"), (r"io", "o"), (r"h", "g"),
    (r"(.)\1+", r"\1"),
)
_KEY_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _KEY_RULES)


# Latin letters that Unicode does not decompose into a base letter and a mark, as English writes them: Azerbaijani
# "Məmmədov" is "Mammadov", Turkish "Işık" "Isik", Polish "Łukasz" "Lukasz"
_UNDECOMPOSED = str.maketrans({"ə": "a", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d",
                               "ð": "d", "þ": "th", "ħ": "h", "ŀ": "l", "ŋ": "ng"})


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """Phonetic key of one name token ("Hrodna" -> "grodna", "Дунський" -> "dunski")."""
    text = romanize(token).translate(_UNDECOMPOSED)
    text = re.sub(r"[^a-z]", "", text)
    for pattern, repl in _KEY_COMPILED:
        text = pattern.sub(repl, text)
    return text.lower()


def tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s\-‐]+", fold(name).replace(".", ". ")) if t and t not in {"-", "."}]


# Particles of patronymic, tribal and family names ("bin", "ibn", "al-", "el-", "Al", "van"): a part of the
# name they start, never a name on their own.
PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "ben", "abu", "abd", "ould", "ag", "da", "de", "di", "do",
                       "dos", "du", "la", "le", "van", "von", "der", "den", "ter", "mac", "mc", "o", "d"})
_HYPHENS = "-‐–"


def hyphen_pair(text: str) -> tuple[str, str] | None:
    """The two parts of a single hyphenated word whose parts are both capitalised ("Smith-Jones",
    "Lee-Park"), unless the first is a particle ("Al-Rashid", "El-Amin"): such a word may be a
    double-barrelled name or two names side by side ("the Smith-Jones talks"); the corpus decides."""
    text = text.strip()
    cuts = [i for i, ch in enumerate(text) if ch in _HYPHENS]
    if len(cuts) != 1:
        return None
    first, second = text[:cuts[0]], text[cuts[0] + 1:]
    if not all(len(part) >= 2 and part[:1].isupper() and part[:1].isalpha()
               and all(ch.isalpha() or ch in "'’" for ch in part) for part in (first, second)):
        return None
    return None if fold(first) in PARTICLES else (first, second)


def name_key(name: str) -> str:
    return " ".join(token_key(t) for t in tokens(name) if token_key(t))


def consonants(key: str) -> str:
    return re.sub(r"[aeiou]", "", key)


@lru_cache(maxsize=65_536)  # asked for every pair of bearers of one surname: few distinct pairs of names
def first_names_compatible(a: str, b: str) -> bool:
    """Given names that may be one person's: equal keys, one a prefix or initial of the other, or one letter apart.

    "Steve"/"Steven"/"Stephen", "Dan"/"Daniel", "Andriy"/"Andrii"/"Андрій", "D."/"Donald".
    """
    ka, kb = token_key(a), token_key(b)
    if not ka or not kb:
        return True
    if ka == kb or ka.startswith(kb) or kb.startswith(ka):
        return True
    if min(len(ka), len(kb)) >= 4 and _edit_distance_at_most_one(ka, kb):
        return True
    if consonants(ka) == consonants(kb) and len(consonants(ka)) >= (2 if is_cyrillic(a) != is_cyrillic(b) else 3):
        # "Стив"/"Steve": vowels are where transliteration varies most; and one name's forms in two languages
        # of one script differ in their vowels too ("Владимир"/"Володимир", "Vladimir"/"Volodymyr")
        return True
    # Stephen/Steve: keys "stefen"/"steve" share a stem of four letters or more
    common = 0
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= min(len(ka), len(kb)) - 2


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def acronym(
    phrase: str,
    stop: frozenset[str] = frozenset({"of", "the", "and", "for", "on", "in", "de", "da", "do", "des", "du", "la", "le",
                                      "der", "und", "и", "і", "та", "по", "з", "с"}),
) -> str:
    """Initials of the content words: "National Security and Defense Council" -> "NSDC"."""
    words = [w for w in re.split(r"[\s\-]+", phrase) if w and w.casefold() not in stop]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


_ACRONYM_STOP = frozenset({"of", "the", "and", "for", "on", "in", "de", "da", "do", "des", "du", "la", "le", "der",
                           "und", "и", "і", "та", "по", "з", "с"})


def acronym_of(short: str, phrase: str, stop: frozenset[str] = _ACRONYM_STOP) -> bool:
    """Is ``short`` an acronym of ``phrase``, each content word giving its initial and perhaps more of its
    letters in order ("ASEAN" of "Association of Southeast Asian Nations", "APEC" of "Asia-Pacific Economic
    Cooperation")?  Plain initials ("NSDC") are the case where each word gives one letter."""
    letters = [ch for ch in fold(short) if ch.isalnum()]
    words = [fold(w) for w in re.split(r"[\s\-‐–]+", phrase) if w and fold(w) not in stop and w[0].isalnum()]
    if len(letters) < 2 or not words or len(words) > len(letters) or len(words) < 2:
        return False
    # reachable[j]: the first j letters are spelt by the words so far (each word ends its share there)
    reachable = {0}
    for word in words:
        after: set[int] = set()
        for j in reachable:
            if j < len(letters) and letters[j] == word[0]:
                end = j + 1
                after.add(end)
                position = 4  # further letters start a later part of the word ("South|east"), not its first syllable
                while end < len(letters):  # further letters of the same word, in order
                    found = word.find(letters[end], position)
                    if found < 0:
                        break
                    position, end = found + 1, end + 1
                    after.add(end)
        reachable = after
        if not reachable:
            return False
    return len(letters) in reachable


# Romanisation schemes for display and for matching Latin spellings of Cyrillic names.
# Each maps a (lower-case) letter; word-final "ий"/"ый"/"ій" get scheme-specific endings.
_RU_COMMON = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
              "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
              "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
              "э": "e", "ю": "yu", "я": "ya"}
_UK_NATIONAL = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
                "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
                "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
                "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": ""}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK_BGN = {**_UK_NATIONAL, "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_ENDINGS = {"ru": [("ий", ["y", "iy", "ii"]), ("ый", ["y"]), ("ей", ["ey", "ei"])],
            "uk": [("ій", ["ii", "iy"]), ("ий", ["yi", "y", "yy"])]}
# The schemes a language's ``romanisation`` (storyline/lang/) names, most usual first.
_SCHEMES = {"uk": [(_UK_NATIONAL, _UK_INITIAL), (_UK_BGN, None)], "ru": [(_RU_COMMON, None)]}


def _romanize_word(word: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    out = []
    for index, ch in enumerate(word.lower()):
        if initial and index == 0 and ch in initial:
            out.append(initial[ch])
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


def latin_variants(name: str, language: str | None = None) -> list[str]:
    """Latin spellings of a Cyrillic name under common schemes, most usual first.

    "Василий Врастек" -> Vasily Vrastek, Vasiliy Vrastek, Vasilii Vrastek; (uk) "Микола Гродна" ->
    Mykola Hrodna; (uk) "Тарас Бєлан" -> Taras Bielan (national), Taras Byelan (BGN).
    """
    if not is_cyrillic(name):
        return []
    scheme = lang_of(language).romanisation
    if scheme is None:  # a language without a scheme of its own: Ukrainian letters tell
        scheme = "uk" if any(ch in name.lower() for ch in "іїєґ") else "ru"
    seen: list[str] = []
    for table, initial in _SCHEMES[scheme]:
        per_word: list[list[str]] = []
        for word in name.split():
            lowered = word.lower()
            options = []
            for ending, replacements in _ENDINGS[scheme]:
                if lowered.endswith(ending) and len(lowered) > len(ending) + 1:
                    stem = _romanize_word(lowered[: -len(ending)], table, initial)
                    options = [stem + r for r in replacements]
                    break
            if not options:
                options = [_romanize_word(lowered, table, initial)]
            per_word.append(["-".join(p[:1].upper() + p[1:] for p in o.split("-")) for o in options])
        variants = [" ".join(w[0] for w in per_word)]
        for index, options in enumerate(per_word):
            for option in options[1:]:
                words_now = [w[0] for w in per_word]
                words_now[index] = option
                variants.append(" ".join(words_now))
        for variant in variants:
            if variant not in seen:
                seen.append(variant)
    return seen
