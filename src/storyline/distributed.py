"""Batch processing of a large corpus on a dask.distributed cluster.

The expensive part of the pipeline is per article and needs no store: cleaning
(HTML extraction, noise removal, language identification) and above all the
analysis (spaCy / natasha, dates, events, the sentence embedding).  Here those
run on the workers of a dask cluster, a batch of articles per task; each
worker process loads the NLP models once (a worker plugin does it when the
worker joins, so no task pays for it).  Everything that touches the store
stays in this process, in the order a local run uses: articles are stored in
the order the sources give them, the analysis batches are the local run's
batches (``settings.batch_size`` articles, in arrival order, within the
chunks ``pipeline.analyse_pending`` reads), and the corpus
stages -- duplicates, stories, corpus rebuild -- are the pipeline's own
functions.  So ``run_distributed`` gives the same store as ``pipeline.run`` on
the same input.

    from dask.distributed import Client
    run_distributed(["dump.jsonl"], Store("big.db"), workers=4)           # a LocalCluster of 4 processes
    run_distributed(["dump.jsonl"], Store(url), client=Client("tcp://scheduler:8786"))

Workers need storyline installed (``pip install storyline[dask]``) and, for
sources that are files, the same paths as this process: sources are read
here, only documents travel.  Needs the optional dependency
``dask[distributed]``.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline import pipeline
from storyline.article import analyze as analyze_stage
from storyline.article.clean import clean
from storyline.errors import E, StorylineError
from storyline.models import Article, RawDoc
from storyline.pipeline import IngestReport, ProcessReport, Progress, no_progress
from storyline.settings import Settings
from storyline.sources import iter_sources
from storyline.store import Store

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ModuleNotFoundError:  # the optional dependency is missing: run_distributed says so
    WorkerPlugin = object  # type: ignore[misc,assignment]

__all__ = ["DistributedReport", "ModelLoader", "run_distributed", "local_cluster"]

log = logging.getLogger("storyline")

CLEAN_BATCH = 200  # raw documents per cleaning task (the local ingest's write batch)
IN_FLIGHT_PER_WORKER = 3  # tasks queued per worker: enough to keep it busy, few enough to bound memory


@dataclass
class DistributedReport:
    ingest: IngestReport
    process: ProcessReport
    workers: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def analysed(self) -> int:
        return self.process.analysed


# ---------------------------------------------------------------- on the workers
def _error_payload(error: StorylineError) -> tuple[str, str | None, str | None]:
    # StorylineError does not survive pickling (its args are not its constructor's): send its parts
    return error.kind.name, error.path, error.detail


def _error_from(payload: tuple[str, str | None, str | None]) -> StorylineError:
    kind, path, detail = payload
    return StorylineError(E[kind], path, detail)


def clean_batch(docs: list[RawDoc], max_chars: int) -> list[tuple[str, Any]]:
    """("ok", (article, raw html or None)) or ("error", error parts) for each document, in order."""
    out: list[tuple[str, Any]] = []
    for doc in docs:
        try:
            article = clean(doc, max_chars)
        except StorylineError as error:
            out.append(("error", _error_payload(error)))
            continue
        out.append(("ok", (article, doc.content if doc.kind == "html" else None)))
    return out


def analyse_batch(articles: list[Article], reference: date | None, budget: float) -> list[tuple[Any, dict]]:
    return analyze_stage.analyze_batch(articles, reference, budget)


class ModelLoader(WorkerPlugin):
    """Worker plugin: loads the NLP models once in each worker process, when the worker starts or joins."""

    name = "storyline-models"

    def __init__(self, languages: Iterable[str] = ("en",)):
        self.languages = tuple(sorted(set(languages)))

    def setup(self, worker: Any) -> None:
        start = time.perf_counter()
        loaded = analyze_stage.warm_up(self.languages)
        log.info("worker %s loaded the models for %s in %.1f s", getattr(worker, "name", "?"), ", ".join(loaded),
                 time.perf_counter() - start)


# ---------------------------------------------------------------- in this process
def local_cluster(workers: int = 2, threads_per_worker: int = 1, **options: Any):
    """A LocalCluster of worker processes (quiet; its dashboard, if any, on a free port)."""
    from dask.distributed import LocalCluster  # deferred: dask is an optional extra (storyline[dask])

    options.setdefault("dashboard_address", ":0")  # any free port: never "8787 is in use"
    options.setdefault("silence_logs", logging.ERROR)
    return LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True, **options)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ingest(targets: Iterable[str], store: Store, settings: Settings, client: Any, window: int,
            progress: Progress, transport: Any = None) -> IngestReport:
    """``pipeline.ingest`` with cleaning on the workers; stored in the order the sources give."""
    writer = pipeline.IngestWriter(store)
    for target in targets:
        # cleaned on the workers, stored here in source order; reading errors keep their place
        items = progress(iter_sources(target, settings, transport), f"ingest {target}", None)
        for group, cleaned in _clean_in_order(client, items, window, settings.max_article_chars):
            results = iter(cleaned)
            for item in group:
                if isinstance(item, StorylineError):
                    writer.problem(item, target)
                    continue
                status, value = next(results)
                if status == "error":
                    writer.problem(_error_from(value), item.source)
                    continue
                writer.add(*value, item)
        writer.flush()
    return writer.report


def _clean_in_order(client: Any, items: Iterable[Any], window: int,
                    max_chars: int) -> Iterator[tuple[list[Any], list[tuple[str, Any]]]]:
    """(group of source items, cleaning results of its documents), group after group, in source order."""
    def submit(group: list[Any]) -> Any:
        documents = [item for item in group if not isinstance(item, StorylineError)]
        return client.submit(clean_batch, documents, max_chars, pure=False)

    return pipeline.bounded_map(submit, _chunks(items, CLEAN_BATCH), window)


def run_distributed(targets: Iterable[str], store: Store, settings: Settings | None = None, *,
                    client: Any = None, workers: int = 2, progress: Progress = no_progress,
                    aliases: dict | None = None, transport: Any = None) -> DistributedReport:
    """Ingest and process ``targets`` like ``pipeline.run``, with the per-article work on a dask cluster.

    ``client``: a ``dask.distributed.Client`` to use; without one, a LocalCluster of ``workers``
    single-threaded worker processes is started for this call and closed after it.
    """
    settings = settings or Settings()
    try:
        from dask.distributed import Client  # deferred: dask is an optional extra (storyline[dask])
    except ModuleNotFoundError as exc:
        raise StorylineError(E.MODEL_MISSING, detail=f"missing {exc.name}; install storyline[dask]") from None
    own_cluster = own_client = None
    if client is None:
        own_cluster = local_cluster(workers)
        client = own_client = Client(own_cluster, set_as_default=False)
    try:
        return _run(list(targets), store, settings, client, progress, aliases, transport)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


def _run(targets: list[str], store: Store, settings: Settings, client: Any, progress: Progress,
         aliases: dict | None, transport: Any) -> DistributedReport:
    n_workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    window = IN_FLIGHT_PER_WORKER * n_workers
    timings: dict[str, float] = {}
    start = time.perf_counter()
    ingested = _ingest(targets, store, settings, client, window, progress, transport)
    timings["ingest"] = time.perf_counter() - start

    processed = ProcessReport()
    start = time.perf_counter()
    pending = store.pending_analysis(analyze_stage.VERSION)
    if pending:
        # every worker loads the models now, once, and keeps them for all its tasks
        client.register_plugin(ModelLoader(store.languages()), name=ModelLoader.name)
    timings["models"] = time.perf_counter() - start
    start = time.perf_counter()
    if pending:
        reference = pipeline.reference_date(store)
        batches = pipeline.pending_batches(store, pending, reference, max(1, settings.batch_size), processed)
        bar = progress(range(len(pending)), "analyse", len(pending))
        ticks = iter(bar)
        def submit(batch: list[Article]) -> Any:
            return client.submit(analyse_batch, batch, reference, settings.article_budget, pure=False)

        for _, analysed in pipeline.bounded_map(submit, batches, window):
            pipeline.save_analysed(store, analysed, processed)
            for _ in analysed:
                next(ticks, None)
        close = getattr(bar, "close", None)
        if close:
            close()
    timings["analyse"] = time.perf_counter() - start

    start = time.perf_counter()
    pipeline.link_duplicates(store, processed)
    timings["dedup"] = time.perf_counter() - start
    start = time.perf_counter()
    pipeline.assign_stories(store, settings)
    timings["stories"] = time.perf_counter() - start
    start = time.perf_counter()
    summary, processed.corpus_rebuilt = pipeline.derive_corpus(store, settings, aliases)
    timings["corpus"] = time.perf_counter() - start
    processed.stories, processed.entities, processed.events = summary["stories"], summary["entities"], summary["events"]
    return DistributedReport(ingested, processed, n_workers, timings)
