"""Exact and near-duplicate articles and paragraphs (MinHash LSH, datasketch).

An article whose normalised text hashes the same as an earlier one is an
exact copy.  Near copies (syndication, an aggregator's repost, a machine-spun
rewrite that swaps words) share few exact shingles, so MinHash LSH at a low
threshold only retrieves candidates, and each candidate is verified by
aligning sentences: the share of one article's sentences that closely match
a sentence of the other (``copy_score``).  Copies point at their original and never
count as independent sources.  The signatures come from each article's analysis
(article/fingerprint.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from storyline.article.fingerprint import NUM_PERM

VERSION = "dedup-2"
# LSH only proposes candidates; the sentence alignment decides.
CANDIDATE_THRESHOLD = 0.08
# A sentence "matches" when its edit similarity to one in the other article is at least this.
SENTENCE_MATCH = 70
MAX_ALIGNED_CANDIDATES = 30  # candidates per article whose sentences are aligned (see DuplicateIndex.add)
COPY_SCORE = 0.3  # share of matching sentences that makes a copy on its own
COPY_SCORE_WITH_SHINGLES = 0.12  # ... or this much, with shingle Jaccard >= 0.1 as well
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def copy_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(text) if len(s) > 40]


def copy_score(a: list[str], b: list[str]) -> float:
    """Share of the sentences of ``a`` that have a close match in ``b``."""
    if not a or not b:
        return 0.0
    hits = 0
    for sentence in a:
        match = process.extractOne(sentence, b, scorer=fuzz.ratio, score_cutoff=SENTENCE_MATCH)
        hits += match is not None
    return hits / len(a)


@dataclass
class DuplicateIndex:
    """Incremental: ``add`` returns the original an article copies, if any.

    ``text_of`` gives the cleaned text of an already indexed article, so the
    index itself holds only signatures.
    """

    text_of: Callable[[str], str]
    originals: dict[str, str] = field(default_factory=dict)  # copy -> original
    lsh: MinHashLSH = field(init=False)
    fingerprints: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, MinHash] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)

    def _jaccards(self, signature: MinHash, candidates: list[str]) -> list[float]:
        """Estimated Jaccard similarity of ``signature`` with each candidate's, in one array operation."""
        if not candidates:
            return []
        stacked = np.stack([self.signatures[c].hashvalues for c in candidates])
        return (stacked == signature.hashvalues).mean(axis=1).tolist()

    def load(self, article_id: str, fingerprint: str, signature: MinHash | None, original: str | None = None) -> None:
        """Index an article already checked in an earlier run."""
        self._index(article_id, fingerprint, signature, original)

    def add(self, article_id: str, fingerprint: str, signature: MinHash | None, text: str) -> tuple[str | None, float]:
        """(original id or None, similarity).  The article joins the index either way.

        Without a signature (an article the analysis left out) only an exact copy counts.
        """
        original, similarity = None, 0.0
        if fingerprint in self.fingerprints:
            original, similarity = self.fingerprints[fingerprint], 1.0
        elif signature is not None:
            mine = copy_sentences(text)
            best = None
            # The candidates most alike by signature first, and only so many of them: on a story
            # retold by hundreds of articles the loose LSH threshold proposes most of them, and
            # aligning sentences with each would make the stage quadratic.
            candidates = [c for c in self.lsh.query(signature) if c != article_id]
            ranked = sorted(zip(self._jaccards(signature, candidates), candidates, strict=False),
                            key=lambda pair: (-pair[0], pair[1]))
            for jaccard, candidate in ranked[:MAX_ALIGNED_CANDIDATES]:
                if jaccard >= 0.8:
                    score = 1.0
                else:
                    theirs = copy_sentences(self.text_of(candidate))
                    score = max(copy_score(mine, theirs), copy_score(theirs, mine))
                    if not (score >= COPY_SCORE or score >= COPY_SCORE_WITH_SHINGLES and jaccard >= 0.1):
                        continue
                if best is None or score > best[1]:
                    best = (candidate, score)
            if best:
                # a copy of a copy points at the first original
                original, similarity = self.originals.get(best[0], best[0]), best[1]
        self._index(article_id, fingerprint, signature, original)
        return original, similarity

    def _index(self, article_id: str, fingerprint: str, signature: MinHash | None, original: str | None) -> None:
        self.fingerprints.setdefault(fingerprint, original or article_id)
        if original:
            self.originals[article_id] = original
        if signature is not None and article_id not in self.signatures:
            self.signatures[article_id] = signature
            self.lsh.insert(article_id, signature)
