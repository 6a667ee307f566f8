"""Pathological articles cost what their length costs, in every stage, now and in every later batch.

A hostile article whose body was one 200,000-letter word once stalled the corpus stage for good: a
pattern re-scanned the word from each of its letters, and every later batch rescans every stored
article.  Here a batch of ordinary articles goes through ``pipeline.run`` into one fresh store, the
same batch plus seven pathological articles into another (a 200,000-letter word; 100,000 capitals
and spaces; "A. " 50,000 times; 20,000 opening parentheses; a list of 10,000 names; a sentence of
5,000 commas; 5,000 date-like tokens), and a later batch of ordinary articles into both.  The run
with the pathological articles may take at most twice the run of the ordinary ones alone (they hold
nearly four times the text, so this holds only because no stage spends more on them than on prose:
the models never see a word repeated thousands of times in a row, nlp.mask_repetition), no article
may be left out by the time budget, the later batch must not be slowed by them beyond the corpus
stage's rescan of their text, and nothing stored is lost.  Timings are taken with every model loaded (a warm-up run
first), and the runs that should be slower go first, so caches only favour the others.  The limits are
on CPU time (this process and its analysis workers, which are reaped at the end of each run), so a
machine busy with other work does not move them; wall times are reported beside.

The ordinary articles are the benchmark's synthetic variants of the demo corpus (bench/generate.py,
from the demo corpus alone, so the test does not depend on ../shared): different texts, not copies,
or the duplicate detector would fold them.  docs/audit-patterns.md lists what was fixed.
"""
from __future__ import annotations

import importlib.util
import json
import resource
import sys
import time
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.cli.commands import demo_corpus
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow

ORDINARY = 200  # articles of the first batch
LATER = 20  # articles of the later batch
SLOWDOWN = 2.0  # the ordinary batch with the pathological articles may take this many times as long as alone
LATER_SLOWDOWN = 1.5  # a later batch into the store holding them may take this many times as long ...
LATER_FLOOR = 5.0  # ... plus these seconds

WALL: list[float] = []  # wall seconds of each timed run, in order
BENCH = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _names(count: int) -> list[str]:
    """``count`` different full names: "Anna Petrova, Boris Ivanov" and invented ones."""
    syllables = ["ba", "ve", "do", "mi", "ta", "ko", "lu", "re", "si", "na"]
    given = [(a + b + "na").capitalize() for a in syllables for b in syllables]
    surnames = [(a + b + "rov").capitalize() for a in syllables for b in syllables]
    names = ["Anna Petrova", "Boris Ivanov"] + [f"{g} {s}" for g in given for s in surnames]
    return names[:count]


PATHOLOGICAL = {
    "p-word": ("A single word", "A" * 200_000),
    "p-capitals": ("Capitals and spaces", "A " * 100_000),
    "p-initials": ("Initials", "A. " * 50_000),
    "p-parentheses": ("Parentheses", "(" * 20_000),
    "p-names": ("A list of names", ", ".join(_names(10_000)) + "."),
    "p-commas": ("Commas", "The delegates were" + ", " * 5_000 + "and others."),
    "p-dates": ("Dates", "1.1.1 " * 5_000),
}


def _bench_generator(cache: Path):
    spec = importlib.util.spec_from_file_location("storyline_bench_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    module.CACHE = cache  # its spaCy cache of the bases' names goes here, not into bench/cache
    return module


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("pathological")
    generator = _bench_generator(root / "bench-cache")
    records = generator.generate(ORDINARY + LATER, seed=5, bases=generator.load_bases(shared=None))
    folders = {"ordinary characters": sum(len(r["text"]) for r in records[:ORDINARY])}
    for name, batch in (("ordinary", records[:ORDINARY]), ("later", records[ORDINARY:])):
        folder = root / name
        folder.mkdir()
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch),
                                              encoding="utf-8")
        folders[name] = folder
    folder = folders["pathological"] = root / "pathological"
    folder.mkdir()
    for name, (title, body) in PATHOLOGICAL.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folders


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have exited (the analysis workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed_run(targets: list[Path], location: str) -> tuple[float, pipeline.IngestReport]:
    """CPU seconds of one run (wall seconds are kept in WALL for the report)."""
    store = Store(location)
    started, cpu = time.monotonic(), _cpu_seconds()
    ingested, _ = pipeline.run([str(t) for t in targets], store, Settings(progress=False))
    used = _cpu_seconds() - cpu
    WALL.append(time.monotonic() - started)
    store.close()
    return used, ingested


def _analysed(location: str) -> tuple[set[str], set[str], list[str]]:
    """(stored article ids, ids with an analysis, ids whose analysis was left out)."""
    store = Store(location, readonly=True)
    ids = set(store.article_ids())
    analyses = store.analyses()
    skipped = sorted(a for a, analysis in analyses.items() if getattr(analysis, "skipped", ""))
    store.close()
    return ids, set(analyses), skipped


def test_pathological_articles_at_most_double_a_batch(inputs, new_db, reliability):
    # warm-up: every model (spaCy, natasha, the encoder, the gazetteer) loaded before anything is timed
    _timed_run([demo_corpus()], new_db("warm-up"))

    with_pathological, ordinary = new_db("with-pathological"), new_db("ordinary")
    slow, report = _timed_run([inputs["ordinary"], inputs["pathological"]], with_pathological)
    fast, _ = _timed_run([inputs["ordinary"]], ordinary)
    ids, analysed, skipped = _analysed(with_pathological)
    later_slow, _ = _timed_run([inputs["later"]], with_pathological)
    later_fast, _ = _timed_run([inputs["later"]], ordinary)
    after, analysed_after, skipped_after = _analysed(with_pathological)
    ordinary_chars = inputs["ordinary characters"]
    pathological_chars = sum(len(body) for _, body in PATHOLOGICAL.values())
    wall = WALL[-4:]  # slow, fast, later slow, later fast
    timings = (f"CPU (wall) seconds: {len(ids) - len(PATHOLOGICAL)} ordinary articles ({ordinary_chars:,} characters) "
               f"{fast:.1f} ({wall[1]:.1f}), with {len(PATHOLOGICAL)} pathological ({pathological_chars:,} characters) "
               f"{slow:.1f} ({wall[0]:.1f}); a later batch of {LATER}: {later_fast:.1f} ({wall[3]:.1f}), "
               f"beside the pathological {later_slow:.1f} ({wall[2]:.1f})")
    reliability.add("inputs tried", len(PATHOLOGICAL))
    reliability.note("pathological articles", timings)

    assert not report.errors, [str(e) for e in report.errors]
    assert set(PATHOLOGICAL) <= ids and ids <= analysed
    # each is analysed in time, not left out by the time budget (the net under the stages)
    assert not skipped, f"left out over their time budget: {skipped} ({timings})"
    assert ids < after and len(after) == len(ids) + LATER  # nothing stored before is lost
    assert after <= analysed_after and not skipped_after
    assert len(_analysed(ordinary)[0]) == len(ids) - len(PATHOLOGICAL) + LATER
    assert slow <= SLOWDOWN * fast, timings
    assert later_slow <= LATER_SLOWDOWN * later_fast + LATER_FLOOR, timings
