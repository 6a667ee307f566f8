"""Story clustering time per article at 1,000, 10,000 and 100,000 articles.

Articles are synthetic variants of what the pipeline feeds the clusterer: each belongs to one
of many stories (one new story per ~40 articles, so the number of stories grows with the
store), names drawn mostly from its story's pool of names plus a few common ones (countries
that every story mentions), a 512-dimensional meaning vector near its story's topic vector,
and a date that advances through the corpus.  Articles arrive in date order, as from feeds.
The cost per article must stay flat: candidates come from an inverted index over rare names
plus the recently active stories, never from all stories.

    .venv/bin/python bench/cluster_bench.py [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.corpus.stories import Clusterer  # noqa: E402

COMMON = [f"country:{c}" for c in ("AA", "BB", "CC", "DD", "EE")]


def articles(n: int, seed: int = 11):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    stories: list[tuple[list[str], np.ndarray]] = []
    start = date(2014, 1, 1)
    for i in range(n):
        if not stories or rng.random() < 1 / 40:
            pool = [f"name{len(stories)}_{k}" for k in range(12)]
            topic = nrng.normal(size=512)
            stories.append((pool, topic / np.linalg.norm(topic)))
        # recent stories are the active ones
        pool, topic = stories[max(0, len(stories) - 1 - int(rng.expovariate(0.5)))]
        names = Counter(rng.sample(pool, 5) + rng.sample(COMMON, 2))
        vector = topic + 0.8 * nrng.normal(size=512) / np.sqrt(512)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        yield f"a{i}", names, vector, start + timedelta(days=i * 365 // max(n, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="Article counts, comma-separated.")
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        clusterer = Clusterer()
        data = list(articles(size))
        begin = time.perf_counter()
        for article_id, names, vector, when in data:
            clusterer.add(article_id, names, vector, when)
        seconds = time.perf_counter() - begin
        rows.append({"articles": size, "seconds": round(seconds, 3), "ms_per_article": round(1000 * seconds / size, 3),
                     "stories": len(clusterer.stories),
                     "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
        print(f"{size:>7} articles  {seconds:7.2f} s  {rows[-1]['ms_per_article']:6.3f} ms/article  "
              f"{len(clusterer.stories):>5} stories  peak {rows[-1]['peak_rss_mb']} MB", flush=True)
    if len(rows) > 1:
        print(f"cost per article grows x{rows[-1]['ms_per_article'] / rows[0]['ms_per_article']:.2f} "
              f"from {rows[0]['articles']} to {rows[-1]['articles']} articles")
    out = Path(__file__).parent / "results" / "cluster.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
