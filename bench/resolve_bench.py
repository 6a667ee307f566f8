"""Entity resolution time per 1,000 mentions, from 1,000 to 100,000 mentions.

Mentions are synthetic: a pool of invented people (given name + surname), places and
organisations, each written in the variants news produces -- surname alone, full name,
first-name variants, transliteration variants (h/g, i/y, doubled letters), Cyrillic forms,
honorifics -- spread over articles of 20 mentions.  The pool grows with the corpus (one
person per ~25 mentions), so blocking keys stay realistic instead of collapsing onto a few
names.  Resolution must stay linear: blocking by surname key, a deletion index for one-letter
differences, gazetteer ids for places -- never all pairs.

    .venv/bin/python bench/resolve_bench.py [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storyline.corpus.resolve import resolve  # noqa: E402
from storyline.models import Analysis, Mention, Sentence  # noqa: E402

SYLLABLES = ["va", "lo", "dri", "ka", "men", "sto", "ro", "vik", "ne", "tra", "lu", "gor", "sha", "bel", "mi",
             "ten", "ko", "dar", "is", "pol", "ru", "zen", "ha", "vo", "lin", "ga", "ser", "mo", "ta", "bor"]
GIVEN = ["Mirela", "Pavel", "Tomas", "Andriy", "Steve", "Daniel", "Yuri", "Olga", "Kirill", "Marco", "Greta",
         "Henrik", "Agnes", "Ivan", "Lena", "Oskar", "Nadia", "Viktor", "Irina", "Boris"]
VARIANT_GIVEN = {"Andriy": "Andrii", "Steve": "Stephen", "Daniel": "Dan", "Yuri": "Yury", "Tomas": "Thomas"}
CYRILLIC = str.maketrans({"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
                          "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
                          "t": "т", "u": "у", "f": "ф", "h": "х", "y": "ы"})


def surname(rng: random.Random) -> str:
    return ("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            + rng.choice(["ov", "enko", "ek", "ski", "a"]))


def variants(given: str, family: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(text, label, language) forms of one person."""
    forms = [(f"{given} {family}", "PERSON", "en"), (family, "PERSON", "en"), (f"Mr {family}", "PERSON", "en"),
             (f"{VARIANT_GIVEN.get(given, given)} {family}", "PERSON", "en"),
             (family.replace("h", "g") if "h" in family else family + "s", "ORG", "en"),
             (f"{given} {family}".lower().translate(CYRILLIC).title(), "PERSON", "ru")]
    return forms


def make_corpus(mentions: int, seed: int = 7) -> list[tuple[Analysis, str]]:
    rng = random.Random(seed)
    people = [(rng.choice(GIVEN), surname(rng)) for _ in range(max(10, mentions // 25))]
    places = ["Saltmere", "Norrholm", "Port Velin", "Brackwater", "Lisbon", "Lisboa", "Lausanne", "Porto", "Warsaw"]
    orgs = ["Valdorian Security Council", "VSC", "Ministry of Shipping", "Harbour Wire"]
    analyses = []
    per_article = 20
    for a in range((mentions + per_article - 1) // per_article):
        names = []
        for _ in range(per_article):
            roll = rng.random()
            if roll < 0.7:
                given, family = rng.choice(people)
                names.append(rng.choice(variants(given, family, rng)))
            elif roll < 0.9:
                names.append((rng.choice(places), "PLACE", "en"))
            else:
                names.append((rng.choice(orgs), "ORG", "en"))
        body = " ; ".join(text for text, _, _ in names)
        result, position = [], 0
        for text, label, _ in names:
            start = body.find(text, position)
            position = start + len(text)
            result.append(Mention(start, start + len(text), text, label, 0))
        analyses.append((Analysis(f"a{a}", (Sentence(0, 0, len(body), body),), tuple(result)), "en"))
    return analyses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="Mention counts, comma-separated.")
    args = parser.parse_args()
    resolve(make_corpus(200))  # load the gazetteer once, outside the timings
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = make_corpus(size)
        start = time.perf_counter()
        result = resolve(corpus)
        seconds = time.perf_counter() - start
        rows.append({"mentions": size, "seconds": round(seconds, 3),
                     "ms_per_1000": round(1000 * seconds / size * 1000, 1),
                     "entities": len(result.entities),
                     "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
        print(f"{size:>8} mentions  {seconds:7.2f} s  {rows[-1]['ms_per_1000']:7.1f} ms per 1,000  "
              f"{len(result.entities):>6} entities  peak {rows[-1]['peak_rss_mb']} MB", flush=True)
    if len(rows) > 1:
        growth = rows[-1]["ms_per_1000"] / rows[0]["ms_per_1000"]
        print(f"cost per 1,000 mentions grows x{growth:.2f} from {rows[0]['mentions']} to {rows[-1]['mentions']}")
    out = Path(__file__).parent / "results" / "resolve.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
