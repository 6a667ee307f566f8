"""An article's fingerprints for duplicate detection: a MinHash signature of its word shingles and
hashes of its long paragraphs, computed per article by the analysis; corpus/dedup.py compares them.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

from storyline.article.clean import normalize_for_compare

NUM_PERM = 128
SCHEME = "affine64"  # stored signatures must be read back with the scheme that made them
SHINGLE = 3
MIN_PARAGRAPH_CHARS = 80


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = normalize_for_compare(text).split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    items = list(shingles(text))
    if items:
        signature.update_batch(items)
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return np.asarray(signature.hashvalues, dtype=np.uint64).tobytes()


def signature_from_bytes(data: bytes | None) -> MinHash | None:
    if not data:  # an article the analysis left out has no signature
        return None
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64).copy(), scheme=SCHEME)


def paragraph_hashes(text: str) -> list[str]:
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        norm = normalize_for_compare(paragraph)
        if len(norm) >= MIN_PARAGRAPH_CHARS:
            out.append(hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16])
    return out
