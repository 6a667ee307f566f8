"""What a parser gives, whichever reads the language: sentences, tokens and name mentions.

The records every backend fills (spaCy's English in ``nlp``, natasha's in ``nlp_slavic``, the
rules in ``nlp``) and the stages after them read.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import pairwise

from storyline.models import Mention, Sentence


@dataclass
class Token:
    start: int
    end: int
    text: str
    lemma: str
    pos: str = ""
    tag: str = ""
    dep: str = ""
    head: int = -1  # index of the head token in Parsed.tokens


@dataclass
class Parsed:
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def sentence_index(sentences: list[Sentence], offset: int) -> int:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return sentences[-1].index if sentences else 0


class SentenceIndex:
    """``sentence_index`` for many offsets: by bisection when the sentences are in order and apart, as
    the parsers give them (a scan per mention made an article of many sentences and names quadratic)."""

    def __init__(self, sentences: list[Sentence]):
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.ordered = all(a.end <= b.start for a, b in pairwise(sentences))

    def __call__(self, offset: int) -> int:
        if not self.ordered:
            return sentence_index(self.sentences, offset)
        position = bisect.bisect_right(self.starts, offset) - 1
        if position >= 0 and self.sentences[position].start <= offset < self.sentences[position].end:
            return self.sentences[position].index
        return self.sentences[-1].index if self.sentences else 0
