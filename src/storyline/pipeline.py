"""The pipeline: ingest sources into the store, then process what is new.

``ingest`` reads sources and cleans articles (per-article, no model);
``process`` analyses new articles in batches, links duplicates, assigns
stories online, then rebuilds the corpus-level record (entities, events,
claims) from everything stored and records what changed.  Both are safe to
rerun: work already done is skipped, and each batch is one transaction.

The corpus stage runs only when something it reads has changed since it last
ran (``derive_corpus``): the store keeps a stamp of its inputs (which articles,
their analysis versions, dates, copy and story links; the stage versions and
code; the settings and alias file that change its result).  A run that brings
nothing new reads that digest and stops; ``process(force=True)`` (``storyline
rebuild``) re-derives everything whatever the stamp says.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import statistics
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from storyline.article import analyze as analyze_stage
from storyline.article import metadata
from storyline.article.clean import clean
from storyline.article.fingerprint import signature_from_bytes
from storyline.common.encoder import embedding_from_bytes
from storyline.corpus.build import rebuild as rebuild_corpus
from storyline.corpus.claims import VERSION as claims_version
from storyline.corpus.dedup import VERSION as dedup_version
from storyline.corpus.dedup import DuplicateIndex
from storyline.corpus.event_merge import VERSION as event_merge_version
from storyline.corpus.resolve import VERSION as resolve_version
from storyline.corpus.stories import VERSION as cluster_version
from storyline.corpus.stories import Clusterer
from storyline.errors import E, StorylineError
from storyline.lang import check_rule_files
from storyline.models import Article, RawDoc
from storyline.settings import Settings
from storyline.sources import iter_sources
from storyline.store import Store, now

log = logging.getLogger("storyline")
log.addHandler(logging.NullHandler())

Progress = Callable[[Iterable, str, int | None], Iterable]


def no_progress(items: Iterable, label: str = "", total: int | None = None) -> Iterable:
    return items


def tqdm_progress(items: Iterable, label: str = "", total: int | None = None) -> Iterable:
    return tqdm(items, desc=label, total=total, unit="art", leave=False, disable=None)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    existing: int = 0
    errors: list[StorylineError] = field(default_factory=list)
    warnings: list[StorylineError] = field(default_factory=list)  # stored, with something ignored


@dataclass
class ProcessReport:
    analysed: int = 0
    duplicates: int = 0
    stories: int = 0
    entities: int = 0
    events: int = 0
    inferred_dates: int = 0
    skipped: list[str] = field(default_factory=list)  # articles left out: over their time budget
    corpus_rebuilt: bool = False  # False: nothing the corpus stage reads had changed, so it did not run


def prepare(items: Iterable[RawDoc | StorylineError], settings: Settings
            ) -> tuple[list[tuple[Article, str | None]], list[StorylineError]]:
    """Clean what sources delivered: (article, raw HTML) pairs ready to store, and the problems."""
    check_rule_files()  # a bad rule file is no article's problem: it stops the run, in one line
    prepared: list[tuple[Article, str | None]] = []
    problems: list[StorylineError] = []
    for item in items:
        if isinstance(item, StorylineError):
            problems.append(item)
            continue
        try:
            prepared.append((clean(item, settings.max_article_chars), item.content if item.kind == "html" else None))
        except StorylineError as error:
            problems.append(error)
    return prepared, problems


class IngestWriter:
    """Stores cleaned articles in batches and records what could not be stored, into one report:
    the one writer behind ``ingest`` and the distributed ingest."""

    BATCH = 200

    def __init__(self, store: Store):
        self.store = store
        self.report = IngestReport()
        self.batch: list[tuple[Article, str | None]] = []

    def problem(self, error: StorylineError, where: str) -> None:
        self.report.errors.append(error)
        self.store.record_problem(error.path or where, error.kind.code, str(error))

    def add(self, article: Article, raw: str | None, item: RawDoc) -> None:
        given = item.published
        if given and article.published_source != "manifest":  # out of range, or not a date
            warning = StorylineError(E.BAD_DATE, item.source, f"publication date {given!r} ignored")
            self.report.warnings.append(warning)
            self.store.record_problem(item.source, warning.kind.code, str(warning))
        self.batch.append((article, raw))
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        added = self.store.add_articles(self.batch)
        self.report.added.extend(added)
        self.report.existing += len(self.batch) - len(added)
        self.batch.clear()


def ingest(targets: Iterable[str], store: Store, settings: Settings | None = None,
           progress: Progress = no_progress, transport=None) -> IngestReport:
    """Read, clean and store articles; bad inputs are reported, never fatal."""
    settings = settings or Settings()
    writer = IngestWriter(store)
    for target in targets:
        for item in progress(iter_sources(target, settings, transport), f"ingest {target}", None):
            prepared, problems = prepare([item], settings)
            for problem in problems:
                writer.problem(problem, target)
            for article, raw in prepared:
                writer.add(article, raw, item)
    writer.flush()
    return writer.report


def reference_date(store: Store) -> date | None:
    """The median known publication date: the year for year-less dates in undated articles."""
    dates = [a.published for a in store.articles() if a.published and a.published_source != "inferred"]
    if not dates:
        return None
    ordinals = sorted(d.toordinal() for d in dates)
    return date.fromordinal(int(statistics.median(ordinals)))


CHUNK = 1024  # articles read from the store at a time: memory stays flat however large the store


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end when the run is gone (killed); a forked worker would wait on its queue forever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _analyse(batch: list[Article], reference: date | None, budget: float) -> list[tuple]:
    """One batch in a worker process (models load once per worker, on its first batch)."""
    return analyze_stage.analyze_batch(batch, reference, budget)


def pending_batches(store: Store, pending: list[str], reference: date | None, size: int,
                    report: ProcessReport) -> Iterator[list[Article]]:
    """Articles to analyse in batches of ``size``, in arrival order, read from the store a chunk at a time;
    an undated article first gets the date it states (marked inferred)."""
    for start in range(0, len(pending), CHUNK):
        ready = [_with_publication(store, article, reference, report)
                 for article in store.articles(pending[start:start + CHUNK])]
        for i in range(0, len(ready), size):
            yield ready[i:i + size]


def save_analysed(store: Store, results: list[tuple], report: ProcessReport) -> None:
    """Store a batch's analyses; an article the analysis left out, or only partly analysed, is recorded as a problem."""
    store.save_analyses(results)
    report.analysed += len(results)
    noted = {analysis.article_id: analysis for analysis, _ in results if analysis.skipped or analysis.limited}
    for article in store.articles(list(noted)) if noted else ():
        analysis = noted[article.id]
        if analysis.skipped:
            problem = StorylineError(E.OVER_BUDGET, article.source or article.id,
                                     f"article {article.id}: {analysis.skipped}; left out of the record")
            report.skipped.append(article.id)
        else:
            problem = StorylineError(E.PARTLY_ANALYSED, article.source or article.id,
                                     f"article {article.id}: {analysis.limited}")
        store.record_problem(problem.path, problem.kind.code, str(problem))


def analyse_pending(store: Store, settings: Settings, progress: Progress, report: ProcessReport) -> None:
    """Analyse every article without a current analysis, in batches, on ``workers`` processes.

    The store is written only here, by this process, one batch per transaction.
    """
    check_rule_files()  # here, not in each worker
    pending = store.pending_analysis(analyze_stage.VERSION)
    if not pending:
        return
    reference = reference_date(store)
    size = max(1, settings.batch_size)
    workers = settings.workers or min(2, os.cpu_count() or 1)
    pool = None
    if workers > 1 and len(pending) >= 2 * size:
        # fork: workers inherit what the parent loaded and need no importable __main__ (scripts
        # without a main guard); spawn where fork does not exist
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_exit_with_parent, initargs=(os.getpid(),))
    bar = progress(range(len(pending)), "analyse", len(pending))
    ticks = iter(bar)
    budget = settings.article_budget
    try:
        batches = pending_batches(store, pending, reference, size, report)
        if pool:
            results = bounded_map(lambda batch: pool.submit(_analyse, batch, reference, budget), batches, 2 * workers)
        else:
            results = ((batch, _analyse(batch, reference, budget)) for batch in batches)
        for batch, result in results:
            save_analysed(store, result, report)
            for _ in batch:
                next(ticks, None)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        close = getattr(bar, "close", None)
        if close:
            close()


def bounded_map(submit: Callable[[Any], Any], items: Iterable[Any], window: int) -> Iterator[tuple[Any, Any]]:
    """(item, result) in order, each item handed to ``submit`` (which returns a future), at most ``window``
    in flight: the work runs side by side without reading all the input ahead."""
    in_flight: deque = deque()
    for item in items:
        in_flight.append((item, submit(item)))
        if len(in_flight) >= window:
            done, future = in_flight.popleft()
            yield done, future.result()
    while in_flight:
        done, future = in_flight.popleft()
        yield done, future.result()


def _with_publication(store: Store, article: Article, reference: date | None, report: ProcessReport) -> Article:
    """An undated article gets the latest date it states (marked inferred) before its dates are resolved."""
    if article.published is not None:
        return article
    inferred = metadata.infer_publication(article.text, article.language, reference)
    if not inferred:
        return article
    store.set_publication(article.id, inferred.isoformat(), "inferred")
    report.inferred_dates += 1
    return replace(article, published=inferred, published_source="inferred")


def link_duplicates(store: Store, report: ProcessReport) -> None:
    if not store.pending_features("deduped"):
        return  # every analysed article was compared already
    index = DuplicateIndex(text_of=store.article_text)
    links: dict[str, tuple[str, float]] = {}
    newly: list[str] = []
    for row in store.features():
        signature = signature_from_bytes(row["minhash"])
        if row["deduped"]:
            index.load(row["article_id"], row["fingerprint"], signature, row["duplicate_of"])
            continue
        original, score = index.add(row["article_id"], row["fingerprint"], signature,
                                    store.article_text(row["article_id"]))
        if original and original != row["article_id"]:
            links[row["article_id"]] = (original, score)
        newly.append(row["article_id"])
    store.set_duplicates(links)
    store.mark_features("deduped", newly)
    report.duplicates += len(links)


def assign_stories(store: Store, settings: Settings) -> None:
    state = store.get_meta("clusterer")
    if state and state.get("version") == cluster_version:
        if not store.pending_features("clustered"):
            return  # every analysed article has its story
        clusterer = Clusterer.from_dict(state)
    else:
        # no state, or one from an older clustering: every article is clustered afresh, in arrival order
        clusterer = Clusterer(threshold=settings.story_threshold)
        store.mark_features("clustered", None, False)
    originals = {a["id"]: a["duplicate_of"] for a in store.rows("articles") if a["duplicate_of"]}
    done = []
    for row in store.features(only_pending="clustered"):
        when = date.fromisoformat(row["published"]) if row["published"] else None
        original = originals.get(row["article_id"])
        if original and original in clusterer.assignments:
            clusterer.attach(row["article_id"], clusterer.assignments[original], when)
        else:
            clusterer.add(row["article_id"], Counter(json.loads(row["names"])),
                          embedding_from_bytes(row["meaning"]), when)
        done.append(row["article_id"])
    if done:
        store.set_meta("clusterer", clusterer.to_dict())
        store.set_story_assignments(clusterer.assignments)
        store.mark_features("clustered", done)


CORPUS_STAMP = "corpus-stamp"  # meta: what the corpus stage last read (corpus_inputs), what it found, how often it ran


# what the corpus stage runs and reads: its own modules, what they import, the rule files
CORPUS_CODE = ("corpus", "article", "common", "lang", "data", "models.py")


@lru_cache(maxsize=1)
def corpus_code() -> str:
    """A digest of the code and rule files behind the corpus stage (``CORPUS_CODE``, ~1 MB, read once a
    process), so that an upgrade or an edit re-derives the record even where no stage version was bumped."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for part in CORPUS_CODE:
        for path in [package / part] if part.endswith(".py") else sorted((package / part).iterdir()):
            if path.suffix in (".py", ".yaml") and path.is_file():
                digest.update(f"{part}/{path.name}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def corpus_inputs(store: Store, settings: Settings, aliases: dict | None, upto_seq: int | None = None) -> dict:
    """Everything the corpus stage's result depends on, small enough to keep and compare: a digest of what it
    reads of each article (``Store.corpus_inputs``), the versions and code of the stages behind it, the alias
    file and the one setting it reads."""
    return {"store": store.corpus_inputs(upto_seq),
            "versions": {"analysis": analyze_stage.VERSION, "dedup": dedup_version, "stories": cluster_version,
                         "resolve": resolve_version, "event_merge": event_merge_version, "claims": claims_version},
            "code": corpus_code(), "article_budget": settings.article_budget,
            "aliases": hashlib.sha1(json.dumps(aliases or {}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()}


def derive_corpus(store: Store, settings: Settings, aliases: dict | None = None, force: bool = False
                  ) -> tuple[dict, bool]:
    """The corpus stage (entities, events, claims, conflicts, story titles) when anything it reads changed since
    it last ran, or when ``force``d: (its counts, whether it ran).  With nothing new it reads one digest of the
    store and stops: the stored record is already what it would derive."""
    inputs = corpus_inputs(store, settings, aliases)
    stamp = store.get_meta(CORPUS_STAMP) or {}
    if not force and stamp.get("inputs") == inputs and "summary" in stamp:
        return stamp["summary"], False
    summary = rebuild_corpus(store, settings, aliases)
    # the stamp is what the stage read, with the dates it re-anchored; an article stored meanwhile (a concurrent
    # ingest) arrived after ``last_seq`` and is left out of it, so the next run sees it as new
    done = corpus_inputs(store, settings, aliases, upto_seq=inputs["store"]["last_seq"])
    store.set_meta(CORPUS_STAMP, {"inputs": done, "summary": summary, "at": now(), "runs": stamp.get("runs", 0) + 1})
    return summary, True


def process(store: Store, settings: Settings | None = None, progress: Progress = no_progress,
            aliases: dict | None = None, force: bool = False) -> ProcessReport:
    """Analyse what is new, link copies, place articles in stories, and re-derive the corpus record if anything
    it reads changed; ``force``: re-derive it whatever changed (``storyline rebuild``)."""
    settings = settings or Settings()
    report = ProcessReport()
    analyse_pending(store, settings, progress, report)
    link_duplicates(store, report)
    assign_stories(store, settings)
    summary, report.corpus_rebuilt = derive_corpus(store, settings, aliases, force)
    report.stories, report.entities, report.events = summary["stories"], summary["entities"], summary["events"]
    return report


def run(targets: Iterable[str], store: Store, settings: Settings | None = None,
        progress: Progress = no_progress, aliases: dict | None = None) -> tuple[IngestReport, ProcessReport]:
    settings = settings or Settings()
    ingested = ingest(targets, store, settings, progress)
    return ingested, process(store, settings, progress, aliases)
