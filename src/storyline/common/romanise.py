"""Romanisation of the scripts storyline does not read as words: Chinese, Japanese, Korean, Arabic, Hebrew.

Names in these scripts are found by how they sound, not how they are spelt: a span of text is
romanised (pypinyin for Han characters in Chinese, pykakasi for Japanese, hangul-romanize for
Hangul, a consonant table for Arabic and Hebrew, anyascii for anything else), and the romanisation
is reduced to a *skeleton* of consonant classes (b/p/f/v, t/d, k/g/q, the sibilants and affricates,
l/r, the nasals; vowels, h, w and y dropped) that transliterations of one name share: "London",
伦敦 (lun dun), ロンドン (rondon), 런던 (reondeon), لندن and לונדון all have the skeleton
RNTN.  ``sound`` keeps a coarse vowel mark as well, for comparing two candidates by rapidfuzz.

``units(text, language)`` cuts a text into romanised units (a Han character, a Japanese word as
pykakasi segments it, a Hangul syllable, an Arabic or Hebrew word) with their offsets; a candidate
name is a run of consecutive units, so the work per article is linear in its length (a bounded
number of runs start at each unit).  Which romaniser a language uses is its ``romaniser`` in
storyline/lang/; a text in a language without one is romanised by the script of each character.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from hangul_romanize import Transliter
from hangul_romanize.rule import academic
from pypinyin import Style, lazy_pinyin

from storyline.lang import get as lang_of

# Scripts whose names are found by sound (the ``script`` of storyline/lang/ files, by character).
SOUND_SCRIPTS = ("han", "kana", "hangul", "arabic", "hebrew")

# consonant classes: one letter per class; vowels, h, w and y drop out
_DIGRAPHS = (("tch", "S"), ("sch", "S"), ("ng", "N"), ("sh", "S"), ("ch", "S"), ("zh", "S"), ("ts", "S"),
             ("tz", "S"), ("th", "T"), ("ph", "P"), ("kh", "K"), ("gh", "K"), ("ck", "K"), ("dj", "S"))
_CLASS = {**dict.fromkeys("pbfv", "P"), **dict.fromkeys("td", "T"), **dict.fromkeys("kgqc", "K"),
          **dict.fromkeys("sxzj", "S"), **dict.fromkeys("lr", "R"), **dict.fromkeys("mn", "N")}
_VOWELS = set("aeiouyw")
# Arabic and Hebrew letters: their consonant class ("" for the letters that write vowels or h)
_SEMITIC = {
    **dict.fromkeys("بفپڤ", "P"), **dict.fromkeys("تطدض", "T"), **dict.fromkeys("كقگغ", "K"),
    **dict.fromkeys("سصزشثذظجچژ", "S"), **dict.fromkeys("رل", "R"), **dict.fromkeys("من", "N"),
    **dict.fromkeys("اأإآءئؤويىةهحخع", ""),
    **dict.fromkeys("בפף", "P"), **dict.fromkeys("דטת", "T"), **dict.fromkeys("גקכך", "K"),
    **dict.fromkeys("זסצץש", "S"), **dict.fromkeys("לר", "R"), **dict.fromkeys("מםנן", "N"),
    **dict.fromkeys("האחעוי", ""),
}
_GERESH = "׳'’"  # ג׳ is j, צ׳ ch, ז׳ zh: sibilants
# one-letter prefixes of a written word (and, in, to, the ...): Arabic و ب ل ف ك, the article ال; Hebrew ה ו ב ל מ ש כ
_PREFIXES = {"arabic": ("وال", "بال", "لل", "فال", "كال", "ال", "و", "ب", "ل", "ف", "ك"),
             "hebrew": ("וה", "שה", "בה", "מה", "לה", "ו", "ה", "ב", "ל", "מ", "ש", "כ")}
_LONG_VOWELS = re.compile(r"ou|uu|oo|ii|aa|ee")


def script_of(ch: str) -> str:
    """The script of one character: han, kana, hangul, arabic, hebrew, latin, cyrillic, other ("" for a non-letter)."""
    if not ch.isalpha():
        return ""
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or code == 0x3005:
        return "han"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "arabic"
    if 0x0590 <= code <= 0x05FF:
        return "hebrew"
    name = unicodedata.name(ch, "")
    if "LATIN" in name:
        return "latin"
    return "cyrillic" if "CYRILLIC" in name else "other"


# the letters of SOUND_SCRIPTS as script_of reads them: one search instead of a look at every character
_SOUND_LETTER = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
                           "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005\u0600-\u06ff\u0750-\u077f\u0590-\u05ff]")


def has_sound_script(text: str) -> bool:
    """Whether a text has letters of a script whose names are found by sound."""
    return any(script_of(m.group()) in SOUND_SCRIPTS for m in _SOUND_LETTER.finditer(text))


def skeleton(latin: str) -> str:
    """The consonant classes of a romanised name: 'London' -> RNTN, 'lundun' -> RNTN, 'Tomas Ebbing' -> TNSPN."""
    return _classes("".join(ch for ch in anyascii(latin).lower() if ch.isalpha()), vowels=False)


def sound(latin: str) -> str:
    """The skeleton with a vowel mark ('a') where vowels stood, long vowels and doubled letters collapsed:
    what two transliterations of a name are compared on ('toukyou' and 'Tokyo' both give TaKa)."""
    return _classes(_LONG_VOWELS.sub(lambda m: m.group()[0], "".join(
        ch for ch in anyascii(latin).lower() if ch.isalpha())), vowels=True)


def _classes(text: str, vowels: bool) -> str:
    """Each letter (or digraph) as its class; a doubled letter counts once, two letters of one class twice
    ("xi jin" is SS: a run of syllables must not shrink to a shorter name's skeleton)."""
    out: list[str] = []
    previous = ""
    i = 0
    while i < len(text):
        cls = None
        for digraph, digraph_class in _DIGRAPHS:
            if text.startswith(digraph, i):
                cls, token = digraph_class, digraph
                i += len(digraph)
                break
        if cls is None:
            token = text[i]
            cls = "a" if vowels and token in _VOWELS else _CLASS.get(token, "")
            i += 1
        if cls and not (token == previous or cls == "a" and out and out[-1] == "a"):
            out.append(cls)
        previous = token
    return "".join(out)


def semitic_skeleton(word: str) -> str:
    """The consonant classes of an Arabic or Hebrew word, as ``skeleton`` gives them for its Latin spelling."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            continue
        if ch in _GERESH:
            if out and out[-1] == "K":  # ג׳ (j)
                out[-1] = "S"
            continue
        cls = _SEMITIC.get(ch)
        if cls is None:
            cls = skeleton(anyascii(ch)) if ch.isalpha() else ""
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    if len(out) >= 2 and out[-2:] == ["N", "K"]:  # a final נג / نغ is ng
        out.pop()
    return "".join(out)


def strip_prefixes(word: str, script: str) -> list[str]:
    """A word and its forms without one written prefix ("والصين" -> "صين", "الصين"...)."""
    forms = [word]
    for prefix in _PREFIXES.get(script, ()):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            forms.append(word[len(prefix):])
    return forms


@dataclass(frozen=True)
class Unit:
    """A romanised piece of text: a Han character, a Japanese word, a Hangul syllable, an Arabic or Hebrew word."""

    start: int
    end: int
    script: str
    roman: str  # lower-case Latin ("" when the piece has none)
    word_start: bool  # starts a written word (after a space or punctuation)
    consonants: str = ""  # an Arabic or Hebrew word's consonant skeleton (``semitic_skeleton``)
    text: str = ""  # the piece as written


# a run of letters; a Hebrew geresh inside a word (ג׳) is part of it
_RUN = re.compile(r"[^\W\d_]+(?:[\u05F3'’][^\W\d_]+)*")


def units(text: str, language: str | None = None) -> list[Unit]:
    """The text's pieces in scripts read by sound, romanised, in order (one pass; Latin and Cyrillic left out)."""
    romaniser = lang_of(language).romaniser
    out: list[Unit] = []
    for match in _RUN.finditer(text):
        start = match.start()
        for piece_start, piece_end, script in _script_pieces(match.group()):
            if script not in SOUND_SCRIPTS:
                continue
            piece = match.group()[piece_start:piece_end]
            first = start + piece_start
            out.extend(_romanise_piece(piece, first, script, romaniser, piece_start == 0))
    return out


def _script_pieces(word: str) -> list[tuple[int, int, str]]:
    """(start, end, script) of the runs of one script in a word (Japanese kanji and kana stay together)."""
    pieces: list[tuple[int, int, str]] = []
    for index, ch in enumerate(word):
        script = script_of(ch) or "other"
        if pieces and (pieces[-1][2] == script or {pieces[-1][2], script} == {"han", "kana"}):
            pieces[-1] = (pieces[-1][0], index + 1, "kana" if "kana" in (pieces[-1][2], script) else script)
        else:
            pieces.append((index, index + 1, script))
    return pieces


def _romanise_piece(piece: str, offset: int, script: str, romaniser: str | None, word_start: bool) -> list[Unit]:
    if script in ("arabic", "hebrew"):
        return [Unit(offset, offset + len(piece), script, anyascii(piece).lower(), word_start, semitic_skeleton(piece),
                     piece)]
    if script == "hangul":
        translit = _hangul()
        return [Unit(offset + i, offset + i + 1, script, translit.translit(ch), word_start and i == 0, "", ch)
                for i, ch in enumerate(piece)]
    if script == "kana" or romaniser == "kakasi":
        out = []
        position = 0
        for segment in _kakasi().convert(piece):
            orig = segment["orig"]
            found = piece.find(orig, position)
            if found < 0 or not orig:
                continue
            out.append(Unit(offset + found, offset + found + len(orig), "kana", segment["hepburn"].lower(),
                            word_start and found == 0, "", orig))
            position = found + len(orig)
        return out
    syllables = lazy_pinyin(piece, style=Style.NORMAL, errors=lambda chars: ["" for _ in chars])
    if len(syllables) != len(piece):  # one syllable per character, else character by character
        syllables = [(lazy_pinyin(ch, style=Style.NORMAL) or [""])[0] for ch in piece]
    return [Unit(offset + i, offset + i + 1, "han", syllable, word_start and i == 0, "", piece[i])
            for i, syllable in enumerate(syllables)]


def romanise(text: str, language: str | None = None) -> str:
    """A Latin spelling of a text: its pieces in scripts read by sound romanised, everything else by anyascii."""
    pieces = units(text, language)
    out: list[str] = []
    position = 0
    for unit in pieces:
        if unit.start > position:
            out.append(anyascii(text[position:unit.start]))
        out.append(unit.roman)
        position = unit.end
    out.append(anyascii(text[position:]))
    return "".join(out)


@lru_cache(maxsize=1)
def _kakasi():
    # deferred: pykakasi loads its dictionaries (a second) only when a Japanese text is first read
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=1)
def _hangul() -> Transliter:
    return Transliter(academic)
