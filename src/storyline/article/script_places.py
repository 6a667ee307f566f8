"""Places named in scripts the models do not read (Chinese, Japanese, Korean, Arabic, Hebrew).

Countries, capitals and large cities are looked up by their names in those scripts (the gazetteer's
``script_names``, from packaged data), so an article in any of these scripts has places from its own
analysis: its story can be found by them, and its events placed.  The corpus stage (corpus/scan.py)
uses the same finder after resolution, together with the names a corpus knows by sound.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from itertools import pairwise

from storyline.common.gazetteer import gazetteer, script_form
from storyline.common.romanise import Unit, has_sound_script, strip_prefixes, units
from storyline.models import Mention, Sentence


class SentenceFinder:
    """The sentence holding an offset (-1 between sentences): by bisection when the sentences are in order
    and disjoint (as the parsers give them), else by a scan (one scan per added mention made long lists
    quadratic)."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.sentences = sentences
        self.starts = [s.start for s in self.sentences]
        self.ordered = all(a.end <= b.start for a, b in pairwise(self.sentences))

    def of(self, offset: int) -> int:
        if self.ordered:
            position = bisect.bisect_right(self.starts, offset) - 1
            if position >= 0 and self.sentences[position].start <= offset < self.sentences[position].end:
                return self.sentences[position].index
            return -1
        return next((s.index for s in self.sentences if s.start <= offset < s.end), -1)


class Coverage:
    """Which spans of a text mentions already cover.  ``free(start, end)`` tells whether [start, end)
    overlaps none of them in time linear in the span, not in the number of mentions (a list of
    thousands of names made that quadratic)."""

    def __init__(self, size: int, spans: list[tuple[int, int]]):
        self.chars = bytearray(max([size] + [e for _, e in spans]) + 1)
        self.points: list[int] = []  # empty spans: they overlap a span strictly around them
        self.odd: list[tuple[int, int]] = []  # before the text, or ending before they start: never made
        self.spans = list(spans)
        for start, end in spans:
            self._mark(start, end)

    def _mark(self, start: int, end: int) -> None:
        if 0 <= start < end:
            if end > len(self.chars):
                self.chars.extend(bytes(end - len(self.chars)))
            self.chars[start:end] = b"\x01" * (end - start)
        elif 0 <= start == end:
            bisect.insort(self.points, start)
        else:
            self.odd.append((start, end))

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        self._mark(start, end)

    def free(self, start: int, end: int) -> bool:
        if start >= end:  # an empty query: the plain test
            return not any(s < end and start < e for s, e in self.spans)
        if self.chars.find(1, max(start, 0), max(end, 0)) >= 0:
            return False
        position = bisect.bisect_right(self.points, start)
        if position < len(self.points) and self.points[position] < end:
            return False
        return not any(s < end and start < e for s, e in self.odd)


def script_places(text: str, pieces: list[Unit], coverage: Coverage,
                  sentence_of: Callable[[int], int]) -> list[Mention]:
    """Countries, capitals and large cities by their names in the text's script: in Chinese and Japanese from
    any character, in Korean from the start of a written word, in Arabic and Hebrew as whole words (after a
    written prefix).  At most ``max_chars`` lookups from each character: linear in the text.  Spans that
    ``coverage`` holds are left alone; found ones are added to it."""
    gaz = gazetteer()
    max_chars = min(gaz.script_name_chars, 12)
    added: list[Mention] = []
    for i, unit in enumerate(pieces):
        if unit.script in ("arabic", "hebrew"):
            found = _semitic_place(text, pieces, i, gaz)
        elif unit.script == "hangul" and not unit.word_start:
            continue
        else:
            found = None
            for end in range(min(len(text), unit.start + max_chars), unit.start + 1, -1):
                place = gaz.script_place(text[unit.start:end])
                if place is not None:
                    found = (unit.start, end, place)
                    break
        if found and coverage.free(found[0], found[1]):
            start, end, place = found
            added.append(Mention(start, end, text[start:end], "PLACE", sentence_of(start), lemma=place.name,
                                 source="gazetteer"))
            coverage.add(start, end)
    return added


def _semitic_place(text: str, pieces: list[Unit], i: int, gaz) -> tuple[int, int, object] | None:
    """A place named by up to three words from word ``i`` (the first without a written prefix, if need be)."""
    for count in range(min(3, len(pieces) - i), 0, -1):
        last = pieces[i + count - 1]
        if last.script != pieces[i].script or "\n" in text[pieces[i].start:last.end]:
            continue
        rest = script_form(text[pieces[i].end:last.end])
        first = text[pieces[i].start:pieces[i].end]
        for form in strip_prefixes(first, pieces[i].script):
            place = gaz.script_place(script_form(form) + (" " + rest if rest else ""))
            if place is not None:
                return pieces[i].end - len(form), last.end, place
    return None


def places_in_script(text: str, language: str, mentions: list[Mention],
                     sentence_of: Callable[[int], int]) -> list[Mention]:
    """The script places of a text that no mention covers yet (none in a text without such letters)."""
    if not has_sound_script(text):
        return []
    coverage = Coverage(len(text), [(m.start, m.end) for m in mentions])
    return script_places(text, units(text, language), coverage, sentence_of)
