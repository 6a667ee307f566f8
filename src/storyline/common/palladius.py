"""Chinese names as Russian and Ukrainian write them: pinyin to the Palladius system.

Russian and Ukrainian do not transliterate a Chinese name's Latin spelling letter by letter; they
write its syllables by the Palladius system ("Zhou Meiling" -> "Чжоу Мэйлин", "Qiu Xuejun" ->
"Цю Сюэцзюнь"), so a letter-by-letter key never joins the two.  ``palladius(name)`` gives the Cyrillic
rendering of a Latin name whose every word is a run of pinyin syllables, or None: "Tomas Ebbing"
is not pinyin and gets none.  Resolution compares the rendering's key with the keys of the
Cyrillic names of the corpus (corpus/resolve.py).

The tables are the standard ones: initials, then finals, with the finals' forms after j, q, x
(ü written u) and after the retroflex and dental sibilants (zhi, zi), and the syllables without an
initial (y-, w-, a-, e-, o-).
"""
from __future__ import annotations

from functools import lru_cache

_INITIALS = {
    "zh": "чж", "ch": "ч", "sh": "ш", "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н",
    "l": "л", "g": "г", "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с", "r": "ж", "z": "цз", "c": "ц", "s": "с",
}
_FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань", "en": "энь",
    "ang": "ан", "eng": "эн", "ong": "ун", "i": "и", "ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь",
    "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о", "uai": "уай",
    "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан", "ue": "юэ", "v": "юй", "ve": "юэ",
}
# after j, q, x the u is ü
_PALATAL = {"u": "юй", "ue": "юэ", "uan": "юань", "un": "юнь"}
# zhi chi shi ri are -и; zi ci si are -ы
_SIBILANT_I = {"zh": "и", "ch": "и", "sh": "и", "r": "и", "z": "ы", "c": "ы", "s": "ы"}
_ZERO_INITIAL = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ao": "ао", "an": "ань", "ang": "ан", "en": "энь", "eng": "эн",
    "er": "эр", "ou": "оу", "yi": "и", "ya": "я", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь", "yin": "инь",
    "yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь", "wu": "у",
    "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь", "wang": "ван", "weng": "вэн",
}
# finals that do not follow these initials in Mandarin: "ia", "iang" ... only after d/t/n/l/j/q/x and a few
_NO_MEDIAL_I = frozenset("fgkhrw") | {"zh", "ch", "sh", "z", "c", "s"}


@lru_cache(maxsize=1)
def syllables() -> dict[str, str]:
    """Every pinyin syllable (without tone) -> its Palladius rendering."""
    table = dict(_ZERO_INITIAL)
    for initial, cyr in _INITIALS.items():
        for final, fin in _FINALS.items():
            if final.startswith("i") and final != "i" and initial in _NO_MEDIAL_I:
                continue
            if final in ("v", "ve") and initial not in ("n", "l"):
                continue
            if initial in ("j", "q", "x"):
                if final[0] not in "iu":
                    continue
                fin = _PALATAL.get(final, fin)
            if final == "i" and initial in _SIBILANT_I:
                fin = _SIBILANT_I[initial]
            table[initial + final] = cyr + fin
    return table


MAX_SYLLABLE = 6  # letters: "zhuang", "chuang"
MAX_WORD_SYLLABLES = 2  # in one word of a Chinese name (a family name, a given name)


def _segment(word: str) -> list[str] | None:
    """The word cut into pinyin syllables, fewest first (None when it is not pinyin)."""
    table = syllables()
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            piece = word[start:end]
            if best[start] is not None and piece in table:
                candidate = [*best[start], piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(word)]


def palladius(name: str) -> str | None:
    """"Zhou Meiling" -> "Чжоу Мэйлин"; None unless every word (hyphens and apostrophes split syllables)
    is one or two pinyin syllables and the name has at least two."""
    words = []
    count = 0
    for word in name.split():
        parts: list[str] = []
        for chunk in word.lower().replace("’", "-").replace("'", "-").split("-"):
            if not chunk.isascii() or not chunk.isalpha():
                return None
            found = _segment(chunk)
            if not found:
                return None
            parts.extend(found)
        if len(parts) > MAX_WORD_SYLLABLES:
            return None  # "Mirela" cuts into mi-re-la, but a Chinese name's words have one or two syllables
        count += len(parts)
        rendered = "".join(syllables()[p] for p in parts)
        words.append(rendered[:1].upper() + rendered[1:])
    return " ".join(words) if count >= 2 and words else None
